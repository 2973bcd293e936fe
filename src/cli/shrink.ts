// Shrinking a spec to a tiny model, for quick checks of whole specs (the tests, `ganc backends
// --verify`): every integer param >= 16 (layer widths, bottleneck sizes) becomes 4 and the batch
// at most 4. An override the checker rejects (say a param that is an image size) is dropped, so
// the spec still compiles.
import * as path from "node:path";
import { checkFile } from "../check/check.js";
import { hasErrors } from "../diagnostics/index.js";

/**
 * Hand-written shrink settings for a spec (by file name without `.gan`), used instead of the
 * automatic rule when a spec needs something else. Each entry is a list of `name=value`.
 */
export const tiny: Record<string, { set: string[] }> = {
  // e.g. stylegan: { set: ["fmaps=8", "batch=4"] },
};

const TINY_WIDTH = 4;
const TINY_BATCH = 4;

/** The `--set` overrides (`name=value`) that make `spec` tiny; the result checks clean. */
export function tinySets(spec: string): string[] {
  const key = path.basename(spec, ".gan");
  if (tiny[key]) return tiny[key].set;
  const base = checkFile(spec);
  if (!base.ir) throw new Error(`${spec} does not check clean:\n${base.diagnostics.map((d) => d.message).join("\n")}`);
  const candidates: Record<string, string> = {};
  for (const p of base.ir.params) {
    if (typeof p.value === "number" && Number.isInteger(p.value) && p.value >= 16) candidates[p.name] = String(TINY_WIDTH);
  }
  if (base.ir.run.batch > TINY_BATCH) candidates.batch = String(TINY_BATCH);
  const clean = (o: Record<string, string>) => !hasErrors(checkFile(spec, { overrides: o }).diagnostics);
  let chosen = candidates;
  if (!clean(chosen)) {
    chosen = {};
    for (const [k, v] of Object.entries(candidates)) if (clean({ ...chosen, [k]: v })) chosen[k] = v;
  }
  return Object.entries(chosen).map(([k, v]) => `${k}=${v}`);
}
