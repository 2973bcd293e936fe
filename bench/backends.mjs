// Benchmark (not a test): training iterations per second of dcgan, wgan_gp and began on every
// backend available here, in one process, and each backend's ratio to wasm. A backend's timing
// starts after warm-up iterations (webgpu compiles its shaders then) and ends when the device has
// finished the last iteration (its values are read).
//
//   npm run build && node bench/backends.mjs [--iterations 10] [--warmup 3] [--backends webgpu,wasm]
//                                            [--set name=value]... [SPEC...]
//
// Default backends: webgpu when an adapter is found, tensorflow when installed, and wasm; cpu only
// when asked for (its steps take seconds). `--set ngf=16 --set ndf=16` shrinks the models (a spec takes
// the overrides it has a param for).
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../dist/runtime/index.js";
import { checkFile } from "../dist/check/check.js";
import { moduleFor } from "../dist/cli/build.js";
import { loadProgram } from "../dist/cli/run.js";

const { values: args, positionals } = parseArgs({
  options: {
    iterations: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    backends: { type: "string" },
    set: { type: "string", multiple: true, default: [] },
  },
  allowPositionals: true,
});
const specs = positionals.length > 0 ? positionals : ["specs/dcgan.gan", "specs/wgan_gp.gan", "specs/began.gan"];
const iterations = Number(args.iterations);
const warmup = Number(args.warmup);
const overrides = Object.fromEntries(args.set.map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));

const probe = await rt.probeWebgpu();
let backends = args.backends?.split(",");
if (backends === undefined) {
  const { reports } = await rt.inspectBackends();
  backends = ["webgpu", "tensorflow", "wasm"].filter((b) => reports.some((r) => r.name === b && (r.status === "ok" || r.status === "software")));
}
console.log(`backends: ${backends.join(", ")}${probe.adapter ? `; webgpu on ${rt.describeAdapter(probe.adapter)}` : ""}`);
console.log(`${iterations} timed iterations after ${warmup} warm-up iterations${Object.keys(overrides).length ? `; --set ${args.set.join(" ")}` : ""}\n`);

/** Iterations per second of `spec` on `backend`, the device finished. */
async function rate(spec, backend) {
  await rt.useBackend(backend);
  // Only the overrides this spec has a param (or run setting) for.
  const base = checkFile(spec).ir;
  const known = new Set([...base.params.map((p) => p.name), ...Object.keys(base.run)]);
  const own = Object.fromEntries(Object.entries(overrides).filter(([k]) => known.has(k)));
  const checked = checkFile(spec, { overrides: own });
  if (!checked.ir) throw new Error(`${spec} does not check with ${JSON.stringify(own)}`);
  const program = loadProgram(await moduleFor(checked.ir));
  const store = new rt.nn.ParamStore(checked.ir.run.seed);
  const model = program.create({ store, seed: checked.ir.run.seed, baseDir: "specs" });
  const run = async (from, n) => {
    let last = {};
    for (let t = from; t < from + n; t++) {
      store.step = t;
      tf.dispose(Object.values(last));
      last = program.iteration(model, t);
    }
    const values = await Promise.all(Object.values(last).map((v) => v.data()));
    tf.dispose(Object.values(last));
    if (!values.every((v) => Number.isFinite(v[0]))) throw new Error(`${spec} on ${backend}: a logged value is not finite`);
  };
  await run(0, warmup);
  const start = performance.now();
  await run(warmup, iterations);
  const perSecond = iterations / ((performance.now() - start) / 1000);
  for (const o of Object.values(model.optimizers)) o.dispose();
  store.dispose();
  return { perSecond, batch: checked.ir.run.batch };
}

for (const spec of specs) {
  const rates = {};
  for (const backend of backends) rates[backend] = await rate(spec, backend);
  const wasm = rates.wasm?.perSecond;
  const cells = backends.map((b) => `${b} ${rates[b].perSecond.toFixed(2)}/s${wasm && b !== "wasm" ? ` (${(rates[b].perSecond / wasm).toFixed(2)}× wasm)` : ""}`);
  console.log(`${spec.padEnd(18)} batch ${String(rates[backends[0]].batch).padStart(3)}: ${cells.join(", ")}`);
}
