/**
 * The WebGPU backend in Node: Dawn (the `webgpu` package, a prebuilt `dawn.node`) under
 * `@tensorflow/tfjs-backend-webgpu`.
 *
 * Dawn reaches a GPU through a platform API ("route"): Vulkan on Linux (Metal on macOS, D3D12 on
 * Windows), or OpenGL ES on Linux (with `EGL_PLATFORM=surfaceless` and a compatibility-mode
 * adapter). Finding an adapter happens in a child process (`probeWebgpu`): Dawn prints its
 * warnings ("Couldn't load Vulkan ..." with a source location) straight to the process's stderr,
 * and a broken driver can crash or hang; the child keeps both away from the user's run. The
 * route that found the adapter is then opened in this process (`startWebgpu`).
 *
 * A software renderer (Mesa's llvmpipe through lavapipe or GLES, SwiftShader) is a valid adapter
 * for `--backend webgpu` (CI tests run on one) but `--backend auto` skips it. Dawn's `null`
 * backend computes garbage and is never used.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";
import { quietly } from "./quietly.js";

/** How Dawn reaches the GPU: the platform's own API (Vulkan, Metal, D3D12) or OpenGL ES (Linux). */
export type WebgpuRoute = "native" | "opengles";

/** The adapter a WebGPU backend runs on, as Dawn describes it. */
export interface GpuAdapter {
  route: WebgpuRoute;
  /** The platform API behind the route: "vulkan", "metal", "d3d12" or "opengles". */
  api: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation of the API (llvmpipe, SwiftShader...): correct, but slower than wasm. */
  software: boolean;
}

/** What probing for a WebGPU adapter found. */
export interface WebgpuProbe {
  /** The adapter to use: the first real GPU, else the first software renderer; null when none. */
  adapter: GpuAdapter | null;
  /** Every adapter found, one per route at most. */
  found: GpuAdapter[];
  /** Why a route gave nothing, in words, with what to install. */
  problems: string[];
}

const NATIVE_API: Record<string, string> = { linux: "vulkan", darwin: "metal", win32: "d3d12" };
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render/i;

/** The routes tried on this platform, in order of preference. */
function routes(): WebgpuRoute[] {
  return process.platform === "linux" ? ["native", "opengles"] : ["native"];
}

/** Dawn's options and the adapter request of a route. */
export function routeOptions(route: WebgpuRoute): { flags: string[]; request: Record<string, unknown> } {
  return route === "opengles"
    ? { flags: ["backend=opengles"], request: { featureLevel: "compatibility", powerPreference: "high-performance" } }
    : { flags: [], request: { powerPreference: "high-performance" } };
}

/** The environment a route adds: `EGL_PLATFORM=surfaceless` lets Mesa's EGL start without a display (a user's own setting wins). */
function routeEnv(route: WebgpuRoute): Record<string, string> {
  return route === "opengles" && process.env.EGL_PLATFORM === undefined ? { EGL_PLATFORM: "surfaceless" } : {};
}

/** The file URL of the installed `webgpu` package, or null when it is not installed. */
function webgpuModuleUrl(): string | null {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve("webgpu")).href;
  } catch {
    return null;
  }
}

interface RawInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

function adapterOf(route: WebgpuRoute, info: RawInfo): GpuAdapter {
  const text = (k: keyof RawInfo) => (typeof info[k] === "string" ? (info[k] as string) : "");
  const a = { vendor: text("vendor"), architecture: text("architecture"), device: text("device"), description: text("description") };
  const software = info.isFallbackAdapter === true || SOFTWARE.test(`${a.architecture} ${a.device} ${a.description}`);
  return { route, api: route === "opengles" ? "opengles" : (NATIVE_API[process.platform] ?? "native"), ...a, software };
}

/** One line naming an adapter: "vulkan: NVIDIA GeForce RTX 4090 (nvidia, lovelace)". */
export function describeAdapter(a: GpuAdapter): string {
  const name = a.description || a.device || "unnamed adapter";
  const detail = [a.vendor, a.architecture].filter((s) => s !== "").join(", ");
  return `${a.api}: ${name}${detail ? ` (${detail})` : ""}${a.software ? " — a software renderer" : ""}`;
}

