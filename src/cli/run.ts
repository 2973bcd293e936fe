// `ganc run SPEC` compiles a spec, loads the emitted module and trains it;
// `ganc run --resume RUN_DIR` continues a run from its latest checkpoint.
// The run folder keeps what was run: spec sources, ir.json and the generated train.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import { generate } from "../codegen/index.js";
import { IR_VERSION, type IrSpec } from "../ir/types.js";
import { iterationFlops } from "../ir/flops.js";
import { irToJson } from "../ir/serialize.js";
import { liveReport, type LiveReport } from "../report/live.js";
import { specTexts } from "./build.js";
import { compile } from "./compile.js";
import { writeFile } from "../runtime/files.js";
import { outputFolder } from "./fs-errors.js";
import { EXIT, UsageError, type Io } from "./io.js";

export interface RunOptions {
  steps?: number;
  seed?: number;
  backend: rt.BackendName;
  /** Threads of the wasm backend; default $GANC_THREADS, else every core (1 for small models). */
  threads?: number;
  out?: string;
  set: Record<string, string>;
  resume?: string;
  /** Keep the newest N checkpoints (and the best by evaluation); 0 keeps all. */
  keepCheckpoints?: number;
  /** Check every named value's run-time shape against the checker's (`--check-shapes`). */
  checkShapes?: boolean;
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
  if (ir.irVersion !== IR_VERSION) throw new UsageError(`cannot ${what} \`${runDir}\`: it was made by another version of ganc (IR version ${String(ir.irVersion)}; this one reads version ${IR_VERSION}); run the spec again`);
  let texts: Record<string, string>;
  try {
    texts = readSources(runDir, ir);
  } catch (e) {
    throw new UsageError(`cannot ${what} \`${runDir}\`: ${(e as Error).message}`);
  }
  return { ir, texts, baseDir: path.dirname(path.resolve(ir.files[ir.files.length - 1]!)) };
}

/** The generated code and the loaded program of a saved run (a later `--steps` is applied to `run.ir` first). */
export async function programOf(run: SavedRun, checkShapes = false): Promise<{ code: string; program: rt.Program<rt.ModelBase> }> {
  const code = await generate(run.ir, { texts: run.texts, checkShapes });
  return { code, program: loadProgram(code) };
}

/** A saved run's model with the weights of one checkpoint, in eval mode (for `ganc eval` and `ganc sample`). */
export interface RestoredRun {
  program: rt.Program<rt.ModelBase>;
  model: rt.ModelBase;
  /** The checkpoint's step and seed. */
  meta: rt.CheckpointMeta;
  /** The checkpoint folder. */
  dir: string;
  /** Releases the model's variables and optimisers. */
  dispose(): void;
}

/**
 * Restores the checkpoint at `step` of `runDir`, or without a step its newest valid one (saying
 * which invalid ones it passed over); a checkpoint with NaN weights or a damaged file is refused.
 */
export async function restoreRun(io: Io, run: SavedRun, runDir: string, step?: number): Promise<RestoredRun> {
  const what = step === undefined ? "no checkpoint yet" : `no checkpoint at step ${step}`;
  if (step === undefined ? rt.latestCheckpoint(runDir) === null : !fs.existsSync(rt.checkpointDir(runDir, step))) throw new UsageError(`\`${runDir}\` has ${what}`);
  const { program } = await programOf(run);
  const store = new rt.nn.ParamStore(run.ir.run.seed);
  const model = program.create({ store, seed: run.ir.run.seed, baseDir: run.baseDir });
  const dispose = () => {
    for (const opt of Object.values(model.optimizers)) opt.dispose();
    store.dispose();
  };
  try {
    let dir: string;
    let meta: rt.CheckpointMeta;
    if (step === undefined) {
      const found = (await rt.loadNewestCheckpoint(runDir, store, {}))!;
      ({ dir, meta } = found);
      if (found.skipped.length) io.err(`ganc: ${rt.describeSkipped(found.skipped, dir)}`);
    } else {
      dir = rt.checkpointDir(runDir, step);
      meta = await rt.loadCheckpoint(dir, store, {});
    }
    model.seed = meta.seed;
    store.mode = "eval";
    return { program, model, meta, dir, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/**
 * Below this many FLOPs per iteration (the toy 2-D specs: small dense layers) the wasm backend
 * runs one thread unless told otherwise: handing such small products to a second thread costs
 * more than it saves (measured 3x slower on a busy 2-core machine).
 */
const SMALL_ITERATION_FLOPS = 2e8;

/** The thread count for a run: --threads, else $GANC_THREADS, else 1 for small models, else every core. */
function threadsFor(ir: IrSpec, threads: number | undefined): number | undefined {
  if (threads !== undefined || process.env.GANC_THREADS) return threads;
  return iterationFlops(ir).total < SMALL_ITERATION_FLOPS ? 1 : undefined;
}

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < (name === "seed" ? 0 : 1))) throw new UsageError(`--${name} expects a whole number${name === "seed" ? "" : " of at least 1"}, found ${v}`);
}

