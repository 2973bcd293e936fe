// Benchmark (not a test): ganc's generated training iteration against PyTorch's, side by side.
//
//   npm run build && node bench/vs-pytorch.mjs [--threads 1,2] [--rounds 5] [--specs dcgan,wgan_gp,began] [--no-scaling]
//
// For each thread count (default: 1 and every core), ganc (wasm, that many threads) and a PyTorch
// process (bench/torch_gans.py, torch.set_num_threads) train the same model, alternating one
// iteration each per round so that both see the same machine load; medians are printed with the
// ratio ganc/PyTorch, ganc's achieved GFLOP/s (FLOPs counted from the IR, src/ir/flops.ts) and a
// 1024³ matrix product's GFLOP/s on both, measured in the same run. When the wasm backend runs
// on OpenBLAS (kernels/blas.ts), a third contender is ganc without it (GANC_BLAS=off, in
// bench/ganc-server.mjs; --no-xnnpack leaves it out), so the addon's gain is measured side by
// side too. Then how DCGAN's time grows with the batch and the widths, at every core. PyTorch is optional (`apt-get install python3-torch
// libopenblas0-pthread`; $PYTHON, else python3 or /usr/bin/python3, whichever imports torch); without
// it ganc's figures are printed alone.
//
// Models: specs/dcgan.gan and specs/wgan_gp.gan at widths 64 (ngf = ndf = 64, batch 64),
// specs/began.gan at its own settings (nf 32, batch 32).
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import readline from "node:readline";
import { parseArgs } from "node:util";
import * as rt from "../dist/runtime/index.js";
import { iterationFlops } from "../dist/ir/flops.js";
import { generatedProgram } from "./generated-program.mjs";
import { matmulGflops } from "./matmul.mjs";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: [...new Set([1, rt.defaultWasmThreads()])].join(",") },
    rounds: { type: "string", default: "5" },
    specs: { type: "string", default: "dcgan,wgan_gp,began" },
    "no-scaling": { type: "boolean", default: false },
    "no-xnnpack": { type: "boolean", default: false },
  },
});
const threadCounts = args.threads.split(",").map(Number);
const rounds = Number(args.rounds);
const SETTINGS = {
  dcgan: { batch: 64, width: 64, overrides: (w) => ({ ngf: String(w), ndf: String(w) }) },
  wgan_gp: { batch: 64, width: 64, overrides: (w) => ({ ngf: String(w), ndf: String(w) }) },
  began: { batch: 32, width: 32, overrides: (w) => ({ nf: String(w) }) },
};
const specs = args.specs.split(",");
for (const s of specs) if (!(s in SETTINGS)) throw new Error(`unknown spec ${s}: expected one of ${Object.keys(SETTINGS).join(", ")}`);

const SETTLE_MS = 300;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (v, d = 1) => (v === undefined ? "-" : v.toFixed(d));
const ratio = (a, b) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);

// ---------------------------------------------------------------- PyTorch, as a server process
// The first Python that imports torch: $PYTHON, python3 on the PATH, then Debian's (python3-torch).
const python = [process.env.PYTHON, "python3", "/usr/bin/python3"].find((p) => p && spawnSync(p, ["-c", "import torch"], { stdio: "ignore" }).status === 0);
const hasTorch = python !== undefined;

/** A contender in another process, answering bench/torch_gans.py's JSON-lines protocol. */
class Server {
  constructor(command, argv, env) {
    this.proc = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "inherit"] });
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async ask(cmd) {
    this.proc.stdin.write(JSON.stringify(cmd) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error("a benchmark server process ended");
    const reply = JSON.parse(value);
    if (reply.error) throw new Error(reply.error);
    return reply;
  }
  close() {
    this.proc.stdin.end();
  }
}

const threadEnv = (threads) => ({ OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) });
const startTorch = (threads) => new Server(python, ["bench/torch_gans.py", "--threads", String(threads)], threadEnv(threads));
/** ganc without its OpenBLAS kernels, or null when the wasm backend here does not have them either. */
const startWasmAlone = (threads) =>
  rt.backendInUse().blas === undefined || args["no-xnnpack"] ? null : new Server(process.execPath, ["bench/ganc-server.mjs", "--threads", String(threads)], { GANC_BLAS: "off" });

// ---------------------------------------------------------------- ganc
async function gancModel(spec, batch, width) {
  const g = await generatedProgram(`specs/${spec}.gan`, { ...SETTINGS[spec].overrides(width), batch: String(batch) });
  return { ...g, flops: iterationFlops(g.ir).total };
}

/** ms/iteration of ganc, ganc without OpenBLAS and PyTorch on one model, one iteration each per round, in a rotating order. */
async function sideBySide(torch, alone, spec, batch, width, n = rounds) {
  const g = await gancModel(spec, batch, width);
  const request = { cmd: "run", model: spec, batch, width, overrides: SETTINGS[spec].overrides(width), n: 1 };
  const contenders = [
    { name: "ganc", ms: [], iterate: async () => [g.iterate()] },
    ...[["alone", alone], ["torch", torch]].filter(([, s]) => s !== null).map(([name, s]) => ({ name, ms: [], iterate: async (k = 1) => (await s.ask({ ...request, n: k })).ms })),
  ];
  for (const c of contenders) for (let w = 0; w < 2; w++) await c.iterate(); // warm-up
  for (let r = 0; r < n; r++)
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length];
      // Thread pools spin for a while after their work (OpenMP, OpenBLAS, XNNPACK): let the
      // last contender's go idle so they do not take cores from this one.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      c.ms.push(...(await c.iterate()));
    }
  g.dispose();
  const of = (name) => contenders.find((c) => c.name === name)?.ms;
  return { flops: g.flops, ganc: median(of("ganc")), alone: of("alone") && median(of("alone")), torch: of("torch") && median(of("torch")) };
}

