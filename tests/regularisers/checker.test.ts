// What the checker infers for the regularisers' builtins, and what it refuses: per-sample
// reductions give one number per sample, `std` a scalar, augmentations an image of the input's
// type; a scalar has no samples and an augmentation needs an image.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
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
