/**
 * Differentiable ops that are safe for second-order gradients (gradient
 * penalties: WGAN-GP, R1, DRAGAN). Several tfjs ops have gradients built from
 * comparison ops (Greater, Less) or from kernels (EluGrad, AvgPoolGrad,
 * ResizeNearestNeighborGrad) that have no gradient themselves, so
 * differentiating them twice fails ("gradient function not found for
 * Greater"). Each op here is written with ops whose gradients are themselves
 * differentiable. Generated code should use these instead of the tf.* ones.
 *
 * A second, subtler failure: ops whose gradient reuses their *output*
 * (tf.tanh, tf.sigmoid, tf.exp, tf.elu) give "Cannot compute gradient of
 * y=f(x) with respect to x" when differentiated twice, because tfjs records
 * the saved copy of the output on the tape before the op that produced it.
 * `tanh`, `sigmoid` and `exp` here recompute the derivative from the input.
 *
 * Ops from tfjs that are twice differentiable and may be used directly:
 * tf.relu, tf.softplus, tf.abs, tf.sqrt, tf.rsqrt, tf.log, tf.square,
 * tf.add/sub/mul/div, tf.matMul, tf.conv2d, tf.conv2dTranspose (with the
 * runtime's kernels registered), tf.mean, tf.sum, tf.moments, tf.reshape.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import { LEAKY_RELU_GRAD } from "./kernels/blas_kernels.js";

/**
 * Leaky ReLU, alpha in [0, 1]: one LeakyRelu kernel, with the derivative
 * alpha + (1 − alpha)·step(x) from the input (Step's own gradient is zero), so it
 * is twice differentiable.
 */
export function leakyRelu<T extends tf.Tensor>(x: T, alpha = 0.2): T {
  if (!(alpha >= 0 && alpha <= 1)) throw new RuntimeUserError(`leakyRelu: alpha must be in [0, 1], got ${alpha}`);
  if (tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend()) !== undefined) {
    // The gradient as one kernel (wasm with OpenBLAS; it has its own gradient, see blas_kernels.ts).
    const op = tf.customGrad(((input: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
      save([input]);
      return {
        value: tf.leakyRelu(input, alpha),
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x: saved! }, { alpha }) as tf.Tensor,
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return op(x) as T;
  }
  return withInputDerivative(x, (v) => tf.leakyRelu(v, alpha), (v) => tf.add(tf.mul(tf.step(v), 1 - alpha), alpha));
}

/**
 * y = f(x) with dy/dx = derivative(x) computed from the input, so the
 * gradient is itself differentiable (see the note at the top).
 */
function withInputDerivative<T extends tf.Tensor>(x: T, f: (x: tf.Tensor) => tf.Tensor, derivative: (x: tf.Tensor) => tf.Tensor): T {
  const op = tf.customGrad(((input: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    save([input]);
    return {
      value: f(input),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, derivative(saved[0]!)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as T;
}

/** exp(x), twice differentiable. */
export function exp<T extends tf.Tensor>(x: T): T {
  return withInputDerivative(x, tf.exp, tf.exp);
}

/** ELU (alpha = 1): x for x > 0, exp(x) − 1 otherwise; as relu(x) + exp(−relu(−x)) − 1. */
export function elu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.sub(tf.add(tf.relu(x), exp(tf.neg(tf.relu(tf.neg(x))))), 1)) as T;
}

/** ReLU (tfjs's is twice differentiable; re-exported so generated code uses one namespace). */
export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}

/** tanh, twice differentiable: d/dx = 1 − tanh(x)². */
export function tanh<T extends tf.Tensor>(x: T): T {
  return withInputDerivative(x, tf.tanh, (v) => tf.sub(1, tf.square(tf.tanh(v))));
}

/** Logistic sigmoid, twice differentiable: d/dx = σ(x)·(1 − σ(x)). */
export function sigmoid<T extends tf.Tensor>(x: T): T {
  return withInputDerivative(x, tf.sigmoid, (v) => {
    const s = tf.sigmoid(v);
    return tf.mul(s, tf.sub(1, s));
  });
}

/** softplus(x) = log(1 + exp(x)). */
export function softplus<T extends tf.Tensor>(x: T): T {
  return tf.softplus(x);
}

/** Nearest-neighbour upsampling of NHWC images by an integer factor (ResizeNearestNeighborGrad has no gradient). */
export function upsampleNearest(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  checkFactor("upsample", factor);
  if (factor === 1) return x.clone();
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    // Broadcasting multiply (Tile's gradient is limited to rank 4).
    const wide = tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, factor, 1, factor, 1]));
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

/** The mean of each example over its non-batch axes: [N] (a batch of scalars stays as it is). */
export function perExampleMean(x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => (x.rank <= 1 ? tf.reshape(x, [-1]) : tf.mean(tf.reshape(x, [x.shape[0] ?? 1, -1]), 1)) as tf.Tensor1D);
}

/** The sum of each example over its non-batch axes: [N]. */
export function perExampleSum(x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => (x.rank <= 1 ? tf.reshape(x, [-1]) : tf.sum(tf.reshape(x, [x.shape[0] ?? 1, -1]), 1)) as tf.Tensor1D);
}

/**
 * The standard deviation of every value of x, dividing by the count (NumPy's `x.std()`, which
 * DRAGAN scales its perturbation by). `eps` inside the square root keeps the gradient finite
 * when every value is the same.
 */
export function std(x: tf.Tensor, eps = 1e-12): tf.Scalar {
  return tf.tidy(() => {
    const centred = tf.sub(x, tf.mean(x));
    return tf.sqrt(tf.add(tf.mean(tf.square(centred)), eps)) as tf.Scalar;
  });
}

/** The standard deviation of each example over its non-batch axes (dividing by their count): [N]. */
export function perExampleStd(x: tf.Tensor, eps = 1e-12): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = x.rank <= 1 ? tf.reshape(x, [-1, 1]) : tf.reshape(x, [x.shape[0] ?? 1, -1]);
    const centred = tf.sub(flat, tf.mean(flat, 1, true));
    return tf.sqrt(tf.add(tf.mean(tf.square(centred), 1), eps)) as tf.Tensor1D;
  });
}

/**
 * Gradient of sum(f(x)) with respect to the input x, recorded so that it can
 * itself be differentiated (for example inside tf.variableGrads). Zero where f does not
 * reach x on the tape (through stop_gradient, or a gradient of a linear function, which
 * is constant): the `0 * sum(x)` term keeps a path, as tf.grad throws without one.
 */
export function inputGradient<T extends tf.Tensor>(f: (x: T) => tf.Tensor, x: T): T {
  return tf.grad((v: tf.Tensor) => tf.add(tf.sum(f(v as T)), tf.mul(tf.sum(v), 0)))(x) as T;
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

/**
 * The elementwise minimum, shapes broadcast, as a − relu(a − b): tf.minimum's gradient neither
 * sums over broadcast axes (a [N, 2] gradient for a [N, 1] operand fails) nor can itself be
 * differentiated (a gradient penalty through it fails); relu's can (tfjs 4.22).
 */
export function minimum(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => tf.sub(a, relu(tf.sub(a, b))));
}

/** The elementwise maximum, shapes broadcast, as b + relu(a − b) (see `minimum`). */
export function maximum(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => tf.add(b, relu(tf.sub(a, b))));
}

/** `x` limited to [low, high], twice differentiable (tf.clipByValue's gradient cannot be differentiated again). */
export function clip(x: tf.Tensor, low: tf.Tensor | number, high: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => minimum(maximum(x, low), high));
}
