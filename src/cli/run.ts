// `ganc run SPEC` compiles a spec, loads the emitted module and trains it;
// `ganc run --resume RUN_DIR` continues a run from its latest checkpoint.
// The run folder keeps what was run: spec sources, ir.json and the generated train.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import { generate } from "../codegen/index.js";
import type { IrSpec } from "../ir/types.js";
import { findGenerator } from "../ir/query.js";
import { irToJson } from "../ir/serialize.js";
import { liveReport, type LiveReport } from "../report/live.js";
import { specTexts } from "./build.js";
import { compile } from "./compile.js";
import { EXIT, UsageError, type Io } from "./io.js";

export interface RunOptions {
  steps?: number;
  seed?: number;
  backend: rt.BackendName;
  out?: string;
  set: Record<string, string>;
  resume?: string;
  /** Keep RUN_DIR/report.html current while training (default true). */
  report?: boolean;
  /** Progress display; default stderr. */
  progress?: rt.ProgressStream;
}

/** Evaluates the generated TypeScript with this process's tfjs and runtime (one instance of each). */
export function loadProgram(code: string): rt.Program<rt.ModelBase> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const modules: Record<string, unknown> = { "@tensorflow/tfjs": tf, "ganc/runtime": rt };
  const exports: Record<string, unknown> = {};
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`generated code imports ${name}, which ganc does not provide`);
    return modules[name];
  };
  new Function("require", "exports", js)(require, exports);
  return exports.program as rt.Program<rt.ModelBase>;
}

/** Texts of the spec files for comments in the generated code, from the run folder. */
function readSources(dir: string, ir: IrSpec): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const f of ir.files) texts[f] = fs.readFileSync(path.join(dir, "sources", path.basename(f)), "utf8");
  return texts;
}

/** What a run folder holds to rebuild its program: the IR (from ir.json), the spec texts and the data folder. */
export interface SavedRun {
  ir: IrSpec;
  texts: Record<string, string>;
  /** The spec file's folder (relative data paths resolve against it). */
  baseDir: string;
}

/** Reads `runDir`'s ir.json and sources/; `what` names the command for the message when it is not a run folder. */
export function readRun(runDir: string, what: string): SavedRun {
  const irFile = path.join(runDir, "ir.json");
  if (!fs.existsSync(irFile)) throw new UsageError(`cannot ${what} \`${runDir}\`: it holds no ir.json (is it a ganc run folder?)`);
  let ir: IrSpec;
  try {
    ir = JSON.parse(fs.readFileSync(irFile, "utf8")) as IrSpec;
  } catch (e) {
    throw new UsageError(`cannot ${what} \`${runDir}\`: its ir.json is unreadable (${(e as Error).message})`);
  }
  let texts: Record<string, string>;
  try {
    texts = readSources(runDir, ir);
  } catch (e) {
    throw new UsageError(`cannot ${what} \`${runDir}\`: ${(e as Error).message}`);
  }
  return { ir, texts, baseDir: path.dirname(path.resolve(ir.files[ir.files.length - 1]!)) };
}

/** The generated code and the loaded program of a saved run (a later `--steps` is applied to `run.ir` first). */
export async function programOf(run: SavedRun): Promise<{ code: string; program: rt.Program<rt.ModelBase> }> {
  const code = await generate(run.ir, { texts: run.texts });
  return { code, program: loadProgram(code) };
}

/** A saved run's model with the weights of one checkpoint, in eval mode (for `ganc eval` and `ganc sample`). */
export interface RestoredRun {
  program: rt.Program<rt.ModelBase>;
  model: rt.ModelBase;
  /** The checkpoint's step and seed. */
  meta: rt.CheckpointMeta;
  /** Releases the model's variables and optimisers. */
  dispose(): void;
}

export async function restoreRun(run: SavedRun, checkpointDir: string): Promise<RestoredRun> {
  const { program } = await programOf(run);
  const store = new rt.nn.ParamStore(run.ir.run.seed);
  const model = program.create({ store, seed: run.ir.run.seed, baseDir: run.baseDir });
  const dispose = () => {
    for (const opt of Object.values(model.optimizers)) opt.dispose();
    store.dispose();
  };
  try {
    const meta = await rt.loadCheckpoint(checkpointDir, store, {});
    model.seed = meta.seed;
    store.mode = "eval";
    return { program, model, meta, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < (name === "seed" ? 0 : 1))) throw new UsageError(`--${name} expects a whole number${name === "seed" ? "" : " of at least 1"}, found ${v}`);
}

