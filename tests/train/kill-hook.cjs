// Fault injection for tests/train/kill.test.ts, loaded with `node --require`: counts the file
// operations a run makes on its checkpoints and metrics.jsonl, and at the GANC_KILL_AT-th one
// (before it happens) sends itself SIGKILL, as `kill -9` at that moment would. It appends the
// operation it stopped at to GANC_KILL_LOG. Deterministic: the same run makes the same operations.
const fs = require("node:fs");
const { syncBuiltinESMExports } = require("node:module");

const killAt = Number(process.env.GANC_KILL_AT);
const log = process.env.GANC_KILL_LOG;
const watched = (p) => typeof p === "string" && (p.includes("/checkpoints/") || p.includes("metrics.jsonl"));
const fds = new Set();
let count = 0;

function step(op, target) {
  count += 1;
  if (count !== killAt) return;
  fs.appendFileSync(log, `${op} ${target}\n`);
  process.kill(process.pid, "SIGKILL");
}

const wrap = (name, isWatched, describe) => {
  const original = fs[name];
  fs[name] = function (...args) {
    if (isWatched(args)) step(name, describe(args));
    const result = original.apply(this, args);
    if (name === "openSync" && isWatched(args)) fds.add(result);
    if (name === "closeSync") fds.delete(args[0]);
    return result;
  };
};
const byPath = (args) => watched(String(args[0]));
const byFd = (args) => fds.has(args[0]);
wrap("openSync", byPath, (a) => a[0]);
wrap("writeSync", byFd, (a) => `fd ${a[0]}`);
wrap("fsyncSync", byFd, (a) => `fd ${a[0]}`);
wrap("closeSync", byFd, (a) => `fd ${a[0]}`);
wrap("renameSync", byPath, (a) => `${a[0]} -> ${a[1]}`);
wrap("rmSync", byPath, (a) => a[0]);
wrap("mkdirSync", byPath, (a) => a[0]);
wrap("appendFileSync", byPath, (a) => a[0]);
syncBuiltinESMExports();
