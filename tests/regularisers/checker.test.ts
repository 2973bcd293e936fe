// What the checker infers for the regularisers' builtins, and what it refuses: per-sample
// reductions give one number per sample, `std` a scalar, augmentations an image of the input's
// type; a scalar has no samples and an augmentation needs an image. And the runtime's reductions.
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { checkFile } from "../../src/check/check.js";
import type { IrType } from "../../src/ir/types.js";

/** gan.gan plus `lines`, checked in memory: the errors (code and message) and each let's type. */
function probe(lines: string[]): { errors: string[]; types: Record<string, IrType> } {
  const text = `extends "gan.gan"\n${lines.join("\n")}\n`;
  const r = checkFile("specs/probe.gan", { read: (f) => (f.endsWith("probe.gan") ? text : fs.readFileSync(f, "utf8")) });
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
  return { errors, types: Object.fromEntries((r.ir?.values ?? []).map((v) => [v.name, v.type])) };
}

describe("regulariser builtins in the checker", () => {
  it("infers per-sample reductions as [] per sample, std as a scalar, augmentations as the input's image type", () => {
    const { errors, types } = probe([
      "let each = sum(square(x), per_sample = true)",
      "let each_mean = mean(G(z), per_sample = true)",
      "let each_std = std(x, per_sample = true)",
      "let spread = std(x)",
      "let whole = sum(square(x))",
      "let aug = cutout(translate(color_jitter(x), ratio = 0.25))",
      "loss d_loss = mean(softplus(-real_logits)) + mean(softplus(fake_logits)) + mean(each) + mean(each_mean) + mean(each_std) + spread + whole + mean(D(aug))",
    ]);
    expect(errors).toEqual([]);
    const perSample = { kind: "tensor", shape: [] };
    expect([types.each, types.each_mean, types.each_std]).toEqual([perSample, perSample, perSample]);
    expect([types.spread, types.whole]).toEqual([{ kind: "scalar" }, { kind: "scalar" }]);
    expect(types.aug).toEqual({ kind: "tensor", shape: [28, 28, 1] });
  });

  it("refuses a per-sample reduction of a scalar, an augmentation of a non-image, a ratio out of [0, 1], a per_sample that is not a boolean", () => {
    const cases: [string, RegExp][] = [
      ["let a = sum(mean(x), per_sample = true)", /^E0204 .*`sum`.*a per-sample tensor/],
      ["let a = translate(z)", /^E0204 .*`translate`.*an image \[height, width, channels\]/],
      ["let a = cutout(x, ratio = 2)", /ratio/],
      ["let a = mean(x, per_sample = 1)", /per_sample/],
    ];
    for (const [line, expected] of cases) {
      const { errors } = probe([line, "loss g_loss = mean(softplus(-fake_logits)) + mean(a)"]);
      expect(errors, line).toHaveLength(1);
      expect(errors[0], line).toMatch(expected);
    }
  });
});

describe("the runtime's reductions", () => {
  it("per-sample mean, sum and std (dividing by the count) over each example's axes; std over everything", async () => {
    await rt.useBackend("cpu");
    const all = [1, 2, 3, 4, -1, -1, 5, 5];
    const m = all.reduce((a, b) => a + b) / 8;
    tf.tidy(() => {
      const x = tf.tensor4d(all, [2, 2, 2, 1]);
      const read = (t: tf.Tensor) => Array.from(t.dataSync());
      expect(read(rt.ops.perExampleSum(x))).toEqual([10, 8]);
      expect(read(rt.ops.perExampleMean(x))).toEqual([2.5, 2]);
      const [s0, s1] = read(rt.ops.perExampleStd(x));
      expect(s0).toBeCloseTo(Math.sqrt(1.25), 6); // (2.25 + 0.25 + 0.25 + 2.25) / 4
      expect(s1).toBeCloseTo(3, 6);
      expect(rt.ops.std(x).dataSync()[0]).toBeCloseTo(Math.sqrt(all.reduce((a, v) => a + (v - m) ** 2, 0) / 8), 6);
      // a batch of per-sample numbers [N] reduces to itself
      expect(read(rt.ops.perExampleMean(tf.tensor1d([3, -2])))).toEqual([3, -2]);
    });
  });
});
