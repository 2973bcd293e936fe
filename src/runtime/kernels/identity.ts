/**
 * `Identity` for wasm without a copy. tfjs clones every tensor a gradient will need
 * (`saveTensorsForBackwardMode`) and wasm's Identity copies the whole buffer each time:
 * a DCGAN iteration made ~350 such copies. Kernels never write into their inputs, so
 * the clone can share the buffer, as the cpu backend's Identity does (reference counted).
 */
import type * as tf from "@tensorflow/tfjs";
import type { Info } from "./kernel_of.js";

export function makeSharedIdentity(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === "string") return fallback(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
