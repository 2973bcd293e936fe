import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { backendInUse, useBackend } from "../../src/runtime/backend.js";
import { blas, blasUnavailableReason } from "../../src/runtime/kernels/blas.js";
import { LEAKY_RELU_GRAD } from "../../src/runtime/kernels/blas_kernels.js";
import { leakyRelu } from "../../src/runtime/ops.js";
import { originalKernel } from "../../src/runtime/kernels/register.js";
import { BACKENDS, expectClose, finiteDifference, maxAbsDiff, rand } from "./helpers.js";

type Pad = "same" | "valid";
const CASES: Array<{ x: [number, number, number, number]; k: number; s: number; pad: Pad; out: number }> = [
  { x: [2, 9, 9, 3], k: 3, s: 1, pad: "same", out: 4 },
  { x: [3, 8, 8, 2], k: 4, s: 2, pad: "same", out: 5 },
  { x: [1, 7, 7, 1], k: 4, s: 2, pad: "same", out: 3 },
  { x: [2, 11, 10, 3], k: 5, s: 2, pad: "valid", out: 2 },
  { x: [4, 6, 6, 2], k: 3, s: 1, pad: "valid", out: 3 },
  { x: [2, 10, 12, 4], k: 3, s: 2, pad: "same", out: 6 },
  { x: [1, 9, 9, 2], k: 5, s: 1, pad: "same", out: 2 },
  { x: [5, 5, 5, 1], k: 4, s: 2, pad: "valid", out: 1 },
  { x: [3, 4, 5, 6], k: 1, s: 1, pad: "valid", out: 4 }, // pointwise: OpenBLAS skips im2col
];

/** The reference: tfjs's own naive cpu kernel, run on cpu. */
async function reference(x: Float32Array, xShape: number[], dy: Float32Array, dyShape: number[], attrs: tf.NamedAttrMap): Promise<tf.Tensor> {
  const before = tf.getBackend();
  await useBackend("cpu");
  const naive = originalKernel("Conv2DBackpropFilter", "cpu");
  if (naive === undefined) throw new Error("no original cpu kernel");
  const xt = tf.tensor(x, xShape);
  const dyt = tf.tensor(dy, dyShape);
  const info = naive.kernelFunc({ inputs: { x: xt, dy: dyt }, backend: tf.backend(), attrs }) as tf.TensorInfo;
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const copy = tf.tensor(out.dataSync(), out.shape);
  tf.dispose([xt, dyt, out]);
  await useBackend(before as "cpu" | "wasm");
  return copy;
}

describe.each(BACKENDS)("Conv2DBackpropFilter on %s", (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });

  it.each(CASES)("matches the naive cpu kernel: x=$x k=$k s=$s $pad", async ({ x: xShape, k, s, pad, out }) => {
    await useBackend(backendName);
    const filterShape: [number, number, number, number] = [k, k, xShape[3], out];
    const attrs = { strides: s, pad, dataFormat: "NHWC", filterShape } as unknown as tf.NamedAttrMap;
    const x = rand(xShape, 1 + k * 7 + s);
    const y = tf.conv2d(x as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, s, pad);
    const dy = rand(y.shape, 99 + k);
    const ours = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs) as tf.Tensor;
    const oursCopy = ours.dataSync().slice();
    const oursShape = ours.shape;
    const ref = await reference(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, dy.shape, attrs);
    expect(oursShape).toEqual(filterShape);
    expect(maxAbsDiff(tf.tensor(oursCopy, oursShape), ref)).toBeLessThan(1e-4);
  });

  it("is used by tf.grad of conv2d and conv2dTranspose, leaking no tensors", () => {
    const x = rand([2, 8, 8, 3], 5) as tf.Tensor4D;
    const w = rand([4, 4, 3, 6], 6) as tf.Tensor4D;
    const wt = rand([4, 4, 5, 3], 7) as tf.Tensor4D; // transposed: [k, k, out, in]
    const before = tf.memory().numTensors;
    const g = tf.grad((k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, 2, "same"))))(w);
    expect(g.shape).toEqual(w.shape);
    g.dispose();
    const gt = tf.grad((k: tf.Tensor) => tf.sum(tf.square(tf.conv2dTranspose(x, k as tf.Tensor4D, [2, 16, 16, 5], 2, "same"))))(wt);
    expect(gt.shape).toEqual(wt.shape);
    expect(gt.dataSync().every((v) => Number.isFinite(v))).toBe(true);
    gt.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("has a gradient (second order through filter gradients) that matches finite differences", () => {
    const x = tf.variable(rand([2, 6, 6, 2], 11));
    const dy = rand([2, 3, 3, 3], 12);
    const r = rand([4, 4, 2, 3], 13);
    const attrs = { strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [4, 4, 2, 3] } as unknown as tf.NamedAttrMap;
    const loss = (): tf.Scalar =>
      tf.sum(tf.square(tf.mul(tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs) as tf.Tensor, r))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [x]);
    const g = grads[x.name]!.dataSync();
    for (const i of [0, 17, 40, 71]) expectClose(g[i]!, finiteDifference(loss, x, i, 1e-2));
  });
});

