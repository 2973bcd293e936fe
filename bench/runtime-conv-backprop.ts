/**
 * Benchmark: the runtime's kernels vs the ones tfjs ships, on DCGAN-sized
 * layers: Conv2DBackpropFilter (cpu ships a naive one, wasm none) and, on
 * wasm, Conv2DBackpropInput (naive) and BatchMatMul with transposed operands.
 * Prints the speed ratio per shape.
 *
 *   npx tsc -p tsconfig.json --rootDir . --outDir .cache/bench && node .cache/bench/bench/runtime-conv-backprop.js
 *   (any way of running a TypeScript ESM file works; takes about a minute,
 *   almost all of it in the naive kernel)
 */
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../src/runtime/backend.js";
import { originalKernel } from "../src/runtime/kernels/register.js";

interface Case {
  x: [number, number, number, number];
  kernel: number;
  stride: number;
  filters: number;
  pad: "same" | "valid";
}

const CASES: Case[] = [
  { x: [32, 28, 28, 1], kernel: 4, stride: 2, filters: 64, pad: "same" },
  { x: [32, 14, 14, 64], kernel: 4, stride: 2, filters: 128, pad: "same" },
  { x: [32, 16, 16, 32], kernel: 3, stride: 1, filters: 32, pad: "same" },
  { x: [32, 32, 32, 3], kernel: 5, stride: 2, filters: 64, pad: "valid" },
];

function timeMs(f: () => tf.Tensor, reps: number, warmUp = true): number {
  if (warmUp) f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const r = f();
    r.dataSync();
    r.dispose();
  }
  return (performance.now() - t0) / reps;
}

/** Times the runtime's kernel and, where the backend shipped one, the kernel it replaced. */
function compare(backendName: string, kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap, label: string): void {
  const ours = timeMs(() => tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor, 5);
  let line = `${backendName.padEnd(4)} ${kernelName.padEnd(20)} ${label}: ours ${ours.toFixed(1)} ms`;
  const naive = originalKernel(kernelName, backendName);
  if (naive !== undefined) {
    const ref = timeMs(() => {
      const info = naive.kernelFunc({ inputs, backend: tf.backend(), attrs }) as tf.TensorInfo;
      return tf.engine().makeTensorFromTensorInfo(info);
    }, 1, false); // the naive kernels take up to seconds: one timed run
    line += `, naive ${ref.toFixed(1)} ms, speed-up ${(ref / ours).toFixed(1)}x`;
  } else {
    line += ` (${backendName} has no built-in kernel to compare)`;
  }
  console.log(line);
}

const MATMULS: Array<{ a: [number, number]; b: [number, number]; transposeA: boolean; transposeB: boolean; what: string }> = [
  { a: [64, 3136], b: [64, 1024], transposeA: true, transposeB: false, what: "dense 3136->1024 weight gradient" },
  { a: [64, 1024], b: [3136, 1024], transposeA: false, transposeB: true, what: "dense 3136->1024 input gradient" },
  { a: [64, 100], b: [64, 6272], transposeA: true, transposeB: false, what: "dense 100->6272 weight gradient" },
];

async function main(): Promise<void> {
  for (const backendName of ["cpu", "wasm"] as const) {
    await useBackend(backendName);
    for (const c of CASES) {
      const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.x[3], c.filters];
      const x = tf.randomNormal(c.x);
      const filter = tf.randomNormal(filterShape);
      const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad).shape));
      const label = `x=${JSON.stringify(c.x)} k=${c.kernel} s=${c.stride} f=${c.filters} ${c.pad}`;
      const common = { strides: c.stride, pad: c.pad, dataFormat: "NHWC" };
      compare(backendName, "Conv2DBackpropFilter", { x, dy }, { ...common, filterShape } as unknown as tf.NamedAttrMap, label);
      if (backendName === "wasm") compare(backendName, "Conv2DBackpropInput", { dy, filter }, { ...common, inputShape: c.x } as unknown as tf.NamedAttrMap, label);
      tf.dispose([x, filter, dy]);
    }
  }
  for (const m of MATMULS) {
    const a = tf.randomNormal([1, ...m.a]);
    const b = tf.randomNormal([1, ...m.b]);
    compare("wasm", "BatchMatMul", { a, b }, { transposeA: m.transposeA, transposeB: m.transposeB } as unknown as tf.NamedAttrMap, m.what);
    tf.dispose([a, b]);
  }
}

await main();
