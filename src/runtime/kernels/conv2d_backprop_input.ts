/**
 * A fast `Conv2DBackpropInput` (the input gradient of conv2d, and the forward
 * pass of conv2dTranspose) expressed as one stride-1 conv2d, so it runs at the
 * speed of the backend's forward convolution (XNNPACK on wasm) instead of the
 * naive loop both cpu and wasm ship.
 *
 *   dx[n, h, w, ci] = Σ_{oh·s + kh − padTop = h, ow·s + kw − padLeft = w} dy[n, oh, ow, co] · W[kh, kw, ci, co]
 *
 * Sub-pixel form: the output row p = oh·s + kh (before cropping the padding)
 * has phase r = p mod s, and only the taps kh = r + s·j reach it. So each of
 * the s² phases is a stride-1 "full" convolution of dy with the sub-filter
 * W[r::s] flipped; stacking the phases' sub-filters on the output-channel axis
 * makes all of them one conv2d, and a depth-to-space reshuffle interleaves
 * them. The arithmetic is that of a direct kernel (no multiplications by
 * inserted zeros).
 *
 * The sub-filters are rearranged and the phases interleaved (and cropped to the
 * input's size) in JavaScript on the wasm heap: tfjs's wasm Transpose and Reverse
 * of rank 5 and 6 take a vector allocation per element. NCHW, and backends without
 * a wasm heap, fall back to the backend's own kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { heapBackend } from "./heap.js";
import { kernelOf, type Info } from "./kernel_of.js";

/** Kernel attrs tfjs passes to Conv2DBackpropInput. */
interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
}

/** Returns a kernel function for `backendName`; `fallback` handles NCHW. */
export function makeConv2dBackpropInput(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  const conv2dK = kernelOf("Conv2D", backendName);

  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as BackpropInputAttrs;
    const heap = heapBackend(backend);
    if (a.dataFormat === "NCHW" || heap === null) return fallback(args);
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const [n, h, w] = a.inputShape;
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { strideHeight: sh, strideWidth: sw } = info;
    const [, oh, ow] = dy.shape as [number, number, number, number];
    const kh2 = Math.ceil(kh / sh);
    const kw2 = Math.ceil(kw / sw);
    const phaseCh = sh * sw * ci;

    // Sub-filters, flipped: f[a, b, c, (r, t, i)] = W[(kh2-1-a)·sh + r, (kw2-1-b)·sw + t, i, c] (0 past the kernel).
    const f = heap.makeOutput([kh2, kw2, co, phaseCh], "float32");
    const fv = heap.typedArrayFromHeap(f).fill(0);
    const wv = heap.typedArrayFromHeap(filter);
    for (let fa = 0; fa < kh2; fa++) {
      for (let fb = 0; fb < kw2; fb++) {
        for (let r = 0; r < sh; r++) {
          const y = (kh2 - 1 - fa) * sh + r;
          if (y >= kh) continue;
          for (let t = 0; t < sw; t++) {
            const x = (kw2 - 1 - fb) * sw + t;
            if (x >= kw) continue;
            for (let i = 0; i < ci; i++) {
              const src = ((y * kw + x) * ci + i) * co;
              const dst = (fa * kw2 + fb) * co * phaseCh + (r * sw + t) * ci + i;
              for (let c = 0; c < co; c++) fv[dst + c * phaseCh] = wv[src + c]!;
            }
          }
        }
      }
    }

    // Every phase at once: a "full" stride-1 conv of dy, [n, q, p, sh·sw·ci].
    const phases = conv2dK({
      inputs: { x: dy, filter: f },
      backend,
      attrs: { strides: [1, 1], pad: [[0, 0], [kh2 - 1, kh2 - 1], [kw2 - 1, kw2 - 1], [0, 0]], dataFormat: "NHWC", dilations: [1, 1] } as unknown as tf.NamedAttrMap,
    }) as Info;
    const q = oh + kh2 - 1;
    const p = ow + kw2 - 1;

    // Depth to space and crop: dx[m, y, x, :] = phases[m, Y div sh, X div sw, (Y mod sh, X mod sw), :]
    // with (Y, X) = (y + top, x + left); zero where the phases end.
    const out = heap.makeOutput([n, h, w, ci], "float32");
    const pv = heap.typedArrayFromHeap(phases);
    const ov = heap.typedArrayFromHeap(out);
    const { top, left } = info.padInfo;
    for (let m = 0; m < n; m++) {
      for (let y = 0; y < h; y++) {
        const row = (m * h + y) * w * ci;
        const qy = Math.floor((y + top) / sh);
        if (qy >= q) {
          ov.fill(0, row, row + w * ci);
          continue;
        }
        const srcRow = (m * q + qy) * p * phaseCh + ((y + top) % sh) * sw * ci;
        for (let x = 0; x < w; x++) {
          const dst = row + x * ci;
          const px = Math.floor((x + left) / sw);
          if (px >= p) {
            ov.fill(0, dst, dst + ci);
            continue;
          }
          const src = srcRow + px * phaseCh + ((x + left) % sw) * ci;
          for (let i = 0; i < ci; i++) ov[dst + i] = pv[src + i]!;
        }
      }
    }
    (backend as tf.KernelBackend).disposeData(f.dataId);
    (backend as tf.KernelBackend).disposeData(phases.dataId);
    return out;
  };
}