/** The data the sample grid reads: the real inputs of a generator like pix2pix's G(edges), by their key in Model.data. */
function sampleData(ir: IrSpec): string[] {
  return (ir.roles.generator?.inputs ?? []).flatMap((i) => (i.kind === "data" ? [ir.data.find((d) => d.names.includes(i.name))!.names[0]!] : []));
}

/** Evaluation during training when the spec sets `eval_every`, and ganc has metrics for its data. */
function evaluationOf(io: Io, ir: IrSpec): rt.TrainerOfOptions["evaluation"] | undefined {
  if (!(ir.run.eval_every > 0)) return undefined;
  if (ir.roles.translation) {
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
  if (o.out !== undefined) outputFolder(o.out, "--out");
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
  rt.setWasmThreads(threadsFor(ir, o.threads));
  const { code, program } = await programOf({ ir, texts, baseDir }, o.checkShapes);
  const evaluation = evaluationOf(io, ir);
  let report: LiveReport | undefined;
  const result = await rt.train(rt.trainerOf(program, baseDir, { sampleData: sampleData(ir), ...(evaluation ? { evaluation } : {}) }), {
    steps: ir.run.steps,
    seed: ir.run.seed,
    backend: o.backend,
    ...(runDir ? { runDir } : { runsDir: "runs" }),
    resume: !!o.resume,
    logEvery: ir.run.log_every,
    sampleEvery: ir.run.sample_every,
    checkpointEvery: ir.run.checkpoint_every,
    // --keep-checkpoints, else the spec's (absent from the ir.json of runs made before the setting)
    ...(o.keepCheckpoints !== undefined || ir.run.keep_checkpoints !== undefined ? { keepCheckpoints: o.keepCheckpoints ?? ir.run.keep_checkpoints } : {}),
    evalEvery: evaluation ? ir.run.eval_every : 0,
    ...(o.progress ? { progress: o.progress } : {}),
    beforeStart: (dir: string) => {
      if (!o.resume) {
        fs.mkdirSync(path.join(dir, "sources"), { recursive: true });
        for (const f of ir.files) writeFile(path.join(dir, "sources", path.basename(f)), texts[f]!);
        writeFile(path.join(dir, "spec.gan"), texts[ir.files[ir.files.length - 1]!]!);
        writeFile(path.join(dir, "ir.json"), `${irToJson(ir, { relativeTo: process.cwd() })}\n`);
        writeFile(path.join(dir, "train.ts"), code);
      }
      if (o.report !== false) {
        report = liveReport(dir, { warn: (m) => io.err(`ganc: ${m}`) });
        report.begin();
      }
      // The run's header, in the progress output (it is about this run, like the progress lines).
      (o.progress ?? process.stderr).write(`${o.resume ? "resuming" : "training"} ${program.name} on ${rt.backendDescription()} in ${dir}${report ? `\nlive report: ${report.file}` : ""}\n`);
    },
    onLog: () => report?.update(),
  }).finally(() => report?.finish());
  const last = Object.entries(result.last)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
    .join(", ");
  io.out(`${result.signal ? `interrupted by ${result.signal}:` : "trained"} ${program.name} for ${result.step} steps on ${result.backend}: ${last}\nrun folder: ${result.runDir}${report ? `\nreport: ${report.file}` : ""}`);
  return result.signal ? EXIT[result.signal] : EXIT.ok;
}
