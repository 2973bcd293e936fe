/**
 * The checkpoint format and its validation on load. A checkpoint folder is trusted only after
 *   - checkpoint.json parses to the schema below (step and seed non-negative integers, state
 *     values finite numbers, strings or booleans, the variable and optimiser lists well formed),
 *   - model.json is a weights manifest of float32/int32 tensors, all in weights.bin,
 *   - weights.bin is a regular file of exactly the bytes the manifest describes, whose SHA-256
 *     equals the one checkpoint.json recorded when it was written, with only finite values,
 *   - and (checkFitsModel) its variables match the model being restored by name and shape, and it
 *     holds the state of every optimiser the model has.
 * Every failure is an InvalidCheckpointError naming the file and the reason; nothing is assigned
 * to the model before all of this holds.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import { FileReadError, readRegularFile } from "./files.js";
import type { ParamStore } from "./nn/params.js";

/** What a checkpoint records besides tensors. */
export interface CheckpointMeta {
  /** The number of completed steps (training resumes at this step). */
  step: number;
  seed: number;
  /** Named state values of the spec (schedules, counters, EMA stats...): finite numbers, strings or booleans. */
  state: Record<string, unknown>;
  /** Anything else the caller wants back on resume. */
  extra?: Record<string, unknown>;
}

/** checkpoint.json. Format 1 (before checksums) is still read; it has no `weights`. */
export interface CheckpointFile extends CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT | "ganc-checkpoint/1";
  rng: { algorithm: string; note: string };
  variables: { name: string; shape: number[]; trainable: boolean }[];
  optimizers: Record<string, string[]>;
  /** Optimiser variables that getWeights() leaves out (Adam's accBeta1/accBeta2), by optimiser. */
  optimizerExtras?: Record<string, string[]>;
  /** weights.bin as written: its length and SHA-256 (hex). */
  weights?: { file: string; bytes: number; sha256: string };
}

export const CHECKPOINT_FORMAT = "ganc-checkpoint/2";
export const WEIGHTS_FILE = "weights.bin";

/** A checkpoint that cannot be used, with the file at fault and why. */
export class InvalidCheckpointError extends RuntimeUserError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`checkpoint ${file}: ${reason}`);
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A checkpoint folder read and checked on its own (not yet against a model). */
export interface ReadCheckpoint {
  dir: string;
  file: CheckpointFile;
  specs: tf.io.WeightsManifestEntry[];
  /** The bytes of weights.bin. */
  buffer: ArrayBuffer;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4 };

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: Json): string => (v === undefined ? "nothing" : JSON.stringify(v).slice(0, 60));
const isCount = (v: Json): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isShape = (v: Json): v is number[] => Array.isArray(v) && v.every(isCount);
const isNames = (v: Json): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** The bytes of a file of the checkpoint; a missing or non-regular file makes the checkpoint invalid. */
function readBytes(file: string): Buffer {
  try {
    return readRegularFile(file);
  } catch (e) {
    if (e instanceof FileReadError) throw new InvalidCheckpointError(file, e.reason);
    throw e;
  }
}

function readJson(file: string): Json {
  const text = readBytes(file).toString("utf8");
  if (text.trim() === "") throw new InvalidCheckpointError(file, "the file is empty");
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new InvalidCheckpointError(file, `not valid JSON (${(e as Error).message})`);
  }
}

