/**
 * ParamStore: owns every tf.Variable of a model under a readable name
 * ("G/conv1/kernel"), trainable or not (batchnorm moving statistics, spectral
 * norm `u`), each initialised deterministically from (seed, variable name).
 * It also carries the current step and train/eval mode that layers read
 * (dropout masks, batchnorm statistics, noise inputs).
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import { prngFor } from "../rng.js";

/**
 * How a variable starts:
 * - "glorot": Glorot/Xavier uniform, limit sqrt(6 / (fanIn + fanOut))
 * - "dcgan": Normal(0, 0.02) (Radford et al.)
 * - "he": Normal(0, sqrt(2 / fanIn))
 * - "zeros", "ones"
 * - { normal: std } or { constant: value }
 */
export type Init = "glorot" | "dcgan" | "he" | "zeros" | "ones" | { normal: number } | { constant: number };

export interface VariableOptions {
  /** Default true. Non-trainable variables are saved in checkpoints but not optimised. */
  trainable?: boolean;
  /** Fan-in / fan-out for "glorot" and "he"; derived from the shape when omitted. */
  fans?: [number, number];
}

export interface ParamStoreOptions {
  /** The init used for layer kernels when a layer does not say; default "glorot". */
  kernelInit?: Init;
}

export interface StoredVariable {
  name: string;
  variable: tf.Variable;
  trainable: boolean;
}

let storeCounter = 0;

export class ParamStore {
  readonly seed: number;
  readonly kernelInit: Init;
  /** "train" (batch statistics, dropout on, power iterations) or "eval". */
  mode: "train" | "eval" = "train";
  /** The current training step; layers derive their random draws from it. */
  private currentStep = 0;
  private readonly vars = new Map<string, StoredVariable>();
  private readonly drawCounts = new Map<string, number>();
  private readonly id = ++storeCounter;

  constructor(seed: number, options: ParamStoreOptions = {}) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RuntimeUserError(`seed must be a non-negative integer, got ${seed}`);
    this.seed = seed;
    this.kernelInit = options.kernelInit ?? "glorot";
  }

  get step(): number {
    return this.currentStep;
  }

  /** Sets the step; per-step draw counters restart so each step's draws depend only on (seed, step). */
  set step(step: number) {
    this.currentStep = step;
    this.drawCounts.clear();
  }

  get training(): boolean {
    return this.mode === "train";
  }

  /**
   * A stream name for a random draw of layer `name` in the current step; the
   * k-th call for the same name in a step gets suffix #k, so applying a layer
   * twice in a step (real and fake batch) gives two different draws.
   */
  drawStream(name: string): string {
    const k = this.drawCounts.get(name) ?? 0;
    this.drawCounts.set(name, k + 1);
    return `${name}#${k}`;
  }

  /** Creates the variable `name` (or returns it if it exists with the same shape). */
  variable(name: string, shape: number[], init: Init, options: VariableOptions = {}): tf.Variable {
    const trainable = options.trainable ?? true;
    const existing = this.vars.get(name);
    if (existing !== undefined) {
      if (!tf.util.arraysEqual(existing.variable.shape, shape) || existing.trainable !== trainable) {
        throw new RuntimeUserError(
          `parameter "${name}" is declared twice with different shapes: [${existing.variable.shape.join(", ")}] and [${shape.join(", ")}]`,
        );
      }
      return existing.variable;
    }
    const values = initialValues(this.seed, name, shape, init, options.fans);
    const tfName = name in tf.engine().registeredVariables ? `${name}#store${this.id}` : name;
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"), trainable, tfName, "float32"));
    this.vars.set(name, { name, variable, trainable });
    return variable;
  }

  /** The variable `name`; throws if it does not exist. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (v === undefined) throw new RuntimeUserError(`no parameter named "${name}"`);
    return v.variable;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  /** Every variable in creation order. */
  entries(): StoredVariable[] {
    return [...this.vars.values()];
  }

  /** Trainable variables whose name starts with `prefix` ("G/", "D/"), in creation order. */
  trainable(prefix = ""): tf.Variable[] {
    return this.entries()
      .filter((e) => e.trainable && e.name.startsWith(prefix))
      .map((e) => e.variable);
  }

  /** Number of trainable scalars under `prefix`. */
  countParams(prefix = ""): number {
    return this.trainable(prefix).reduce((n, v) => n + v.size, 0);
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const e of this.vars.values()) e.variable.dispose();
    this.vars.clear();
  }
}

function fansOf(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [receptive * shape[shape.length - 2]!, receptive * shape[shape.length - 1]!];
}

/** Deterministic initial values for variable `name` (draws from stream "init/<name>"). */
export function initialValues(seed: number, name: string, shape: number[], init: Init, fans?: [number, number]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const [fanIn, fanOut] = fans ?? fansOf(shape);
  const rng = prngFor(seed, 0, `init/${name}`);
  if (init === "zeros") return out;
  if (init === "ones") return out.fill(1);
  if (init === "glorot") {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) out[i] = (2 * rng.nextFloat() - 1) * limit;
    return out;
  }
  if (init === "dcgan" || init === "he" || "normal" in init) {
    const std = init === "dcgan" ? 0.02 : init === "he" ? Math.sqrt(2 / fanIn) : init.normal;
    for (let i = 0; i < size; i++) out[i] = std * rng.nextNormal();
    return out;
  }
  return out.fill(init.constant);
}
