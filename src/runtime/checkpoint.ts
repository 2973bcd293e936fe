/**
 * Checkpoints: `<runDir>/checkpoints/step-NNNNNN/` holding
 *   - model.json  — TensorFlow.js weights-manifest format (`weightsManifest`
 *                   pointing at weights.bin, with per-tensor specs),
 *   - weights.bin — every ParamStore variable ("params/<name>", trainable and
 *                   not) and every optimiser slot ("optimizers/<opt>/<i>"),
 *   - checkpoint.json — { step, seed, state, rng, extra, variables, optimizers, optimizerExtras }.
 * Adam's running powers beta1^t, beta2^t are saved too ("optimizers/<opt>/accBeta1"):
 * tfjs's setWeights recomputes them with pow(), which differs in the last bits from
 * the products accumulated during training, and a resumed run would drift from an
 * uninterrupted one.
 * Written atomically: files go to a temporary folder in the same parent,
 * are fsynced, and the folder is renamed into place, so a crash never leaves
 * a partial `step-*` folder.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import type { ParamStore } from "./nn/params.js";

/** What a checkpoint records besides tensors. */
export interface CheckpointMeta {
  /** The number of completed steps (training resumes at this step). */
  step: number;
  seed: number;
  /** Named state values of the spec (schedules, counters, EMA stats...), JSON-serialisable. */
  state: Record<string, unknown>;
  /** Anything else the caller wants back on resume. */
  extra?: Record<string, unknown>;
}

interface CheckpointFile extends CheckpointMeta {
  format: "ganc-checkpoint/1";
  rng: { algorithm: string; note: string };
  variables: { name: string; shape: number[]; trainable: boolean }[];
  optimizers: Record<string, string[]>;
  /** Optimiser variables that getWeights() leaves out (Adam's accBeta1/accBeta2), by optimiser. */
  optimizerExtras?: Record<string, string[]>;
}

/** Internal optimiser variables restored after setWeights() (which only approximates them). */
const OPTIMIZER_EXTRAS = ["accBeta1", "accBeta2"] as const;

function optimizerExtras(opt: tf.Optimizer): [string, tf.Variable][] {
  const o = opt as unknown as Record<string, unknown>;
  return OPTIMIZER_EXTRAS.flatMap((k) => (o[k] instanceof tf.Variable ? [[k, o[k]] as [string, tf.Variable]] : []));
}

export interface SaveOptions {
  /** Test hook: called after the files are written and before the rename (throw to simulate a crash). */
  beforeRename?: () => void;
}

const STEP_DIR = /^step-(\d+)$/;

export function checkpointDir(runDir: string, step: number): string {
  return path.join(runDir, "checkpoints", `step-${String(step).padStart(6, "0")}`);
}

function writeFileSynced(file: string, data: Uint8Array | string): void {
  const fd = openSync(file, "w");
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems do not allow fsync on directories; the rename is still atomic.
  }
}