/** checkpoint.json against the schema. */
function checkFile(file: string, v: Json): CheckpointFile {
  const bad = (reason: string) => new InvalidCheckpointError(file, reason);
  if (!isObject(v)) throw bad(`expected a JSON object, found ${show(v)}`);
  if (v.format !== CHECKPOINT_FORMAT && v.format !== "ganc-checkpoint/1") throw bad(`"format" must be "${CHECKPOINT_FORMAT}", found ${show(v.format)}`);
  for (const k of ["step", "seed"]) if (!isCount(v[k])) throw bad(`"${k}" must be a non-negative integer, found ${show(v[k])}`);
  if (!isObject(v.state)) throw bad(`"state" must be an object, found ${show(v.state)}`);
  for (const [k, s] of Object.entries(v.state)) {
    const ok = typeof s === "string" || typeof s === "boolean" || (typeof s === "number" && Number.isFinite(s));
    if (!ok) throw bad(`state value "${k}" must be a finite number, a string or a boolean, found ${show(s)}${s === null ? " (NaN or Infinity when it was saved?)" : ""}`);
  }
  if (v.extra !== undefined && !isObject(v.extra)) throw bad(`"extra" must be an object, found ${show(v.extra)}`);
  const vars = v.variables;
  if (!Array.isArray(vars) || !vars.every((x) => isObject(x) && typeof x.name === "string" && isShape(x.shape) && typeof x.trainable === "boolean")) {
    throw bad(`"variables" must be a list of { name, shape, trainable }, found ${show(vars)}`);
  }
  if (!isObject(v.optimizers) || !Object.values(v.optimizers).every(isNames)) throw bad(`"optimizers" must map each optimiser to its slot names, found ${show(v.optimizers)}`);
  if (v.optimizerExtras !== undefined && (!isObject(v.optimizerExtras) || !Object.values(v.optimizerExtras).every(isNames))) {
    throw bad(`"optimizerExtras" must map optimisers to variable names, found ${show(v.optimizerExtras)}`);
  }
  if (v.format === CHECKPOINT_FORMAT) {
    const w = v.weights;
    if (!isObject(w) || w.file !== WEIGHTS_FILE || !isCount(w.bytes) || typeof w.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(w.sha256)) {
      throw bad(`"weights" must record { file: "${WEIGHTS_FILE}", bytes, sha256 }, found ${show(w)}`);
    }
  }
  return v as unknown as CheckpointFile;
}

/** model.json: the weights manifest, every tensor float32 or int32, unquantised, in weights.bin. */
function checkManifest(file: string, v: Json): tf.io.WeightsManifestEntry[] {
  const bad = (reason: string) => new InvalidCheckpointError(file, reason);
  if (!isObject(v) || !Array.isArray(v.weightsManifest)) throw bad(`expected an object with a "weightsManifest" list, found ${show(v)}`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const names = new Set<string>();
  for (const group of v.weightsManifest as Json[]) {
    if (!isObject(group) || !isNames(group.paths) || !Array.isArray(group.weights)) throw bad(`each weightsManifest entry needs "paths" and "weights", found ${show(group)}`);
    if (group.paths.length !== 1 || group.paths[0] !== WEIGHTS_FILE) throw bad(`the weights must all be in ${WEIGHTS_FILE}, found paths ${show(group.paths)}`);
    for (const w of group.weights as Json[]) {
      if (!isObject(w) || typeof w.name !== "string" || !isShape(w.shape)) throw bad(`each weight needs a name and a shape, found ${show(w)}`);
      if (w.quantization !== undefined) throw bad(`"${w.name}" is quantised; ganc writes and reads only float32 and int32`);
      if (typeof w.dtype !== "string" || !(w.dtype in DTYPE_BYTES)) throw bad(`"${w.name}" has dtype ${show(w.dtype)}; ganc writes and reads only float32 and int32`);
      if (names.has(w.name)) throw bad(`"${w.name}" is listed twice`);
      names.add(w.name);
      specs.push(w as unknown as tf.io.WeightsManifestEntry);
    }
  }
  return specs;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** weights.bin against the manifest (length), the checksum, and its float32 values (finite). */
function checkWeights(file: string, bytes: Buffer, specs: tf.io.WeightsManifestEntry[], meta: CheckpointFile): ArrayBuffer {
  const bad = (reason: string) => new InvalidCheckpointError(file, reason);
  const expected = specs.reduce((n, s) => n + sizeOf(s.shape) * DTYPE_BYTES[s.dtype]!, 0);
  if (bytes.length !== expected) {
    const hint = bytes.length === 0 ? "the file is empty" : bytes.length < expected ? "the file is truncated, or holds smaller numbers (float16?)" : "the file has extra bytes";
    throw bad(`it has ${bytes.length} bytes, but model.json describes ${expected} (${hint})`);
  }
  if (meta.weights !== undefined && sha256(bytes) !== meta.weights.sha256) {
    throw bad("its bytes do not match the SHA-256 checksum recorded in checkpoint.json when it was written (the file was changed or damaged since)");
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let offset = 0;
  for (const s of specs) {
    const n = sizeOf(s.shape);
    if (s.dtype === "float32") {
      const values = new Float32Array(buffer, offset, n);
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(values[i]!)) throw bad(`"${s.name}" holds ${values[i]}: the run had diverged when this checkpoint was written`);
      }
    }
    offset += n * DTYPE_BYTES[s.dtype]!;
  }
  return buffer;
}

/** checkpoint.json's variable and optimiser lists against the tensors of the manifest. */
function checkListed(dir: string, meta: CheckpointFile, specs: tf.io.WeightsManifestEntry[]): void {
  const file = path.join(dir, "checkpoint.json");
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const v of meta.variables) {
    const s = byName.get(`params/${v.name}`);
    if (s === undefined) throw new InvalidCheckpointError(file, `variable "${v.name}" is not in model.json`);
    if (s.shape.join() !== v.shape.join()) throw new InvalidCheckpointError(file, `variable "${v.name}" is [${v.shape.join(", ")}] here and [${s.shape.join(", ")}] in model.json`);
  }
  for (const [opt, slots] of Object.entries(meta.optimizers)) {
    const extras = meta.optimizerExtras?.[opt] ?? [];
    const names = [...slots.map((_, i) => String(i)), ...extras];
    const missing = names.find((k) => !byName.has(`optimizers/${opt}/${k}`));
    if (missing !== undefined) throw new InvalidCheckpointError(path.join(dir, "model.json"), `the state of optimiser "${opt}" is incomplete: "optimizers/${opt}/${missing}" is missing`);
  }
}

