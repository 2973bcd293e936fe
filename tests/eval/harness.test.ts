// The harness's evaluate hook: called every evalEvery steps in eval mode, logged on a line of its own.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { train, type TrainContext } from "../../src/runtime/train.js";
import { toyGan } from "../runtime/toy_module.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "ganc-eval-harness-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { write: () => true, isTTY: false };

describe("train({ evalEvery })", () => {
  it("logs module.evaluate's metrics every evalEvery steps, in eval mode, and not when evalEvery is 0", async () => {
    const calls: { step: number; mode: string }[] = [];
    const module = {
      ...toyGan(),
      evaluate(ctx: TrainContext) {
        calls.push({ step: ctx.step, mode: ctx.params.mode });
        return { eval_score: ctx.step / 10 };
      },
    };
    const runDir = path.join(tmp, "a");
    await train(module, { steps: 10, backend: "cpu", runDir, evalEvery: 4, logEvery: 5, sampleEvery: 0, checkpointEvery: 0, progress: quiet, handleSignals: false });
    expect(calls).toEqual([
      { step: 4, mode: "eval" },
      { step: 8, mode: "eval" },
    ]);
    const lines = readFileSync(path.join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines.filter((l) => "eval_score" in l)).toEqual([
      { step: 4, eval_score: 0.4 },
      { step: 8, eval_score: 0.8 },
    ]);
    expect(lines.filter((l) => "steps_per_sec" in l).map((l) => l.step)).toEqual([5, 10]);

    calls.length = 0;
    await train(module, { steps: 4, backend: "cpu", runDir: path.join(tmp, "b"), sampleEvery: 0, progress: quiet, handleSignals: false });
    expect(calls).toEqual([]);
  });
});
