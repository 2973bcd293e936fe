/**
 * `Identity` and same-type `Cast` for wasm without a copy. tfjs clones every tensor a
 * gradient will need (`saveTensorsForBackwardMode`), and relu's gradient casts a float
 * mask to float; wasm copies the whole buffer each time (a DCGAN iteration made ~350
 * Identity copies, a WGAN-GP iteration ~1,750 and ~450 Casts). Kernels never write into
 * their inputs, so the result can share the buffer, as the cpu backend's Identity does
 * (reference counted).
 */
import type * as tf from "@tensorflow/tfjs";
import type { Info } from "./kernel_of.js";

function share(args: Parameters<tf.KernelFunc>[0]): Info {
  const { x } = args.inputs as { x: Info };
  (args.backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function makeSharedIdentity(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => ((args.inputs as { x: Info }).x.dtype === "string" ? fallback(args) : share(args));
}

export function makeSharedCast(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    return x.dtype !== "string" && (args.attrs as { dtype?: string }).dtype === x.dtype ? share(args) : fallback(args);
  };
}
