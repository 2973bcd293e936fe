// Benchmark (not a test): where one training iteration of a spec spends its time, per tfjs
// kernel, from tfjs's profiler (each kernel timed on its own, so the total is a little above a
// plain iteration's wall time).
//
//   npm run build && node bench/profile-step.mjs SPEC [--set name=value]... [--backend wasm|cpu] [--threads N]
//     [--iterations 3] [--top 25] [--by-shape]
//
// Prints, summed over the profiled iterations and divided by their number: kernel name, calls,
// ms per iteration and share of the kernel time; then the iteration's wall time without the profiler.
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../dist/runtime/index.js";
import { generatedProgram } from "./generated-program.mjs";

const { values: args, positionals } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    threads: { type: "string" },
    iterations: { type: "string", default: "3" },
    top: { type: "string", default: "25" },
    "by-shape": { type: "boolean", default: false },
    set: { type: "string", multiple: true, default: [] },
  },
  allowPositionals: true,
});
const spec = positionals[0] ?? "specs/dcgan.gan";
const overrides = Object.fromEntries(args.set.map((s) => s.split("=")));
if (args.threads !== undefined) rt.setWasmThreads(Number(args.threads));
await rt.useBackend(args.backend);

const g = await generatedProgram(spec, overrides);
for (let t = 0; t < 2; t++) g.iterate();

const n = Number(args.iterations);
const byKernel = new Map();
for (let i = 0; i < n; i++) {
  const info = await tf.profile(() => g.iterate());
  for (const k of info.kernels) {
    const key = args["by-shape"] ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(" ")}` : k.name;
    const e = byKernel.get(key) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += await k.kernelTimeMs;
    byKernel.set(key, e);
  }
}
let wall = 0;
for (let t = 0; t < n; t++) wall += g.iterate() / n;

const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${spec} ${Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(" ")} batch ${g.ir.run.batch}, ${rt.backendDescription()}`);
const w = Math.max(26, ...rows.slice(0, Number(args.top)).map(([k]) => k.length));
console.log(`${"kernel".padEnd(w)} ${"calls".padStart(6)} ${"ms/iter".padStart(9)} ${"share".padStart(6)}`);
for (const [name, e] of rows.slice(0, Number(args.top))) {
  console.log(`${name.padEnd(w)} ${String(e.calls / n).padStart(6)} ${(e.ms / n).toFixed(1).padStart(9)} ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`);
}
const calls = rows.reduce((s, [, e]) => s + e.calls, 0) / n;
console.log(`${"all kernels".padEnd(w)} ${String(calls).padStart(6)} ${(total / n).toFixed(1).padStart(9)}`);
console.log(`iteration wall time without the profiler: ${wall.toFixed(1)} ms`);
g.dispose();
