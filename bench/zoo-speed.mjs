// Benchmark (not a test): training iterations per second of zoo specs at their own settings,
// on one backend, one spec after another in this process (the machine should be otherwise idle).
//
//   npm run build && node bench/zoo-speed.mjs [--backend wasm|cpu] [--iterations 10] [SPEC...]
//
// Defaults to the four MNIST specs of issue 4. Prints iterations/s per spec (after 2 warm-up
// iterations) and the wall time the spec's own `steps` would take at that rate.
import { parseArgs } from "node:util";
import * as rt from "../dist/runtime/index.js";
import { generatedProgram } from "./generated-program.mjs";

const { values: args, positionals } = parseArgs({
  options: { backend: { type: "string", default: "wasm" }, iterations: { type: "string", default: "10" } },
  allowPositionals: true,
});
const specs = positionals.length > 0 ? positionals : ["specs/dcgan.gan", "specs/lsgan.gan", "specs/wgan_gp.gan", "specs/began.gan"];
const iterations = Number(args.iterations);
await rt.useBackend(args.backend);

for (const spec of specs) {
  const g = await generatedProgram(spec);
  for (let t = 0; t < 2; t++) g.iterate();
  let ms = 0;
  for (let t = 0; t < iterations; t++) ms += g.iterate();
  const perSecond = iterations / (ms / 1000);
  const minutes = g.ir.run.steps / perSecond / 60;
  console.log(`${spec.padEnd(22)} batch ${String(g.ir.run.batch).padStart(3)}: ${perSecond.toFixed(2)} iterations/s on ${rt.backendDescription()}; its ${g.ir.run.steps} steps take ~${minutes.toFixed(1)} min`);
  g.dispose();
}
