// `ganc eval RUN_DIR [--samples N]`: restores a run's latest checkpoint, draws samples from its
// generator and reports the metrics the literature uses (toy 2-D mode coverage, or MNIST
// classifier metrics), as a table and in RUN_DIR/eval.json.
import * as fs from "node:fs";
import * as path from "node:path";
import * as rt from "../runtime/index.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { programOf, readRun } from "./run.js";

export interface EvalOptions {
  /** Default 2,500 for toy mixtures, 2,000 for MNIST. */
  samples?: number;
  backend: rt.BackendName;
}

export async function evalCommand(io: Io, runDir: string, o: EvalOptions): Promise<number> {
  if (o.samples !== undefined && (!Number.isInteger(o.samples) || o.samples < 2)) throw new UsageError(`--samples expects a whole number of at least 2, found ${o.samples}`);
  if (!fs.existsSync(runDir) || !fs.statSync(runDir).isDirectory()) throw new UsageError(`cannot evaluate \`${runDir}\`: no such folder`);
  const saved = readRun(runDir, "evaluate");
  const checkpoint = rt.latestCheckpoint(runDir);
  if (checkpoint === null) throw new UsageError(`cannot evaluate \`${runDir}\`: it has no checkpoint yet`);
  const reference = rt.evaluation.referenceFromData(saved.ir.data);
  if (!rt.evaluation.hasReference(reference)) {
    io.err(`ganc: no metrics for \`${saved.ir.name}\`: ganc evaluates generators of ring/grid mixtures and of untransformed MNIST (its data: ${saved.ir.data.map((d) => d.source).join(", ")})`);
    return EXIT.problems;
  }
  const backend = await rt.useBackend(o.backend);
  const { program } = await programOf(saved);
  if (!program.sample) {
    io.err(`ganc: spec \`${program.name}\` has no generator to sample from`);
    return EXIT.problems;
  }
  const began = performance.now();
  const store = new rt.nn.ParamStore(saved.ir.run.seed);
  const model = program.create({ store, seed: saved.ir.run.seed, baseDir: saved.baseDir });
  try {
    const meta = await rt.loadCheckpoint(checkpoint, store, {});
    model.seed = meta.seed;
    const metrics = await rt.evaluation.evaluateProgram(program, model, reference, {
      ...(o.samples !== undefined ? { samples: o.samples } : {}),
      classifier: { log: (t) => io.err(t) },
    });
    const seconds = (performance.now() - began) / 1000;
    const report = {
      spec: program.name,
      step: meta.step,
      checkpoint: path.relative(runDir, checkpoint),
      backend,
      ...metrics,
      seconds: Math.round(seconds * 100) / 100,
      evaluated_at: new Date().toISOString(),
    };
    const file = path.join(runDir, "eval.json");
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    io.out(`${program.name} at step ${meta.step} (${backend}, ${seconds.toFixed(2)} s):\n${rt.evaluation.formatMetrics(metrics)}\nwrote ${file}`);
    return EXIT.ok;
  } finally {
    for (const opt of Object.values(model.optimizers)) opt.dispose();
    store.dispose();
  }
}
