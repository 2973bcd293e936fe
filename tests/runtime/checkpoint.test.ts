import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { checkpointDir, describeSkipped, InvalidCheckpointError, latestCheckpoint, loadCheckpoint, loadNewestCheckpoint, saveCheckpoint } from "../../src/runtime/checkpoint.js";
import { sha256 } from "../../src/runtime/checkpoint-validate.js";
import { Prng } from "../../src/runtime/rng.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import * as nn from "../../src/runtime/nn/index.js";
import { rand } from "./helpers.js";

/** A small model with trainable and non-trainable variables and two optimisers, trained for `steps`. */
function model(seed: number) {
  const store = new nn.ParamStore(seed);
  const fc = nn.dense(store, "G/fc", { inFeatures: 3, units: 4 });
  const bn = nn.batchnorm(store, "D/bn", { channels: 4 });
  const out = nn.dense(store, "D/out", { inFeatures: 4, units: 1, spectralNorm: true });
  const optimizers = { G: tf.train.adam(0.01, 0.5, 0.9), D: tf.train.rmsprop(0.01) };
  const train = (steps: number) => {
    const x = rand([8, 3], 1);
    for (let i = 0; i < steps; i++) {
      for (const [k, prefix] of [["G", "G/"], ["D", "D/"]] as const) {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(out.apply(bn.apply(fc.apply(x))))) as tf.Scalar, store.trainable(prefix));
        const opt: tf.Optimizer = optimizers[k];
        opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
        tf.dispose([value, grads]);
      }
    }
  };
  return { store, optimizers, train };
}

async function snapshot(store: nn.ParamStore, optimizers: Record<string, tf.Optimizer>) {
  const vars = Object.fromEntries(store.entries().map((e) => [e.name, Array.from(e.variable.dataSync())]));
  const opts: Record<string, number[][]> = {};
  for (const [k, o] of Object.entries(optimizers)) opts[k] = (await o.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
  return { vars, opts };
}

describe("checkpoints", () => {
  let runDir: string;
  beforeAll(async () => {
    await useBackend("cpu");
  });
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));
  const fresh = () => (runDir = mkdtempSync(path.join(os.tmpdir(), "ganc-ckpt-")));

  it("save → load into a fresh store and fresh optimisers reproduces everything exactly", async () => {
    fresh();
    const a = model(1);
    a.train(3);
    const dir = await saveCheckpoint(runDir, a.store, a.optimizers, { step: 3, seed: 1, state: { ema: 0.5, phase: "warmup" }, extra: { spec: "toy" } });
    expect(dir).toBe(checkpointDir(runDir, 3));
    expect(path.basename(dir)).toBe("step-000003");
    const manifest = JSON.parse(readFileSync(path.join(dir, "model.json"), "utf8"));
    expect(manifest.weightsManifest[0].paths).toEqual(["weights.bin"]);
    const before = await snapshot(a.store, a.optimizers);
    expect(Object.keys(before.vars)).toContain("D/bn/moving_mean");
    expect(before.opts.G!.length).toBeGreaterThan(1);

    const b = model(99); // different init: loading must overwrite everything
    const meta = await loadCheckpoint(latestCheckpoint(runDir)!, b.store, b.optimizers);
    expect(meta).toEqual({ step: 3, seed: 1, state: { ema: 0.5, phase: "warmup" }, extra: { spec: "toy" } });
    expect(await snapshot(b.store, b.optimizers)).toEqual(before);

    // and training on continues identically
    a.train(2);
    b.train(2);
    expect((await snapshot(b.store, b.optimizers)).vars).toEqual((await snapshot(a.store, a.optimizers)).vars);
    for (const m of [a, b]) {
      m.store.dispose();
      Object.values(m.optimizers).forEach((o) => o.dispose());
    }
  });

  it("latestCheckpoint picks the highest complete step", async () => {
    fresh();
    expect(latestCheckpoint(runDir)).toBeNull();
    const a = model(1);
    for (const step of [5, 20, 10]) await saveCheckpoint(runDir, a.store, a.optimizers, { step, seed: 1, state: {} });
    expect(latestCheckpoint(runDir)).toBe(checkpointDir(runDir, 20));
    await saveCheckpoint(runDir, a.store, a.optimizers, { step: 20, seed: 1, state: { again: true } }); // overwrite
    expect(JSON.parse(readFileSync(path.join(checkpointDir(runDir, 20), "checkpoint.json"), "utf8")).state).toEqual({ again: true });
    a.store.dispose();
  });

  it("a crash before the rename leaves no partial step folder", async () => {
    fresh();
    const a = model(1);
    await saveCheckpoint(runDir, a.store, a.optimizers, { step: 1, seed: 1, state: {} });
    const crash = () => {
      throw new Error("simulated crash");
    };
    await expect(saveCheckpoint(runDir, a.store, a.optimizers, { step: 2, seed: 1, state: {} }, { beforeRename: crash })).rejects.toThrow(
      "simulated crash",
    );
    const names = readdirSync(path.join(runDir, "checkpoints"));
    expect(names).toEqual(["step-000001"]);
    expect(latestCheckpoint(runDir)).toBe(checkpointDir(runDir, 1));
    expect(existsSync(checkpointDir(runDir, 2))).toBe(false);
    a.store.dispose();
  });

  it("a checkpoint from another model is rejected clearly", async () => {
    fresh();
    const a = model(1);
    await saveCheckpoint(runDir, a.store, a.optimizers, { step: 1, seed: 1, state: {} });
    const other = new nn.ParamStore(1);
    nn.dense(other, "G/fc", { inFeatures: 3, units: 5 });
    await expect(loadCheckpoint(checkpointDir(runDir, 1), other, {})).rejects.toThrow(RuntimeUserError);
    await expect(loadCheckpoint(path.join(runDir, "nope"), other, {})).rejects.toThrow(`checkpoint ${path.join(runDir, "nope", "checkpoint.json")}: no such file`);
    a.store.dispose();
    other.dispose();
  });
});

