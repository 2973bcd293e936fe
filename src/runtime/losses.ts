/**
 * Loss primitives used by generated code. Each reduces to a scalar mean over the
 * batch and every other axis, and is written with ops that are twice differentiable
 * (so a loss may sit inside a gradient penalty).
 */
import * as tf from "@tensorflow/tfjs";
import { softplus } from "./ops.js";

type Target = tf.Tensor | number;

/**
 * Mean binary cross-entropy on logits: softplus(l) - l·t, the stable form of
 * -(t·log σ(l) + (1-t)·log(1-σ(l))). Smoothing as TF-GAN: t·(1-s) + s/2.
 */
export function bceLogits(logits: tf.Tensor, target: Target, smoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const t = smoothing > 0 ? tf.add(tf.mul(target, 1 - smoothing), smoothing / 2) : target;
    return tf.mean(tf.sub(softplus(logits), tf.mul(logits, t))) as tf.Scalar;
  });
}

/** Mean squared error. */
export function mse(a: tf.Tensor, b: Target): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar);
}

/** Mean absolute error. */
export function l1(a: tf.Tensor, b: Target): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}

/**
 * Mean categorical cross-entropy of logits [N, K] against integer labels [N]
 * or a distribution [N, K].
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[logits.rank - 1]!;
    const target = labels.rank === logits.rank ? labels : tf.oneHot(tf.cast(labels, "int32") as tf.Tensor1D, k).toFloat();
    const logProbs = tf.sub(logits, tf.logSumExp(logits, -1, true));
    return tf.neg(tf.mean(tf.sum(tf.mul(target, logProbs), -1))) as tf.Scalar;
  });
}

/** Mean over the batch of KL(N(mu, e^logvar) || N(0, I)), summed over features. */
export function klNormal(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const perFeature = tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar)));
    const axes = [...Array(mu.rank).keys()].slice(1);
    return tf.mean(tf.sum(perFeature, axes)) as tf.Scalar;
  });
}

/**
 * EBGAN's pulling-away term: the mean squared cosine similarity between
 * different samples' representations, 1/(N(N-1)) Σ_{i≠j} cos(S_i, S_j)².
 */
export function pullingAway(s: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = s.shape[0]!;
    const flat = tf.reshape(s, [n, -1]);
    const unit = tf.div(flat, tf.sqrt(tf.add(tf.sum(tf.square(flat), 1, true), 1e-12)));
    const cos = tf.matMul(unit, unit, false, true);
    const offDiagonal = tf.sub(tf.sum(tf.square(cos)), tf.sum(tf.square(tf.sum(tf.mul(unit, unit), 1))));
    return tf.div(offDiagonal, n * (n - 1)) as tf.Scalar;
  });
}
