// The grid of a sweep: specs × settings × seeds, expanded into runs with stable ids.
// A variant is a spec with one value for each setting; its runs differ only in the seed.
import { createHash } from "node:crypto";
import * as path from "node:path";
import { overrideProblem } from "../check/check.js";

/** A grid that cannot be expanded (bad seeds or settings, clashing names). */
export class GridError extends Error {}

export interface Grid {
  /** Absolute paths of the spec files, in the order given. */
  specs: string[];
  /** Setting name → the values it takes (one value: the same for every variant). */
  sets: Record<string, string[]>;
  seeds: number[];
  /** `--steps`, or null for each spec's own `steps`. */
  steps: number | null;
  backend: string;
}

export interface Variant {
  /** "ring_gan" or "ring_gan lr=1e-4": the spec name and the settings that vary between variants. */
  key: string;
  /** The spec's file name without `.gan`. */
  name: string;
  spec: string;
  /** Every setting the variant's runs are given (varying and fixed). */
  settings: Record<string, string>;
  /** What it trains on, e.g. "ring(modes=8, radius=1, std=0.01)": only variants on the same data are compared. */
  data?: string;
}

export interface PlannedRun {
  /** A file-name-safe id, unique in the sweep: "ring_gan-lr=1e-4-s3". */
  id: string;
  variant: string;
  spec: string;
  settings: Record<string, string>;
  seed: number;
}

/** Parses `--seeds`: "1..5", "1,3,9", "0..2,10", "7". */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(",").map((s) => s.trim())) {
    const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(part);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (b < a) throw new GridError(`the range \`${part}\` is empty (write low..high)`);
      for (let s = a; s <= b; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) seeds.push(Number(part));
    else throw new GridError(`expected seeds like 1..5 or 1,2,7, found \`${text}\``);
  }
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) throw new GridError(`seed ${dup} is listed twice in \`${text}\``);
  return seeds;
}

/** Parses `--set name=v1,v2` options into axes (in the order given). */
export function parseAxes(sets: readonly string[]): Record<string, string[]> {
  const axes: Record<string, string[]> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    const name = s.slice(0, eq).trim();
    if (eq <= 0 || name === "") throw new GridError(`--set expects name=value or name=v1,v2,..., found \`${s}\``);
    if (name in axes) throw new GridError(`--set ${name} is given twice; list its values in one option (${name}=a,b)`);
    const values = s
      .slice(eq + 1)
      .split(",")
      .map((v) => v.trim());
    if (values.some((v) => v === "")) throw new GridError(`--set ${name} has an empty value in \`${s}\``);
    if (new Set(values).size !== values.length) throw new GridError(`--set ${name} lists a value twice in \`${s}\``);
    for (const v of values) {
      const problem = overrideProblem(v);
      if (problem) throw new GridError(`--set ${name}=${v}: ${problem}`);
    }
    axes[name] = values;
  }
  return axes;
}

export const specName = (spec: string) => path.basename(spec).replace(/\.gan$/, "");

/** Every combination of the axes' values (the first axis varies slowest). */
function combinations(axes: Record<string, string[]>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(axes)) out = out.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return out;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._=+-]/g, "_");

export function variantsOf(grid: Grid): Variant[] {
  const varying = Object.keys(grid.sets).filter((k) => grid.sets[k]!.length > 1);
  const names = grid.specs.map(specName);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash !== undefined) throw new GridError(`two specs are named ${clash}.gan; a sweep tells variants apart by file name`);
  return grid.specs.flatMap((spec) =>
    combinations(grid.sets).map((settings) => ({
      key: [specName(spec), ...varying.map((k) => `${k}=${settings[k]}`)].join(" "),
      name: specName(spec),
      spec,
      settings,
    })),
  );
}

export function expand(grid: Grid): PlannedRun[] {
  const runs = variantsOf(grid).flatMap((v) =>
    grid.seeds.map((seed) => ({ id: `${safe(v.key.replace(/ /g, "-"))}-s${seed}`, variant: v.key, spec: v.spec, settings: v.settings, seed })),
  );
  const ids = runs.map((r) => r.id);
  const clash = ids.find((id, i) => ids.indexOf(id) !== i);
  if (clash !== undefined) throw new GridError(`two runs would share the folder name ${clash}; use setting values that differ in letters or digits`);
  return runs;
}

/**
 * The sweep's identity: the grid and the texts of its spec files. Re-running the same command
 * finds the same sweep (and the same queue jobs); editing a spec makes a new one.
 */
export function gridDigest(grid: Grid, sources: Record<string, Record<string, string>>): string {
  return createHash("sha256").update(JSON.stringify({ grid, sources })).digest("hex").slice(0, 12);
}

/** The default sweep folder: sweeps/<spec names>-<digest>. */
export function defaultSweepDir(grid: Grid, digest: string): string {
  const names = grid.specs.map(specName);
  const label = names.length <= 3 ? names.join("+") : `${names.slice(0, 2).join("+")}+${names.length - 2}-more`;
  return path.join("sweeps", `${label}-${digest}`);
}
