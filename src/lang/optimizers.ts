// Optimisers and learning-rate schedules.
import type { IrLearningRate, IrOptimizer } from "../ir/types.js";
import type { LrScheduleEntry, OptimizerEntry } from "./entry.js";
import type { ParamSpec } from "./signature.js";

const lr: ParamSpec = { name: "lr", kind: "learning_rate" };
const rate = (name: string, dflt: number): ParamSpec => ({ name, kind: "number", default: dflt, min: 0, max: 1, exclusiveMax: true });

export const OPTIMIZERS: Record<IrOptimizer["kind"], OptimizerEntry> = {
  adam: {
    doc: "Adam (Kingma & Ba)",
    params: [lr, rate("beta1", 0.9), rate("beta2", 0.999), { name: "epsilon", kind: "number", default: 1e-8, min: 0, exclusiveMin: true }],
    emit: { names: ["tf.train.adam"], create: (lr, s) => `tf.train.adam(${lr}, ${s.beta1}, ${s.beta2}, ${s.epsilon})` },
  },
  rmsprop: {
    doc: "RMSProp (WGAN's optimiser)",
    params: [lr, rate("decay", 0.9), rate("momentum", 0), { name: "epsilon", kind: "number", default: 1e-7, min: 0, exclusiveMin: true }],
    emit: { names: ["tf.train.rmsprop"], create: (lr, s) => `tf.train.rmsprop(${lr}, ${s.decay}, ${s.momentum}, ${s.epsilon})` },
  },
  sgd: {
    doc: "stochastic gradient descent, with `momentum` when it is not 0",
    params: [lr, rate("momentum", 0)],
    emit: { names: ["tf.train.sgd", "tf.train.momentum"], create: (lr, s) => (s.momentum ? `tf.train.momentum(${lr}, ${s.momentum})` : `tf.train.sgd(${lr})`) },
  },
};

/** Learning rates that change during a run (a plain number is constant). */
export const LR_SCHEDULES: Record<Exclude<IrLearningRate["kind"], "constant">, LrScheduleEntry> = {
  linear_decay: {
    doc: "`lr` until `start` of the run (a fraction of its steps), then linearly down to zero",
    params: [
      { name: "lr", kind: "number" },
      { name: "start", kind: "number", default: 0.5, min: 0, max: 1, exclusiveMax: true },
    ],
    emit: {
      names: ["rt.steps.setLearningRate", "rt.steps.linearDecay"],
      update: (optimizer, r) => `rt.steps.setLearningRate(${optimizer}, rt.steps.linearDecay(${r.value}, ${r.start}, step, run.steps));`,
    },
  },
};
