// ganc's generated iteration as a benchmark server, for comparing ganc with itself in another
// configuration side by side (bench/vs-pytorch.mjs runs it with GANC_BLAS=off: the wasm backend
// without its OpenBLAS kernels). The protocol is bench/torch_gans.py's, one JSON line each way:
//   {"cmd": "info"}                                  -> {"backend": "wasm (CPU, ...)"}
//   {"cmd": "matmul", "n": 1024, "reps": 10}         -> {"gflops": ...}
//   {"cmd": "run", "model": "dcgan", "batch": 64, "width": 64, "overrides": {...}, "n": 3} -> {"ms": [...]}
//
//   node bench/ganc-server.mjs --threads N
import readline from "node:readline";
import { parseArgs } from "node:util";
import * as rt from "../dist/runtime/index.js";
import { generatedProgram } from "./generated-program.mjs";
import { matmulGflops } from "./matmul.mjs";

const { values: args } = parseArgs({ options: { threads: { type: "string", default: "1" } } });
rt.setWasmThreads(Number(args.threads));
await rt.useBackend("wasm");

const programs = new Map();
async function program(cmd) {
  const key = JSON.stringify([cmd.model, cmd.batch, cmd.overrides]);
  if (!programs.has(key)) {
    for (const p of programs.values()) p.dispose();
    programs.clear();
    programs.set(key, await generatedProgram(`specs/${cmd.model}.gan`, { ...cmd.overrides, batch: String(cmd.batch) }));
  }
  return programs.get(key);
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line);
  let reply;
  try {
    if (cmd.cmd === "info") reply = { backend: rt.backendDescription() };
    else if (cmd.cmd === "matmul") reply = { gflops: matmulGflops(cmd.n, cmd.reps) };
    else if (cmd.cmd === "run") {
      const g = await program(cmd);
      reply = { ms: Array.from({ length: cmd.n }, () => g.iterate()) };
    } else reply = { error: `unknown command ${cmd.cmd}` };
  } catch (e) {
    reply = { error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
