/** A tiny hand-written TrainerModule (2-D toy GAN with dense layers) for the harness tests. */
import * as tf from "@tensorflow/tfjs";
import { ring } from "../../src/runtime/data/toy2d.js";
import * as nn from "../../src/runtime/nn/index.js";
import { leakyRelu } from "../../src/runtime/ops.js";
import { normal } from "../../src/runtime/rng.js";
import type { TrainContext, TrainerModule } from "../../src/runtime/train.js";

export interface ToyProbe {
  /** tf.memory().numTensors at the start of each step. */
  tensorsAtStep: Map<number, number>;
}

export function toyGan(probe?: ToyProbe): TrainerModule {
  const data = ring(8, 2, 0.02);
  let G: (z: tf.Tensor) => tf.Tensor = () => {
    throw new Error("init not called");
  };
  let D: (x: tf.Tensor) => tf.Tensor = G;
  const batch = 16;
  return {
    name: "toy-gan",
    init(ctx: TrainContext) {
      const p = ctx.params;
      const g1 = nn.dense(p, "G/fc1", { inFeatures: 4, units: 16 });
      const g2 = nn.dense(p, "G/fc2", { inFeatures: 16, units: 2 });
      const d1 = nn.dense(p, "D/fc1", { inFeatures: 2, units: 16 });
      const bn = nn.batchnorm(p, "D/bn", { channels: 16 });
      const d2 = nn.dense(p, "D/fc2", { inFeatures: 16, units: 1 });
      G = (z) => g2.apply(tf.relu(g1.apply(z)));
      D = (x) => d2.apply(leakyRelu(bn.apply(d1.apply(x))));
      ctx.optimizers.G = tf.train.adam(2e-3, 0.5, 0.9);
      ctx.optimizers.D = tf.train.adam(2e-3, 0.5, 0.9);
      ctx.state.ema_loss_D = 0;
    },
    iteration(ctx: TrainContext) {
      probe?.tensorsAtStep.set(ctx.step, tf.memory().numTensors);
      const real = data.sample(batch, ctx.seed, ctx.step, "data");
      const zD = normal([batch, 4], ctx.seed, ctx.step, "z/D");
      const zG = normal([batch, 4], ctx.seed, ctx.step, "z/G");
      const lossD = ctx.optimizers.D!.minimize(
        () => tf.add(tf.mean(tf.softplus(tf.neg(D(real)))), tf.mean(tf.softplus(D(G(zD))))) as tf.Scalar,
        true,
        ctx.params.trainable("D/"),
      )!;
      const lossG = ctx.optimizers.G!.minimize(() => tf.mean(tf.softplus(tf.neg(D(G(zG))))) as tf.Scalar, true, ctx.params.trainable("G/"))!;
      tf.dispose([real, zD, zG]);
      ctx.state.ema_loss_D = 0.9 * ctx.state.ema_loss_D! + 0.1 * lossD.dataSync()[0]!;
      return { loss_D: lossD, loss_G: lossG };
    },
    sample(ctx: TrainContext) {
      return tf.tidy(() => {
        const z = normal([64, 4], ctx.seed, 0, "sample");
        return { kind: "points" as const, fake: G(z), real: data.sample(64, ctx.seed, 0, "sample/real"), centers: data.centers };
      });
    },
  };
}
