/**
 * The training-loop harness. Generated code implements a `TrainerModule`;
 * `train(module, options)` selects the backend, creates or resumes the run
 * folder, and drives the loop:
 *
 *   <runDir>/run.json              options, backend and device, start time
 *   <runDir>/metrics.jsonl         one JSON object per logged step:
 *                                  { step, <each value the iteration returned>,
 *                                    <each ctx.state value>, steps_per_sec }
 *                                  and, every `evalEvery` steps, { step, eval_<metric>... }
 *                                  from module.evaluate (a line of its own)
 *   <runDir>/samples/step-NNNNNN.png
 *   <runDir>/checkpoints/step-NNNNNN/   (see checkpoint.ts)
 *
 * Steps are numbered from 0; "step N" in files means N steps completed.
 * Resuming loads the latest checkpoint (params, optimisers, ctx.state) and
 * continues at its step; since every random draw is derived from (seed, step,
 * stream) the result equals an uninterrupted run on cpu/wasm; an invalid newest checkpoint
 * is passed over, saying so. SIGINT or SIGTERM finishes the current step, writes a checkpoint
 * and returns with `interrupted: true` and the signal (a second one stops at once).
 * Weights and optimiser state are checked for NaN/Infinity at log and checkpoint steps
 * (guard.ts); only the newest `keepCheckpoints` checkpoints and the best by evaluation are kept.
 *
 * Values are read from the device only at log steps (and after the last step):
 * other steps queue their work and move on without waiting for the GPU. When a
 * GPU device is lost, the run stops with a message that names the last
 * checkpoint and how to resume it on another backend (checkpoints are the same
 * on every backend).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { backendInUse, useBackend, type BackendName } from "./backend.js";
import { backendThreads } from "./wasm-threads.js";
import { describeSkipped, latestCheckpoint, loadNewestCheckpoint, saveCheckpoint } from "./checkpoint.js";
import type { ValueRange } from "./data/dataset.js";
import { RuntimeUserError, isRuntimeUserError } from "./errors.js";
import { appendFile, writeFile, writeFileAtomic } from "./files.js";
import { checkFiniteState, lossDiverged } from "./guard.js";
import { imageGridPng, scatterPng } from "./image.js";
import { truncateMetrics } from "./metrics-file.js";
import { DEFAULT_KEEP_CHECKPOINTS, bestLoggedEval, evalScore, isBetter, pruneCheckpoints } from "./retention.js";
import { ParamStore, type ParamStoreOptions } from "./nn/params.js";
import { Progress, type ProgressStream } from "./progress.js";
import { readStepValues, releaseStepValues } from "./step-values.js";
import { confirmDeviceLost, deviceLostError, webgpuLost } from "./webgpu.js";

/** What init/iteration/sample receive. */
export interface TrainContext {
  readonly seed: number;
  /** The step being run (0-based); for sample(), the number of completed steps. */
  step: number;
  /** Total steps of the run (for schedules). */
  readonly totalSteps: number;
  /** All variables; layers read `params.step` / `params.mode` (set by the harness). */
  readonly params: ParamStore;
  /** Filled by init(): one optimiser per trained network, by name ("G", "D"). Saved in checkpoints. */
  readonly optimizers: Record<string, tf.Optimizer>;
  /** Spec state values (numbers), restored on resume and logged to metrics.jsonl. */
  readonly state: Record<string, number>;
  readonly runDir: string;
  readonly backend: string;
}

/** What sample() returns: an image batch, or 2-D points for a scatter plot. The harness disposes the tensors. */
export type SampleOutput =
  | { kind: "images"; images: tf.Tensor; range?: ValueRange; columns?: number }
  | { kind: "points"; fake: tf.Tensor; real?: tf.Tensor; centers?: [number, number][]; extent?: [number, number] };

