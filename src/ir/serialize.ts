// The IR as stable, pretty JSON: keys in a fixed order, spans' files relative to a directory,
// so that golden files depend neither on the checkout path nor on object construction order.
import * as path from "node:path";
import type { IrSpec } from "./types.js";

/**
 * The order of keys of every IR object: the order of the interfaces in types.ts. An object
 * takes the first schema that has all its keys (expressions and schedule statements are
 * picked by their `k`); keys no schema lists come last, alphabetically. The keys of
 * record-valued fields (layer/builtin/data/latent `args`, `options`, optimiser `settings`, the
 * `outputs` of an outputs type) keep the checker's order, which is the catalog's argument order.
 */
const SCHEMAS: readonly (readonly string[])[] = [
  ["irVersion", "name", "files", "params", "states", "domains", "data", "latents", "networks", "values", "optimizers", "schedule", "run", "roles"],
  ["file", "start", "end"], // Span
  ["name", "value", "span"], // IrParam
  ["name", "init", "span"], // IrState
  ["name", "shape", "span"], // IrDomain
  ["names", "types", "source", "args", "span"], // IrData
  ["name", "prior", "type", "args", "parts", "span"], // IrLatent
  ["name", "inputs", "outputs", "taps", "nodes", "uses", "paramCount", "span"], // IrNetwork
  ["name", "type", "span"], // a network input
  ["name", "node", "type"], // a network output or tap
  ["id", "op", "inputs", "args", "network", "inTypes", "outType", "paramCount", "span", "via"], // IrNode
  ["name", "role", "expr", "type", "span"], // IrValue
  ["network", "kind", "lr", "settings", "span"], // IrOptimizer
  ["kind", "value", "start"], // IrLearningRate
  ["kind", "shape", "domain"], // IrType
  ["kind", "classes"],
  ["kind", "network", "outputs"],
  ["batch", "steps", "seed", "log_every", "sample_every", "checkpoint_every", "keep_checkpoints", "eval_every", "samples"], // IrRun
  ["generator", "latents", "translation"], // IrRoles
  ["network", "output", "inputs"], // its generator
  ["kind", "name"], // a generator input
  ["source", "target", "paired", "inverse"], // its translation
];

const BY_K: Record<string, readonly string[]> = {
  // IrExpr
  const: ["k", "value", "type", "span"],
  param: ["k", "name", "type", "span"],
  state: ["k", "name", "type", "span"],
  data: ["k", "name", "type", "span"],
  latent: ["k", "name", "type", "span"],
  value: ["k", "name", "type", "span"],
  call: ["k", "network", "args", "output", "type", "span"],
  member: ["k", "object", "name", "type", "span"],
  builtin: ["k", "fn", "args", "options", "type", "span"],
  binary: ["k", "op", "left", "right", "type", "span"],
  neg: ["k", "operand", "type", "span"],
  // IrSchedStmt
  step: ["k", "networks", "loss", "reuse", "span"],
  repeat: ["k", "count", "body", "span"],
  together: ["k", "body", "span"],
  clip_weights: ["k", "network", "bound", "span"],
  ema: ["k", "network", "decay", "span"],
  assign: ["k", "state", "expr", "span"],
};

function orderKeys(o: Record<string, unknown>, keys: string[]): string[] {
  const schema = typeof o.k === "string" && BY_K[o.k] ? BY_K[o.k]! : SCHEMAS.find((s) => keys.every((k) => s.includes(k)));
  const rank = (k: string) => (schema ? schema.indexOf(k) : -1);
  return [...keys].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra >= 0 && rb >= 0) return ra - rb;
    if (ra >= 0) return -1;
    if (rb >= 0) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface IrJsonOptions {
  /** Make span files (and `files`) relative to this directory, with `/` separators. */
  relativeTo?: string;
}

/** A path relative to `base`, with forward slashes; pseudo-files such as `<command line>` stay. */
function relPath(file: string, base: string | undefined): string {
  if (base === undefined || file === "" || file.startsWith("<")) return file;
  const rel = path.relative(path.resolve(base), path.resolve(file));
  return rel.split(path.sep).join("/");
}

function isSpan(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length === 3 && typeof o.file === "string" && typeof o.start === "number" && typeof o.end === "number";
}

/** A copy of the IR with keys reordered and paths made relative: the value `irToJson` prints. */
export function irToPlain(ir: IrSpec, opts: IrJsonOptions = {}): Json {
  const base = opts.relativeTo;
  const visit = (v: unknown, key: string | undefined, parent: Record<string, unknown> | undefined): Json => {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
    if (typeof v === "string" || typeof v === "boolean") return v;
    if (Array.isArray(v)) {
      if (key === "files") return v.map((f) => relPath(String(f), base));
      return v.map((x) => visit(x, undefined, undefined));
    }
    const o = v as Record<string, unknown>;
    if (isSpan(o)) return { file: relPath(o.file as string, base), start: o.start as number, end: o.end as number };
    const record = key === "settings" || key === "options" || (key === "args" && !Array.isArray(o)) || (key === "outputs" && parent?.kind === "outputs");
    const present = Object.keys(o).filter((k) => o[k] !== undefined);
    const keys = record ? present : orderKeys(o, present);
    const out: { [k: string]: Json } = {};
    for (const k of keys) out[k] = visit(o[k], record ? undefined : k, o);
    return out;
  };
  return visit(ir, undefined, undefined);
}

const isPrimitive = (v: Json) => v === null || typeof v !== "object";

/**
 * JSON.stringify(v, null, 2), except that arrays of numbers/strings/booleans (shapes, names)
 * and spans stay on one line: `"shape": [28, 28, 1]`. The output is still plain JSON.
 */
function pretty(v: Json, indent: string): string {
  if (isPrimitive(v)) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (v.every(isPrimitive)) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
    const inner = indent + "  ";
    return `[\n${v.map((x) => inner + pretty(x, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return "{}";
  if (isSpan(v)) return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(", ")} }`;
  const inner = indent + "  ";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(",\n")}\n${indent}}`;
}

/**
 * Stable, pretty (2-space) JSON of a checked spec, ending with a newline. Short arrays of
 * scalars and spans are kept on one line so that golden files stay readable.
 */
export function irToJson(ir: IrSpec, opts: IrJsonOptions = {}): string {
  return pretty(irToPlain(ir, opts), "") + "\n";
}