/** Evaluation during training when the spec sets `eval_every`, and ganc has metrics for its data. */
function evaluationOf(io: Io, ir: IrSpec): rt.TrainerOfOptions["evaluation"] | undefined {
  if (!(ir.run.eval_every > 0)) return undefined;
  if (findGenerator(ir)?.args.some((a) => a.k === "data")) {
    io.err("ganc: eval_every is set, but a translation spec is evaluated on held-out pairs by `ganc eval RUN_DIR`; not evaluating during training");
    return undefined;
  }
  const reference = rt.evaluation.referenceFromData(ir.data);
  if (!rt.evaluation.hasReference(reference)) {
    io.err(`ganc: eval_every is set, but ganc has metrics only for ring/grid mixtures and untransformed MNIST (data: ${ir.data.map((d) => d.source).join(", ")}); not evaluating`);
    return undefined;
  }
  return { reference, samples: 500, classifier: { log: (t) => io.err(t) } };
}

export async function runCommand(io: Io, spec: string | undefined, o: RunOptions): Promise<number> {
  positive("steps", o.steps);
  positive("seed", o.seed);
  let ir: IrSpec | undefined;
  let runDir: string | undefined = o.out;
  let baseDir: string;
  let texts: Record<string, string>;
  if (o.resume) {
    if (spec) throw new UsageError("give either a spec to run or --resume RUN_DIR, not both");
    runDir = o.resume;
    const saved = readRun(runDir, "resume");
    ir = saved.ir;
    if (o.steps !== undefined) ir.run.steps = o.steps;
    texts = saved.texts;
    baseDir = saved.baseDir;
  } else {
    if (!spec) throw new UsageError("`ganc run` needs a spec file, or --resume RUN_DIR");
    const overrides = { ...o.set };
    if (o.steps !== undefined) overrides.steps = String(o.steps);
    if (o.seed !== undefined) overrides.seed = String(o.seed);
    ir = compile(io, spec, overrides);
    if (!ir) return EXIT.problems;
    texts = specTexts(ir);
    baseDir = path.dirname(path.resolve(spec));
  }
  const { code, program } = await programOf({ ir, texts, baseDir });
  const evaluation = evaluationOf(io, ir);
  let report: LiveReport | undefined;
  const result = await rt.train(rt.trainerOf(program, baseDir, evaluation ? { evaluation } : {}), {
    steps: ir.run.steps,
    seed: ir.run.seed,
    backend: o.backend,
    ...(runDir ? { runDir } : { runsDir: "runs" }),
    resume: !!o.resume,
    logEvery: ir.run.log_every,
    sampleEvery: ir.run.sample_every,
    checkpointEvery: ir.run.checkpoint_every,
    evalEvery: evaluation ? ir.run.eval_every : 0,
    ...(o.progress ? { progress: o.progress } : {}),
    beforeStart: (dir: string) => {
      if (!o.resume) {
        fs.mkdirSync(path.join(dir, "sources"), { recursive: true });
        for (const f of ir.files) fs.writeFileSync(path.join(dir, "sources", path.basename(f)), texts[f]!);
        fs.writeFileSync(path.join(dir, "spec.gan"), texts[ir.files[ir.files.length - 1]!]!);
        fs.writeFileSync(path.join(dir, "ir.json"), `${irToJson(ir, { relativeTo: process.cwd() })}\n`);
        fs.writeFileSync(path.join(dir, "train.ts"), code);
      }
      if (o.report !== false) {
        report = liveReport(dir, { warn: (m) => io.err(`ganc: ${m}`) });
        report.update();
      }
      // The run's header, in the progress output (it is about this run, like the progress lines).
      (o.progress ?? process.stderr).write(`${o.resume ? "resuming" : "training"} ${program.name} in ${dir}${report ? `\nlive report: ${report.file}` : ""}\n`);
    },
    onLog: () => report?.update(),
  }).finally(() => report?.finish());
  const last = Object.entries(result.last)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
    .join(", ");
  io.out(`${result.interrupted ? "interrupted" : "trained"} ${program.name} for ${result.step} steps on ${result.backend}: ${last}\nrun folder: ${result.runDir}${report ? `\nreport: ${report.file}` : ""}`);
  return EXIT.ok;
}
