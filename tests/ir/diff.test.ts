import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffIr, lcsAlign, sameIgnoringSpans, updatesPerIteration } from "../../src/ir/diff.js";
import { checkOk, edit, SPEC_NAMES, SPECS, spec, variant } from "./helpers.js";

describe("diffIr on the specs", () => {
  it("dcgan -> wgan_gp is exactly the documented changes", () => {
    expect(diffIr(spec("dcgan"), spec("wgan_gp"))).toEqual([
      "param lambda: added (10)",
      "latent eps: added = uniform([1, 1, 1], low = 0, high = 1)",
      "network D: layer 4 batchnorm -> layernorm",
      "loss d_loss: bce_logits(real_logits, 1) + bce_logits(fake_logits, 0) -> mean(fake_logits) - mean(real_logits) + lambda * penalty",
      "loss g_loss: bce_logits(fake_logits, 1) -> -mean(fake_logits)",
      "let x_hat: added = eps * x + (1 - eps) * G(z)",
      "let penalty: added = mean(square(norm(grad(D(x_hat), x_hat)) - 1))",
      "optimizer D: adam lr 2e-4 -> 1e-4, beta2 0.999 -> 0.9",
      "optimizer G: adam lr 2e-4 -> 1e-4, beta2 0.999 -> 0.9",
      "schedule: D:G updates per iteration 1:1 -> 5:1",
    ]);
  });

  it("wgan_gp -> dcgan is the reverse", () => {
    expect(diffIr(spec("wgan_gp"), spec("dcgan"))).toEqual([
      "param lambda: removed (was 10)",
      "latent eps: removed",
      "network D: layer 4 layernorm -> batchnorm",
      "loss d_loss: mean(fake_logits) - mean(real_logits) + lambda * penalty -> bce_logits(real_logits, 1) + bce_logits(fake_logits, 0)",
      "loss g_loss: -mean(fake_logits) -> bce_logits(fake_logits, 1)",
      "let x_hat: removed",
      "let penalty: removed",
      "optimizer D: adam lr 1e-4 -> 2e-4, beta2 0.9 -> 0.999",
      "optimizer G: adam lr 1e-4 -> 2e-4, beta2 0.9 -> 0.999",
      "schedule: D:G updates per iteration 5:1 -> 1:1",
    ]);
  });

  it.each(SPEC_NAMES)("%s diffs empty with itself (and with a second check of itself)", (name) => {
    const a = spec(name);
    expect(diffIr(a, a)).toEqual([]);
    expect(diffIr(a, spec(name))).toEqual([]);
  });

  it("is deterministic", () => {
    const a = spec("dcgan");
    const b = spec("wgan_gp");
    expect(diffIr(a, b)).toEqual(diffIr(spec("dcgan"), spec("wgan_gp")));
  });
});

describe("layout and comments do not count", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-diff-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Comments after every line, blank lines, and declarations broken over several lines. */
  function relayout(text: string): string {
    const lines = text.split("\n").map((l, i) => {
      if (l.trim() === "" || l.trim().startsWith("#")) return l;
      return `${l}   # note ${i}\n`;
    });
    return (
      "# a copy, laid out differently\n\n\n" +
      lines
        .join("\n")
        .replace(/optimizer (\w+) = adam\(/g, "optimizer $1 =\n  adam(\n    ")
        .replace(/, beta1 = /g, ",\n    beta1   =   ")
        .replace(/loss d_loss = /g, "loss d_loss =\n    ")
        .replace(/\) \+ /g, ")\n  + ")
    );
  }

  it.each(SPEC_NAMES)("%s re-laid-out and commented diffs empty", (name) => {
    for (const f of fs.readdirSync(SPECS)) fs.writeFileSync(path.join(dir, f), relayout(fs.readFileSync(path.join(SPECS, f), "utf8")));
    const copy = checkOk(path.join(dir, `${name}.gan`));
    const orig = spec(name);
    // the copy really is different text: spans differ
    expect(sameIgnoringSpans(copy, orig)).toBe(false);
    expect(JSON.stringify(copy.values.map((v) => v.span))).not.toBe(JSON.stringify(orig.values.map((v) => v.span)));
    expect(diffIr(orig, copy)).toEqual([]);
    expect(diffIr(copy, orig)).toEqual([]);
  });
});

