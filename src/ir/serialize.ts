// The IR as stable, pretty JSON: keys in a fixed order, spans' files relative to a directory,
// so that golden files depend neither on the checkout path nor on object construction order.
import * as path from "node:path";
import type { IrSpec } from "./types.js";

/**
 * The order of keys in every IR object. It follows the interfaces of types.ts, with
 * discriminants (`k`, `kind`) and names first and spans last. Keys not listed come after,
 * alphabetically. The keys of record-valued fields (layer/builtin/data `args`, `options`,
 * optimiser `settings`, the `outputs` of an outputs type) keep the checker's order, which is
 * the catalog's argument order.
 */
const KEY_ORDER = [
  "irVersion",
  "k",
  "kind",
  "name",
  "names",
  "id",
  "role",
  "op",
  "fn",
  "network",
  "networks",
  "state",
  "loss",
  "reuse",
  "count",
  "bound",
  "decay",
  "value",
  "init",
  "start",
  "shape",
  "domain",
  "classes",
  "source",
  "prior",
  "types",
  "files",
  "params",
  "states",
  "domains",
  "data",
  "latents",
  "values",
  "optimizers",
  "schedule",
  "run",
  "inputs",
  "outputs",
  "taps",
  "nodes",
  "uses",
  "object",
  "left",
  "right",
  "operand",
  "args",
  "parts",
  "options",
  "output",
  "expr",
  "body",
  "lr",
  "settings",
  "inTypes",
  "outType",
  "type",
  "paramCount",
  "batch",
  "steps",
  "seed",
  "log_every",
  "sample_every",
  "checkpoint_every",
  "eval_every",
  "samples",
  "file",
  "end",
  "span",
  "via",
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a);
  const rb = RANK.get(b);
  if (ra !== undefined && rb !== undefined) return ra - rb;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
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
    const keys = Object.keys(o).filter((k) => o[k] !== undefined);
    if (!record) keys.sort(compareKeys);
    const out: { [k: string]: Json } = {};
    for (const k of keys) out[k] = visit(o[k], record ? undefined : k, o);
    return out;
  };
  return visit(ir, undefined, undefined);
}

/** Stable, pretty (2-space) JSON of a checked spec, ending with a newline. */
export function irToJson(ir: IrSpec, opts: IrJsonOptions = {}): string {
  return JSON.stringify(irToPlain(ir, opts), null, 2) + "\n";
}
