/**
 * Backend selection: `useBackend("auto" | "webgpu" | "tensorflow" | "wasm" | "cpu")`.
 *
 * - `auto`: the native TensorFlow bindings when installed and using a GPU
 *   (tfjs-node-gpu), then a WebGPU adapter that is a real GPU (not a software
 *   renderer), then the native bindings on the CPU when installed (tfjs-node),
 *   else wasm.
 * - `webgpu`: Dawn through tfjs-backend-webgpu on any adapter, software
 *   renderers included (see webgpu.ts).
 * - `wasm`: the installed package's binaries (no network), multithreaded SIMD
 *   on every core unless `setWasmThreads` says otherwise (see wasm-threads.ts).
 *   `wasmVariant()` and `wasmThreads()` tell what runs. Its matrix products and
 *   convolutions run on OpenBLAS, with as many threads, when the addon is built
 *   (kernels/blas.ts).
 * - after a backend is set, the runtime's own kernels (kernels/) are registered.
 * `backendInUse()` describes the backend and its device (run header, run.json).
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import { blas } from "./kernels/blas.js";
import { registerRuntimeKernels } from "./kernels/register.js";
import { startWasm, wasmThreads, wasmVariant, type WasmVariant } from "./wasm-threads.js";
import { describeAdapter, probeWebgpu, startWebgpu, webgpuAdapter, type GpuAdapter } from "./webgpu.js";

export { wasmVariant, type WasmVariant } from "./wasm-threads.js";

export type BackendName = "auto" | "webgpu" | "tensorflow" | "wasm" | "cpu";

/** The names `useBackend` accepts (the CLI offers the same). */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "webgpu", "tensorflow", "wasm", "cpu"];

/** Selects a backend, waits until it is ready, and returns the name actually in use. */
export async function useBackend(name: BackendName): Promise<string> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new RuntimeUserError(`unknown backend "${String(name)}": expected one of ${BACKEND_NAMES.join(", ")}`);
  }
  let chosen: string;
  if (name === "cpu") {
    chosen = await setOrThrow("cpu");
    // The cpu backend prints an "install tfjs-node" banner on first use; the CLI says so itself.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  } else if (name === "wasm") {
    chosen = await setWasm();
  } else if (name === "webgpu") {
    await startWebgpu();
    chosen = "webgpu";
  } else if (name === "tensorflow") {
    if ((await loadNativeTensorflow()) === null) {
      throw new RuntimeUserError(
        "backend \"tensorflow\" needs the native TensorFlow bindings, which are not installed.\n" +
          "Install them with `npm install @tensorflow/tfjs-node` (CPU) or `npm install @tensorflow/tfjs-node-gpu` (CUDA GPU),\n" +
          "or choose --backend wasm (or webgpu, cpu).",
      );
    }
    chosen = await setOrThrow("tensorflow");
  } else {
    return useBackend(await autoBackend());
  }
  registerRuntimeKernels(chosen);
  return chosen;
}

/**
 * What `auto` uses: the native bindings when they run on a GPU, else a WebGPU adapter that is a
 * real GPU, else the native bindings on the CPU when installed, else wasm.
 */
export async function autoBackend(): Promise<Exclude<BackendName, "auto">> {
  const native = await loadNativeTensorflow();
  if (native !== null && nativeUsesGpu()) return "tensorflow";
  if ((await probeWebgpu()).found.some((a) => !a.software)) return "webgpu";
  return native !== null ? "tensorflow" : "wasm";
}

/** True when the native backend runs on a GPU (tfjs-node-gpu that found CUDA); initialises it without switching to it. */
export function nativeUsesGpu(): boolean {
  return (tf.findBackend("tensorflow") as unknown as { isUsingGpuDevice?: boolean } | null)?.isUsingGpuDevice === true;
}

/** The backend in use and what it runs on, for the run header and run.json. */
export interface BackendInUse {
  backend: string;
  /** wasm: which binary loaded. */
  wasmVariant?: WasmVariant;
  /** wasm: the OpenBLAS build its products and convolutions run on, when built. */
  blas?: string;
  /** webgpu: the adapter. */
  adapter?: GpuAdapter;
  /** One line for people: "webgpu on vulkan: NVIDIA GeForce RTX 4090 (nvidia, lovelace)". */
  device: string;
}

export function backendInUse(): BackendInUse {
  const backend = tf.getBackend();
  if (backend === "webgpu" && webgpuAdapter() !== null) return { backend, adapter: webgpuAdapter()!, device: describeAdapter(webgpuAdapter()!) };
  const variant = wasmVariant();
  if (backend === "wasm" && variant !== null) {
    const threads = wasmThreads() ?? 1;
    const lib = blas();
    const engines = `WebAssembly ${variant}${lib === null ? "" : " + OpenBLAS"}`;
    const device = `CPU, ${engines}, ${threads} thread${threads === 1 ? "" : "s"}`;
    return { backend, wasmVariant: variant, ...(lib === null ? {} : { blas: lib.describe() }), device };
  }
  if (backend === "tensorflow") return { backend, device: nativeUsesGpu() ? "GPU through libtensorflow (CUDA)" : "CPU through libtensorflow" };
  return { backend, device: backend === "cpu" ? "CPU, JavaScript, 1 thread" : backend };
}

/** The backend in use in words, for run headers: "wasm (CPU, WebAssembly threaded-simd, 2 threads)". */
export function backendDescription(): string {
  const { backend, device } = backendInUse();
  return `${backend} (${device})`;
}

async function setOrThrow(name: string): Promise<string> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new RuntimeUserError(`backend "${name}" failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}

/** Returns the loaded package name, or null when neither optional package is installed. */
export async function loadNativeTensorflow(): Promise<string | null> {
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      // A variable specifier keeps TypeScript from requiring the optional package's types.
      const spec: string = pkg;
      await import(spec);
      if (tf.findBackendFactory("tensorflow") !== null) return pkg;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") {
        throw new RuntimeUserError(`${pkg} is installed but failed to load: ${(e as Error).message}`);
      }
    }
  }
  return null;
}

async function setWasm(): Promise<string> {
  await startWasm();
  blas()?.setThreads(wasmThreads() ?? 1);
  return "wasm";
}
