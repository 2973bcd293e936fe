/**
 * Registers the runtime's kernels and gradients with tfjs for the backend in use
 * (idempotent; called by `useBackend`), each only where it helps:
 *
 * - `Conv2DBackpropFilter` for cpu and wasm (wasm has none; cpu's is a slow
 *   naive loop) — see conv2d_backprop_filter.ts.
 * - `Conv2DBackpropInput` for wasm (it ships a naive loop; this is the forward
 *   pass of every transposed convolution) — see conv2d_backprop_input.ts.
 * - `BatchMatMul` for wasm, whose transposed operands are slow — see
 *   batch_matmul.ts.
 * - with OpenBLAS built (blas.ts), `Conv2D`, both convolution gradients,
 *   `BatchMatMul`, `LeakyRelu` and element-wise `Add`, `Sub`, `Multiply` and
 *   `RealDiv` for wasm run there instead, the kernels above handling what it
 *   does not, and leaky ReLU's gradient is one kernel (blas_kernels.ts).
 * - `Identity` and same-type `Cast` for wasm without a copy — see identity.ts.
 * - `Sum` and `Mean` over leading axes for wasm, without a transpose — see
 *   reduce_leading.ts.
 * - on every backend (webgpu and tensorflow included), a gradient for
 *   `Conv2DBackpropFilter` (tfjs has none), for second-order gradients through
 *   transposed convolutions. webgpu and tensorflow keep their own kernels
 *   (tests/gpu/kernels.test.ts compares webgpu's with cpu's).
 *
 * The kernels that were registered before are kept and can be fetched with
 * `originalKernel` (tests and the benchmark compare against them).
 */
import * as tf from "@tensorflow/tfjs";
import { makeConv2dBackpropFilter } from "./conv2d_backprop_filter.js";
import { conv2dBackpropFilterGrad } from "./conv2d_backprop_filter_grad.js";
import { makeConv2dBackpropInput } from "./conv2d_backprop_input.js";
import { makeBatchMatMul } from "./batch_matmul.js";
import { makeSharedCast, makeSharedIdentity } from "./identity.js";
import { makeLeadingReduce } from "./reduce_leading.js";
import { kernelOf } from "./kernel_of.js";
import { blas } from "./blas.js";
import { blasKernels, leakyReluGradGradient } from "./blas_kernels.js";

/** The runtime's kernels of each backend that gets any, by kernel name. */
const SPEED_KERNELS: Record<string, (backendName: string) => Record<string, tf.KernelFunc>> = {
  // On cpu, whose Conv2D is a naive loop too, the sub-pixel Conv2DBackpropInput is ~3x slower than cpu's own kernel.
  cpu: (b) => ({ Conv2DBackpropFilter: makeConv2dBackpropFilter(b) }),
  wasm: (b) => {
    const lib = blas();
    const own: Record<string, tf.KernelFunc> = {
      Conv2DBackpropFilter: makeConv2dBackpropFilter(b),
      Conv2DBackpropInput: makeConv2dBackpropInput(b, kernelOf("Conv2DBackpropInput", b)),
      BatchMatMul: makeBatchMatMul(kernelOf("BatchMatMul", b), kernelOf("Transpose", b)),
      Identity: makeSharedIdentity(kernelOf("Identity", b)),
      Cast: makeSharedCast(kernelOf("Cast", b)),
      Sum: makeLeadingReduce(kernelOf("Sum", b), false, lib),
      Mean: makeLeadingReduce(kernelOf("Mean", b), true, lib),
    };
    // With OpenBLAS built, its kernels take over; the ones above, or the backend's own, handle what they do not.
    return { ...own, ...(lib === null ? {} : blasKernels(lib, (name) => own[name] ?? kernelOf(name, b))) };
  },
};

const originals = new Map<string, tf.KernelConfig | undefined>();
const done = new Set<string>();

/** Registers the runtime's kernels for `backendName` (default: the backend in use) and its gradients. */
export function registerRuntimeKernels(backendName = tf.getBackend()): void {
  const kernels = SPEED_KERNELS[backendName];
  if (kernels !== undefined && !done.has(backendName)) {
    for (const [kernelName, kernelFunc] of Object.entries(kernels(backendName))) replaceKernel(kernelName, backendName, kernelFunc);
    done.add(backendName);
  }
  if (tf.getGradient("Conv2DBackpropFilter") === undefined) {
    tf.registerGradient(conv2dBackpropFilterGrad);
  }
  if (tf.getGradient(leakyReluGradGradient.kernelName) === undefined) tf.registerGradient(leakyReluGradGradient);
}

/** The kernel that tfjs had for (kernelName, backendName) before the runtime replaced it. */
export function originalKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return originals.get(`${kernelName}/${backendName}`);
}

function replaceKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  const key = `${kernelName}/${backendName}`;
  const existing = tf.getKernel(kernelName, backendName);
  if (!originals.has(key)) originals.set(key, existing);
  if (existing !== undefined) tf.unregisterKernel(kernelName, backendName);
  // A wasm kernel binds its wasm function in `setupFunc` when the backend starts; the
  // replacement keeps it so the kernel it wraps still works.
  tf.registerKernel({ kernelName, backendName, kernelFunc, setupFunc: existing?.setupFunc, disposeFunc: existing?.disposeFunc });
}