// The child: loads Dawn, asks each route for an adapter and a device, prints one JSON line.
const PROBE_SCRIPT = `
const { url, route, flags, request } = JSON.parse(process.env.GANC_WEBGPU_PROBE);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\\n");
let mod;
try { mod = await import(url); } catch (e) { say({ loadError: String(e && e.message || e) }); process.exit(0); }
try {
  const gpu = mod.create(flags);
  const adapter = await gpu.requestAdapter(request);
  if (!adapter) { say({ route, adapter: null }); process.exit(0); }
  const i = adapter.info;
  const info = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter };
  const device = await adapter.requestDevice();
  device.destroy();
  say({ route, adapter: info });
} catch (e) { say({ route, error: String(e && e.message || e) }); }
process.exit(0);
`;

interface ProbeLine {
  loadError?: string;
  route?: WebgpuRoute;
  adapter?: RawInfo | null;
  error?: string;
}

const PROBE_TIMEOUT_MS = 60_000;

/** Runs the probe script for one route; resolves with its JSON line and what Dawn wrote to stderr. */
function probeRoute(url: string, route: WebgpuRoute): Promise<{ line: ProbeLine | null; stderr: string; failure?: string }> {
  const { flags, request } = routeOptions(route);
  const env = { ...process.env, ...routeEnv(route), GANC_WEBGPU_PROBE: JSON.stringify({ url, route, flags, request }) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", PROBE_SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), PROBE_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ line: null, stderr: err, failure: e.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split("\n").pop();
      try {
        resolve({ line: JSON.parse(last ?? "") as ProbeLine, stderr: err });
      } catch {
        resolve({ line: null, stderr: err, failure: signal ? `the probe was stopped (${signal}${signal === "SIGKILL" ? ", after 60 s" : ""})` : `the probe exited with code ${code}` });
      }
    });
  });
}

/** What to do when a route found no adapter, from Dawn's own words. */
function routeHint(route: WebgpuRoute, stderr: string): string {
  if (route === "native" && process.platform === "linux") {
    if (/Couldn't load Vulkan|libvulkan/i.test(stderr)) {
      return "Vulkan: the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: `apt-get install libvulkan1`), and a GPU needs its vendor's Vulkan driver";
    }
    return "Vulkan: the loader found no usable Vulkan driver (an NVIDIA GPU needs the proprietary driver with its Vulkan ICD; AMD and Intel GPUs: `apt-get install mesa-vulkan-drivers`)";
  }
  if (route === "opengles") {
    return /libEGL|EGL/i.test(stderr)
      ? "OpenGL ES: EGL did not start (Debian/Ubuntu: `apt-get install libegl-mesa0 libgl1-mesa-dri libegl-dev`)"
      : "OpenGL ES: no adapter";
  }
  return `${NATIVE_API[process.platform] ?? process.platform}: no adapter`;
}

let probed: Promise<WebgpuProbe> | null = null;

/** Looks for WebGPU adapters (once per process, in child processes); never throws. */
export function probeWebgpu(): Promise<WebgpuProbe> {
  probed ??= runProbe();
  return probed;
}

async function runProbe(): Promise<WebgpuProbe> {
  const url = webgpuModuleUrl();
  if (url === null) return { adapter: null, found: [], problems: ["the `webgpu` package (Dawn for Node) is not installed: run `npm install` in ganc's folder"] };
  const found: GpuAdapter[] = [];
  const problems: string[] = [];
  const results = await Promise.all(routes().map((route) => probeRoute(url, route)));
  for (const [i, route] of routes().entries()) {
    const r = results[i]!;
    if (r.line?.loadError !== undefined) {
      problems.push(`Dawn (webgpu/dist/${process.platform}-${process.arch}/dawn.node) does not load here: ${r.line.loadError}`);
      break;
    }
    if (r.line?.adapter) found.push(adapterOf(route, r.line.adapter));
    else if (r.line?.error !== undefined) problems.push(`${routeHint(route, r.stderr)}: ${r.line.error}`);
    else if (r.failure !== undefined) problems.push(`${route === "native" ? NATIVE_API[process.platform] : route}: ${r.failure}`);
    else problems.push(routeHint(route, r.stderr));
  }
  const adapter = found.find((a) => !a.software) ?? found[0] ?? null;
  return { adapter, found, problems };
}

// ------------------------------------------------------------------ the backend in this process

interface DeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}

interface Started {
  adapter: GpuAdapter;
  device: DeviceLike;
  lost: { reason: string; message: string } | null;
  /** Settles when the device is lost. */
  whenLost: Promise<void>;
}

