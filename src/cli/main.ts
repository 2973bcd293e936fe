// The `ganc` command line. Every command returns an exit code; nothing here prints a stack
// trace for a user mistake (bad flags, unreadable files, invalid specs).
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { hasErrors } from "../diagnostics/index.js";
import { EXIT, UsageError, parseSets, processIo, type Io } from "./io.js";
import { checkOrThrow, compile, jsonDiagnostics, printDiagnostics } from "./compile.js";
import { buildCommand } from "./build.js";
import { diffCommand } from "./diff.js";
import { runCommand } from "./run.js";
import { sampleCommand } from "./sample.js";
import { evalCommand } from "./eval.js";
import { fmtCommand } from "./fmt.js";
import { fsErrorMessage } from "./fs-errors.js";
import { exportCommand } from "./export.js";
import { reportCommand } from "./report.js";
import { sweepCommand, type SweepOptions } from "./sweep.js";
import { workerCommand } from "./worker.js";
import { compareCommand } from "./compare.js";
import { backendsCommand } from "./backends.js";
import { verifyCommand } from "./verify.js";
import { irToJson } from "../ir/serialize.js";
import { BACKEND_NAMES, type BackendName } from "../runtime/index.js";

/** `--backend`, shared by the commands that run TensorFlow.js. */
function backendOption(): Option {
  return new Option("--backend <name>", "TensorFlow.js backend").choices(BACKEND_NAMES).default("auto");
}

