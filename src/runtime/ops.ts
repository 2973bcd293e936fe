/**
 * Differentiable ops that are safe for second-order gradients (gradient
 * penalties: WGAN-GP, R1, DRAGAN). Several tfjs ops have gradients built from
 * comparison ops (Greater, Less) or from kernels (EluGrad, AvgPoolGrad,
 * ResizeNearestNeighborGrad) that have no gradient themselves, so
 * differentiating them twice fails ("gradient function not found for
 * Greater"). Each op here is written with ops whose gradients are themselves
 * differentiable. Generated code should use these instead of the tf.* ones.
 *
 * Ops from tfjs that are already twice differentiable and may be used
 * directly: tf.relu, tf.tanh, tf.sigmoid, tf.softplus, tf.abs, tf.sqrt,
 * tf.exp, tf.log, tf.square, tf.matMul, tf.conv2d, tf.conv2dTranspose (with
 * the runtime's kernels registered), tf.mean, tf.sum, tf.moments.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";

/** Leaky ReLU, alpha in [0, 1]: alpha·x + (1 − alpha)·relu(x). */
export function leakyRelu<T extends tf.Tensor>(x: T, alpha = 0.2): T {
  if (!(alpha >= 0 && alpha <= 1)) throw new RuntimeUserError(`leakyRelu: alpha must be in [0, 1], got ${alpha}`);
  return tf.tidy(() => tf.add(tf.mul(x, alpha), tf.mul(tf.relu(x), 1 - alpha))) as T;
}

/** ELU (alpha = 1): x for x > 0, exp(x) − 1 otherwise; as relu(x) + exp(−relu(−x)) − 1. */
export function elu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.sub(tf.add(tf.relu(x), tf.exp(tf.neg(tf.relu(tf.neg(x))))), 1)) as T;
}

/** ReLU (tfjs's is twice differentiable; re-exported so generated code uses one namespace). */
export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}

/** tanh. */
export function tanh<T extends tf.Tensor>(x: T): T {
  return tf.tanh(x);
}

/** Logistic sigmoid. */
export function sigmoid<T extends tf.Tensor>(x: T): T {
  return tf.sigmoid(x);
}

/** softplus(x) = log(1 + exp(x)). */
export function softplus<T extends tf.Tensor>(x: T): T {
  return tf.softplus(x);
}

/** Nearest-neighbour upsampling of NHWC images by an integer factor (broadcast, not ResizeNearestNeighbor). */
export function upsampleNearest(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkFactor("upsample", factor);
  if (factor === 1) return x.clone();
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const wide = tf.broadcastTo(tf.reshape(x, [n, h, 1, w, 1, c]), [n, h, factor, w, factor, c]);
    return tf.reshape(wide, [n, h * factor, w * factor, c]);
  });
}

/** Average pooling with window = stride = factor (H and W must be divisible by factor). */
export function avgPool(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkFactor("avgpool", factor);
  const [n, h, w, c] = x.shape;
  if (h % factor !== 0 || w % factor !== 0) {
    throw new RuntimeUserError(`avgpool: image size ${h}x${w} is not divisible by the pooling factor ${factor}`);
  }
  if (factor === 1) return x.clone();
  return tf.tidy(() => tf.mean(tf.reshape(x, [n, h / factor, factor, w / factor, factor, c]), [2, 4]) as tf.Tensor4D);
}

/**
 * Euclidean norm of each example's slice: x of shape [N, ...] → [N].
 * `eps` inside the square root keeps the gradient finite at 0.
 */
export function perExampleNorm(x: tf.Tensor, eps = 1e-12): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0] ?? 1, -1]);
    return tf.sqrt(tf.add(tf.sum(tf.square(flat), 1), eps)) as tf.Tensor1D;
  });
}

/**
 * Gradient of sum(f(x)) with respect to the input x, recorded so that it can
 * itself be differentiated (for example inside tf.variableGrads).
 */
export function inputGradient<T extends tf.Tensor>(f: (x: T) => tf.Tensor, x: T): T {
  return tf.grad((v: tf.Tensor) => tf.sum(f(v as T)))(x) as T;
}

/**
 * WGAN-GP style penalty mean((‖∇x f(x)‖₂ − target)²) over the batch.
 * Use with x = real, fake or an interpolate of both; twice differentiable.
 */
export function gradientPenalty(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, target = 1): tf.Scalar {
  return tf.tidy(() => {
    const g = inputGradient(f, x);
    return tf.mean(tf.square(tf.sub(perExampleNorm(g), target))) as tf.Scalar;
  });
}

/** R1 / R2 penalty mean(‖∇x f(x)‖²) (Mescheder et al.), without the γ/2 factor. */
export function gradientSquaredNorm(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const g = inputGradient(f, x);
    return tf.mean(tf.sum(tf.square(tf.reshape(g, [g.shape[0] ?? 1, -1])), 1)) as tf.Scalar;
  });
}

function checkFactor(op: string, factor: number): void {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RuntimeUserError(`${op}: factor must be a positive integer, got ${factor}`);
  }
}
