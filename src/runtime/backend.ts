/**
 * Backend selection: `useBackend("auto" | "tensorflow" | "wasm" | "cpu")`.
 *
 * - `auto`: tfjs-node-gpu, then tfjs-node (optional packages, loaded only if
 *   installed), else wasm.
 * - `wasm`: the installed package's binaries (no network), multithreaded SIMD
 *   on every core unless `setWasmThreads` says otherwise (see wasm-threads.ts).
 *   `wasmVariant()` and `wasmThreads()` tell what runs.
 * - after a backend is set, the runtime's own kernels (kernels/) are registered.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import { registerRuntimeKernels } from "./kernels/register.js";
import { startWasm } from "./wasm-threads.js";

export { wasmVariant, type WasmVariant } from "./wasm-threads.js";

export type BackendName = "auto" | "tensorflow" | "wasm" | "cpu";

/** The names `useBackend` accepts (the CLI offers the same). */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "tensorflow", "wasm", "cpu"];

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
  } else {
    const native = await loadNativeTensorflow();
    if (native !== null) {
      chosen = await setOrThrow("tensorflow");
    } else if (name === "tensorflow") {
      throw new RuntimeUserError(
        "backend \"tensorflow\" needs the native TensorFlow bindings, which are not installed.\n" +
          "Install them with `npm install @tensorflow/tfjs-node` (CPU) or `npm install @tensorflow/tfjs-node-gpu` (CUDA GPU),\n" +
          "or choose --backend wasm / cpu.",
      );
    } else {
      chosen = await setWasm();
    }
  }
  registerRuntimeKernels();
  return chosen;
}

async function setOrThrow(name: string): Promise<string> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new RuntimeUserError(`backend "${name}" failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}

/** Returns the loaded package name, or null when neither optional package is installed. */
async function loadNativeTensorflow(): Promise<string | null> {
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
  return "wasm";
}
