/**
 * Backend selection: `useBackend("auto" | "tensorflow" | "wasm" | "cpu")`.
 *
 * - `auto`: tfjs-node-gpu, then tfjs-node (optional packages, loaded only if
 *   installed), else wasm.
 * - `wasm`: loads the wasm binaries from the installed package's `dist/`
 *   directory (no network). Multithreaded SIMD is tried first; if it does not
 *   start under Node it silently falls back to single-threaded SIMD (or plain
 *   wasm). `wasmVariant()` tells which one loaded.
 * - after a backend is set, the runtime's own kernels (kernels/) are registered.
 */
import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import path from "node:path";
import { RuntimeUserError } from "./errors.js";
import { registerRuntimeKernels } from "./kernels/register.js";

export type BackendName = "auto" | "tensorflow" | "wasm" | "cpu";
export type WasmVariant = "threaded-simd" | "simd" | "plain";

/** The names `useBackend` accepts (the CLI offers the same). */
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "tensorflow", "wasm", "cpu"];
let loadedWasmVariant: WasmVariant | null = null;
let wasmModule: typeof import("@tensorflow/tfjs-backend-wasm") | null = null;

/** Which wasm binary loaded, or null when wasm has not been initialised. */
export function wasmVariant(): WasmVariant | null {
  return loadedWasmVariant;
}

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
  if (tf.getBackend() === "wasm" && loadedWasmVariant !== null) return "wasm";
  wasmModule ??= await import("@tensorflow/tfjs-backend-wasm");
  const pkgJson = createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json");
  wasmModule.setWasmPaths(path.join(path.dirname(pkgJson), "dist") + path.sep);
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  if (!("wasm" in tf.engine().registry) && simd) {
    // tfjs disables threads under Node; try anyway and keep it if it starts.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    if (await quietly(() => tf.setBackend("wasm"))) {
      loadedWasmVariant = "threaded-simd";
      await tf.ready();
      return "wasm";
    }
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  }
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new RuntimeUserError("the wasm backend failed to initialise (see the warning above)");
  await tf.ready();
  loadedWasmVariant ??= simd ? "simd" : "plain";
  return "wasm";
}

/** Runs `f` with console.warn silenced; false if it throws or returns false. */
async function quietly(f: () => Promise<boolean>): Promise<boolean> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await f();
  } catch {
    return false;
  } finally {
    console.warn = warn;
  }
}