/** Saves a checkpoint for `meta.step` and returns its folder. */
export async function saveCheckpoint(
  runDir: string,
  store: ParamStore,
  optimizers: Record<string, tf.Optimizer>,
  meta: CheckpointMeta,
  options: SaveOptions = {},
): Promise<string> {
  const parent = path.join(runDir, "checkpoints");
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) {
    if (name.startsWith(".tmp-")) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const finalDir = checkpointDir(runDir, meta.step);
  const tmp = path.join(parent, `.tmp-${path.basename(finalDir)}-${process.pid}`);
  mkdirSync(tmp);
  try {
    const named: { name: string; tensor: tf.Tensor }[] = store.entries().map((e) => ({ name: `params/${e.name}`, tensor: e.variable }));
    const optimizerSlots: Record<string, string[]> = {};
    const extras: Record<string, string[]> = {};
    const temporaries: tf.Tensor[] = [];
    for (const [optName, opt] of Object.entries(optimizers)) {
      const weights = await opt.getWeights();
      optimizerSlots[optName] = weights.map((w) => w.name);
      weights.forEach((w, i) => named.push({ name: `optimizers/${optName}/${i}`, tensor: w.tensor }));
      const own = optimizerExtras(opt);
      if (own.length) extras[optName] = own.map(([k]) => k);
      for (const [k, v] of own) named.push({ name: `optimizers/${optName}/${k}`, tensor: v });
      // getWeights() makes a fresh scalar for the iteration count; the slots are the optimiser's own variables.
      temporaries.push(...weights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
    }
    const encoded = await tf.io.encodeWeights(named);
    tf.dispose(temporaries);
    const { data, specs } = encoded;
    writeFileSynced(path.join(tmp, "weights.bin"), new Uint8Array(data));
    const modelJson = {
      format: "ganc-checkpoint",
      generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
      convertedBy: null,
      modelTopology: null,
      weightsManifest: [{ paths: ["weights.bin"], weights: specs }],
    };
    writeFileSynced(path.join(tmp, "model.json"), JSON.stringify(modelJson));
    const file: CheckpointFile = {
      format: "ganc-checkpoint/1",
      step: meta.step,
      seed: meta.seed,
      state: meta.state,
      ...(meta.extra !== undefined ? { extra: meta.extra } : {}),
      rng: {
        algorithm: "sfc32 seeded by murmur3-style hash of (seed, step, stream)",
        note: "stateless: every draw is derived from (seed, step, stream), so nothing else needs restoring",
      },
      variables: store.entries().map((e) => ({ name: e.name, shape: e.variable.shape, trainable: e.trainable })),
      optimizers: optimizerSlots,
      ...(Object.keys(extras).length ? { optimizerExtras: extras } : {}),
    };
    writeFileSynced(path.join(tmp, "checkpoint.json"), JSON.stringify(file, null, 2) + "\n");
    fsyncDir(tmp);
    options.beforeRename?.();
    if (existsSync(finalDir)) {
      const old = `${tmp}-old`;
      renameSync(finalDir, old);
      renameSync(tmp, finalDir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, finalDir);
    }
    fsyncDir(parent);
    return finalDir;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** The folder of the highest-step complete checkpoint in `runDir`, or null. */
export function latestCheckpoint(runDir: string): string | null {
  const parent = path.join(runDir, "checkpoints");
  if (!existsSync(parent)) return null;
  let best: { step: number; dir: string } | null = null;
  for (const name of readdirSync(parent)) {
    const m = STEP_DIR.exec(name);
    if (m === null) continue;
    const dir = path.join(parent, name);
    if (!existsSync(path.join(dir, "checkpoint.json")) || !existsSync(path.join(dir, "weights.bin"))) continue;
    const step = Number(m[1]);
    if (best === null || step > best.step) best = { step, dir };
  }
  return best?.dir ?? null;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new RuntimeUserError(`cannot read checkpoint file ${file}: ${(e as Error).message}`);
  }
}

/**
 * Loads a checkpoint into `store` (every variable must match by name and
 * shape) and `optimizers` (by name), and returns its metadata.
 */
export async function loadCheckpoint(
  dir: string,
  store: ParamStore,
  optimizers: Record<string, tf.Optimizer>,
): Promise<CheckpointMeta> {
  const meta = readJson<CheckpointFile>(path.join(dir, "checkpoint.json"));
  const model = readJson<{ weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] }>(path.join(dir, "model.json"));
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, "weights.bin"));
  } catch (e) {
    throw new RuntimeUserError(`cannot read checkpoint weights ${path.join(dir, "weights.bin")}: ${(e as Error).message}`);
  }
  const specs = model.weightsManifest.flatMap((g) => g.weights);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const tensors = tf.io.decodeWeights(buffer, specs);
  try {
    const inStore = new Set(store.entries().map((e) => e.name));
    for (const v of meta.variables) {
      if (!inStore.has(v.name)) {
        throw new RuntimeUserError(`checkpoint ${dir} has a variable "${v.name}" that this model does not define (was it written by another spec?)`);
      }
    }
    for (const e of store.entries()) {
      const t = tensors[`params/${e.name}`];
      if (t === undefined) throw new RuntimeUserError(`checkpoint ${dir} has no variable "${e.name}" (was it written by another spec?)`);
      if (!tf.util.arraysEqual(t.shape, e.variable.shape)) {
        throw new RuntimeUserError(
          `checkpoint ${dir}: variable "${e.name}" has shape [${t.shape.join(", ")}], the model expects [${e.variable.shape.join(", ")}]`,
        );
      }
      e.variable.assign(t);
    }
    for (const [optName, opt] of Object.entries(optimizers)) {
      const slots = meta.optimizers[optName];
      if (slots === undefined) throw new RuntimeUserError(`checkpoint ${dir} has no state for optimiser "${optName}"`);
      const weights = slots.map((name, i) => {
        const tensor = tensors[`optimizers/${optName}/${i}`];
        if (tensor === undefined) throw new RuntimeUserError(`checkpoint ${dir} is missing slot ${i} of optimiser "${optName}"`);
        return { name, tensor };
      });
      await opt.setWeights(weights);
      const saved = new Set(meta.optimizerExtras?.[optName] ?? []);
      for (const [k, v] of optimizerExtras(opt)) {
        const t = tensors[`optimizers/${optName}/${k}`];
        if (saved.has(k) && t !== undefined) v.assign(t);
      }
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { step: meta.step, seed: meta.seed, state: meta.state, ...(meta.extra !== undefined ? { extra: meta.extra } : {}) };
}
