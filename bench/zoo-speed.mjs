// Benchmark (not a test): training iterations per second of zoo specs at their own settings,
// on one backend, one spec after another in this process (the machine should be otherwise idle).
//
//   npm run build && node bench/zoo-speed.mjs [--backend wasm|cpu] [--iterations 10] [SPEC...]
//
// Defaults to the four MNIST specs of issue 4. Prints iterations/s per spec (after 2 warm-up
// iterations) and the wall time the spec's own `steps` would take at that rate.
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../dist/runtime/index.js";
import { checkFile } from "../dist/check/check.js";
import { moduleFor } from "../dist/cli/build.js";
import { loadProgram } from "../dist/cli/run.js";

const { values: args, positionals } = parseArgs({
  options: { backend: { type: "string", default: "wasm" }, iterations: { type: "string", default: "10" } },
  allowPositionals: true,
});
const specs = positionals.length > 0 ? positionals : ["specs/dcgan.gan", "specs/lsgan.gan", "specs/wgan_gp.gan", "specs/began.gan"];
const iterations = Number(args.iterations);
await rt.useBackend(args.backend);

for (const spec of specs) {
  const checked = checkFile(spec);
  if (!checked.ir) throw new Error(`${spec} does not check`);
  const program = loadProgram(await moduleFor(checked.ir));
  const store = new rt.nn.ParamStore(checked.ir.run.seed);
  const model = program.create({ store, seed: checked.ir.run.seed, baseDir: "specs" });
  const step = (t) => {
    store.step = t;
    tf.dispose(program.iteration(model, t));
  };
  for (let t = 0; t < 2; t++) step(t);
  const start = performance.now();
  for (let t = 2; t < 2 + iterations; t++) step(t);
  const perSecond = iterations / ((performance.now() - start) / 1000);
  const minutes = checked.ir.run.steps / perSecond / 60;
  console.log(`${spec.padEnd(22)} batch ${String(checked.ir.run.batch).padStart(3)}: ${perSecond.toFixed(2)} iterations/s on ${args.backend}; its ${checked.ir.run.steps} steps take ~${minutes.toFixed(1)} min`);
  store.dispose();
}
