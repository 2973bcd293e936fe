/**
 * `BatchMatMul` for wasm with its transposes made explicit. The wasm kernel is
 * fast for a plain product but reads a transposed operand in place very slowly:
 * on [64, 3136]ᵀ × [64, 1024] (a dense layer's weight gradient) it takes ~40× as
 * long as a Transpose followed by the plain product, and ~5× for the input
 * gradient's transposed weight. Every dense layer's backward pass is one of these.
 */
import * as tf from "@tensorflow/tfjs";
import type { Info } from "./kernel_of.js";

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Wraps the backend's own kernel (`plain`), handing it untransposed operands. */
export function makeBatchMatMul(plain: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const temps: Info[] = [];
    const lastTwoSwapped = (x: Info): Info => {
      const r = x.shape.length;
      const perm = [...Array(r - 2).keys(), r - 1, r - 2];
      const out = transpose({ inputs: { x }, backend, attrs: { perm } }) as Info;
      temps.push(out);
      return out;
    };
    const result = plain({
      inputs: { a: transposeA ? lastTwoSwapped(a) : a, b: transposeB ? lastTwoSwapped(b) : b },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as Info;
    for (const t of temps) (backend as tf.KernelBackend).disposeData(t.dataId);
    return result;
  };
}
