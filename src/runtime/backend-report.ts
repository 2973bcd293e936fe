/**
 * What each backend is on this machine (`ganc backends`): whether it loads, the device it runs on,
 * whether a small convolution on it matches the cpu backend, and what to install when it is missing.
 */
import * as tf from "@tensorflow/tfjs";
import { autoBackend, loadNativeTensorflow, nativeUsesGpu, useBackend, wasmVariant, type BackendName } from "./backend.js";
import { isRuntimeUserError } from "./errors.js";
import { blas, blasUnavailableReason } from "./kernels/blas.js";
import { describeAdapter, probeWebgpu } from "./webgpu.js";

export interface BackendReport {
  name: Exclude<BackendName, "auto">;
  /** ok: loads and computes correctly; software: ok, on a software renderer (auto skips it); missing: not installed or no device; failed: loads but fails. */
  status: "ok" | "software" | "missing" | "failed";
  /** What it runs on, or why it does not. */
  detail: string;
  /** What to install or do, one line each. */
  install: string[];
}

const NATIVE_INSTALL = [
  "CPU: `npm install @tensorflow/tfjs-node` (libtensorflow 2.9.1 on the CPU)",
  "NVIDIA GPU: `npm install @tensorflow/tfjs-node-gpu`, which needs CUDA 11.2 and cuDNN 8.1 exactly; with CUDA 12 it logs \"Could not load dynamic library 'libcudart.so.11.0'\" and runs on the CPU. On current GPUs, use --backend webgpu",
];

const WEBGPU_INSTALL = [
  "a GPU: its vendor's Vulkan driver and the Vulkan loader (Debian/Ubuntu: `apt-get install libvulkan1`; NVIDIA: the proprietary driver includes the Vulkan ICD; AMD/Intel: `apt-get install mesa-vulkan-drivers`)",
  "no GPU (tests, CI): `scripts/install-software-gpu.sh` installs Mesa's software renderer (correct but slower than wasm)",
];

const WASM_BLAS_INSTALL = "1.4–3× faster training on the CPU: `apt-get install g++ libopenblas-dev`, then `npm run build` (builds the OpenBLAS kernels)";

/** A small conv2d + dense computed on the current backend, against the same on cpu: the largest absolute difference. */
async function selfCheck(backend: string): Promise<number> {
  const run = () =>
    tf.tidy(() => {
      const x = tf.reshape(tf.sin(tf.range(0, 2 * 8 * 8 * 3)), [2, 8, 8, 3]);
      const w = tf.reshape(tf.cos(tf.range(0, 3 * 3 * 3 * 4)), [3, 3, 3, 4]);
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same");
      return tf.matMul(tf.reshape(y, [2, -1]), tf.reshape(tf.tanh(tf.range(0, 64 * 5)), [64, 5]));
    });
  await useBackend(backend as Exclude<BackendName, "auto">);
  const mine = run();
  const got = await mine.data();
  mine.dispose();
  await useBackend("cpu");
  const ref = run();
  const want = await ref.data();
  ref.dispose();
  return Array.from(got).reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
}

const CHECK_TOLERANCE = 1e-3;

async function checked(name: BackendReport["name"], detail: string, status: "ok" | "software" = "ok", install: string[] = []): Promise<BackendReport> {
  try {
    const diff = await selfCheck(name);
    if (!(diff <= CHECK_TOLERANCE)) return { name, status: "failed", detail: `${detail}; a test convolution differs from the cpu backend by ${diff}`, install };
    return { name, status, detail, install };
  } catch (e) {
    return { name, status: "failed", detail: `${detail}; ${isRuntimeUserError(e) ? e.message : `a test convolution failed: ${(e as Error).message}`}`, install };
  }
}

/** Reports on every backend, and which one `--backend auto` picks. Leaves the cpu backend in use. */
export async function inspectBackends(): Promise<{ reports: BackendReport[]; auto: string }> {
  const reports: BackendReport[] = [];

  const probe = await probeWebgpu();
  if (probe.adapter === null) {
    reports.push({ name: "webgpu", status: "missing", detail: ["no adapter", ...probe.problems].join("; "), install: WEBGPU_INSTALL });
  } else {
    const others = probe.found.filter((a) => a !== probe.adapter).map((a) => `also ${describeAdapter(a)}`);
    const detail = [describeAdapter(probe.adapter), ...others].join("; ");
    reports.push(await checked("webgpu", detail, probe.adapter.software ? "software" : "ok", probe.adapter.software ? WEBGPU_INSTALL.slice(0, 1) : []));
  }

  let native: string | null = null;
  try {
    native = await loadNativeTensorflow();
  } catch (e) {
    reports.push({ name: "tensorflow", status: "failed", detail: (e as Error).message, install: NATIVE_INSTALL });
  }
  if (native !== null) {
    const gpu = nativeUsesGpu();
    const cpuOnlyGpuPackage = native.endsWith("-gpu") && !gpu;
    reports.push(await checked("tensorflow", `${native}, ${gpu ? "on a CUDA GPU" : "on the CPU"}${cpuOnlyGpuPackage ? " (the GPU package found no usable CUDA 11.2 / cuDNN 8.1)" : ""}`, "ok", cpuOnlyGpuPackage ? NATIVE_INSTALL.slice(1) : []));
  } else if (!reports.some((r) => r.name === "tensorflow")) {
    reports.push({ name: "tensorflow", status: "missing", detail: "the native TensorFlow bindings are not installed (optional)", install: NATIVE_INSTALL });
  }

  const wasm = await checked("wasm", "WebAssembly on the CPU");
  const lib = blas();
  const products = lib !== null ? `; products and convolutions on ${lib.describe()}` : `; without the OpenBLAS kernels (${blasUnavailableReason()})`;
  reports.push({
    ...wasm,
    detail: `${wasm.detail}${wasmVariant() ? `, ${wasmVariant()}` : ""}${products}`,
    install: lib !== null || process.env.GANC_BLAS === "off" ? wasm.install : [...wasm.install, WASM_BLAS_INSTALL],
  });
  reports.push(await checked("cpu", "plain JavaScript on the CPU (slow; the reference for tests)"));
  return { reports, auto: await autoBackend() };
}
