/**
 * The small operations generated schedules are made of: gradients of a loss that also
 * report the scalars computed on the way, applying them per network, weight clipping,
 * learning-rate schedules, an exponential moving average of weights, and logging.
 */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./nn/params.js";

type Values = Record<string, tf.Tensor>;

/**
 * Gradients of `values[lossName]` (computed by `f`) with respect to `vars`. Every scalar
 * `f` returns is kept in `into` (so monitors and state updates can read it); the caller's
 * `logged` call disposes them.
 */
export function gradients(f: () => Values, lossName: string, vars: tf.Variable[], into: Values): tf.NamedTensorMap {
  const { value, grads } = tf.variableGrads(() => {
    const computed = f();
    for (const [k, v] of Object.entries(computed)) {
      if (k === lossName) continue;
      into[k]?.dispose();
      into[k] = tf.keep(v.clone());
    }
    return computed[lossName] as tf.Scalar;
  }, vars);
  into[lossName]?.dispose();
  into[lossName] = tf.keep(value);
  return grads;
}

/**
 * The gradients of several losses from one forward pass (a `together` block): `f` computes
 * all of them; `targets[i]`'s loss is differentiated with respect to its own variables. The
 * tapes nest, so each backward pass reads the forward pass recorded once (the inner one runs
 * first). Scalars go into `into` as with `gradients`.
 */
export function gradientsTogether(f: () => Values, targets: [lossName: string, vars: tf.Variable[]][], into: Values): tf.NamedTensorMap[] {
  const losses = new Set(targets.map(([name]) => name));
  const grads: tf.NamedTensorMap[] = [];
  let computed: Values = {};
  const record = (i: number): void => {
    if (i === targets.length) {
      computed = f();
      for (const [k, v] of Object.entries(computed)) {
        // The losses outlive this (innermost) forward scope: the outer tapes differentiate them.
        if (losses.has(k)) tf.keep(v);
        else {
          into[k]?.dispose();
          into[k] = tf.keep(v.clone());
        }
      }
      return;
    }
    const [lossName, vars] = targets[i]!;
    const result = tf.variableGrads(() => {
      record(i + 1);
      return computed[lossName] as tf.Scalar;
    }, vars);
    grads[i] = result.grads;
    Object.values(result.grads).forEach((g) => tf.keep(g));
    into[lossName]?.dispose();
    into[lossName] = result.value;
  };
  record(0);
  return grads;
}

/** Apply each optimiser to the gradients of its own network's variables. */
export function applyGradients(optimizers: Record<string, tf.Optimizer>, grads: tf.NamedTensorMap, vars: Record<string, tf.Variable[]>): void {
  for (const [net, opt] of Object.entries(optimizers)) {
    const mine: tf.NamedTensorMap = {};
    for (const v of vars[net] ?? []) if (grads[v.name]) mine[v.name] = grads[v.name]!;
    if (Object.keys(mine).length) opt.applyGradients(mine);
  }
  tf.dispose(grads);
}

/** WGAN's weight clipping: every weight of the network into [-bound, bound]. */
export function clipWeights(vars: tf.Variable[], bound: number): void {
  tf.tidy(() => vars.forEach((v) => v.assign(tf.clipByValue(v, -bound, bound))));
}

/** Constant until `start` (a fraction of the run), then linearly down to 0 at the last step. */
export function linearDecay(lr: number, start: number, step: number, steps: number): number {
  const from = Math.floor(start * steps);
  if (step < from) return lr;
  return lr * Math.max(0, 1 - (step - from) / Math.max(1, steps - from));
}

export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** An exponential moving average of a network's weights, kept in the store (so it is checkpointed). */
export class Ema {
  private readonly shadows: tf.Variable[];

  constructor(
    store: ParamStore,
    private readonly vars: tf.Variable[],
    readonly decay: number,
  ) {
    this.shadows = vars.map((v) => {
      const s = store.variable(`ema/${v.name}`, v.shape, "zeros", { trainable: false });
      s.assign(v);
      return s;
    });
  }

  update(): void {
    tf.tidy(() => this.shadows.forEach((s, i) => s.assign(tf.add(tf.mul(s, this.decay), tf.mul(this.vars[i]!, 1 - this.decay)))));
  }

  /** Runs `f` with the averaged weights in place of the live ones. */
  withAverage<T>(f: () => T): T {
    const live = this.vars.map((v) => tf.keep(v.clone()));
    this.vars.forEach((v, i) => v.assign(this.shadows[i]!));
    try {
      return f();
    } finally {
      this.vars.forEach((v, i) => v.assign(live[i]!));
      tf.dispose(live);
    }
  }
}

/**
 * The scalars an iteration reports: the named losses and monitors, and every state
 * variable; the kept values are released.
 */
export function logged(values: Values, names: string[], state: Record<string, tf.Variable>): Record<string, tf.Scalar> {
  const out: Record<string, tf.Scalar> = {};
  for (const n of names) if (values[n]) out[n] = values[n]!.clone() as tf.Scalar;
  for (const [k, v] of Object.entries(state)) out[k] = v.clone() as tf.Scalar;
  tf.dispose(Object.values(values));
  return out;
}
