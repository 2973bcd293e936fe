// A run folder as the report shows it: what `ganc run` wrote there (run.json, ir.json, spec.gan,
// metrics.jsonl, samples/), read tolerantly because the live report reads it while training
// appends to it (a half-written last line is skipped).
import * as fs from "node:fs";
import * as path from "node:path";
import type { IrSpec } from "../ir/types.js";
import type { ReportRun, Series } from "./data.js";

const SAMPLE = /^step-(\d+)\.png$/;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** metrics.jsonl's complete lines. */
export function readMetrics(file: string): Record<string, number>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const rows: Record<string, number>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as Record<string, number>);
    } catch {
      // the line being written
    }
  }
  return rows;
}

/** What a logged name is, from the IR: a loss, a monitor, a state variable, an evaluation metric, the speed. */
function kindOf(name: string, ir: IrSpec | undefined): Series["kind"] {
  if (name === "steps_per_sec") return "speed";
  if (name.startsWith("eval_")) return "eval";
  if (ir?.states.some((s) => s.name === name)) return "state";
  const role = ir?.values.find((v) => v.name === name)?.role;
  return role === "monitor" ? "monitor" : "loss";
}

/** Every logged value as a series over the steps, in the order they first appear. */
export function seriesOf(rows: Record<string, number>[], ir: IrSpec | undefined): Series[] {
  const byName = new Map<string, Series>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (name === "step" || typeof value !== "number") continue;
      let s = byName.get(name);
      if (!s) byName.set(name, (s = { name, kind: kindOf(name, ir), steps: [], values: [] }));
      s.steps.push(row.step!);
      s.values.push(value);
    }
  }
  return [...byName.values()];
}

/** PNG files as data: URLs, cached by path, size and time (samples never change once written). */
const pngCache = new Map<string, { key: string; url: string }>();

function dataUrl(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = pngCache.get(file);
    if (hit?.key === key) return hit.url;
    const url = `data:image/png;base64,${fs.readFileSync(file).toString("base64")}`;
    pngCache.set(file, { key, url });
    return url;
  } catch {
    return undefined;
  }
}

/**
 * The run in `dir`; `label` names it in legends. `lastSample`: only the final sample grid is read
 * (a sweep's report). Throws only when `dir` is not a run folder.
 */
export function readRunFolder(dir: string, label: string, o: { lastSample?: boolean } = {}): ReportRun {
  const ir = readJson<IrSpec>(path.join(dir, "ir.json"));
  const runJson = readJson<Record<string, unknown>>(path.join(dir, "run.json")) ?? {};
  const metricsFile = path.join(dir, "metrics.jsonl");
  const rows = readMetrics(metricsFile);
  const train = rows.filter((r) => "steps_per_sec" in r);
  const evals = rows.filter((r) => Object.keys(r).some((k) => k.startsWith("eval_")));
  let spec = "";
  try {
    spec = fs.readFileSync(path.join(dir, "spec.gan"), "utf8");
  } catch {
    // an older or partial folder: the report says so
  }
  const samplesDir = path.join(dir, "samples");
  const grids = (fs.existsSync(samplesDir) ? fs.readdirSync(samplesDir) : [])
    .flatMap((f) => {
      const m = SAMPLE.exec(f);
      return m ? [{ step: Number(m[1]), file: path.join(samplesDir, f) }] : [];
    })
    .sort((a, b) => a.step - b.step);
  const samples = (o.lastSample ? grids.slice(-1) : grids).flatMap(({ step, file }) => {
    const url = dataUrl(file);
    return url ? [{ step, src: url }] : [];
  });
  // Training time: each logged window's steps over its rate (evaluation and sampling excluded).
  let trainSeconds = 0;
  train.forEach((r, i) => {
    const steps = r.step! - (i === 0 ? ((runJson.resumedAt as number | null) ?? 0) : train[i - 1]!.step!);
    if (r.steps_per_sec! > 0) trainSeconds += steps / r.steps_per_sec!;
  });
  const started = typeof runJson.started === "string" ? Date.parse(runJson.started) : NaN;
  const lastWrite = fs.existsSync(metricsFile) ? fs.statSync(metricsFile).mtimeMs : NaN;
  const finalEval = evals.length ? Object.fromEntries(Object.entries(evals[evals.length - 1]!).filter(([k]) => k.startsWith("eval_"))) : {};
  return {
    label,
    dir: path.resolve(dir),
    spec: ir?.name ?? String(runJson.spec ?? path.basename(dir)),
    specText: spec,
    params: Object.fromEntries((ir?.params ?? []).map((p) => [p.name, p.value])),
    settings: (ir?.run ?? {}) as unknown as Record<string, number>,
    // run.json names the device (adapter, wasm build and threads); older run folders only the wasm build.
    backend: [runJson.backend, runJson.device ?? runJson.wasmVariant].filter(Boolean).join(" / ") || "unknown",
    started: typeof runJson.started === "string" ? runJson.started : undefined,
    resumedAt: (runJson.resumedAt as number | null | undefined) ?? null,
    steps: train.length ? train[train.length - 1]!.step! : 0,
    totalSteps: (runJson.steps as number | undefined) ?? ir?.run.steps ?? 0,
    wallSeconds: Number.isFinite(started) && Number.isFinite(lastWrite) ? Math.max(0, (lastWrite - started) / 1000) : undefined,
    trainSeconds,
    series: seriesOf(rows, ir),
    samples,
    finalEval,
    ir,
  };
}
