/** Looking up the primitive kernels the runtime's own kernels are built from. */
import * as tf from "@tensorflow/tfjs";

export type Info = tf.TensorInfo;

/** The kernel function `backendName` registers for `name`; throws when it has none. */
export function kernelOf(name: string, backendName: string): tf.KernelFunc {
  const k = tf.getKernel(name, backendName);
  if (k === undefined) throw new Error(`backend ${backendName} has no ${name} kernel`);
  return k.kernelFunc;
}
