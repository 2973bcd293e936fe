import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { checkpointDir, latestCheckpoint, loadCheckpoint, saveCheckpoint } from "../../src/runtime/checkpoint.js";
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
    await expect(loadCheckpoint(path.join(runDir, "nope"), other, {})).rejects.toThrow(/cannot read checkpoint file/);
    a.store.dispose();
    other.dispose();
  });
});
