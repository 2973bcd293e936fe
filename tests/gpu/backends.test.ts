// `ganc backends` (what this machine has), `--backend auto`, and a bad WebGPU setup: a clear
// message and no run folder, no stack trace. These run with or without a WebGPU adapter.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { ganc, expectNoStackTrace, tempDir } from "../train/helpers.js";
import { adapter } from "./helpers.js";

const tmp = tempDir("gpu-backends");
afterAll(tmp.cleanup);

describe("ganc backends", () => {
  it("lists every backend with its status, device or what to install, and what auto uses", async () => {
    const r = await ganc("backends");
    expect(r.code).toBe(0);
    const line = (name: string) => r.out.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
    expect(line("cpu")).toMatch(/^cpu +ok: plain JavaScript/);
    expect(line("wasm")).toMatch(/^wasm +ok: WebAssembly on the CPU, (threaded-simd|simd|plain); (products and convolutions on OpenBLAS \d.*|without the OpenBLAS kernels \(.*\))$/);
    expect(line("tensorflow")).toMatch(/^tensorflow +(missing|ok)/);
    if (line("tensorflow").includes("missing")) expect(r.out).toMatch(/npm install @tensorflow\/tfjs-node-gpu`, which needs CUDA 11\.2 and cuDNN 8\.1/);
    if (adapter === null) {
      expect(line("webgpu")).toMatch(/^webgpu +missing: no adapter; /);
      expect(r.out).toContain("scripts/install-software-gpu.sh");
    } else {
      expect(line("webgpu")).toContain(rt.describeAdapter(adapter));
      expect(line("webgpu")).toMatch(adapter.software ? /^webgpu +ok \(software\): / : /^webgpu +ok: /);
    }
    const auto = await rt.autoBackend();
    expect(r.out).toMatch(new RegExp(`^--backend auto uses: ${auto}$`, "m"));
    // auto never picks a software renderer
    expect(auto).toBe(adapter !== null && !adapter.software ? "webgpu" : line("tensorflow").includes("ok") ? "tensorflow" : "wasm");
  });
});

describe("ganc backends --verify", () => {
  it("compares a backend with cpu spec by spec (here wasm, on every machine)", async () => {
    const r = await ganc("backends", "--verify", "wasm", "specs/ring_gan.gan", "specs/dcgan.gan");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wasm \(CPU, WebAssembly .*\) against cpu, each spec tiny for 2 steps; tolerance 0\.0001 \(relative\)\nring_gan +ok +max relative difference \d\.\d\de[-+]\d+\ndcgan +ok +max relative difference .*\nall 2 specs agree within 0\.0001\n?$/);
  });

  it("a spec that cannot train is FAILED with the reason, and the others are still compared", async () => {
    const spec = path.join(tmp.dir, "missing_data.gan");
    fs.writeFileSync(spec, fs.readFileSync("specs/dcgan.gan", "utf8").replace(/^data x = .*$/m, `data x = images(path = "${path.join(tmp.dir, "no-such-folder")}", size = [28, 28], channels = 1)`));
    const r = await ganc("backends", "--verify", "wasm", spec, "specs/ring_gan.gan");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\nmissing_data +FAILED +.*no-such-folder.*\nring_gan +ok +max relative difference .*\n1 of 2 specs failed or differ beyond 0\.0001\n?$/);
  });

  it("rejects a backend it cannot compare and specs without --verify", async () => {
    expect((await ganc("backends", "--verify", "cpu")).err).toMatch(/compares a backend with cpu/);
    expect((await ganc("backends", "specs/dcgan.gan")).code).toBe(2);
  });
});

describe("a machine without a usable WebGPU adapter", () => {
  it("--backend webgpu: what is missing and what to install, before a run folder exists, no stack trace", () => {
    // No Vulkan driver (an ICD list naming no file) and an EGL platform without a display.
    const env = { ...process.env, VK_ICD_FILENAMES: path.join(tmp.dir, "none.json"), EGL_PLATFORM: "x11", DISPLAY: "" };
    const out = path.join(tmp.dir, "run");
    const r = spawnSync(process.execPath, ["bin/ganc.js", "run", "specs/dcgan.gan", "--backend", "webgpu", "--steps", "1", "--out", out], { env, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ganc: no WebGPU adapter:\n {2}- Vulkan: .*\n {2}- OpenGL ES: .*\n`ganc backends` lists what this machine has/);
    expectNoStackTrace({ code: r.status!, out: r.stdout, err: r.stderr });
    expect(fs.existsSync(out)).toBe(false);
  });
});
