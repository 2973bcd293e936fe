// `ganc sweep`, `ganc worker` and `ganc compare` as a user runs them (the built CLI, real
// processes and signals, a real redis-server): a local sweep of 2 specs × 2 seeds at tiny sizes
// stopped midway and re-run, then the same sweep on BullMQ with two workers, one of them killed
// with SIGKILL mid-run; on wasm every run's result equals the local sweep's.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkpointStep } from "../../src/sweep/execute.js";
import { readSweep, type SweepFile } from "../../src/sweep/state.js";
import { ganc } from "../helpers/ganc.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-sweep-"));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Proc {
  proc: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function start(cmd: string, args: string[]): Proc {
  const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  started.push(proc);
  let out = "";
  let err = "";
  proc.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return { proc, out: () => out, err: () => err, exited };
}

const gancProcess = (...args: string[]) => start(process.execPath, ["bin/ganc.js", ...args]);

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const sweepOf = (dir: string): SweepFile | null => {
  try {
    return readSweep(dir);
  } catch {
    return null;
  }
};

// Tiny runs: a 16-unit MLP pair, 300 steps, a checkpoint every 50.
const SWEEP = ["specs/ring_gan.gan", "specs/ring_wgan_gp.gan", "--seeds", "1..2", "--steps", "300", "--backend", "wasm"];
const SETTINGS = ["--set", "width=16", "--set", "batch=64", "--set", "checkpoint_every=50", "--set", "log_every=50"];
const IDS = ["ring_gan-s1", "ring_gan-s2", "ring_wgan_gp-s1", "ring_wgan_gp-s2"];
const localDir = path.join(tmp, "local");
/** Trained past a checkpoint and not to the end (300 steps). */
const midway = (runDir: string) => checkpointStep(runDir) > 0 && checkpointStep(runDir) < 300;
let local: SweepFile | undefined;

describe("a local sweep", () => {
  it("stopped midway (SIGTERM) and re-run, finishes every run without redoing the finished ones", async () => {
    const first = gancProcess("sweep", ...SWEEP, ...SETTINGS, "--jobs", "2", "--out", localDir);
    // Stop once a run is done and another is training past a checkpoint.
    await until(
      "a run is done and another is past a checkpoint",
      () => {
        const s = sweepOf(localDir);
        return !!s && s.runs.some((r) => r.state === "done") && s.runs.some((r) => r.state === "running" && midway(path.join(localDir, "runs", r.id)));
      },
      180_000,
    );
    first.proc.kill("SIGTERM");
    expect(await first.exited, first.err()).toEqual({ code: 143, signal: null });
    expect(first.err()).toContain("run the same command again");

    const stopped = readSweep(localDir);
    const done = stopped.runs.filter((r) => r.state === "done");
    const unfinished = new Map(stopped.runs.filter((r) => r.state !== "done").map((r) => [r.id, checkpointStep(path.join(localDir, "runs", r.id))]));
    expect(done.length).toBeGreaterThan(0);
    expect([...unfinished.values()].some((step) => step > 0 && step < 300)).toBe(true);
    expect(stopped.runs.every((r) => r.state === "done" || r.state === "pending")).toBe(true);
    const evalFile = (id: string) => path.join(localDir, "runs", id, "eval.json");
    const stamps = new Map(done.map((r) => [r.id, fs.statSync(evalFile(r.id)).mtimeMs]));

    const second = gancProcess("sweep", ...SWEEP, ...SETTINGS, "--jobs", "2", "--out", localDir);
    expect(await second.exited, second.err()).toEqual({ code: 0, signal: null });
    expect(second.err()).toContain(`${done.length} done, ${4 - done.length} to run`);
    local = readSweep(localDir);
    expect(local.runs.map((r) => r.id).sort()).toEqual(IDS);
    for (const r of local.runs) {
      expect(r.state).toBe("done");
      const report = JSON.parse(fs.readFileSync(evalFile(r.id), "utf8")) as { step: number; kind: string };
      expect(report).toMatchObject({ step: 300, kind: "toy2d" });
      expect(r.result!.eval).toHaveProperty("modes_covered");
      expect(r.result!.losses).toHaveProperty("d_loss");
      expect(fs.existsSync(r.result!.sample!)).toBe(true);
      expect(r.dir).toBe(path.join("runs", r.id));
    }
    // Finished runs were not touched; stopped ones went on from their checkpoints.
    for (const r of done) {
      expect(fs.statSync(evalFile(r.id)).mtimeMs).toBe(stamps.get(r.id));
      expect(local.runs.find((x) => x.id === r.id)!.attempts).toBe(r.attempts);
    }
    // (A run stopped while it was being evaluated is only evaluated again.)
    for (const [id, step] of unfinished) expect(local.runs.find((x) => x.id === id)!.result!.resumed_from).toBe(step > 0 && step < 300 ? step : null);
    // At the end the sweep prints the comparison.
    expect(second.out()).toContain("ring_gan: 2 of 2 runs done (seeds 1, 2)");
    expect(second.out()).toContain("ring_wgan_gp: 2 of 2 runs done (seeds 1, 2)");
  }, 300_000);

  it("ganc compare prints a table per variant and the tests, as text and as JSON", async () => {
    expect(local, "the sweep above finished").toBeDefined();
    const text = await ganc("compare", localDir);
    expect(text.code, text.err).toBe(0);
    for (const line of ["ring_gan: 2 of 2 runs done", "ring_wgan_gp: 2 of 2 runs done", "modes_covered", "high_quality_fraction", "95% interval", "Welch's t-test"])
      expect(text.out).toContain(line);
    const json = await ganc("compare", localDir, "--format", "json");
    const c = JSON.parse(json.out) as import("../../src/sweep/compare.js").Comparison;
    expect(c.sweep).toMatchObject({ runs: 4, done: 4, failed: 0 });
    expect(c.variants.map((v) => v.key)).toEqual(["ring_gan", "ring_wgan_gp"]);
    const modes = c.variants[0]!.metrics.modes_covered!;
    const values = local!.runs.filter((r) => r.variant === "ring_gan").map((r) => r.result!.eval.modes_covered!);
    expect(modes.values).toEqual(values);
    expect(modes.mean).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
    expect(c.differences.map((d) => d.metric)).toContain("high_quality_fraction");
    expect(c.test.name).toContain("Welch");
  });

  it("refuses another grid in the same folder, and a folder that is not a sweep", async () => {
    const other = await ganc("sweep", ...SWEEP.slice(0, 2), "--seeds", "1..3", "--steps", "300", "--out", localDir);
    expect(other.code).toBe(2);
    expect(other.err).toContain("holds another sweep");
    const notSweep = await ganc("compare", tmp);
    expect(notSweep.code).toBe(2);
    expect(notSweep.err).toContain("holds no sweep.json");
  });
});

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
if (!hasRedis) console.warn("skipping the distributed sweep test: redis-server is not installed (apt-get install redis-server; .ci/run installs it)");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    c.on("connect", () => c.write("PING\r\n"));
    c.on("data", (b) => {
      c.destroy();
      resolve(b.toString().startsWith("+PONG"));
    });
    c.on("error", () => resolve(false));
  });
}

