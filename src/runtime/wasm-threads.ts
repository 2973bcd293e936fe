/**
 * Starting tfjs's wasm backend with a chosen number of threads, under Node.
 *
 * tfjs's own start-up cannot run the multithreaded SIMD build under Node: it hands
 * Emscripten a `blob:` URL for the pthread worker script, which Node's `Worker` rejects
 * (ERR_WORKER_PATH), and the worker then loads the module factory from a Blob of the
 * bundled factory's source, which does not run outside the bundle. So the runtime
 * registers its own "wasm" factory that calls the Emscripten factories the package
 * ships in `wasm-out/` itself:
 *
 * - the pthread worker is a `data:` URL (an ES module) that loads tfjs's own worker
 *   script (`wasmWorkerContents`) with a `require` of its own;
 * - the worker loads the factory from its file (`mainScriptUrlOrBlob` is a path);
 * - `emscripten_num_logical_cores` reports twice the thread count: tfjs halves it
 *   (assuming two hyperthreads per core) and caps its XNNPACK threadpool at the result.
 *
 * The threadpool's workers are unreferenced, so they never keep a finished process
 * alive. One thread uses the single-threaded SIMD build (no workers at all).
 *
 * XNNPACK splits output tiles between threads, never a sum: results are deterministic
 * for a thread count and agree with other counts to float rounding. Should the threaded
 * build fail to start, the single-threaded one runs (and says so: `wasmThreads()` is 1).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";

export type WasmVariant = "threaded-simd" | "simd" | "plain";

/** tfjs preallocates 8 pthread workers and caps its threadpool there. */
export const MAX_WASM_THREADS = 8;

const require = createRequire(import.meta.url);
const wasmOut = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "wasm-out");

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");
type EmscriptenModule = Record<string, unknown> & {
  cwrap(name: string, ret: string | null, args: string[]): unknown;
  PThread?: { runningWorkers: { unref(): void }[] };
};
type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

let requested: number | null = null;
let running: { variant: WasmVariant; threads: number } | null = null;

/** The thread count used when none is set: $GANC_THREADS, else every core the process may use (at most 8). */
export function defaultWasmThreads(): number {
  const env = process.env.GANC_THREADS;
  if (env !== undefined && env !== "") return checkThreads(Number(env), `GANC_THREADS=${env}: `);
  return Math.min(os.availableParallelism(), MAX_WASM_THREADS);
}

function checkThreads(threads: number, where = ""): number {
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_WASM_THREADS)) {
    throw new RuntimeUserError(`${where}the number of threads must be a whole number from 1 to ${MAX_WASM_THREADS}, found ${threads}`);
  }
  return threads;
}

/**
 * Sets the number of threads the wasm backend runs with (`undefined`: the default). A
 * running wasm backend with another count is replaced at the next `useBackend("wasm")`.
 */
export function setWasmThreads(threads: number | undefined): void {
  requested = threads === undefined ? null : checkThreads(threads);
}

/** The threads the running wasm backend uses, or null when wasm has not been started. */
export function wasmThreads(): number | null {
  return running?.threads ?? null;
}

/** Which wasm binary runs, or null when wasm has not been started. */
export function wasmVariant(): WasmVariant | null {
  return running?.variant ?? null;
}

/** Makes the wasm backend current, with the requested thread count; returns the variant that runs. */
export async function startWasm(): Promise<WasmVariant> {
  // Importing the package registers its kernels and flags (and its own factory, replaced below).
  const pkg: WasmPackage = await import("@tensorflow/tfjs-backend-wasm");
  const threads = requested ?? defaultWasmThreads();
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  const variant: WasmVariant = !simd ? "plain" : threads > 1 ? "threaded-simd" : "simd";
  const wanted = variant === "threaded-simd" ? threads : 1;
  if (running !== null && running.variant === variant && running.threads === wanted && tf.findBackend("wasm") !== null) {
    if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
    return variant;
  }
  running = null;
  let started = variant;
  if (!(await register(pkg, variant, wanted))) {
    started = "simd";
    if (variant !== "threaded-simd" || !(await register(pkg, started, 1))) {
      throw new RuntimeUserError(`the wasm backend (${variant}) failed to initialise (see the warning above)`);
    }
  }
  await tf.ready();
  running = { variant: started, threads: pkg.getThreadsCount() };
  return started;
}