let started: Started | null = null;

/** The adapter the webgpu backend runs on in this process, or null before it started. */
export function webgpuAdapter(): GpuAdapter | null {
  return started?.adapter ?? null;
}

/** Set once the device was lost (driver reset, GPU removed, out of memory...): nothing on it can be read any more. */
export function webgpuLost(): { reason: string; message: string } | null {
  return started?.lost ?? null;
}

/**
 * Starts the tfjs webgpu backend on the probe's adapter (once per process) and makes it current.
 * Throws RuntimeUserError, saying what to install, when there is no adapter.
 */
export async function startWebgpu(): Promise<GpuAdapter> {
  if (started !== null) {
    if (started.lost !== null) throw new RuntimeUserError(`the GPU device was lost earlier in this process (${started.lost.message}); use --backend wasm`);
    if (!(await tf.setBackend("webgpu"))) throw new RuntimeUserError("the webgpu backend failed to restart");
    return started.adapter;
  }
  const probe = await probeWebgpu();
  const adapter = probe.adapter;
  if (adapter === null) throw new RuntimeUserError(noAdapterMessage(probe));
  const url = webgpuModuleUrl()!;
  const { create, globals } = (await import(url)) as { create(flags: string[]): GpuLike; globals: object };
  // tfjs-backend-webgpu uses the WebGPU globals (GPUBufferUsage, GPUMapMode...) and registers
  // itself on import only when navigator.gpu exists.
  Object.assign(globalThis, globals);
  const { flags, request } = routeOptions(adapter.route);
  Object.assign(process.env, routeEnv(adapter.route));
  const gpu = create(flags);
  const wrapped: GpuLike = {
    requestAdapter: (o?: object) => gpu.requestAdapter({ ...o, ...request }),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  };
  setNavigatorGpu(wrapped);
  await import("@tensorflow/tfjs-backend-webgpu");
  // Small tensors would otherwise be computed on the CPU backend: results would depend on sizes.
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  const ok = await quietly(() => tf.setBackend("webgpu"));
  const device = ok ? (tf.backend() as unknown as { device?: DeviceLike }).device : undefined;
  if (device === undefined) throw new RuntimeUserError(`the webgpu backend failed to start on ${describeAdapter(adapter)}`);
  const s: Started = { adapter, device, lost: null, whenLost: device.lost.then((info) => {
    s.lost = { reason: info.reason ?? "unknown", message: info.message || "no reason given" };
  }) };
  started = s;
  return adapter;
}

/**
 * True when the device is lost, waiting up to `waitMs` for Dawn to say so: a read can fail
 * before the loss is reported.
 */
export async function confirmDeviceLost(waitMs = 2000): Promise<boolean> {
  if (started === null) return false;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([started.whenLost, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  return started.lost !== null;
}

interface GpuLike {
  requestAdapter(o?: object): Promise<unknown>;
  getPreferredCanvasFormat(): string;
  readonly wgslLanguageFeatures: unknown;
}

function setNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator !== undefined && Object.isExtensible(g.navigator)) Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
}


/** Why there is no adapter and what to install (the message of `--backend webgpu` without one). */
export function noAdapterMessage(probe: WebgpuProbe): string {
  const found = probe.found.length ? `\nfound only: ${probe.found.map(describeAdapter).join("; ")}` : "";
  return (
    `no WebGPU adapter${probe.found.length ? " that is a real GPU" : ""}:\n` +
    probe.problems.map((p) => `  - ${p}`).join("\n") +
    found +
    "\n`ganc backends` lists what this machine has; without a GPU, scripts/install-software-gpu.sh installs a software driver (for tests: slow), or use --backend wasm"
  );
}

/** The error a run stops with when its GPU device is lost: what happened, what is kept, how to go on. */
export function deviceLostError(runDir: string, step: number, checkpoint: string | null): RuntimeUserError {
  const lost = webgpuLost();
  const what = `the GPU device was lost at step ${step} (${lost?.reason ?? "unknown"}: ${lost?.message ?? "no reason given"})`;
  const kept = checkpoint === null ? "no checkpoint had been written yet, so the run must start again" : `the last checkpoint, ${checkpoint}, is kept`;
  const resume = checkpoint === null ? "" : `; continue on another backend with \`ganc run --resume ${runDir} --backend wasm\``;
  return new RuntimeUserError(`${what}; ${kept}${resume}`);
}