describe.skipIf(!hasRedis)("a distributed sweep (BullMQ on a local redis-server)", () => {
  it("survives a worker killed with SIGKILL mid-run, and its results equal the local sweep's", async () => {
    expect(local, "the local sweep above finished").toBeDefined();
    const port = await freePort();
    const redis = start("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
    try {
      let up = false;
      for (let i = 0; i < 80 && !(up = await pong(port)); i++) await new Promise((r) => setTimeout(r, 250));
      expect(up, redis.err()).toBe(true);
      const url = `redis://127.0.0.1:${port}`;
      const dir = path.join(tmp, "queued");
      const sweep = gancProcess("sweep", ...SWEEP, ...SETTINGS, "--out", dir, "--queue", url);
      const workers = [0, 1].map((i) => gancProcess("worker", "--queue", url, "--stalled-after", "2", "--dir", path.join(tmp, `worker-${i}`)));

      // The run a worker has taken and not finished, from what it prints.
      const current = (w: Proc) => {
        const taken = [...w.out().matchAll(/took (\S+)/g)].map((m) => m[1]!);
        const last = taken[taken.length - 1];
        return last !== undefined && !w.out().includes(`finished ${last}`) ? last : undefined;
      };
      let victim: { worker: Proc; run: string } | undefined;
      await until(
        "a worker's run has a checkpoint",
        () => {
          for (const w of workers) {
            const run = current(w);
            if (run && midway(path.join(dir, "runs", run))) victim = { worker: w, run };
          }
          return victim !== undefined;
        },
        180_000,
      );
      victim!.worker.proc.kill("SIGKILL");
      expect(await victim!.worker.exited).toEqual({ code: null, signal: "SIGKILL" });

      expect(await sweep.exited, sweep.err()).toEqual({ code: 0, signal: null });
      expect(sweep.err()).toContain(`started ${victim!.run} (attempt 2)`);
      const queued = readSweep(dir);
      for (const r of queued.runs) {
        expect(r.state, r.error).toBe("done");
        const mine = local!.runs.find((x) => x.id === r.id)!;
        expect(r.result!.losses).toEqual(mine.result!.losses);
        expect(r.result!.eval).toEqual(mine.result!.eval);
        expect(r.result!.dir).toBe(path.join(dir, "runs", r.id)); // the workers saw the sweep's folder
      }
      const resumed = queued.runs.find((r) => r.id === victim!.run)!;
      expect(resumed.attempts).toBeGreaterThanOrEqual(2);
      expect(resumed.result!.resumed_from).toBeGreaterThan(0);

      // Re-running the command adds no job: everything is collected already.
      const again = await ganc("sweep", ...SWEEP, ...SETTINGS, "--out", dir, "--queue", url);
      expect(again.code, again.err).toBe(0);
      expect(again.err).toContain("4 done, 0 to run");

      const survivor = workers.find((w) => w !== victim!.worker)!;
      expect(survivor.out()).toMatch(new RegExp(`took ${victim!.run} .*, from its checkpoint at step [1-9]`));
      survivor.proc.kill("SIGTERM");
      expect(await survivor.exited).toEqual({ code: 143, signal: null });
    } finally {
      redis.proc.kill("SIGTERM");
      await redis.exited;
    }
  }, 300_000);
});