describe("checkpoints are validated on load", () => {
  let runDir: string;
  let good: string;
  const a = model(1);
  beforeAll(async () => {
    await useBackend("cpu");
    runDir = mkdtempSync(path.join(os.tmpdir(), "ganc-ckpt-bad-"));
    a.train(2);
    good = await saveCheckpoint(runDir, a.store, a.optimizers, { step: 2, seed: 1, state: { ema: 0.5 } });
  });
  afterAll(() => {
    rmSync(runDir, { recursive: true, force: true });
    a.store.dispose();
  });

  const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  const write = (dir: string, file: string, v: unknown) => writeFileSync(path.join(dir, file), typeof v === "string" ? v : JSON.stringify(v));
  const weights = (dir: string) => readFileSync(path.join(dir, "weights.bin"));

  /** Each corruption of a copy of a good checkpoint: the file at fault and the reason it is refused. */
  const corruptions: [string, (dir: string) => void, string, RegExp][] = [
    ['"step": "abc"', (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), step: "abc" }), "checkpoint.json", /"step" must be a non-negative integer, found "abc"/],
    ["a negative step", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), step: -3 }), "checkpoint.json", /"step" must be a non-negative integer, found -3/],
    ["a fractional seed", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), seed: 1.5 }), "checkpoint.json", /"seed" must be a non-negative integer, found 1.5/],
    ["checkpoint.json {}", (d) => write(d, "checkpoint.json", {}), "checkpoint.json", /"format" must be "ganc-checkpoint\/2", found nothing/],
    ["checkpoint.json null", (d) => write(d, "checkpoint.json", "null"), "checkpoint.json", /expected a JSON object, found null/],
    ["an empty checkpoint.json", (d) => write(d, "checkpoint.json", ""), "checkpoint.json", /the file is empty/],
    ["a truncated checkpoint.json", (d) => write(d, "checkpoint.json", readFileSync(path.join(d, "checkpoint.json"), "utf8").slice(0, 40)), "checkpoint.json", /not valid JSON/],
    ["a NaN state value", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), state: { ema: null } }), "checkpoint.json", /state value "ema" must be a finite number.*NaN or Infinity when it was saved/],
    ["no optimiser list", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), optimizers: undefined }), "checkpoint.json", /"optimizers" must map each optimiser/],
    ["no checksum", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), weights: undefined }), "checkpoint.json", /"weights" must record/],
    ["missing optimiser state", (d) => write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), optimizers: { D: json(d, "checkpoint.json").optimizers.D } }), "checkpoint.json", /no state for optimiser "G"/],
    ["model.json {}", (d) => write(d, "model.json", {}), "model.json", /expected an object with a "weightsManifest" list, found \{\}/],
    ["a missing model.json", (d) => rmSync(path.join(d, "model.json")), "model.json", /no such file/],
    ["float16 in model.json", (d) => { const m = json(d, "model.json"); m.weightsManifest[0].weights[0].dtype = "float16"; write(d, "model.json", m); }, "model.json", /has dtype "float16"; ganc writes and reads only float32 and int32/],
    ["an optimiser slot missing from model.json", (d) => { const m = json(d, "model.json"); m.weightsManifest[0].weights = m.weightsManifest[0].weights.filter((w: { name: string }) => w.name !== "optimizers/G/1"); write(d, "model.json", m); }, "model.json", /optimiser "G" is incomplete: "optimizers\/G\/1" is missing/],
    ["a missing weights.bin", (d) => rmSync(path.join(d, "weights.bin")), "weights.bin", /no such file/],
    ["an empty weights.bin", (d) => write(d, "weights.bin", ""), "weights.bin", /it has 0 bytes, but model.json describes \d+ \(the file is empty\)/],
    ["a truncated weights.bin", (d) => writeFileSync(path.join(d, "weights.bin"), weights(d).subarray(0, 100)), "weights.bin", /it has 100 bytes.*truncated/],
    ["a float16 weights.bin", (d) => writeFileSync(path.join(d, "weights.bin"), weights(d).subarray(0, weights(d).length / 2)), "weights.bin", /truncated, or holds smaller numbers \(float16\?\)/],
    ["random weights of the right size", (d) => { const w = weights(d); const r = new Prng(9); for (let i = 0; i < w.length; i++) w[i] = r.nextInt(256); writeFileSync(path.join(d, "weights.bin"), w); }, "weights.bin", /do not match the SHA-256 checksum recorded in checkpoint.json/],
    ["one flipped bit", (d) => { const w = weights(d); w[w.length - 1] ^= 1; writeFileSync(path.join(d, "weights.bin"), w); }, "weights.bin", /do not match the SHA-256 checksum/],
    ["NaN weights (an older ganc wrote them, checksum and all)", (d) => {
      const w = weights(d);
      new Float32Array(w.buffer, w.byteOffset, 1)[0] = NaN;
      writeFileSync(path.join(d, "weights.bin"), w);
      write(d, "checkpoint.json", { ...json(d, "checkpoint.json"), weights: { file: "weights.bin", bytes: w.length, sha256: sha256(w) } });
    }, "weights.bin", /"params\/G\/fc\/kernel" holds NaN: the run had diverged when this checkpoint was written/],
    ["a FIFO as weights.bin", (d) => { rmSync(path.join(d, "weights.bin")); execFileSync("mkfifo", [path.join(d, "weights.bin")]); }, "weights.bin", /it is a named pipe \(FIFO\), not a regular file/],
  ];

  for (const [what, corrupt, file, reason] of corruptions) {
    it(`refuses ${what}, naming ${file} and why, and changes nothing`, async () => {
      const dir = path.join(runDir, "checkpoints", `step-${what.replace(/\W+/g, "-")}`);
      cpSync(good, dir, { recursive: true });
      corrupt(dir);
      const b = model(7);
      const before = await snapshot(b.store, b.optimizers);
      const error = await loadCheckpoint(dir, b.store, b.optimizers).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCheckpointError);
      expect((error as Error).message.startsWith(`checkpoint ${path.join(dir, file)}: `)).toBe(true);
      expect((error as Error).message).toMatch(reason);
      expect(await snapshot(b.store, b.optimizers)).toEqual(before);
      b.store.dispose();
    });
  }

  it("still reads a format-1 checkpoint (written before checksums)", async () => {
    const dir = path.join(runDir, "checkpoints", "step-format-1");
    cpSync(good, dir, { recursive: true });
    write(dir, "checkpoint.json", { ...json(dir, "checkpoint.json"), format: "ganc-checkpoint/1", weights: undefined });
    const b = model(7);
    expect((await loadCheckpoint(dir, b.store, b.optimizers)).step).toBe(2);
    expect(await snapshot(b.store, b.optimizers)).toEqual(await snapshot(a.store, a.optimizers));
    b.store.dispose();
  });

  it("loadNewestCheckpoint passes over invalid checkpoints, saying which and why, and fails when none is valid", async () => {
    const run = mkdtempSync(path.join(os.tmpdir(), "ganc-ckpt-newest-"));
    try {
      for (const step of [1, 2, 3]) await saveCheckpoint(run, a.store, a.optimizers, { step, seed: 1, state: {} });
      rmSync(path.join(checkpointDir(run, 3), "weights.bin"));
      write(checkpointDir(run, 2), "checkpoint.json", { ...json(checkpointDir(run, 2), "checkpoint.json"), step: "abc" });
      const b = model(7);
      const found = (await loadNewestCheckpoint(run, b.store, b.optimizers))!;
      expect(found.dir).toBe(checkpointDir(run, 1));
      expect(found.meta.step).toBe(1);
      expect(found.skipped.map((s) => path.basename(s.dir))).toEqual(["step-000003", "step-000002"]);
      expect(describeSkipped(found.skipped, found.dir)).toBe(
        [
          `checkpoint ${path.join(checkpointDir(run, 3), "weights.bin")}: no such file`,
          `checkpoint ${path.join(checkpointDir(run, 2), "checkpoint.json")}: "step" must be a non-negative integer, found "abc"`,
          "step-000003, step-000002 are invalid: using step-000001, the newest valid checkpoint",
        ].join("\n"),
      );
      writeFileSync(path.join(checkpointDir(run, 1), "weights.bin"), "");
      await expect(loadNewestCheckpoint(run, b.store, b.optimizers)).rejects.toThrow(/has no valid checkpoint:\n  checkpoint .*step-000003.*\n  .*step-000002.*\n  .*step-000001.*the file is empty/);
      expect(await loadNewestCheckpoint(path.join(run, "nothing"), b.store, b.optimizers)).toBeNull();
      b.store.dispose();
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });
});
