// The parameters of catalog entries (layers, functions, data sources, priors, optimisers):
// their kinds, defaults and allowed values, and how a signature is written.
import type { Const } from "../ir/types.js";

export type ArgKind =
  | "int" // a constant whole number
  | "number" // a constant number
  | "bool"
  | "string"
  | "numbers" // a constant list of numbers, or one number
  | "shape" // a size: a number or a list of whole numbers
  | "tap" // in a network: the name of an input or a tap
  | "number_or_state" // in a network: a constant number, or a state variable read at run time
  | "expr" // in an expression: any value
  | "name" // in an expression: the name of a let, data batch or latent (what `grad` differentiates by)
  | "domain" // in an expression: a domain name
  | "latent" // in a latent declaration: the name of another latent
  | "learning_rate"; // in an optimiser: a number, or a learning-rate schedule such as `linear_decay(...)`

export interface ParamSpec {
  name: string;
  kind: ArgKind;
  /** Absent: the argument is required. */
  default?: Const;
  /** Accepts any number of positional values from here on (reshape dims, concat parts). */
  variadic?: boolean;
  choices?: readonly string[];
  min?: number;
  /** The lowest value is excluded (a rate must be > 0). */
  exclusiveMin?: boolean;
  max?: number;
  exclusiveMax?: boolean;
}

/** Constant arguments by parameter name, defaults filled in. */
export type Args = Record<string, Const>;

/** Kinds whose arguments are compile-time constants (checked and stored in the IR's `args`). */
export const CONSTANT_KINDS: ReadonlySet<ArgKind> = new Set(["int", "number", "bool", "string", "numbers", "shape"]);

/** What an argument of each constant kind must be, as messages say it. */
export const KIND_EXPECTED: Record<"int" | "number" | "bool" | "string" | "numbers" | "shape", string> = {
  int: "a whole number",
  number: "a number",
  bool: "true or false",
  string: "a string",
  numbers: "a number or a list of numbers",
  shape: "a positive whole number or a list of them",
};

function showDefault(v: Const): string {
  return JSON.stringify(v).replace(/,/g, ", ");
}

/** `dense(units, bias = true, sn = false)`: how a call is written, for helps. */
export function describeSignature(name: string, params: readonly ParamSpec[]): string {
  const parts = params.map((p) => (p.variadic ? `${p.name}...` : p.default === undefined ? p.name : `${p.name} = ${JSON.stringify(p.default)}`));
  return `${name}(${parts.join(", ")})`;
}

/** The arguments as LANGUAGE.md lists them: `` `filters`, `padding = "same"|"valid"` ``. */
export function documentParams(params: readonly ParamSpec[]): string {
  return params
    .map((p) => {
      if (p.variadic) return `\`${p.name}...\``;
      if (p.default === undefined) return p.choices ? `\`${p.name}\` (${p.choices.map((c) => `\`${JSON.stringify(c)}\``).join(", ")})` : `\`${p.name}\``;
      const value = p.choices ? [p.default, ...p.choices.filter((c) => c !== p.default)].map((c) => JSON.stringify(c)).join("\\|") : showDefault(p.default);
      return `\`${p.name} = ${value}\``;
    })
    .join(", ");
}