/** The reference for Conv2DBackpropInput: the naive kernel the backend shipped, run on the same backend. */
function naiveBackpropInput(backendName: string, dy: tf.Tensor, filter: tf.Tensor, attrs: tf.NamedAttrMap): tf.Tensor {
  const naive = originalKernel("Conv2DBackpropInput", backendName);
  if (naive === undefined) throw new Error(`no original ${backendName} kernel`);
  const info = naive.kernelFunc({ inputs: { dy, filter }, backend: tf.backend(), attrs }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

// Replaced on wasm only (on cpu the backend's own kernel is faster; see register.ts).
describe.each(["wasm"] as const)("Conv2DBackpropInput on %s", (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });

  const INPUT_CASES = [...CASES, { x: [2, 7, 7, 4] as [number, number, number, number], k: 3, s: 3, pad: "same" as Pad, out: 2 }];
  it.each(INPUT_CASES)("matches the backend's naive kernel: x=$x k=$k s=$s $pad", async ({ x: xShape, k, s, pad, out }) => {
    await useBackend(backendName);
    const filter = rand([k, k, xShape[3], out], 3 + k * 5 + s);
    const dyShape = tf.tidy(() => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, filter as tf.Tensor4D, s, pad).shape);
    const dy = rand(dyShape, 17 + k);
    const attrs = { strides: s, pad, dataFormat: "NHWC", inputShape: xShape } as unknown as tf.NamedAttrMap;
    const before = tf.memory().numTensors;
    const ours = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter }, attrs) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    const ref = naiveBackpropInput(backendName, dy, filter, attrs);
    expect(ours.shape).toEqual(xShape);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
    tf.dispose([ours, ref, dy, filter]);
  });

  it("is what conv2dTranspose runs, and its gradients match finite differences", () => {
    const x = tf.variable(rand([1, 3, 3, 2], 21));
    const w = rand([4, 4, 3, 2], 22) as tf.Tensor4D; // [k, k, out, in]
    const r = rand([1, 6, 6, 3], 23);
    const loss = (): tf.Scalar => tf.sum(tf.square(tf.mul(tf.conv2dTranspose(x as unknown as tf.Tensor4D, w, [1, 6, 6, 3], 2, "same"), r))) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [x]);
    const g = grads[x.name]!.dataSync();
    for (const i of [0, 5, 11, 17]) expectClose(g[i]!, finiteDifference(loss, x, i, 1e-2));
  });
});

describe("BatchMatMul on wasm (transposed operands made explicit)", () => {
  beforeAll(async () => {
    await useBackend("wasm");
  });

  const SHAPES: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [2, 6, 4], b: [2, 6, 3], ta: true, tb: false },
    { a: [3, 4, 6], b: [3, 5, 6], ta: false, tb: true },
    { a: [2, 3, 4, 6], b: [6, 5], ta: false, tb: false }, // b broadcast over a's batch
    { a: [1, 6, 4], b: [3, 5, 6], ta: true, tb: true }, // a broadcast over b's batch
  ];
  it.each(SHAPES)("matches the backend's own kernel: a=$a b=$b transposeA=$ta transposeB=$tb", async ({ a: aShape, b: bShape, ta, tb }) => {
    await useBackend("wasm");
    const a = rand(aShape, aShape.length * 3 + (ta ? 1 : 0));
    const b = rand(bShape, bShape.length * 5 + (tb ? 1 : 0));
    const attrs = { transposeA: ta, transposeB: tb } as unknown as tf.NamedAttrMap;
    const before = tf.memory().numTensors;
    const ours = tf.engine().runKernel("BatchMatMul", { a, b }, attrs) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    const own = originalKernel("BatchMatMul", "wasm")!;
    const ref = tf.engine().makeTensorFromTensorInfo(own.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs }) as tf.TensorInfo);
    expect(ours.shape).toEqual(ref.shape);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-5);
    tf.dispose([a, b, ours, ref]);
  });
});

