// `ganc eval` and `run { eval_every }` on a short real toy run (ring of 8 Gaussians).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function ganc(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(""), err: err.join("") };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-eval-cli-"));
const runDir = path.join(tmp, "ring");
let trained: { code: number; out: string; err: string };

beforeAll(async () => {
  trained = await ganc("run", "specs/ring_gan.gan", "--steps", "200", "--backend", "wasm", "--out", runDir, "--set", "eval_every=100", "--set", "batch=64", "--set", "log_every=50");
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("evaluation of a toy run", () => {
  it("ganc run with eval_every logs the toy metrics to metrics.jsonl", () => {
    expect(trained.code, trained.err).toBe(0);
    const lines = fs.readFileSync(path.join(runDir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, number>);
    const evals = lines.filter((l) => "eval_modes_covered" in l);
    expect(evals.map((l) => l.step)).toEqual([100, 200]);
    for (const e of evals) {
      expect(e.eval_samples).toBe(500);
      expect(e.eval_modes_covered).toBeGreaterThanOrEqual(0);
      expect(e.eval_modes_covered).toBeLessThanOrEqual(8);
      expect(e.eval_high_quality_fraction).toBeGreaterThanOrEqual(0);
      expect(e.eval_high_quality_fraction).toBeLessThanOrEqual(1);
    }
  });

  it("ganc eval RUN_DIR writes eval.json with the toy metrics and prints a table", async () => {
    const r = await ganc("eval", runDir, "--samples", "1200", "--backend", "wasm");
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(runDir, "eval.json"), "utf8")) as Record<string, unknown>;
    expect(report).toMatchObject({ spec: "ring_gan", step: 200, kind: "toy2d", samples: 1200, modes: 8, std: 0.01, checkpoint: path.join("checkpoints", "step-000200") });
    for (const k of ["modes_covered", "high_quality_fraction", "reverse_kl", "mode_counts", "backend", "seconds"]) expect(report).toHaveProperty(k);
    expect(r.out).toContain("modes covered");
    expect(r.out).toContain(`wrote ${path.join(runDir, "eval.json")}`);
    // The same draw gives the same numbers (batch 0 is the fixed sample draw, later batches derive from the seed).
    const again = await ganc("eval", runDir, "--samples", "1200", "--backend", "wasm");
    const report2 = JSON.parse(fs.readFileSync(path.join(runDir, "eval.json"), "utf8")) as Record<string, unknown>;
    expect(again.code).toBe(0);
    expect(report2.mode_counts).toEqual(report.mode_counts);
  });

  it("a folder that is not a finished run is a usage error (exit 2)", async () => {
    const missing = await ganc("eval", path.join(tmp, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such folder");
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);
    const notRun = await ganc("eval", empty);
    expect(notRun.code).toBe(2);
    expect(notRun.err).toContain("holds no ir.json (is it a ganc run folder?)");
    const noCheckpoint = path.join(tmp, "no-checkpoint");
    fs.mkdirSync(noCheckpoint);
    fs.copyFileSync(path.join(runDir, "ir.json"), path.join(noCheckpoint, "ir.json"));
    fs.cpSync(path.join(runDir, "sources"), path.join(noCheckpoint, "sources"), { recursive: true });
    const r = await ganc("eval", noCheckpoint);
    expect(r.code).toBe(2);
    expect(r.err).toContain("has no checkpoint yet");
    const badSamples = await ganc("eval", runDir, "--samples", "1");
    expect(badSamples.code).toBe(2);
  });
});
