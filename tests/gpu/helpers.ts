/**
 * Shared by the WebGPU tests: whether this machine has an adapter (a GPU, or the software driver
 * that scripts/install-software-gpu.sh installs, as CI does).
 */
import { probeWebgpu, describeAdapter } from "../../src/runtime/webgpu.js";

const probe = await probeWebgpu();

/** The adapter the tests run on, or null (then every WebGPU test is skipped, with `skipReason` in its title). */
export const adapter = probe.adapter;

/** Why the WebGPU tests are skipped, for their titles: "(skipped: no WebGPU adapter: ...)". */
export const skipReason = adapter ? "" : ` (skipped: no WebGPU adapter: ${probe.problems.join("; ")}; run scripts/install-software-gpu.sh)`;

/** "on vulkan: llvmpipe ... — a software renderer" for test titles. */
export const onAdapter = adapter ? `on ${describeAdapter(adapter)}` : "";