/** The interface a generated training module implements. */
export interface TrainerModule {
  /** The spec name: runs are created under <runsDir>/<name>/<timestamp>/. */
  readonly name: string;
  /** Options for the ParamStore (kernel init). */
  readonly params?: ParamStoreOptions;
  /**
   * Creates every layer (variables in ctx.params), the optimisers
   * (ctx.optimizers.G = tf.train.adam(...)) and initial ctx.state values.
   * Called once per process, before a checkpoint is loaded.
   */
  init(ctx: TrainContext): void | Promise<void>;
  /**
   * One training iteration for ctx.step: draw data and noise from
   * (ctx.seed, ctx.step, stream), compute losses, apply gradients. Returns the
   * values to log (scalar tensors or numbers; the harness disposes them, and
   * reads them only at log steps). Must not leak tensors (wrap work in tf.tidy).
   */
  iteration(ctx: TrainContext): Record<string, tf.Scalar | number> | Promise<Record<string, tf.Scalar | number>>;
  /** Samples for the progress picture, from a fixed latent batch (e.g. stream "sample" at step 0); called in eval mode. */
  sample?(ctx: TrainContext): SampleOutput;
  /**
   * Run state kept outside the ParamStore (e.g. history pools), saved in each checkpoint's
   * `extra` and handed to restoreExtra on resume, so a resumed run equals an uninterrupted one.
   */
  saveExtra?(): Record<string, unknown> | Promise<Record<string, unknown>>;
  restoreExtra?(extra: Record<string, unknown>): void;
  /** Releases what the module holds besides the ParamStore and optimisers (history pools). */
  dispose?(): void;
  /** Evaluation metrics of the current model (flat numbers, e.g. eval_fid), logged every `evalEvery` steps. */
  evaluate?(ctx: TrainContext): Record<string, number> | Promise<Record<string, number>>;
}

export interface TrainOptions {
  /** Total number of steps. */
  steps: number;
  /** Default 0. */
  seed?: number;
  /** Default "auto". */
  backend?: BackendName;
  /** The run folder; default <runsDir>/<module.name>/<timestamp>. */
  runDir?: string;
  /** Default "runs". */
  runsDir?: string;
  /** Continue from the latest checkpoint in runDir (runDir required). */
  resume?: boolean;
  /** Log to metrics.jsonl and the progress display every N steps; default 10. */
  logEvery?: number;
  /** Write a sample PNG every N steps (0: only at the end); default 500. */
  sampleEvery?: number;
  /** Write a checkpoint every N steps (0: only at the end); default 1000. */
  checkpointEvery?: number;
  /** Keep the newest N checkpoints (and the best by evaluation), removing older ones; 0 keeps all; default 3. */
  keepCheckpoints?: number;
  /** Call module.evaluate and log its metrics every N steps (0: never); default 0. */
  evalEvery?: number;
  /** Stop after this many completed steps (as if interrupted), keeping totalSteps = steps. */
  stopAt?: number;
  /** Progress output; default process.stderr. */
  progress?: ProgressStream;
  /** Install SIGINT and SIGTERM handlers that checkpoint before stopping; default true. */
  handleSignals?: boolean;
  /** Called once the run folder exists, before training starts (to record what is run). */
  beforeStart?: (runDir: string) => void;
  /** Called after each line written to metrics.jsonl (a logged step or an evaluation), with its step. */
  onLog?: (step: number) => void;
}

