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
 * checkpoint.json also records the length and SHA-256 of weights.bin; loading validates the
 * whole folder first (checkpoint-validate.ts) and assigns nothing unless it is sound.
 * Written atomically: files go to a temporary folder in the same parent,
 * are fsynced, and the folder is renamed into place, so a crash never leaves
 * a partial `step-*` folder.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  CHECKPOINT_FORMAT,
  InvalidCheckpointError,
  WEIGHTS_FILE,
  checkFitsModel,
  readCheckpoint,
  sha256,
  type CheckpointFile,
  type CheckpointMeta,
} from "./checkpoint-validate.js";
import { RuntimeUserError } from "./errors.js";
import { fsyncDir, writeFileSynced } from "./files.js";
import type { ParamStore } from "./nn/params.js";

export { InvalidCheckpointError, type CheckpointMeta } from "./checkpoint-validate.js";

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
    const bytes = new Uint8Array(data);
    writeFileSynced(path.join(tmp, WEIGHTS_FILE), bytes);
    const modelJson = {
      format: "ganc-checkpoint",
      generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
      convertedBy: null,
      modelTopology: null,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    };
    writeFileSynced(path.join(tmp, "model.json"), JSON.stringify(modelJson));
    const file: CheckpointFile = {
      format: CHECKPOINT_FORMAT,
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
      weights: { file: WEIGHTS_FILE, bytes: bytes.length, sha256: sha256(bytes) },
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

/** Every `step-N` folder of `runDir`, newest first (complete or not: loading validates them). */
export function listCheckpoints(runDir: string): { step: number; dir: string }[] {
  const parent = path.join(runDir, "checkpoints");
  if (!existsSync(parent)) return [];
  return readdirSync(parent)
    .flatMap((name) => {
      const m = STEP_DIR.exec(name);
      return m === null ? [] : [{ step: Number(m[1]), dir: path.join(parent, name) }];
    })
    .sort((a, b) => b.step - a.step);
}

/** The folder of the highest-step checkpoint in `runDir`, or null. */
export function latestCheckpoint(runDir: string): string | null {
  return listCheckpoints(runDir)[0]?.dir ?? null;
}

/**
 * Loads a checkpoint into `store` (every variable must match by name and
 * shape) and `optimizers` (by name), and returns its metadata. The folder is
 * validated first: an InvalidCheckpointError leaves the model untouched.
 */
export async function loadCheckpoint(
  dir: string,
  store: ParamStore,
  optimizers: Record<string, tf.Optimizer>,
): Promise<CheckpointMeta> {
  const c = readCheckpoint(dir);
  checkFitsModel(c, store, optimizers);
  const meta = c.file;
  const tensors = tf.io.decodeWeights(c.buffer, c.specs);
  try {
    for (const e of store.entries()) e.variable.assign(tensors[`params/${e.name}`]!);
    for (const [optName, opt] of Object.entries(optimizers)) {
      const weights = meta.optimizers[optName]!.map((name, i) => ({ name, tensor: tensors[`optimizers/${optName}/${i}`]! }));
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

/** A checkpoint passed over because it is invalid, and why. */
export interface SkippedCheckpoint {
  dir: string;
  reason: string;
}

/**
 * Loads the newest valid checkpoint of `runDir`: newer ones that are invalid are passed over and
 * returned in `skipped` (the caller says so). Null when the run has no checkpoint folder at all;
 * an error listing every reason when none of them is valid.
 */
export async function loadNewestCheckpoint(
  runDir: string,
  store: ParamStore,
  optimizers: Record<string, tf.Optimizer>,
): Promise<{ dir: string; meta: CheckpointMeta; skipped: SkippedCheckpoint[] } | null> {
  const all = listCheckpoints(runDir);
  if (all.length === 0) return null;
  const skipped: SkippedCheckpoint[] = [];
  for (const { dir } of all) {
    try {
      return { dir, meta: await loadCheckpoint(dir, store, optimizers), skipped };
    } catch (e) {
      if (!(e instanceof InvalidCheckpointError)) throw e;
      skipped.push({ dir, reason: e.message });
    }
  }
  throw new RuntimeUserError(`${runDir} has no valid checkpoint:\n${skipped.map((s) => `  ${s.reason}`).join("\n")}`);
}

/** What to say when `loadNewestCheckpoint` passed over invalid checkpoints to use `used` (empty when it did not). */
export function describeSkipped(skipped: SkippedCheckpoint[], used: string): string {
  if (skipped.length === 0) return "";
  const names = skipped.map((s) => path.basename(s.dir)).join(", ");
  return `${skipped.map((s) => s.reason).join("\n")}\n${names} ${skipped.length > 1 ? "are" : "is"} invalid: using ${path.basename(used)}, the newest valid checkpoint`;
}