describe("Conv2D on wasm (OpenBLAS when built)", () => {
  const DILATED = [
    { x: [2, 9, 9, 3], k: 3, s: 1, pad: "same" as Pad, out: 4, d: 2 },
    { x: [1, 11, 10, 2], k: 3, s: 1, pad: "valid" as Pad, out: 3, d: 3 },
  ];
  it.each([...CASES.map((c) => ({ ...c, d: 1 })), ...DILATED])(
    "matches the backend's own kernel: x=$x k=$k s=$s $pad dilation $d",
    async ({ x: xShape, k, s, pad, out, d }) => {
      await useBackend("wasm");
      const x = rand(xShape, 50 + k + s);
      const filter = rand([k, k, xShape[3], out], 60 + k);
      const attrs = { strides: s, pad, dataFormat: "NHWC", dilations: d } as unknown as tf.NamedAttrMap;
      const before = tf.memory().numTensors;
      const ours = tf.engine().runKernel("Conv2D", { x, filter }, attrs) as tf.Tensor;
      expect(tf.memory().numTensors).toBe(before + 1);
      const own = originalKernel("Conv2D", "wasm") ?? tf.getKernel("Conv2D", "wasm")!;
      const ref = tf.engine().makeTensorFromTensorInfo(own.kernelFunc({ inputs: { x, filter }, backend: tf.backend(), attrs }) as tf.TensorInfo);
      expect(ours.shape).toEqual(ref.shape);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
      tf.dispose([x, filter, ours, ref]);
    },
  );

  it("is what the wasm backend runs when OpenBLAS is built, and the run header says so", async () => {
    await useBackend("wasm");
    const lib = blas();
    if (lib === null) {
      console.warn(`OpenBLAS kernels: ${blasUnavailableReason()}; the wasm backend runs XNNPACK alone`);
      expect(backendInUse().blas).toBeUndefined();
      return;
    }
    expect(backendInUse().blas).toMatch(/^OpenBLAS \d/);
    expect(backendInUse().device).toMatch(/\+ OpenBLAS, \d+ threads?$/);
  });
});

describe("leaky ReLU on wasm (its gradient one kernel with OpenBLAS)", () => {
  /** The value, the gradient and the gradient of a gradient's norm (WGAN-GP's penalty) on `backendName`. */
  async function leakyOn(backendName: "cpu" | "wasm"): Promise<number[][]> {
    await useBackend(backendName);
    return tf.tidy(() => {
      const x = rand([5, 6], 70, -2, 2);
      const w = rand([6, 7], 71);
      const f = (v: tf.Tensor, k: tf.Tensor) => tf.sum(tf.square(leakyRelu(tf.matMul(v, k), 0.2)));
      const penalty = (k: tf.Tensor) => tf.sum(tf.square(tf.grad((v: tf.Tensor) => f(v, k))(x)));
      return [leakyRelu(tf.matMul(x, w), 0.2), tf.grad((v: tf.Tensor) => f(v, w))(x), tf.grad(penalty)(w)].map((t) => [...t.dataSync()]);
    });
  }

  it("matches cpu's composite: value, gradient, and the gradient of a gradient norm", async () => {
    const wasm = await leakyOn("wasm");
    const fused = tf.getKernel(LEAKY_RELU_GRAD, "wasm") !== undefined;
    expect(fused).toBe(blas() !== null);
    const cpu = await leakyOn("cpu");
    for (let i = 0; i < 3; i++) {
      expect(wasm[i]!.length).toBe(cpu[i]!.length);
      wasm[i]!.forEach((v, k) => expectClose(v, cpu[i]![k]!, 1e-4));
    }
  });
});

