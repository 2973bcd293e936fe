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
 * Built only from the backend's Reshape / PadV2 / Slice / Reverse / Transpose /
 * Conv2D kernels; NCHW falls back to the backend's own kernel.
 */
import * as tf from "@tensorflow/tfjs";
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
  const reshapeK = kernelOf("Reshape", backendName);
  const padK = kernelOf("PadV2", backendName);
  const sliceK = kernelOf("Slice", backendName);
  const reverseK = kernelOf("Reverse", backendName);
  const transposeK = kernelOf("Transpose", backendName);
  const conv2dK = kernelOf("Conv2D", backendName);

  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as BackpropInputAttrs;
    if (a.dataFormat === "NCHW") return fallback(args);
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const [kh, kw, ci] = filter.shape as [number, number, number, number];
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
    const [, oh, ow, co] = dy.shape as [number, number, number, number];

    const temps: Info[] = [];
    const run = (f: tf.KernelFunc, ins: tf.NamedTensorInfoMap, at: object): Info => {
      const out = f({ inputs: ins, backend, attrs: at as tf.NamedAttrMap }) as Info;
      temps.push(out);
      return out;
    };
    const reshape = (x: Info, shape: number[]) => run(reshapeK, { x }, { shape });
    /** Pads (or, for a negative amount, crops) the rows and columns of an NHWC tensor. */
    const padOrCrop = (x: Info, [top, bottom]: [number, number], [left, right]: [number, number]): Info => {
      if (top > 0 || bottom > 0 || left > 0 || right > 0) {
        const p = (v: number) => Math.max(0, v);
        x = run(padK, { x }, { paddings: [[0, 0], [p(top), p(bottom)], [p(left), p(right)], [0, 0]], constantValue: 0 });
      }
      if (top < 0 || bottom < 0 || left < 0 || right < 0) {
        const c = (v: number) => Math.max(0, -v);
        const [b, rows, cols, ch] = x.shape as [number, number, number, number];
        x = run(sliceK, { x }, { begin: [0, c(top), c(left), 0], size: [b, rows - c(top) - c(bottom), cols - c(left) - c(right), ch] });
      }
      return x;
    };

    // Sub-filters: W padded to whole phases, [kh2, sh, kw2, sw, ci, co] -> [kh2, kw2, co, sh·sw·ci], flipped.
    const kh2 = Math.ceil(kh / sh);
    const kw2 = Math.ceil(kw / sw);
    let f = filter;
    if (kh2 * sh > kh || kw2 * sw > kw) {
      f = run(padK, { x: f }, { paddings: [[0, kh2 * sh - kh], [0, kw2 * sw - kw], [0, 0], [0, 0]], constantValue: 0 });
    }
    f = run(transposeK, { x: reshape(f, [kh2, sh, kw2, sw, ci, co]) }, { perm: [0, 2, 5, 1, 3, 4] });
    f = run(reverseK, { x: reshape(f, [kh2, kw2, co, sh * sw * ci]) }, { dims: [0, 1] });

    // Every phase at once: a "full" stride-1 conv of dy, [n, q, p, sh·sw·ci].
    const full = padOrCrop(dy, [kh2 - 1, kh2 - 1], [kw2 - 1, kw2 - 1]);
    const phases = run(conv2dK, { x: full, filter: f }, { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [1, 1] });
    const q = oh + kh2 - 1;
    const p = ow + kw2 - 1;
    // Depth to space: [n, q, p, sh, sw, ci] -> [n, q, sh, p, sw, ci] -> [n, q·sh, p·sw, ci].
    const shuffled = run(transposeK, { x: reshape(phases, [n, q, p, sh, sw, ci]) }, { perm: [0, 1, 3, 2, 4, 5] });
    const { top, left } = info.padInfo;
    const result = padOrCrop(reshape(shuffled, [n, q * sh, p * sw, ci]), [-top, h + top - q * sh], [-left, w + left - p * sw]);
    temps.splice(temps.indexOf(result), 1);
    for (const t of temps) (backend as tf.KernelBackend).disposeData(t.dataId);
    return result;
  };
}
