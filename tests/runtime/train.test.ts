import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { decodePng } from "../../src/runtime/image.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import { train, type TrainerModule } from "../../src/runtime/train.js";
import { toyGan, type ToyProbe } from "./toy_module.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "ganc-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const quiet = { write: () => true, isTTY: false };
const readMetrics = (dir: string) =>
  existsSync(path.join(dir, "metrics.jsonl"))
    ? readFileSync(path.join(dir, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, number>)
    : [];

describe("train harness", () => {
  it("runs 30 steps on cpu: files, metrics, samples, checkpoints, no tensor leak", async () => {
    const probe: ToyProbe = { tensorsAtStep: new Map() };
    const lines: string[] = [];
    const res = await train(toyGan(probe), {
      steps: 30,
      seed: 3,
      backend: "cpu",
      runsDir: path.join(tmp, "runs"),
      logEvery: 5,
      sampleEvery: 10,
      checkpointEvery: 10,
      progress: { write: (s: string) => lines.push(s), isTTY: false },
    });
    expect(res.step).toBe(30);
    expect(res.interrupted).toBe(false);
    expect(path.relative(path.join(tmp, "runs"), res.runDir).split(path.sep)[0]).toBe("toy-gan");
    const metrics = readMetrics(res.runDir);
    expect(metrics.map((m) => m.step)).toEqual([5, 10, 15, 20, 25, 30]);
    for (const m of metrics) {
      for (const k of ["loss_D", "loss_G", "ema_loss_D", "steps_per_sec"]) expect(Number.isFinite(m[k])).toBe(true);
    }
    expect(readdirSync(path.join(res.runDir, "samples")).sort()).toEqual(["step-000010.png", "step-000020.png", "step-000030.png"]);
    const png = decodePng(readFileSync(path.join(res.runDir, "samples", "step-000030.png")));
    expect(png.width).toBe(400);
    expect(readdirSync(path.join(res.runDir, "checkpoints")).sort()).toEqual(["step-000010", "step-000020", "step-000030"]);
    expect(JSON.parse(readFileSync(path.join(res.runDir, "run.json"), "utf8")).backend).toBe("cpu");
    expect(probe.tensorsAtStep.get(29)).toBe(probe.tensorsAtStep.get(3));
    expect(lines.filter((l) => l.startsWith("step ")).length).toBe(6);
    expect(lines.find((l) => l.startsWith("step "))).toMatch(/^step 5\/30 .*steps\/s ETA .* loss_D=/);
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`resuming at step 5 of a 10-step run reproduces the uninterrupted run exactly (${backend})`, async () => {
      const common = { steps: 10, seed: 11, backend, logEvery: 1, sampleEvery: 0, checkpointEvery: 5, progress: quiet };
      const full = await train(toyGan(), { ...common, runDir: path.join(tmp, `full-${backend}`) });
      const partDir = path.join(tmp, `part-${backend}`);
      const first = await train(toyGan(), { ...common, runDir: partDir, stopAt: 5 });
      expect(first.step).toBe(5);
      const second = await train(toyGan(), { ...common, runDir: partDir, resume: true });
      expect(second.step).toBe(10);
      const a = readMetrics(full.runDir).map(({ steps_per_sec: _, ...m }) => m);
      const b = readMetrics(partDir).map(({ steps_per_sec: _, ...m }) => m);
      expect(b.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(b).toEqual(a);
    });
  }

  it("rejects bad options and a resume without a checkpoint clearly", async () => {
    await expect(train(toyGan(), { steps: 0, backend: "cpu", progress: quiet })).rejects.toThrow(/steps must be an integer >= 1/);
    await expect(train(toyGan(), { steps: 5, resume: true, backend: "cpu", progress: quiet })).rejects.toThrow(RuntimeUserError);
    const empty = path.join(tmp, "empty-run");
    await expect(train(toyGan(), { steps: 5, resume: true, runDir: empty, backend: "cpu", progress: quiet })).rejects.toThrow(/has no checkpoint/);
    expect(existsSync(path.join(empty, "checkpoints"))).toBe(false);
  });
});

describe("train harness signals and TTY", () => {
  it("SIGINT finishes the step, writes a checkpoint and reports interrupted", async () => {
    const module = toyGan();
    const inner = module.iteration.bind(module);
    module.iteration = (ctx) => {
      if (ctx.step === 6) process.emit("SIGINT");
      return inner(ctx);
    };
    const runDir = path.join(tmp, "sigint");
    const res = await train(module, { steps: 50, seed: 1, backend: "cpu", runDir, logEvery: 100, sampleEvery: 0, checkpointEvery: 0, progress: quiet });
    expect(res.interrupted).toBe(true);
    expect(res.step).toBe(7);
    expect(readdirSync(path.join(runDir, "checkpoints"))).toEqual(["step-000007"]);
    expect(readMetrics(runDir).map((m) => m.step)).toEqual([7]); // the last step is logged
    // and the run resumes from there
    const more = await train(toyGan(), { steps: 9, seed: 1, backend: "cpu", runDir, resume: true, logEvery: 1, sampleEvery: 0, progress: quiet });
    expect(more.step).toBe(9);
    expect(readMetrics(runDir).map((m) => m.step)).toEqual([7, 8, 9]);
  });

  it("draws a progress bar on a TTY", async () => {
    const out: string[] = [];
    await train(toyGan(), {
      steps: 4,
      backend: "cpu",
      runDir: path.join(tmp, "tty"),
      logEvery: 2,
      progress: { write: (s: string) => out.push(s), isTTY: true },
    });
    const text = out.join("");
    expect(text).toMatch(/\r\x1b\[2Kstep 4\/4 \[#{20}\] .*steps\/s ETA 0s loss_D=\d/);
    expect(text.endsWith("\n")).toBe(true);
  });
});

/** A one-variable module: `loss(w)` minimised by `optimizer`, logging what `logged` returns (default the loss). */
function oneVariable(optimizer: () => tf.Optimizer, loss: (w: tf.Variable) => tf.Scalar, logged?: (step: number) => number): TrainerModule {
  let w: tf.Variable;
  return {
    name: "one-variable",
    init(ctx) {
      w = ctx.params.variable("G/w", [3], { constant: 0.5 });
      ctx.optimizers.G = optimizer();
    },
    iteration(ctx) {
      const value = ctx.optimizers.G!.minimize(() => loss(w), true, [w])!;
      if (logged === undefined) return { g_loss: value };
      value.dispose();
      return { g_loss: logged(ctx.step) };
    },
  };
}

describe("train harness: the divergence guard", () => {
  const options = (name: string) => ({ steps: 20, seed: 1, backend: "cpu" as const, runDir: path.join(tmp, name), logEvery: 1, sampleEvery: 0, checkpointEvery: 1, progress: quiet });

  it("an overflowing learning rate (1e400) stops at the step it happened, naming G's weights, before any checkpoint", async () => {
    // The logged loss is computed before each update, so step 1 logs a finite loss over NaN weights.
    const module = oneVariable(() => tf.train.adam(1e400), (w) => tf.sum(tf.square(w)));
    const error = await train(module, options("lr-1e400")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUserError);
    expect((error as Error).message).toMatch(/^training diverged at step 1: the weights of network G became non-finite \("G\/w" holds (NaN|-?Infinity)\) \(try a lower learning rate\); no checkpoint is written for it$/);
    expect(readMetrics(path.join(tmp, "lr-1e400")).map((m) => [m.step, Number.isFinite(m.g_loss)])).toEqual([]); // nothing logged from NaN weights
    expect(existsSync(path.join(tmp, "lr-1e400", "checkpoints"))).toBe(false);
  });

  it("optimiser state that overflows while the weights stay finite is caught too (RMSProp)", async () => {
    // g = 1e20: its square overflows float32, so the mean square is Infinity and the update 0.
    const module = oneVariable(() => tf.train.rmsprop(1e-3), (w) => tf.mul(tf.sum(w), 1e20) as tf.Scalar, () => 0.5);
    await expect(train(module, options("rmsprop"))).rejects.toThrow(/^training diverged at step 1: the state of optimiser G became non-finite \("G\/w\/rms" holds Infinity\)/);
  });

  it("a loss that becomes NaN is reported with steps counted from 1, like progress and checkpoints", async () => {
    const module = oneVariable(() => tf.train.sgd(0.01), (w) => tf.sum(tf.square(w)), (step) => (step === 4 ? NaN : 1));
    await expect(train(module, { ...options("nan-loss"), logEvery: 10 })).rejects.toThrow(/^training diverged at step 5: "g_loss" became NaN/);
    expect(readdirSync(path.join(tmp, "nan-loss", "checkpoints"))).toEqual(["step-000002", "step-000003", "step-000004"]);
  });
});

describe("train harness: checkpoint retention", () => {
  it("keeps the newest N checkpoints and the best by evaluation (which gets a checkpoint of its own)", async () => {
    const module = toyGan();
    // eval_fid is lowest (best) at step 4; evaluations at 2, 4, 6, ...; checkpoints every 5 steps.
    module.evaluate = (ctx) => ({ eval_fid: Math.abs(ctx.step - 4) + 1 });
    const runDir = path.join(tmp, "retention");
    await train(module, { steps: 12, seed: 1, backend: "cpu", runDir, logEvery: 1, sampleEvery: 0, checkpointEvery: 5, evalEvery: 2, keepCheckpoints: 2, progress: quiet });
    expect(readdirSync(path.join(runDir, "checkpoints")).sort()).toEqual(["step-000004", "step-000010", "step-000012"]);
    // resuming remembers the best from metrics.jsonl and keeps protecting it
    await train(toyGan(), { steps: 14, seed: 1, backend: "cpu", runDir, resume: true, logEvery: 1, sampleEvery: 0, checkpointEvery: 1, keepCheckpoints: 2, progress: quiet });
    expect(readdirSync(path.join(runDir, "checkpoints")).sort()).toEqual(["step-000004", "step-000013", "step-000014"]);
  });

  it("keeps 3 by default, and every one with keepCheckpoints 0", async () => {
    const common = { steps: 6, seed: 1, backend: "cpu" as const, logEvery: 1, sampleEvery: 0, checkpointEvery: 1, progress: quiet };
    await train(toyGan(), { ...common, runDir: path.join(tmp, "keep-default") });
    expect(readdirSync(path.join(tmp, "keep-default", "checkpoints")).sort()).toEqual(["step-000004", "step-000005", "step-000006"]);
    await train(toyGan(), { ...common, runDir: path.join(tmp, "keep-all"), keepCheckpoints: 0 });
    expect(readdirSync(path.join(tmp, "keep-all", "checkpoints")).length).toBe(6);
  });
});

describe("train harness: resuming from a damaged run", () => {
  it("passes over an invalid newest checkpoint, saying so, and still reproduces the uninterrupted run", async () => {
    const common = { seed: 4, backend: "cpu" as const, logEvery: 1, sampleEvery: 0, checkpointEvery: 5, keepCheckpoints: 0 };
    await train(toyGan(), { ...common, steps: 12, runDir: path.join(tmp, "damaged-full"), progress: quiet });
    const runDir = path.join(tmp, "damaged");
    await train(toyGan(), { ...common, steps: 12, runDir, stopAt: 10, progress: quiet });
    const meta = path.join(runDir, "checkpoints", "step-000010", "checkpoint.json");
    writeFileSync(meta, readFileSync(meta, "utf8").replace('"step": 10', '"step": "abc"'));
    const lines: string[] = [];
    const res = await train(toyGan(), { ...common, steps: 12, runDir, resume: true, progress: { write: (s: string) => lines.push(s), isTTY: false } });
    expect(res.step).toBe(12);
    expect(lines.join("")).toContain(`checkpoint ${meta}: "step" must be a non-negative integer, found "abc"\nstep-000010 is invalid: using step-000005, the newest valid checkpoint\n`);
    expect(JSON.parse(readFileSync(path.join(runDir, "run.json"), "utf8")).resumedAt).toBe(5);
    const values = (dir: string) => readMetrics(dir).map(({ steps_per_sec: _, ...m }) => m);
    expect(values(runDir)).toEqual(values(path.join(tmp, "damaged-full")));
    expect(readdirSync(path.join(runDir, "checkpoints")).sort()).toEqual(["step-000005", "step-000010", "step-000012"]);
  });

  it("a partial last line in metrics.jsonl (a crash while appending) is dropped on resume", async () => {
    const common = { steps: 8, seed: 2, backend: "cpu" as const, logEvery: 1, sampleEvery: 0, checkpointEvery: 4, progress: quiet };
    const runDir = path.join(tmp, "partial-line");
    await train(toyGan(), { ...common, runDir, stopAt: 4 });
    appendFileSync(path.join(runDir, "metrics.jsonl"), '{"step":5,"loss_D":0.69');
    await train(toyGan(), { ...common, runDir, resume: true });
    await train(toyGan(), { ...common, runDir: path.join(tmp, "partial-full") });
    const values = (dir: string) => readMetrics(dir).map(({ steps_per_sec: _, ...m }) => m);
    expect(values(runDir)).toEqual(values(path.join(tmp, "partial-full")));
  });
});
