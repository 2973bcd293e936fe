/**
 * A fast `Conv2DBackpropFilter` (the weight gradient of conv2d, and of the
 * input of conv2dTranspose) expressed as a single conv2d over transposed
 * tensors, so it runs at the speed of the backend's forward convolution.
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[n, oh, ow, co]
 *
 * Treat ci as the batch and n as the channels: with xT = x as [ci, H, W, n]
 * (zero-padded by the forward padding, which the conv2d applies itself) and
 * dyT = dy as [OH, OW, n, co] used as a filter, a conv2d with dilation = forward
 * stride gives [ci, KH, KW, co]; transposing to [KH, KW, ci, co] is dW.
 *
 * Built only from the backend's own Transpose / Slice / Conv2D kernels, so it
 * works on any backend that has those (cpu, wasm).
 */
import * as tf from "@tensorflow/tfjs";
import { kernelOf, type Info } from "./kernel_of.js";

type Attrs = tf.NamedAttrMap;

/** Kernel attrs tfjs passes to Conv2DBackpropFilter. */
interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** Returns a kernel function for `backendName` built from that backend's primitive kernels. */
export function makeConv2dBackpropFilter(backendName: string): tf.KernelFunc {
  const transposeK = kernelOf("Transpose", backendName);
  const sliceK = kernelOf("Slice", backendName);
  const conv2dK = kernelOf("Conv2D", backendName);

  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    const a = attrs as unknown as BackpropFilterAttrs;
    const nchw = a.dataFormat === "NCHW";
    const xShapeNHWC = (nchw ? [x.shape[0], x.shape[2], x.shape[3], x.shape[1]] : x.shape) as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      xShapeNHWC,
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      "channelsLast",
    );
    const [kh, kw] = a.filterShape;
    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const [, h, w] = xShapeNHWC;

    const temps: Info[] = [];
    const run = (f: tf.KernelFunc, ins: tf.NamedTensorInfoMap, at: Attrs): Info => {
      const out = f({ inputs: ins, backend, attrs: at }) as Info;
      temps.push(out);
      return out;
    };

    // x -> [ci, H, W, n]; dy -> [OH, OW, n, co]
    let xt = run(transposeK, { x }, { perm: nchw ? [1, 2, 3, 0] : [3, 1, 2, 0] });
    const dyt = run(transposeK, { x: dy }, { perm: nchw ? [2, 3, 0, 1] : [1, 2, 0, 3] });

    // Rows -padTop .. needH - padTop - 1 of x are read: zeros outside (the conv's own padding), or x cropped.
    const needH = (oh - 1) * sh + kh;
    const needW = (ow - 1) * sw + kw;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const bottom = needH - top - h;
    const right = needW - left - w;
    if (bottom < 0 || right < 0) {
      xt = run(sliceK, { x: xt }, { begin: [0, 0, 0, 0], size: [xt.shape[0], h + Math.min(0, bottom), w + Math.min(0, right), xt.shape[3]] });
    }
    const conv = run(conv2dK, { x: xt, filter: dyt }, {
      strides: [1, 1],
      pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
      dataFormat: "NHWC",
      dilations: [sh, sw],
      dimRoundingMode: undefined as unknown as string,
    });
    // [ci, KH, KW, co] -> [KH, KW, ci, co]
    const result = (transposeK({ inputs: { x: conv }, backend, attrs: { perm: [1, 2, 0, 3] } }) as Info);
    for (const t of temps) (backend as tf.KernelBackend).disposeData(t.dataId);
    return result;
  };
}
