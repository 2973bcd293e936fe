/**
 * The OpenBLAS kernels (native/ganc_blas.cc, built by `npm run build` when g++ and
 * OpenBLAS are installed): the wasm backend's matrix products and convolutions run
 * as sgemm straight on the wasm heap, with AVX2/FMA where the wasm build has 128-bit
 * SIMD without fused multiply-add. Optional: without the built addon, or with
 * GANC_BLAS=off, the wasm backend runs on XNNPACK alone.
 */
import { createRequire } from "node:module";

/** The addon's functions (see native/ganc_blas.cc for their contracts). */
export interface Blas {
  /** kind 0: y = conv2d(a = x, b = filter); 1: dx from (a = dy, b = filter); 2: dfilter from (a = x, b = dy). */
  conv(kind: 0 | 1 | 2, a: Float32Array, b: Float32Array, out: Float32Array, geometry: number[]): void;
  /** out[i] = op(a[i]) · op(b[i]) for i < batch; [batch, m, n, k, transA, transB, strideA, strideB]. */
  gemm(a: Float32Array, b: Float32Array, out: Float32Array, dims: number[]): void;
  /** kind 0: out = leakyRelu(x); 1: out = dy · leakyRelu'(x) (dy unused for kind 0). */
  leaky(kind: 0 | 1, x: Float32Array, dy: Float32Array, out: Float32Array, alpha: number): void;
  /** out[c] = scale · Σ_r x[r, c], x as [rows, out.length]. */
  reduceRows(x: Float32Array, out: Float32Array, rows: number, scale: number): void;
  /** out = a op b (0 +, 1 −, 2 ×, 3 ÷), `small` repeating along `big`; `smallFirst`: small is a. */
  binary(op: 0 | 1 | 2 | 3, big: Float32Array, small: Float32Array, out: Float32Array, smallFirst: boolean): void;
  /** out = e^x, to within 1e-7 relative. */
  exp(x: Float32Array, out: Float32Array): void;
  setThreads(threads: number): void;
  /** OpenBLAS's build and the CPU kernels it chose: "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell ...". */
  describe(): string;
}

let loaded: Blas | null | undefined;
let failure = "";

/** The addon, or null when it is not built, fails to load, or GANC_BLAS=off. */
export function blas(): Blas | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.GANC_BLAS === "off") {
    failure = "turned off by GANC_BLAS=off";
    return loaded;
  }
  // The addon splits the products between its own threads and runs OpenBLAS single-threaded,
  // so OpenBLAS need not start its thread pool (read when the library loads).
  const asked = process.env.OPENBLAS_NUM_THREADS;
  process.env.OPENBLAS_NUM_THREADS = "1";
  try {
    // Both src/runtime/kernels and dist/runtime/kernels are three folders below the package root.
    loaded = createRequire(import.meta.url)(new URL("../../../dist/native/ganc_blas.node", import.meta.url).pathname) as Blas;
  } catch (e) {
    const code = (e as { code?: string }).code;
    failure = code === "MODULE_NOT_FOUND" ? "not built: apt-get install g++ libopenblas-dev, then npm run build" : (e as Error).message.split("\n")[0]!;
  } finally {
    if (asked === undefined) delete process.env.OPENBLAS_NUM_THREADS;
    else process.env.OPENBLAS_NUM_THREADS = asked;
  }
  return loaded;
}

/** Why `blas()` is null, for `ganc backends`. */
export function blasUnavailableReason(): string {
  blas();
  return failure;
}
