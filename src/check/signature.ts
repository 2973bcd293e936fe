// Argument signatures shared by layers, builtins, data sources, priors and optimisers:
// matching positional and named arguments to parameters, with defaults.
import { didYouMean } from "../diagnostics/suggest.js";
import type { Arg } from "../syntax/ast.js";

export type ArgKind =
  | "int" // a constant whole number
  | "number" // a constant number
  | "bool"
  | "string"
  | "numbers" // a constant list of numbers, or one number
  | "shape" // a size: a number or a list of whole numbers
  | "value" // a name of a value in the network (tap or input), or an expression in losses
  | "expr"; // any expression (builtins)

export interface ParamSpec {
  name: string;
  kind: ArgKind;
  /** Absent: the argument is required. */
  default?: number | string | boolean | number[];
  /** Accepts any number of positional values from here on (reshape dims, concat parts). */
  variadic?: boolean;
  choices?: readonly string[];
  min?: number;
  /** The lowest value is excluded (a rate must be > 0). */
  exclusiveMin?: boolean;
  max?: number;
  exclusiveMax?: boolean;
}

export interface Matched {
  /** Arguments by parameter name; variadic ones collected under their name. */
  byName: Map<string, Arg[]>;
  problems: { code: "E0202" | "E0203"; arg?: Arg; message: string; help?: string }[];
}

export function describeSignature(name: string, params: readonly ParamSpec[]): string {
  const parts = params.map((p) => (p.variadic ? `${p.name}...` : p.default === undefined ? p.name : `${p.name} = ${JSON.stringify(p.default)}`));
  return `${name}(${parts.join(", ")})`;
}

/** Match call arguments to parameters: positional first, then named. */
export function matchArgs(fnName: string, params: readonly ParamSpec[], args: readonly Arg[]): Matched {
  const byName = new Map<string, Arg[]>();
  const problems: Matched["problems"] = [];
  let pos = 0;
  for (const arg of args) {
    if (arg.name) {
      const p = params.find((q) => q.name === arg.name!.name);
      if (!p) {
        const names = params.map((q) => q.name);
        const guess = didYouMean(arg.name.name, names);
        problems.push({
          code: "E0203",
          arg,
          message: `\`${fnName}\` has no argument named \`${arg.name.name}\``,
          help: guess ? `did you mean \`${guess}\`? (${describeSignature(fnName, params)})` : names.length ? `it takes: ${describeSignature(fnName, params)}` : `\`${fnName}\` takes no arguments`,
        });
        continue;
      }
      if (byName.has(p.name)) {
        problems.push({ code: "E0203", arg, message: `argument \`${p.name}\` is given twice` });
        continue;
      }
      byName.set(p.name, [arg]);
      continue;
    }
    const p = params[pos];
    if (!p) {
      problems.push({
        code: "E0202",
        arg,
        message: `\`${fnName}\` takes ${params.length === 0 ? "no arguments" : `at most ${params.length} positional argument${params.length === 1 ? "" : "s"}`}`,
        help: `it takes: ${describeSignature(fnName, params)}`,
      });
      continue;
    }
    const list = byName.get(p.name) ?? [];
    list.push(arg);
    byName.set(p.name, list);
    if (!p.variadic) pos++;
  }
  for (const p of params) {
    if (p.default === undefined && !byName.has(p.name)) {
      problems.push({
        code: "E0202",
        message: `\`${fnName}\` is missing its argument \`${p.name}\``,
        help: `it takes: ${describeSignature(fnName, params)}`,
      });
    }
  }
  return { byName, problems };
}