const collect = (v: string, prev: string[]) => [...prev, v];

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("ganc")
    .description("Compile .gan GAN specs to TensorFlow.js training code, and train them.")
    .version(VERSION, "-V, --version", "print ganc's version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError("(run `ganc --help` for usage)");

  program
    .command("check")
    .description("check specs and report every problem (exit 0 when clean, 1 with errors)")
    .argument("<files...>", ".gan files")
    .addOption(new Option("--format <format>", "output format").choices(["pretty", "json"]).default("pretty"))
    .option("--set <name=value>", "override a param or run setting", collect, [])
    .action((files: string[], o: { format: "pretty" | "json"; set: string[] }) => {
      const overrides = parseSets(o.set);
      const results = files.map((f) => checkOrThrow(f, overrides));
      for (const r of results) printDiagnostics(io, r, o.format);
      if (o.format === "json") io.out(jsonDiagnostics(results));
      code = results.some((r) => hasErrors(r.diagnostics)) ? EXIT.problems : EXIT.ok;
    });

  program
    .command("ir")
    .description("print the typed IR of a spec as JSON")
    .argument("<file>", ".gan file")
    .option("--set <name=value>", "override a param or run setting", collect, [])
    .action((file: string, o: { set: string[] }) => {
      const ir = compile(io, file, parseSets(o.set));
      if (!ir) code = EXIT.problems;
      else io.out(irToJson(ir, { relativeTo: process.cwd() }));
    });

  program
    .command("diff")
    .description("print what differs semantically between two specs (exit 1 when they differ)")
    .argument("<a>", "first .gan file")
    .argument("<b>", "second .gan file")
    .action((a: string, b: string) => {
      code = diffCommand(io, a, b);
    });

  program
    .command("fmt")
    .description("rewrite specs in canonical layout")
    .argument("<files...>", ".gan files")
    .option("--check", "do not write; exit 1 when a file is not formatted")
    .action((files: string[], o: { check?: boolean }) => {
      code = fmtCommand(io, files, !!o.check);
    });

  program
    .command("build")
    .description("write the TypeScript training module of each spec")
    .argument("<files...>", ".gan files")
    .option("-o, --out <dir>", "output folder", "generated")
    .option("--set <name=value>", "override a param or run setting", collect, [])
    .action(async (files: string[], o: { out: string; set: string[] }) => {
      code = await buildCommand(io, files, o.out, parseSets(o.set));
    });

  const int = (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim())) throw new UsageError(`expected a whole number, found \`${v}\``);
    return n;
  };
  program
    .command("run")
    .description("compile a spec and train it (or continue a run with --resume)")
    .argument("[spec]", ".gan file")
    .option("--steps <n>", "training steps (iterations of the schedule)", int)
    .option("--seed <n>", "random seed", int)
    .addOption(backendOption())
    .option("--threads <n>", "threads of the wasm backend (default: $GANC_THREADS, else every core; 1 for toy-sized models)", int)
    .option("--out <dir>", "run folder (default runs/<spec>/<timestamp>)")
    .option("--resume <run_dir>", "continue the run in this folder from its latest checkpoint")
    .option("--keep-checkpoints <n>", "keep the newest N checkpoints and the best by evaluation (0: all; default 3)", int)
    .option("--set <name=value>", "override a param or run setting", collect, [])
    .option("--no-report", "do not keep RUN_DIR/report.html current while training")
    .option("--check-shapes", "check at run time that every named value has the shape the checker inferred (slower; for testing ganc)")
    .action(async (spec: string | undefined, o: { steps?: number; seed?: number; backend: BackendName; threads?: number; out?: string; resume?: string; keepCheckpoints?: number; report: boolean; checkShapes?: boolean; set: string[] }) => {
      code = await runCommand(io, spec, { ...o, set: parseSets(o.set) });
    });

  program
    .command("eval")
    .description("evaluate a run's latest checkpoint (toy mode coverage; MNIST classifier metrics: FID, classes, class accuracy, code purity; translation L1 against the identity baseline); writes RUN_DIR/eval.json")
    .argument("<run_dir>", "run folder (written by `ganc run`)")
    .option("--samples <n>", "samples to draw (default 2500 for toy 2-D data, 2000 for MNIST)", int)
    .addOption(backendOption())
    .action(async (runDir: string, o: { samples?: number; backend: BackendName }) => {
      code = await evalCommand(io, runDir, o);
    });

  const num = (v: string) => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new UsageError(`expected a number, found \`${v}\``);
    return n;
  };
  program
    .command("sample")
    .description("write a PNG grid of samples from a run's latest (or a named) checkpoint")
    .argument("<run_dir>", "a run folder written by `ganc run`")
    .option("--n <n>", "samples (or walks, with --interpolate)", int, 16)
    .option("--truncation <t>", "resample normal latents beyond t standard deviations", num)
    .addOption(new Option("--interpolate <how>", "latent walks between two draws").choices(["lerp", "slerp"]))
    .option("--steps <k>", "points per walk, or values per code in an InfoGAN sweep", int, 8)
    .option("--class <c>", "a fixed class for conditional specs", int)
    .option("--checkpoint <step>", "the checkpoint at this step instead of the latest", int)
    .option("--seed <s>", "seed of the sampling draws", int, 0)
    .addOption(backendOption())
    .option("--out <file>", "the PNG to write (default RUN_DIR/samples/sample-step-NNNNNN.png)")
    .action(async (runDir: string, o: Parameters<typeof sampleCommand>[2]) => {
      code = await sampleCommand(io, runDir, o);
    });

  program
    .command("report")
    .description("write one self-contained HTML report (curves, samples, settings; several runs overlaid with the diff of their specs)")
    .argument("<run_dirs...>", "run folders written by `ganc run`")
    .option("-o, --out <file>", "the HTML file (default RUN_DIR/report.html for one run, report.html for several)")
    .action((runDirs: string[], o: { out?: string }) => {
      code = reportCommand(io, runDirs, o);
    });

  program
    .command("export")
    .description("write a static web folder with the run's generator: index.html, generator.js (load, generate), the weights in TensorFlow.js format")
    .argument("<run_dir>", "a run folder written by `ganc run`")
    .option("-o, --out <dir>", "the folder to write (default RUN_DIR/export)")
    .option("--checkpoint <step>", "the checkpoint at this step instead of the latest", int)
    .addOption(backendOption())
    .action(async (runDir: string, o: Parameters<typeof exportCommand>[2]) => {
      code = await exportCommand(io, runDir, o);
    });

  program
    .command("sweep")
    .description("run every spec × setting × seed as an evaluated run (K at a time here, or as jobs on a BullMQ queue); DIR/sweep.json records each run; re-running the same command resumes")
    .argument("<specs...>", ".gan files")
    .option("--seeds <seeds>", "seeds: a range 1..5, a list 1,2,7, or both", "1..5")
    .option("--set <name=v1,v2,...>", "a setting and the values it takes (one value: fixed)", collect, [])
    .option("--steps <n>", "training steps of every run (default: each spec's own)", int)
    .option("--jobs <k>", "runs at a time on this machine", int, 1)
    .option("--out <dir>", "the sweep folder (default sweeps/<specs>-<digest of the grid and specs>)")
    .addOption(backendOption())
    .option("--queue <url>", "distribute the runs as jobs on BullMQ at redis://HOST:PORT, for `ganc worker` processes")
    .action(async (specs: string[], o: SweepOptions) => {
      code = await sweepCommand(io, specs, o);
    });

  program
    .command("worker")
    .description("take the runs of `ganc sweep --queue` sweeps from the queue, train and evaluate them, and report back (until SIGINT/SIGTERM)")
    .requiredOption("--queue <url>", "the queue's Redis, redis://HOST:PORT")
    .option("--jobs <k>", "runs at a time", int, 1)
    .option("--dir <dir>", "where run folders go when the sweep's folder is not on this machine", "ganc-worker")
    .option("--stalled-after <seconds>", "a run whose worker has not renewed its lock for this long goes to another worker", int, 30)
    .action(async (o: { queue: string; jobs: number; dir: string; stalledAfter: number }) => {
      code = await workerCommand(io, { url: o.queue, jobs: o.jobs, dir: o.dir, stalledAfter: o.stalledAfter });
    });

  program
    .command("compare")
    .description("per variant of a sweep, mean, sd and 95% interval over seeds of every evaluation metric, and which differences are significant (Welch's t-test, Holm-adjusted)")
    .argument("<sweep_dir>", "a folder written by `ganc sweep`")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((dir: string, o: { format: "text" | "json" }) => {
      code = compareCommand(io, dir, o.format);
    });

  program
    .command("backends")
    .description("list the TensorFlow.js backends: whether each loads here, its device, what to install; and what --backend auto uses")
    .argument("[specs...]", "with --verify: the specs to compare (default specs/*.gan)")
    .option("--verify <backend>", "train each spec tiny for 2 steps on this backend and on cpu, and compare every logged value (exit 1 beyond the tolerance)")
    .option("--tolerance <t>", "largest relative difference --verify accepts", num)
    .action(async (specs: string[], o: { verify?: string; tolerance?: number }) => {
      if (o.verify === undefined && (specs.length || o.tolerance !== undefined)) throw new UsageError("specs and --tolerance go with --verify BACKEND");
      code = o.verify === undefined ? await backendsCommand(io) : await verifyCommand(io, o.verify, specs, o.tolerance);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      io.err(`ganc: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof Error && e.name === "RuntimeUserError") {
      io.err(`ganc: ${e.message}`);
      return EXIT.problems;
    }
    const fsMessage = fsErrorMessage(e);
    if (fsMessage !== undefined) {
      io.err(`ganc: ${fsMessage}`);
      return EXIT.problems;
    }
    throw e;
  }
}