/** Replaces tfjs's "wasm" backend with one of `variant` and selects it; false when it fails to start. */
async function register(pkg: WasmPackage, variant: WasmVariant, threads: number): Promise<boolean> {
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm");
  tf.registerBackend("wasm", () => createBackend(pkg, variant, threads), 2);
  return tf.setBackend("wasm");
}

async function createBackend(pkg: WasmPackage, variant: WasmVariant, threads: number): Promise<tf.KernelBackend> {
  const threaded = variant === "threaded-simd";
  const script = path.join(wasmOut, threaded ? "tfjs-backend-wasm-threaded-simd.js" : "tfjs-backend-wasm.js");
  const binary = path.join(wasmOut, threaded ? "tfjs-backend-wasm-threaded-simd.wasm" : variant === "simd" ? "tfjs-backend-wasm-simd.wasm" : "tfjs-backend-wasm.wasm");
  const factory = require(script) as Factory;
  // Emscripten's Node start-up adds process listeners that rethrow every uncaught error
  // (printing a line of the minified factory); Node's own handling stays.
  const listeners = { uncaughtException: process.listeners("uncaughtException"), unhandledRejection: process.listeners("unhandledRejection") };
  const module = await factory({
    locateFile: (file: string) => (file.endsWith(".worker.js") ? pthreadWorkerUrl() : file.endsWith(".wasm") ? binary : path.join(wasmOut, file)),
    mainScriptUrlOrBlob: script,
    instantiateWasm(info: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      if (threaded) info.env.emscripten_num_logical_cores = () => 2 * threads;
      // Synchronous, so that a failure rejects the factory's promise (Emscripten catches it).
      const compiled = new WebAssembly.Module(readFileSync(binary));
      const instance = new WebAssembly.Instance(compiled, info as WebAssembly.Imports);
      receive(instance, compiled);
      return instance.exports;
    },
  });
  for (const l of process.listeners("uncaughtException")) if (!listeners.uncaughtException.includes(l)) process.off("uncaughtException", l);
  for (const l of process.listeners("unhandledRejection")) if (!listeners.unhandledRejection.includes(l)) process.off("unhandledRejection", l);
  // What tfjs's own start-up attaches (backend_wasm.ts, `init`).
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(module as unknown as ConstructorParameters<WasmPackage["BackendWasm"]>[0]);
  // The threadpool's threads wait for work forever; they must not keep the process alive.
  for (const worker of module.PThread?.runningWorkers ?? []) worker.unref();
  return backend;
}

/** A module worker that runs tfjs's pthread worker script with the `require` and `__filename` it expects. */
function pthreadWorkerUrl(): URL {
  const script = path.join(wasmOut, "tfjs-backend-wasm-threaded-simd.worker.js");
  const code = [
    `import { createRequire } from "node:module";`,
    `const require = createRequire(${JSON.stringify(script)});`,
    // tfjs escapes the newlines inside the script's string literals the same way before using it.
    `const { wasmWorkerContents } = require(${JSON.stringify(script)});`,
    `new Function("require", "__filename", wasmWorkerContents.replace(/\\n/g, "\\\\n"))(require, ${JSON.stringify(script)});`,
  ].join("\n");
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Threads the current backend computes with: wasm's count, 1 for cpu, null when the backend decides (tensorflow). */
export function backendThreads(): number | null {
  const name = tf.getBackend();
  return name === "wasm" ? wasmThreads() : name === "cpu" ? 1 : null;
}
