/**
 * `Conv2D`, `Conv2DBackpropInput`, `Conv2DBackpropFilter` and `BatchMatMul` for wasm on
 * OpenBLAS (blas.ts), `LeakyRelu` with its input gradient as one kernel
 * (`LEAKY_RELU_GRAD`, which ops.leakyRelu uses where it is registered), and `Add`, `Sub`,
 * `Multiply` and `RealDiv` where one operand repeats along the other (the same shape, a
 * channel vector, a scalar; wasm's own run 2–3x slower on two threads), and `Exp`: the operands are
 * read, and the output written, in place on the wasm heap. NCHW, non-float32 operands and
 * batch broadcasts other than "equal or one" go to `fallback`, the kernel the runtime
 * registers without OpenBLAS.
 */
import * as tf from "@tensorflow/tfjs";
import type { Blas } from "./blas.js";
import { heapBackend, type HeapBackend } from "./heap.js";
import type { Info } from "./kernel_of.js";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape?: Shape4;
  filterShape?: Shape4;
}

/** The three convolution kernels; which operands each takes and what shape it writes. */
const CONV_KINDS = {
  Conv2D: { kind: 0, operands: ["x", "filter"], shapes: (x: Shape4, f: Shape4) => [x, f] },
  Conv2DBackpropInput: { kind: 1, operands: ["dy", "filter"], shapes: (_dy: Shape4, f: Shape4, a: ConvAttrs) => [a.inputShape!, f] },
  Conv2DBackpropFilter: { kind: 2, operands: ["x", "dy"], shapes: (x: Shape4, _dy: Shape4, a: ConvAttrs) => [x, a.filterShape!] },
} as const;

type BlasConvKernel = keyof typeof CONV_KINDS;

function makeBlasConv(name: BlasConvKernel, lib: Blas, fallback: tf.KernelFunc): tf.KernelFunc {
  const { kind, operands, shapes } = CONV_KINDS[name];
  return (args) => {
    const a = args.attrs as unknown as ConvAttrs;
    const heap = heapBackend(args.backend);
    const first = args.inputs[operands[0]] as Info;
    const second = args.inputs[operands[1]] as Info;
    if (heap === null || a.dataFormat === "NCHW" || first.dtype !== "float32" || second.dtype !== "float32") return fallback(args);
    const [xShape, fShape] = shapes(first.shape as Shape4, second.shape as Shape4, a) as [Shape4, Shape4];
    const c = tf.backend_util.computeConv2DInfo(xShape, fShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
    // BLAS rejects empty matrices (a leading dimension of 0).
    if ([...xShape, ...fShape, ...c.outShape].includes(0)) return fallback(args);
    const geometry = [
      c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels, c.outHeight, c.outWidth,
      c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left,
    ];
    const outShape = kind === 0 ? c.outShape : kind === 1 ? xShape : fShape;
    const out = heap.makeOutput([...outShape], "float32");
    lib.conv(kind, view(heap, first), view(heap, second), view(heap, out), geometry);
    return out;
  };
}

function makeBlasBatchMatMul(lib: Blas, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const heap = heapBackend(args.backend);
    if (heap === null || a.dtype !== "float32" || b.dtype !== "float32") return fallback(args);
    const [ra, ca] = a.shape.slice(-2) as [number, number];
    const [rb, cb] = b.shape.slice(-2) as [number, number];
    const [m, k] = transposeA ? [ca, ra] : [ra, ca];
    const n = transposeB ? rb : cb;
    const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = batchShape.reduce((p, d) => p * d, 1);
    const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1) || batch * m * n * k === 0) return fallback(args);
    const out = heap.makeOutput([...batchShape, m, n], "float32");
    const strides = [batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n];
    lib.gemm(view(heap, a), view(heap, b), view(heap, out), [batch, m, n, k, +transposeA, +transposeB, ...strides]);
    return out;
  };
}

/** Read after every `makeOutput`: allocating may grow the heap and detach older views. */
function view(heap: HeapBackend, t: Info): Float32Array {
  return heap.typedArrayFromHeap(t);
}

