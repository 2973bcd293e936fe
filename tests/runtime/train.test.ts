import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodePng } from "../../src/runtime/image.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import { train } from "../../src/runtime/train.js";
import { toyGan, type ToyProbe } from "./toy_module.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "ganc-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const quiet = { write: () => true, isTTY: false };
const readMetrics = (dir: string) =>
  readFileSync(path.join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);

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