describe("diffIr on variants", () => {
  it("an inserted layer is one line, plus the param count", () => {
    const b = variant("dcgan.gan", { "dcgan.gan": edit("dcgan.gan", ["  flatten\n  dense(1)", "  flatten\n  minibatch_disc(kernels = 50)\n  dense(1)"]) });
    expect(diffIr(spec("dcgan"), b)).toEqual(["network D: layer 7 minibatch_disc(kernels=50) added", "network D: params 36,641 -> 820,691"]);
  });

  it("a removed layer is one line, and later layers keep their wiring", () => {
    const b = variant("dcgan.gan", { "dcgan.gan": edit("dcgan.gan", ["  conv2d(ndf * 2, kernel = 4, stride = 2)\n  batchnorm\n", "  conv2d(ndf * 2, kernel = 4, stride = 2)\n"]) });
    expect(diffIr(spec("dcgan"), b)).toEqual(["network D: layer 4 batchnorm removed", "network D: params 36,641 -> 36,513"]);
  });

  it("a param change shows with the layers it changes", () => {
    const b = variant("dcgan.gan", { "dcgan.gan": edit("dcgan.gan", ["param ngf = 32", "param ngf = 16"]) });
    expect(diffIr(spec("dcgan"), b)).toEqual([
      "param ngf: 32 -> 16",
      "network G: layer 1 dense units 3136 -> 1568",
      "network G: layer 4 reshape dims [7, 7, 64] -> [7, 7, 32]",
      "network G: layer 5 conv2d_transpose filters 32 -> 16",
      "network G: params 356,385 -> 170,001",
    ]);
  });

  it("added and removed loss terms are named", () => {
    const base = edit("cyclegan.gan");
    const without = variant("cyclegan.gan", { "cyclegan.gan": base.replace(" + lambda_id * identity", "").replace("param lambda_id = 5\n", "").replace(/let identity = .*\n/, "") });
    expect(diffIr(without, spec("cyclegan"))).toEqual([
      "param lambda_id: added (5)",
      "loss g_loss: term added: lambda_id * identity",
      "let identity: added = l1(G(cast(y, X)), y) + l1(F(cast(x, Y)), x)",
    ]);
    // values in the order of the first spec: `identity` is declared before `g_loss` there
    expect(diffIr(spec("cyclegan"), without)).toEqual(["param lambda_id: removed (was 5)", "let identity: removed", "loss g_loss: term removed: lambda_id * identity"]);
    const swapped = variant("cyclegan.gan", { "cyclegan.gan": base.replace(" + lambda_id * identity", " - 0.1 * mean(fake_y)") });
    expect(diffIr(spec("cyclegan"), swapped)).toEqual(["loss g_loss: term removed: lambda_id * identity", "loss g_loss: term added: -(0.1 * mean(fake_y))"]);
  });

  it("optimiser kinds, learning-rate schedules, run settings", () => {
    const b = variant("dcgan.gan", {
      "dcgan.gan": edit("dcgan.gan", ["optimizer D = adam(lr = 2e-4, beta1 = 0.5)", "optimizer D = rmsprop(lr = 5e-5)"], ["optimizer G = adam(lr = 2e-4, beta1 = 0.5)", "optimizer G = adam(lr = linear_decay(2e-4), beta1 = 0.5)"], ["batch = 64", "batch = 16"]),
    });
    expect(diffIr(spec("dcgan"), b)).toEqual([
      "optimizer D: adam(lr = 2e-4, beta1 = 0.5) -> rmsprop(lr = 5e-5)",
      "optimizer G: adam lr 2e-4 -> linear_decay(2e-4, start = 0.5)",
      "run batch: 64 -> 16",
    ]);
  });

  it("schedule: clip_weights, ema, together, and structure changes", () => {
    const text = (body: string) => edit("dcgan.gan", ["  step D minimize d_loss\n  step G minimize g_loss\n", body]);
    const clip = variant("dcgan.gan", { "dcgan.gan": text("  repeat 5 {\n    step D minimize d_loss\n    clip_weights D 0.01\n  }\n  step G minimize g_loss\n  ema G 0.999\n") });
    expect(diffIr(spec("dcgan"), clip)).toEqual(["schedule: D:G updates per iteration 1:1 -> 5:1", "schedule: clip_weights D 0.01 (x5) added", "schedule: ema G 0.999 added"]);
    const clip2 = variant("dcgan.gan", { "dcgan.gan": text("  repeat 5 {\n    step D minimize d_loss\n  }\n  clip_weights D 0.02\n  step G minimize g_loss\n  ema G 0.99\n") });
    expect(diffIr(clip, clip2)).toEqual(["schedule: clip_weights D 0.01 (x5) -> 0.02", "schedule: ema G 0.999 -> 0.99"]);
    const together = variant("dcgan.gan", { "dcgan.gan": text("  together {\n    step D minimize d_loss\n    step G minimize g_loss\n  }\n") });
    expect(diffIr(spec("dcgan"), together)).toEqual(["schedule: { step D minimize d_loss; step G minimize g_loss } -> { together { step D minimize d_loss; step G minimize g_loss } }"]);
    const swapped = variant("dcgan.gan", { "dcgan.gan": text("  step G minimize g_loss\n  step D minimize d_loss\n") });
    expect(diffIr(spec("dcgan"), swapped)).toEqual(["schedule: { step D minimize d_loss; step G minimize g_loss } -> { step G minimize g_loss; step D minimize d_loss }"]);
  });

  it("state updates (BEGAN)", () => {
    const b = variant("began.gan", { "began.gan": edit("began.gan", ["k = clip(k + lambda_k * (gamma * loss_real - loss_fake), 0, 1)", "k = clip(k + lambda_k * (gamma * loss_real - loss_fake), 0, 0.5)"], ["state k = 0", "state k = 0.1"]) });
    expect(diffIr(spec("began"), b)).toEqual([
      "state k: init 0 -> 0.1",
      "schedule: k = clip(k + lambda_k * (gamma * loss_real - loss_fake), 0, 1) -> clip(k + lambda_k * (gamma * loss_real - loss_fake), 0, 0.5)",
    ]);
  });

  it("data, latents, network inputs and outputs", () => {
    const b = variant("acgan.gan", {
      "acgan.gan": edit(
        "acgan.gan",
        ['data (x, label) = mnist(split = "train", range = [-1, 1], labels = true)', 'data (x, label) = mnist(split = "train", range = [0, 1], labels = true, digits = [0, 1])'],
        ["latent z = normal(100)", "latent z = normal(128, truncation = 2)"],
        ["network G(z: [100], c: label(10))", "network G(z: [128], c: label(10))"],
        ["class_code: embedding(100)", "class_code: embedding(128)"],
      ),
    });
    expect(diffIr(spec("acgan"), b)).toEqual([
      "data (x, label): digits [] -> [0, 1], range [-1, 1] -> [0, 1]",
      "latent z: normal(100) -> normal(128, truncation = 2)",
      "network G: inputs (z: [100], c: label(10)) -> (z: [128], c: label(10))",
      "network G: layer 1 embedding dim 100 -> 128",
      "network G: params 779,305 -> 955,201",
    ]);
    const wide = variant("dcgan.gan", { "dcgan.gan": edit("dcgan.gan", ["network D(x: Image) -> [1]", "network D(x: Image) -> [2]"], ["  flatten\n  dense(1)", "  flatten\n  dense(2)"]) });
    expect(diffIr(spec("dcgan"), wide)).toEqual(["network D: output [1] -> [2]", "network D: layer 7 dense units 1 -> 2", "network D: params 36,641 -> 39,778"]);
  });
});

describe("helpers", () => {
  it("aligns with an LCS", () => {
    expect(lcsAlign(["a", "b", "c"], ["a", "x", "b", "c"])).toEqual([[0, 0], [1, 2], [2, 3]]);
    expect(lcsAlign(["a", "b", "c", "d"], ["a", "c", "d"])).toEqual([[0, 0], [2, 1], [3, 2]]);
    expect(lcsAlign([], ["a"])).toEqual([]);
    expect(lcsAlign(["a", "b", "a"], ["b", "a", "b"])).toHaveLength(2);
  });

  it("counts updates through repeat and together", () => {
    expect([...updatesPerIteration(spec("wgan_gp").schedule)]).toEqual([["D", 5], ["G", 1]]);
    expect([...updatesPerIteration(spec("began").schedule)]).toEqual([["D", 1], ["G", 1]]);
  });
});
