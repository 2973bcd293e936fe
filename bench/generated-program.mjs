// The benchmarks' way to train a spec in-process: checked with overrides, compiled to its
// generated module, built from the spec's seed; iterate() runs the next iteration and
// returns its wall time in ms (cpu and wasm compute synchronously).
import * as tf from "@tensorflow/tfjs";
import * as rt from "../dist/runtime/index.js";
import { checkFile } from "../dist/check/check.js";
import { moduleFor } from "../dist/cli/build.js";
import { loadProgram } from "../dist/cli/run.js";

export async function generatedProgram(spec, overrides = {}) {
  const checked = checkFile(spec, { overrides });
  if (!checked.ir) throw new Error(`${spec} does not check`);
  const program = loadProgram(await moduleFor(checked.ir));
  const store = new rt.nn.ParamStore(checked.ir.run.seed);
  const model = program.create({ store, seed: checked.ir.run.seed, baseDir: "specs" });
  let t = 0;
  return {
    ir: checked.ir,
    program,
    model,
    iterate() {
      store.step = t;
      const start = performance.now();
      tf.dispose(program.iteration(model, t++));
      return performance.now() - start;
    },
    dispose() {
      for (const o of Object.values(model.optimizers)) o.dispose();
      store.dispose();
    },
  };
}