export interface TrainResult {
  runDir: string;
  backend: string;
  /** Steps completed. */
  step: number;
  /** True if stopped by SIGINT or SIGTERM (a checkpoint was written). */
  interrupted: boolean;
  /** The signal that stopped it. */
  signal?: StopSignal;
  /** Values of the last logged step. */
  last: Record<string, number>;
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RuntimeUserError(`${name} must be an integer >= ${min}, got ${v}`);
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function newRunDir(runsDir: string, name: string): string {
  const base = path.join(runsDir, name, timestamp());
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

const stepName = (step: number) => `step-${String(step).padStart(6, "0")}`;

export type StopSignal = "SIGINT" | "SIGTERM";
const STOP_SIGNALS: StopSignal[] = ["SIGINT", "SIGTERM"];

/** Runs (or resumes) training of `module`. */
export async function train(module: TrainerModule, options: TrainOptions): Promise<TrainResult> {
  checkCount("steps", options.steps, 1);
  const seed = options.seed ?? 0;
  checkCount("seed", seed, 0);
  const logEvery = options.logEvery ?? 10;
  const sampleEvery = options.sampleEvery ?? 500;
  const checkpointEvery = options.checkpointEvery ?? 1000;
  const evalEvery = options.evalEvery ?? 0;
  const keepCheckpoints = options.keepCheckpoints ?? DEFAULT_KEEP_CHECKPOINTS;
  checkCount("keepCheckpoints", keepCheckpoints, 0);
  checkCount("logEvery", logEvery, 1);
  checkCount("sampleEvery", sampleEvery, 0);
  checkCount("checkpointEvery", checkpointEvery, 0);
  checkCount("evalEvery", evalEvery, 0);
  const stopAt = Math.min(options.stopAt ?? options.steps, options.steps);
  if (options.resume === true && options.runDir === undefined) {
    throw new RuntimeUserError("resuming needs the run folder to resume (--run-dir)");
  }
  const backend = await useBackend(options.backend ?? "auto");
  const runDir = options.runDir ?? newRunDir(options.runsDir ?? "runs", module.name);
  const metricsFile = path.join(runDir, "metrics.jsonl");
  if (options.resume !== true && existsSync(metricsFile)) {
    throw new RuntimeUserError(`${runDir} already holds a run; resume it or choose another folder`);
  }

  // init opens the data: bad data stops here, before anything is written to the run folder.
  const params = new ParamStore(seed, module.params);
  const ctx: TrainContext = { seed, step: 0, totalSteps: options.steps, params, optimizers: {}, state: {}, runDir, backend };
  await module.init(ctx);
  mkdirSync(path.join(runDir, "samples"), { recursive: true });
  options.beforeStart?.(runDir);

  const progress = new Progress(options.progress ?? process.stderr, options.steps);
  let start = 0;
  if (options.resume === true) {
    const found = await loadNewestCheckpoint(runDir, params, ctx.optimizers);
    if (found === null) throw new RuntimeUserError(`cannot resume: ${runDir} has no checkpoint`);
    const { meta, dir, skipped } = found;
    if (skipped.length) progress.message(describeSkipped(skipped, dir));
    if (meta.seed !== seed) {
      throw new RuntimeUserError(`cannot resume ${runDir} with seed ${seed}: it was trained with seed ${meta.seed}`);
    }
    for (const [k, v] of Object.entries(meta.state)) ctx.state[k] = v as number;
    if (meta.extra !== undefined) module.restoreExtra?.(meta.extra);
    start = meta.step;
    truncateMetrics(metricsFile, start);
  }
  const inUse = backendInUse();
  writeFileAtomic(
    path.join(runDir, "run.json"),
    JSON.stringify({ spec: module.name, seed, steps: options.steps, ...inUse, threads: backendThreads(), resumedAt: options.resume === true ? start : null, started: new Date().toISOString() }, null, 2) + "\n",
  );

  let signal: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((sig) => {
    const handler = () => {
      if (signal !== undefined) {
        // A second signal: stop now, the default way (checkpoint writes are atomic).
        for (const [s, h] of handlers) process.off(s, h);
        process.kill(process.pid, sig);
        return;
      }
      signal = sig;
      progress.message(`${sig}: finishing the step and writing a checkpoint (send it again to stop at once)`);
    };
    return [sig, handler] as const;
  });
  if (options.handleSignals !== false) for (const [s, h] of handlers) process.on(s, h);

  // Weights and optimiser state are checked at log steps and before every checkpoint (once per step).
  let checkedAt = -1;
  const guard = async (done: number) => {
    if (checkedAt === done) return;
    await checkFiniteState(params, ctx.optimizers, done);
    checkedAt = done;
  };
  let best = options.resume === true ? bestLoggedEval(metricsFile) : null;
  const checkpoint = async (done: number) => {
    await guard(done);
    const extra = await module.saveExtra?.();
    await saveCheckpoint(runDir, params, ctx.optimizers, { step: done, seed, state: { ...ctx.state }, ...(extra !== undefined ? { extra } : {}) });
    pruneCheckpoints(runDir, keepCheckpoints, best?.step ?? null);
  };
  const writeSample = async (done: number) => {
    if (module.sample === undefined) return;
    params.mode = "eval";
    ctx.step = done;
    params.step = done;
    const out = module.sample(ctx);
    params.mode = "train";
    try {
      const png =
        out.kind === "images"
          ? await imageGridPng(out.images, { range: out.range ?? "-1..1", ...(out.columns !== undefined ? { columns: out.columns } : {}) })
          : await scatterPng(out.real ?? null, out.fake, { ...(out.centers !== undefined ? { centers: out.centers } : {}), ...(out.extent !== undefined ? { extent: out.extent } : {}) });
      writeFile(path.join(runDir, "samples", `${stepName(done)}.png`), png);
    } finally {
      tf.dispose(out.kind === "images" ? [out.images] : [out.fake, ...(out.real !== undefined ? [out.real] : [])]);
    }
  };

  const evaluate = async (done: number) => {
    params.mode = "eval";
    ctx.step = done;
    params.step = done;
    const began = performance.now();
    try {
      const metrics = await module.evaluate!(ctx);
      appendFile(metricsFile, JSON.stringify({ step: done, ...metrics }) + "\n");
      options.onLog?.(done);
      progress.message(`eval at step ${done}: ${Object.entries(metrics).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(", ")}`);
      const score = evalScore(done, metrics);
      const improved = score !== null && isBetter(score, best);
      if (improved) best = score;
      return improved;
    } finally {
      params.mode = "train";
      windowStart += performance.now() - began; // steps_per_sec counts training only
    }
  };

  let last: Record<string, number> = {};
  let done = start;
  let windowStart = performance.now();
  let windowSteps = 0;
  let rate = 0;
  const onGpu = backend === "webgpu";
  const stopIfLost = () => {
    if (onGpu && webgpuLost() !== null) throw deviceLostError(runDir, done, latestCheckpoint(runDir));
  };
  try {
    for (let t = start; t < stopAt; t++) {
      ctx.step = t;
      params.step = t;
      params.mode = "train";
      const raw = await module.iteration(ctx);
      done = t + 1;
      await new Promise<void>((resolve) => setImmediate(resolve)); // lets a signal (and a device loss) be delivered
      const log = done % logEvery === 0 || done === stopAt || signal !== undefined;
      // Values are also read (and checked) where a checkpoint may follow: none is written from a NaN step.
      const mayCheckpoint = (checkpointEvery > 0 && done % checkpointEvery === 0) || (evalEvery > 0 && done % evalEvery === 0);
      const values = log || mayCheckpoint ? await readStepValues(raw) : releaseStepValues(raw);
      stopIfLost();
      windowSteps++;
      rate = windowSteps / Math.max((performance.now() - windowStart) / 1000, 1e-9);
      if (values !== undefined) for (const [k, v] of Object.entries(values)) if (!Number.isFinite(v)) throw lossDiverged(k, v, done);
      if (values !== undefined && log) {
        await guard(done);
        last = { ...values, ...ctx.state };
        appendFile(metricsFile, JSON.stringify({ step: done, ...values, ...ctx.state, steps_per_sec: rate }) + "\n");
        windowStart = performance.now();
        windowSteps = 0;
        options.onLog?.(done); // its time counts in the next window's steps/s
      }
      progress.update(done, rate, last, log);
      if (sampleEvery > 0 && done % sampleEvery === 0) await writeSample(done);
      // A new best evaluation gets a checkpoint of its own, which retention keeps.
      const newBest = evalEvery > 0 && done % evalEvery === 0 && module.evaluate !== undefined && (await evaluate(done));
      if (signal !== undefined) break;
      if (((checkpointEvery > 0 && done % checkpointEvery === 0) || newBest) && done !== stopAt) await checkpoint(done);
    }
    if (sampleEvery === 0 || done % sampleEvery !== 0) await writeSample(done);
    await checkpoint(done);
    if (signal !== undefined) progress.message(`interrupted by ${signal} at step ${done}; checkpoint written to ${runDir}`);
  } catch (e) {
    // After a device loss every GPU call fails in its own way: say what happened instead.
    if (onGpu && !isRuntimeUserError(e) && (await confirmDeviceLost())) throw deviceLostError(runDir, done, latestCheckpoint(runDir));
    throw e;
  } finally {
    if (options.handleSignals !== false) for (const [s, h] of handlers) process.off(s, h);
  }
  const result: TrainResult = { runDir, backend, step: done, interrupted: signal !== undefined, ...(signal ? { signal } : {}), last };
  disposeRun(module, ctx);
  return result;
}

function disposeRun(module: TrainerModule, ctx: TrainContext): void {
  module.dispose?.();
  for (const o of Object.values(ctx.optimizers)) o.dispose();
  ctx.params.dispose();
}
