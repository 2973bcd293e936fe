// Rendering IR back to readable .gan syntax: expressions (with minimal parentheses), types,
// schedules and one-line layer summaries. Used by `ganc diff`, codegen comments and tests.
// Everything here is deterministic: the same IR always prints the same text.
import { builtinEntry, layerEntry } from "../lang/index.js";
import type { Const, IrExpr, IrLearningRate, IrNode, IrSchedStmt, IrType } from "./types.js";

// ---------------------------------------------------------------- numbers and constants

/**
 * A number in its shortest round-tripping form: `2e-4` rather than `0.0002`, `0.5` rather
 * than `5e-1` (ties go to the plain form). Whole numbers stay plain (`1000`, not `1e3`),
 * except where JavaScript itself switches to exponent notation (|n| >= 1e21).
 */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return "0";
  const plain = String(n);
  if (Number.isInteger(n)) return plain.replace("e+", "e");
  const exp = n.toExponential().replace("e+", "e");
  return exp.length < plain.length && Number(exp) === n ? exp : plain;
}

/** A whole number with thousands separators: `1,088`. Locale-independent. */
export function fmtCount(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (n < 0 ? "-" : "") + grouped;
}

/** A compile-time constant as written in a spec: `2e-4`, `"same"`, `true`, `[-1, 1]`. */
export function printConst(c: Const): string {
  if (typeof c === "number") return fmtNum(c);
  if (typeof c === "string") return JSON.stringify(c);
  if (typeof c === "boolean") return String(c);
  return `[${c.map(printConst).join(", ")}]`;
}

export function constEqual(a: Const, b: Const): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => constEqual(x, b[i]!));
  }
  return Object.is(a, b) || a === b;
}

// ---------------------------------------------------------------- types

export function printShape(shape: readonly number[]): string {
  return `[${shape.map(fmtNum).join(", ")}]`;
}

/** `scalar`, `[28, 28, 1]`, `X [28, 28, 1]` (domain-tagged), `label(10)`, `(source: [1], class: [10])`. */
export function printType(t: IrType): string {
  switch (t.kind) {
    case "scalar":
      return "scalar";
    case "tensor":
      return t.domain ? `${t.domain} ${printShape(t.shape)}` : printShape(t.shape);
    case "label":
      return `label(${t.classes})`;
    case "outputs":
      return `(${Object.entries(t.outputs)
        .map(([n, o]) => `${n}: ${printType(o)}`)
        .join(", ")})`;
  }
}

// ---------------------------------------------------------------- expressions

// Binding strength, loosest first. Matches the grammar: expression (+ -) < term (* /) <
// unary (-) < power (^, right-assoc, its right operand a unary) < postfix (call, .member) < atom.
const P_ADD = 1;
const P_MUL = 2;
const P_NEG = 3;
const P_POW = 4;
const P_POSTFIX = 5;
const P_ATOM = 6;

function prec(e: IrExpr): number {
  switch (e.k) {
    case "binary":
      return e.op === "+" || e.op === "-" ? P_ADD : e.op === "^" ? P_POW : P_MUL;
    case "neg":
      return P_NEG;
    case "const":
      return e.value < 0 || Object.is(e.value, -0) ? P_NEG : P_ATOM;
    case "call":
    case "member":
    case "builtin":
      return P_POSTFIX;
    default:
      return P_ATOM;
  }
}