/** dy · leakyRelu'(x), one kernel instead of step, multiply, add and multiply. */
export const LEAKY_RELU_GRAD = "GancLeakyReluGrad";

/** A float32 element-wise kernel of one input `x`: `compute(x, out, attrs)` on heap views. */
function makeBlasUnary(fallback: tf.KernelFunc, compute: (x: Float32Array, out: Float32Array, attrs: tf.NamedAttrMap) => void): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const heap = heapBackend(args.backend);
    if (heap === null || x.dtype !== "float32") return fallback(args);
    const out = heap.makeOutput([...x.shape], "float32");
    compute(view(heap, x), view(heap, out), args.attrs ?? {});
    return out;
  };
}

function makeBlasLeakyReluGrad(lib: Blas): tf.KernelFunc {
  return (args) => {
    const { dy, x } = args.inputs as { dy: Info; x: Info };
    const heap = heapBackend(args.backend)!;
    const out = heap.makeOutput([...x.shape], "float32");
    lib.leaky(1, view(heap, x), view(heap, dy), view(heap, out), (args.attrs as { alpha: number }).alpha);
    return out;
  };
}

/** Linear in dy, constant in x (almost everywhere): so differentiable any number of times. */
export const leakyReluGradGradient: tf.GradConfig = {
  kernelName: LEAKY_RELU_GRAD,
  inputsToSave: ["x"],
  gradFunc: (ddy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    return {
      dy: () => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: ddy as tf.Tensor, x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      x: () => tf.zerosLike(x),
    };
  },
};

/** The arithmetic kernels the addon computes, by its operation code. */
const BINARY_OPS = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 } as const;

function makeBlasBinary(name: keyof typeof BINARY_OPS, lib: Blas, fallback: tf.KernelFunc): tf.KernelFunc {
  const op = BINARY_OPS[name];
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const heap = heapBackend(args.backend);
    if (heap === null || a.dtype !== "float32" || b.dtype !== "float32") return fallback(args);
    const smallFirst = tf.util.sizeFromShape(a.shape) < tf.util.sizeFromShape(b.shape);
    const [big, small] = smallFirst ? [b, a] : [a, b];
    if (!repeatsAlong(small.shape, big.shape)) return fallback(args);
    const out = heap.makeOutput([...big.shape], "float32");
    lib.binary(op, view(heap, big), view(heap, small), view(heap, out), smallFirst);
    return out;
  };
}

/** True when `small`, without its leading 1s, is the trailing part of `big` (and big is not empty). */
function repeatsAlong(small: number[], big: number[]): boolean {
  if (small.length > big.length || tf.util.sizeFromShape(big) === 0) return false;
  const first = small.findIndex((d) => d !== 1);
  const core = first === -1 ? [] : small.slice(first);
  return core.every((d, i) => d === big[big.length - core.length + i]);
}

/** Every kernel this file makes, each with its fallback: `fallback(name)` is the kernel registered without OpenBLAS. */
export function blasKernels(lib: Blas, fallback: (name: string) => tf.KernelFunc): Record<string, tf.KernelFunc> {
  return {
    ...Object.fromEntries((Object.keys(CONV_KINDS) as BlasConvKernel[]).map((name) => [name, makeBlasConv(name, lib, fallback(name))])),
    BatchMatMul: makeBlasBatchMatMul(lib, fallback("BatchMatMul")),
    LeakyRelu: makeBlasUnary(fallback("LeakyRelu"), (x, out, attrs) => lib.leaky(0, x, x, out, attrs.alpha as number)),
    [LEAKY_RELU_GRAD]: makeBlasLeakyReluGrad(lib),
    // tfjs's wasm Exp is a scalar loop: it was a quarter of a BEGAN iteration (its ELUs).
    Exp: makeBlasUnary(fallback("Exp"), (x, out) => lib.exp(x, out)),
    ...Object.fromEntries((Object.keys(BINARY_OPS) as (keyof typeof BINARY_OPS)[]).map((name) => [name, makeBlasBinary(name, lib, fallback(name))])),
  };
}