/** Reads and validates the checkpoint in `dir` on its own. */
export function readCheckpoint(dir: string): ReadCheckpoint {
  const metaFile = path.join(dir, "checkpoint.json");
  const modelFile = path.join(dir, "model.json");
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  const file = checkFile(metaFile, readJson(metaFile));
  const specs = checkManifest(modelFile, readJson(modelFile));
  checkListed(dir, file, specs);
  const buffer = checkWeights(weightsFile, readBytes(weightsFile), specs, file);
  return { dir, file, specs, buffer };
}

/**
 * A validated checkpoint against the model it is restored into: the same variables by name and
 * shape, and the state of every optimiser in `optimizers` (none is needed when it is empty, as
 * for sampling).
 */
export function checkFitsModel(c: ReadCheckpoint, store: ParamStore, optimizers: Record<string, tf.Optimizer>): void {
  const file = path.join(c.dir, "checkpoint.json");
  const saved = new Map(c.file.variables.map((v) => [v.name, v]));
  const inStore = new Set(store.entries().map((e) => e.name));
  const foreign = c.file.variables.find((v) => !inStore.has(v.name));
  if (foreign) throw new InvalidCheckpointError(file, `it has a variable "${foreign.name}" that this model does not define (was it written by another spec?)`);
  for (const e of store.entries()) {
    const v = saved.get(e.name);
    if (v === undefined) throw new InvalidCheckpointError(file, `it has no variable "${e.name}" (was it written by another spec?)`);
    if (v.shape.join() !== e.variable.shape.join()) {
      throw new InvalidCheckpointError(file, `variable "${e.name}" has shape [${v.shape.join(", ")}], the model expects [${e.variable.shape.join(", ")}]`);
    }
  }
  for (const name of Object.keys(optimizers)) {
    if (c.file.optimizers[name] === undefined) throw new InvalidCheckpointError(file, `it has no state for optimiser "${name}"`);
  }
}
