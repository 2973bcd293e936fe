/**
 * Virtual batch normalisation (Salimans et al. 2016, "Improved techniques for training GANs",
 * §3.4), as TF-GAN's `VBN` computes it.
 *
 * A network with VBN layers keeps a *reference batch* of R inputs, chosen once: the first batch
 * the network is applied to (in dcgan_vbn.gan, the first real batch for D and the first latent
 * batch for G), stored as non-trainable variables `<net>/vbn_reference/<input>` (saved in
 * checkpoints, so a resumed run keeps it) with the flag `<net>/vbn_reference/ready`. On every
 * call the network prepends the reference rows to its inputs (`VbnReference.prepend`), runs
 * both through the same layers with the current weights, and drops them from its outputs and
 * taps (`VbnReference.strip`): the reference statistics follow the weights, and gradients flow
 * through them, at the price of a second forward pass.
 *
 * A VBN layer (`virtualBatchnorm`) receives [R + N, ..., C] (reference rows first) and, per
 * channel (last axis), with the axes of "statistics" being every axis but the last:
 * - reference rows: normalised with the reference batch's own mean μ_r and mean square ν_r over
 *   its rows and spatial axes;
 * - each current example i: normalised with the virtual-batch statistics of the reference batch
 *   plus that example alone: μ_i = (R·μ_r + m_i)/(R + 1), ν_i = (R·ν_r + s_i)/(R + 1) where m_i, s_i
 *   are the example's mean and mean square over its spatial axes (the example itself for a
 *   vector); σ²_i = max(ν_i − μ_i², 0).
 * Then y = γ·(x − μ)/sqrt(σ² + ε) + β with `<name>/gamma`, `<name>/beta` learned per channel.
 * An example's output therefore depends on the fixed reference batch and itself only, never on
 * the other examples of its batch. Written with elementary ops, so it is twice differentiable.
 *
 * Layers that mix examples (batchnorm, minibatch_disc) in a network with VBN also see the
 * reference rows. A network applied inside another (`Enc` in `D { Enc Dec }`) keeps its own
 * reference batch.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import type { ParamStore } from "./params.js";
import { checkInput } from "./check.js";

export interface VirtualBatchNormOptions {
  channels: number;
  /** Default 1e-5. */
  epsilon?: number;
}

export interface VirtualBatchNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
  /** `x`: [refRows + N, ..., channels], the reference rows first. */
  apply(x: tf.Tensor, refRows: number): tf.Tensor;
}

export function virtualBatchnorm(store: ParamStore, name: string, o: VirtualBatchNormOptions): VirtualBatchNorm {
  const gamma = store.variable(`${name}/gamma`, [o.channels], "ones");
  const beta = store.variable(`${name}/beta`, [o.channels], "zeros");
  const eps = o.epsilon ?? 1e-5;
  return {
    gamma,
    beta,
    apply(x: tf.Tensor, refRows: number): tf.Tensor {
      checkInput(name, "channels", x.shape[x.rank - 1], o.channels);
      const total = x.shape[0]!;
      if (!(refRows >= 1 && refRows < total)) throw new RuntimeUserError(`layer ${name} expects ${refRows} reference rows before the batch, but received ${total} rows`);
      return tf.tidy(() => {
        const ref = tf.slice(x, 0, refRows);
        const cur = tf.slice(x, refRows);
        const all = [...Array(x.rank - 1).keys()]; // every axis but the channels
        const spatial = all.slice(1);
        const refMean = tf.mean(ref, all);
        const refMeanSq = tf.mean(tf.square(ref), all);
        const normalise = (v: tf.Tensor, mean: tf.Tensor, meanSq: tf.Tensor) => {
          const variance = tf.relu(tf.sub(meanSq, tf.square(mean)));
          return tf.mul(tf.sub(v, mean), tf.rsqrt(tf.add(variance, eps)));
        };
        const ownMean = spatial.length ? tf.mean(cur, spatial, true) : cur;
        const ownMeanSq = spatial.length ? tf.mean(tf.square(cur), spatial, true) : tf.square(cur);
        const w = 1 / (refRows + 1);
        const mean = tf.add(tf.mul(refMean, 1 - w), tf.mul(ownMean, w));
        const meanSq = tf.add(tf.mul(refMeanSq, 1 - w), tf.mul(ownMeanSq, w));
        const y = tf.concat([normalise(ref, refMean, refMeanSq), normalise(cur, mean, meanSq)], 0);
        return tf.add(tf.mul(y, gamma), beta);
      });
    },
  };
}

export interface VbnReferenceOptions {
  /** Rows of the reference batch (the run's batch size). */
  rows: number;
  /** Per-sample shape of each network input, in order ([] for a label). */
  inputs: { name: string; shape: number[] }[];
}

export interface VbnReference {
  readonly rows: number;
  /**
   * The inputs with the reference rows in front. The first call (of a fresh run) stores its
   * inputs as the reference batch: the first `rows` of them, cycled when the batch is smaller.
   */
  prepend(inputs: tf.Tensor[]): tf.Tensor[];
  /** A network output or tap without the reference rows. */
  strip(x: tf.Tensor): tf.Tensor;
}

/** The reference batch of network `net` (variables `<net>/vbn_reference/...`). */
export function vbnReference(store: ParamStore, net: string, o: VbnReferenceOptions): VbnReference {
  const prefix = `${net}/vbn_reference`;
  const refs = o.inputs.map((i) => store.variable(`${prefix}/${i.name}`, [o.rows, ...i.shape], "zeros", { trainable: false }));
  const ready = store.variable(`${prefix}/ready`, [], "zeros", { trainable: false });
  let known = false; // true once this process has chosen or loaded the reference (a checkpoint is restored before the first call)
  return {
    rows: o.rows,
    prepend(inputs: tf.Tensor[]): tf.Tensor[] {
      if (inputs.length !== refs.length) throw new RuntimeUserError(`network ${net} expects ${refs.length} inputs, received ${inputs.length}`);
      if (!known) {
        // Keep a restored reference (ready = 1), else take these inputs: chosen on the device, so
        // the first call does not wait for the GPU to say whether a checkpoint set `ready`.
        tf.tidy(() => {
          const keep = tf.greater(ready, 0.5);
          inputs.forEach((x, k) => {
            const n = x.shape[0]!;
            const rows = tf.tensor1d(Array.from({ length: o.rows }, (_, i) => i % n), "int32");
            refs[k]!.assign(tf.where(keep, refs[k]!, tf.cast(tf.gather(x, rows), "float32")));
          });
          ready.assign(tf.onesLike(ready));
        });
      }
      known = true;
      return inputs.map((x, k) => tf.concat([x.dtype === "float32" ? refs[k]! : tf.cast(refs[k]!, x.dtype), x], 0));
    },
    strip(x: tf.Tensor): tf.Tensor {
      return tf.slice(x, o.rows);
    },
  };
}
