// Benchmark (not a test): the divergence guard (checkFiniteState over every weight and optimiser
// slot) against one training iteration of the same model, measured side by side in this process.
//
//   npm run build && node bench/guard.mjs [--backend wasm|cpu] [--iterations 20] [--set name=value]... [SPEC]
//
// Prints ms per iteration, ms per guard and their ratio (the guard runs at log and checkpoint steps,
// so its share of a run is about ratio / log_every).
import { parseArgs } from "node:util";
import * as rt from "../dist/runtime/index.js";
import { checkFile } from "../dist/check/check.js";
import { checkFiniteState } from "../dist/runtime/guard.js";
import { moduleFor } from "../dist/cli/build.js";
import { loadProgram } from "../dist/cli/run.js";

const { values: args, positionals } = parseArgs({
  options: { backend: { type: "string", default: "wasm" }, iterations: { type: "string", default: "20" }, set: { type: "string", multiple: true, default: [] } },
  allowPositionals: true,
});
const spec = positionals[0] ?? "specs/dcgan.gan";
const overrides = Object.fromEntries(args.set.map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
await rt.useBackend(args.backend);
const ir = checkFile(spec, { overrides }).ir;
const program = loadProgram(await moduleFor(ir));
const store = new rt.nn.ParamStore(1);
const model = program.create({ store, seed: 1, baseDir: "specs" });
const iterate = (t) => {
  for (const v of Object.values(program.iteration(model, t))) {
    v.dataSync();
    v.dispose();
  }
};
iterate(0);
await checkFiniteState(store, model.optimizers, 1);
let step = 0;
let guard = 0;
const n = Number(args.iterations);
for (let t = 1; t <= n; t++) {
  let t0 = performance.now();
  iterate(t);
  step += performance.now() - t0;
  t0 = performance.now();
  await checkFiniteState(store, model.optimizers, t + 1);
  guard += performance.now() - t0;
}
console.log(`${ir.name} on ${args.backend}, ${store.countParams()} trainable parameters: iteration ${(step / n).toFixed(1)} ms, guard ${(guard / n).toFixed(1)} ms, ratio ${(guard / step).toFixed(4)}`);
