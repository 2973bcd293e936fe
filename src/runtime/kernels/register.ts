/**
 * Registers the runtime's kernels and gradients with tfjs (idempotent; called
 * by `useBackend`):
 *
 * - `Conv2DBackpropFilter` for cpu and wasm (wasm has none; cpu's is a slow
 *   naive loop) — see conv2d_backprop_filter.ts.
 * - `Conv2DBackpropInput` for wasm (it ships a naive loop; this is the forward
 *   pass of every transposed convolution) — see conv2d_backprop_input.ts.
 * - `BatchMatMul` for wasm, whose transposed operands are slow — see
 *   batch_matmul.ts.
 * - `Identity` and same-type `Cast` for wasm without a copy — see identity.ts.
 * - `Sum` and `Mean` over leading axes for wasm, without a transpose — see
 *   reduce_leading.ts.
 * - a gradient for `Conv2DBackpropFilter` (tfjs has none), for second-order
 *   gradients through transposed convolutions.
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

const TARGET_BACKENDS = ["cpu", "wasm"] as const;
const originals = new Map<string, tf.KernelConfig | undefined>();
const done = new Set<string>();

/** Registers the runtime kernels for every target backend that is registered with tfjs. */
export function registerRuntimeKernels(): void {
  for (const backendName of TARGET_BACKENDS) {
    if (done.has(backendName) || tf.findBackendFactory(backendName) === null) continue;
    replaceKernel("Conv2DBackpropFilter", backendName, makeConv2dBackpropFilter(backendName));
    if (backendName === "wasm") {
      // On cpu, whose Conv2D is a naive loop too, the sub-pixel form is ~3x slower than cpu's own kernel.
      replaceKernel("Conv2DBackpropInput", backendName, makeConv2dBackpropInput(backendName, kernelOf("Conv2DBackpropInput", backendName)));
      const plain = kernelOf("BatchMatMul", backendName);
      replaceKernel("BatchMatMul", backendName, makeBatchMatMul(plain, kernelOf("Transpose", backendName)));
      replaceKernel("Identity", backendName, makeSharedIdentity(kernelOf("Identity", backendName)));
      replaceKernel("Cast", backendName, makeSharedCast(kernelOf("Cast", backendName)));
      replaceKernel("Sum", backendName, makeLeadingReduce(kernelOf("Sum", backendName), false));
      replaceKernel("Mean", backendName, makeLeadingReduce(kernelOf("Mean", backendName), true));
    }
    done.add(backendName);
  }
  if (tf.getGradient("Conv2DBackpropFilter") === undefined) {
    tf.registerGradient(conv2dBackpropFilterGrad);
  }
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
