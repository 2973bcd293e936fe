/**
 * The divergence guard: a run whose numbers stop being finite stops, saying what and when,
 * instead of training on (and checkpointing) NaN. Losses are checked where they are read;
 * weights and optimiser state, which can overflow while the logged losses still look fine
 * (an enormous learning rate), are checked at log and checkpoint steps by one fused reduction
 * per variable set (a network's weights, an optimiser's state), the flags read back at once.
 * Steps are counted from 1, like progress lines, metrics and checkpoint names.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import type { ParamStore } from "./nn/params.js";

const HINT = "try a lower learning rate";

/** The error for a logged value that is not finite after `step` steps. */
export function lossDiverged(name: string, value: number, step: number): RuntimeUserError {
  return new RuntimeUserError(`training diverged at step ${step}: "${name}" became ${value} (${HINT}); no checkpoint is written for it`);
}

interface Checked {
  /** "the weights of network G", "the state of optimiser G". */
  what: string;
  name: string;
  tensor: tf.Tensor;
}

/**
 * Throws a RuntimeUserError naming the first variable (network weights, batchnorm statistics
 * or optimiser slot) that holds NaN or Infinity after `step` steps.
 */
export async function checkFiniteState(store: ParamStore, optimizers: Record<string, tf.Optimizer>, step: number): Promise<void> {
  const checked: Checked[] = store.entries().map((e) => ({ what: `the weights of network ${e.name.split("/")[0]}`, name: e.name, tensor: e.variable }));
  // Optimiser slots are named after tfjs's variable names ("<name>#store2/m" when a name was taken): say the store's.
  const byTfName = new Map(store.entries().map((e) => [e.variable.name, e.name]));
  const slotName = (n: string) => {
    const cut = n.lastIndexOf("/");
    return byTfName.has(n.slice(0, cut)) ? `${byTfName.get(n.slice(0, cut))}${n.slice(cut)}` : n;
  };
  const temporaries: tf.Tensor[] = [];
  for (const [name, opt] of Object.entries(optimizers)) {
    for (const w of await opt.getWeights()) {
      checked.push({ what: `the state of optimiser ${name}`, name: slotName(w.name), tensor: w.tensor });
      if (!(w.tensor instanceof tf.Variable)) temporaries.push(w.tensor); // the iteration count getWeights() makes
    }
  }
  try {
    // One reduction per set (a network's weights, an optimiser's state) over its float values, read back once.
    const sets = [...new Set(checked.map((c) => c.what))].map((what) => checked.filter((c) => c.what === what && c.tensor.dtype === "float32"));
    const flags = tf.tidy(() => tf.stack(sets.map((set) => (set.length ? tf.all(tf.isFinite(tf.concat(set.map((c) => tf.reshape(c.tensor, [-1]))))) : tf.scalar(true, "bool")))));
    const ok = await flags.data();
    flags.dispose();
    const badSet = sets.find((_, i) => !ok[i]);
    if (badSet === undefined) return;
    for (const c of badSet) {
      const value = ((await c.tensor.data()) as Float32Array).find((v) => !Number.isFinite(v));
      if (value === undefined) continue;
      throw new RuntimeUserError(`training diverged at step ${step}: ${c.what} became non-finite ("${c.name}" holds ${value}) (${HINT}); no checkpoint is written for it`);
    }
  } finally {
    tf.dispose(temporaries);
  }
}