describe("element-wise arithmetic on wasm (OpenBLAS's addon where one operand repeats along the other)", () => {
  const PAIRS: Array<[number[], number[]]> = [
    [[64, 9, 9, 8], [64, 9, 9, 8]], // large enough to be split between threads
    [[6, 5, 4], [4]],
    [[1, 1, 4], [6, 5, 4]],
    [[], [7, 3]],
    [[7, 3], [1]],
    [[4, 1], [1, 5]], // a broadcast the addon does not take: the backend's own kernel
  ];
  it.each(["Add", "Sub", "Multiply", "RealDiv"])("%s matches the backend's own kernel, both operand orders", async (kernelName) => {
    await useBackend("wasm");
    const own = originalKernel(kernelName, "wasm") ?? tf.getKernel(kernelName, "wasm")!;
    for (const [i, [sa, sb]] of PAIRS.entries()) {
      for (const [x, y] of [[sa, sb], [sb, sa]] as const) {
        const a = rand(x, 80 + i, 0.5, 2);
        const b = rand(y, 90 + i, 0.5, 2);
        const ours = tf.engine().runKernel(kernelName, { a, b }, {}) as tf.Tensor;
        const ref = tf.engine().makeTensorFromTensorInfo(own.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs: {} }) as tf.TensorInfo);
        expect(ours.shape, `${kernelName} ${x} ${y}`).toEqual(ref.shape);
        expect(maxAbsDiff(ours, ref), `${kernelName} ${x} ${y}`).toBeLessThan(1e-6);
        tf.dispose([a, b, ours, ref]);
      }
    }
    const ints = tf.engine().runKernel(kernelName, { a: tf.tensor([6, 8], [2], "int32"), b: tf.tensor([3], [1], "int32") }, {}) as tf.Tensor;
    expect(ints.dtype).toBe("int32");
  });
});

describe("Exp on wasm (the addon's vectorised one when built)", () => {
  it("matches the backend's own to 1e-6 relative, with its infinities, zeros and NaN", async () => {
    await useBackend("wasm");
    const special = [-Infinity, -1000, -104, -103, -100, -88, -50, -1e-8, 0, 1e-8, 1, 10, 88, 88.72, 88.73, 1000, Infinity, NaN];
    const xs = [...special, ...Array.from({ length: 70_000 }, (_, i) => -90 + (180 * i) / 70_000)]; // enough to be split between threads
    const x = tf.tensor1d(xs);
    const own = originalKernel("Exp", "wasm") ?? tf.getKernel("Exp", "wasm")!;
    const ours = [...(tf.exp(x).dataSync() as Float32Array)];
    const ref = tf.engine().makeTensorFromTensorInfo(own.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs: {} }) as tf.TensorInfo);
    const want = [...(ref.dataSync() as Float32Array)];
    ours.forEach((v, i) => {
      const w = want[i]!;
      if (!Number.isFinite(w) || w === 0) expect(v, `exp(${xs[i]})`).toBe(w);
      else expect(Math.abs(v - w), `exp(${xs[i]})`).toBeLessThanOrEqual(1e-6 * w + 1e-37);
    });
    tf.dispose([x, ref]);
  });
});

describe("wasm kernels that avoid copies: Identity, same-type Cast, Sum and Mean over leading axes", () => {
  beforeAll(async () => {
    await useBackend("wasm");
  });

  it("clones and same-type casts share the buffer, which outlives the original", async () => {
    await useBackend("wasm");
    const x = rand([3, 4], 31, -5, 5);
    const values = x.dataSync().slice();
    const before = tf.backend().numDataIds();
    const clone = x.clone();
    const cast = tf.cast(x, "float32");
    expect(tf.backend().numDataIds()).toBe(before); // no new buffer
    x.dispose();
    expect(clone.dataSync()).toEqual(values);
    expect(cast.dataSync()).toEqual(values);
    clone.dispose();
    expect(cast.dataSync()).toEqual(values);
    expect(tf.cast(cast, "int32").dataSync()).toEqual(Int32Array.from(values, Math.trunc)); // another type: converted
    cast.dispose();
  });

  const REDUCTIONS: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [6, 5, 4, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [6, 5, 4, 3], axis: [0, 1, 2], keepDims: true },
    { shape: [9, 7], axis: [0], keepDims: false },
    { shape: [7, 5, 3], axis: [1, 0], keepDims: true },
    { shape: [4, 5, 6], axis: [1], keepDims: false }, // not leading: the backend's own kernel
  ];
  it.each(["Sum", "Mean"])("%s matches the backend's own kernel", async (kernelName) => {
    await useBackend("wasm");
    const own = originalKernel(kernelName, "wasm")!;
    for (const [i, { shape, axis, keepDims }] of REDUCTIONS.entries()) {
      const x = rand(shape, 40 + i);
      const attrs = { axis, keepDims } as unknown as tf.NamedAttrMap;
      const ours = tf.engine().runKernel(kernelName, { x }, attrs) as tf.Tensor;
      const ref = tf.engine().makeTensorFromTensorInfo(own.kernelFunc({ inputs: { x }, backend: tf.backend(), attrs }) as tf.TensorInfo);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-5);
      tf.dispose([x, ours, ref]);
    }
  });
});