/** `e` printed so that it parses back at a position that needs binding strength `min`. */
function at(e: IrExpr, min: number): string {
  const s = printExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

/**
 * The arguments of a builtin call as written: expressions in order, a domain by its name, other
 * options as `name = value` when they differ from the catalog's default.
 */
function builtinArgs(e: Extract<IrExpr, { k: "builtin" }>): string[] {
  const params = builtinEntry(e.fn)?.params ?? [];
  const out = e.args.map(printExpr);
  for (const [k, v] of Object.entries(e.options)) {
    const p = params.find((q) => q.name === k);
    if (p?.kind === "domain") out.push(String(v));
    else if (!(p && p.default !== undefined && constEqual(p.default, v))) out.push(`${k} = ${printConst(v)}`);
  }
  return out;
}

/** An IR expression as .gan source, with only the parentheses the grammar needs. */
export function printExpr(e: IrExpr): string {
  switch (e.k) {
    case "const":
      return fmtNum(e.value);
    case "param":
    case "state":
    case "data":
    case "latent":
    case "value":
      return e.name;
    case "call": {
      const call = `${e.network}(${e.args.map(printExpr).join(", ")})`;
      return e.output !== undefined && e.output !== "out" ? `${call}.${e.output}` : call;
    }
    case "member":
      return `${at(e.object, P_POSTFIX)}.${e.name}`;
    case "builtin":
      return builtinEntry(e.fn)?.bare ? e.fn : `${e.fn}(${builtinArgs(e).join(", ")})`;
    case "neg": {
      const inner = at(e.operand, P_NEG);
      return inner.startsWith("-") ? `-(${inner})` : `-${inner}`;
    }
    case "binary": {
      const p = prec(e);
      if (e.op === "^") return `${at(e.left, P_POSTFIX)} ^ ${at(e.right, P_NEG)}`;
      // left-associative: the left operand may be as loose as this operator, the right must bind tighter
      return `${at(e.left, p)} ${e.op} ${at(e.right, p + 1)}`;
    }
  }
}

// ---------------------------------------------------------------- schedules

function printLr(lr: IrLearningRate): string {
  return lr.kind === "constant" ? fmtNum(lr.value) : `linear_decay(${fmtNum(lr.value)}, start = ${fmtNum(lr.start)})`;
}
export { printLr };

function schedLines(stmts: IrSchedStmt[], indent: string, out: string[]): void {
  for (const s of stmts) {
    switch (s.k) {
      case "step":
        out.push(`${indent}step ${s.networks.join(", ")} minimize ${s.loss}${s.reuse.length ? ` reuse ${s.reuse.join(", ")}` : ""}`);
        break;
      case "repeat":
        out.push(`${indent}repeat ${fmtNum(s.count)} {`);
        schedLines(s.body, indent + "  ", out);
        out.push(`${indent}}`);
        break;
      case "together":
        out.push(`${indent}together {`);
        schedLines(s.body, indent + "  ", out);
        out.push(`${indent}}`);
        break;
      case "clip_weights":
        out.push(`${indent}clip_weights ${s.network} ${fmtNum(s.bound)}`);
        break;
      case "ema":
        out.push(`${indent}ema ${s.network} ${fmtNum(s.decay)}`);
        break;
      case "assign":
        out.push(`${indent}${s.state} = ${printExpr(s.expr)}`);
        break;
    }
  }
}

/**
 * A schedule as the lines of its body in spec syntax, indented by two spaces per level
 * (`repeat` and `together` open a line ending in `{` and close with a `}` line).
 */
export function printSchedule(stmts: IrSchedStmt[]): string[] {
  const out: string[] = [];
  schedLines(stmts, "  ", out);
  return out;
}

/** A schedule on one line: `step D minimize d_loss; repeat 5 { ... }`. */
export function printScheduleInline(stmts: IrSchedStmt[]): string {
  const one = (s: IrSchedStmt): string => {
    if (s.k === "repeat") return `repeat ${fmtNum(s.count)} { ${s.body.map(one).join("; ")} }`;
    if (s.k === "together") return `together { ${s.body.map(one).join("; ")} }`;
    const lines: string[] = [];
    schedLines([s], "", lines);
    return lines[0]!;
  };
  return stmts.map(one).join("; ");
}

// ---------------------------------------------------------------- layers

export interface LayerCallOptions {
  /**
   * "all": every argument except booleans at their default (the `printLayer` form);
   * "changed": only required arguments and those that differ from the catalog default.
   */
  defaults?: "all" | "changed";
  /** Named arguments as `k=v` (default) or `k = v`. */
  spaced?: boolean;
}

/**
 * A layer node as a call: `conv2d(64, kernel=4, stride=2, padding="same")`. The first catalog
 * argument is positional when it is required or variadic; references to other values (concat,
 * add, adain) print as the node ids they name; a network used as a layer prints as its name.
 */
export function printLayerCall(node: IrNode, opts: LayerCallOptions = {}): string {
  if (node.op === "call") return node.network ?? "call";
  const mode = opts.defaults ?? "all";
  const eq = opts.spaced ? " = " : "=";
  const params = layerEntry(node.op)?.params;
  const parts: string[] = [];
  const seen = new Set<string>();
  if (node.op === "add" || node.op === "multiply") {
    // `add(tap)`, `multiply(tap)` and residuals: both operands, so the cases read the same
    parts.push(...node.inputs);
  } else if (params) {
    params.forEach((p, i) => {
      if (p.kind === "tap") {
        parts.push(...node.inputs.slice(1));
        return;
      }
      if (!(p.name in node.args)) return;
      seen.add(p.name);
      const v = node.args[p.name]!;
      const isDefault = p.default !== undefined && constEqual(p.default, v);
      if (i === 0 && (p.default === undefined || p.variadic)) {
        parts.push(p.variadic && Array.isArray(v) ? v.map(printConst).join(", ") : printConst(v));
        return;
      }
      if (isDefault && (mode === "changed" || typeof v === "boolean")) return;
      parts.push(`${p.name}${eq}${printConst(v)}`);
    });
  } else {
    parts.push(...node.inputs.slice(1));
  }
  for (const [k, v] of Object.entries(node.args)) if (!seen.has(k)) parts.push(`${k}${eq}${printConst(v)}`);
  return parts.length ? `${node.op}(${parts.join(", ")})` : node.op;
}

/** `conv2d(64, kernel=4, stride=2, padding="same") [28, 28, 1] -> [14, 14, 64], 1,088 params` */
export function printLayer(node: IrNode): string {
  const from = node.inTypes.length ? node.inTypes.map(printType).join(" + ") : "()";
  const count = `${fmtCount(node.paramCount)} param${node.paramCount === 1 ? "" : "s"}`;
  const shared = node.op === "call" ? ` (shares the weights of ${node.network})` : "";
  return `${printLayerCall(node)} ${from} -> ${printType(node.outType)}, ${count}${shared}`;
}