// ---------------------------------------------------------------- run
const cpus = os.cpus();
console.log(`ganc vs PyTorch, training iterations on the CPU: ${cpus.length} × ${cpus[0]?.model ?? "?"}, load average ${os.loadavg()[0].toFixed(1)} at the start`);
if (!hasTorch) console.log("PyTorch: not installed (`python3 -c \"import torch\"` fails, also with /usr/bin/python3): ganc's figures only. Install: apt-get install python3-torch libopenblas0-pthread");

const results = {};
for (const threads of threadCounts) {
  rt.setWasmThreads(threads);
  await rt.useBackend("wasm");
  const torch = hasTorch ? startTorch(threads) : null;
  const alone = startWasmAlone(threads);
  console.log(`\n== ${threads} thread${threads === 1 ? "" : "s"}: ganc on ${rt.backendDescription()}${alone ? `; "wasm alone": ${(await alone.ask({ cmd: "info" })).backend}` : ""}`);
  if (torch) {
    const info = await torch.ask({ cmd: "info" });
    const blas = info.libs.filter((l) => /blas/.test(l)).map((l) => l.split("/").slice(-2).join("/"));
    console.log(`   PyTorch ${info.torch}, ${info.threads} thread${info.threads === 1 ? "" : "s"}, convolutions by oneDNN: ${info.mkldnn}, BLAS: ${blas.join(", ") || "?"}`);
  }
  const matmul = async (s) => (s ? (await s.ask({ cmd: "matmul", n: 1024, reps: 10 })).gflops : undefined);
  const peak = { ganc: matmulGflops(), alone: await matmul(alone), torch: await matmul(torch) };
  console.log(`   1024³ matrix product: ganc ${fmt(peak.ganc)} GFLOP/s, wasm alone ${fmt(peak.alone)}, PyTorch ${fmt(peak.torch)}`);
  console.log(`   ${"spec".padEnd(8)} batch width  GFLOP/it  ganc ms/it  wasm alone  PyTorch ms/it  ganc/PyTorch  OpenBLAS gain  ganc GFLOP/s (of its matmul)`);
  results[threads] = {};
  for (const spec of specs) {
    const { batch, width } = SETTINGS[spec];
    const r = await sideBySide(torch, alone, spec, batch, width);
    results[threads][spec] = r;
    const gflops = r.flops / (r.ganc / 1000) / 1e9;
    console.log(
      `   ${spec.padEnd(8)} ${String(batch).padStart(5)} ${String(width).padStart(5)} ${fmt(r.flops / 1e9, 2).padStart(9)} ${fmt(r.ganc).padStart(11)} ${fmt(r.alone).padStart(11)} ${fmt(r.torch).padStart(14)} ${ratio(r.ganc, r.torch).padStart(13)} ${ratio(r.alone, r.ganc).padStart(14)}  ${fmt(gflops)} (${((100 * gflops) / peak.ganc).toFixed(0)}%)`,
    );
  }
  torch?.close();
  alone?.close();
}

// ---------------------------------------------------------------- targets
const [one, all] = [Math.min(...threadCounts), Math.max(...threadCounts)];
console.log(`\n== targets (measured above, on a ${os.loadavg()[0] > cpus.length ? "busy" : "quiet"} machine)`);
for (const spec of specs) {
  const a = results[all][spec];
  if (a.torch !== undefined) {
    const speed = a.torch / a.ganc;
    console.log(`   ${spec}: ganc at ${speed.toFixed(2)}x PyTorch's speed with ${all} thread${all === 1 ? "" : "s"} each (target >= 0.5x: ${speed >= 0.5 ? "met" : "missed"})`);
  }
  if (all > one) {
    const gain = results[one][spec].ganc / a.ganc;
    const torchGain = a.torch !== undefined ? ` (PyTorch: ${(results[one][spec].torch / a.torch).toFixed(2)}x)` : "";
    console.log(`   ${spec}: ganc ${all} threads ${gain.toFixed(2)}x its ${one}-thread speed${torchGain} (target >= 1.8x on 2 cores: ${gain >= 1.8 ? "met" : "missed"})`);
  }
}

// ---------------------------------------------------------------- scaling
if (!args["no-scaling"]) {
  rt.setWasmThreads(all);
  await rt.useBackend("wasm");
  const torch = hasTorch ? startTorch(all) : null;
  console.log(`\n== how DCGAN's iteration grows, ${all} thread${all === 1 ? "" : "s"} (ganc on ${rt.backendDescription()})`);
  console.log(`   batch width  GFLOP/it  ganc ms/it  PyTorch ms/it  ganc/PyTorch  ganc GFLOP/s`);
  const rows = [
    [16, 64],
    [64, 64],
    [256, 64],
    [64, 16],
    [64, 32],
    [64, 128],
  ];
  for (const [batch, width] of rows) {
    const r = await sideBySide(torch, null, "dcgan", batch, width, 3);
    console.log(
      `   ${String(batch).padStart(5)} ${String(width).padStart(5)} ${fmt(r.flops / 1e9, 2).padStart(9)} ${fmt(r.ganc).padStart(11)} ${fmt(r.torch).padStart(14)} ${ratio(r.ganc, r.torch).padStart(13)}  ${fmt(r.flops / (r.ganc / 1000) / 1e9)}`,
    );
    if (batch === 64 && width === 32) {
      console.log(`         (specs/dcgan.gan's own settings: its 1,500 steps take ~${((1500 * r.ganc) / 60000).toFixed(1)} min of iterations)`);
    }
  }
  torch?.close();
}
