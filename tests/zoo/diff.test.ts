// Each variant of the zoo extends its parent, and `diffIr` (what `ganc diff parent child` prints)
// is exactly the variant: the lines below are the whole difference.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diffIr } from "../../src/ir/diff.js";
import { SPECS, spec } from "../ir/helpers.js";

/** ring_wgan_gp and grid_wgan_gp add the same critic loss, penalty and TTUR optimisers to their parents. */
const TOY_WGAN_GP = [
  "param lambda: added (0.1)",
  "latent eps: added = uniform(1, low = 0, high = 1)",
  "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> mean(fake_logits) - mean(real_logits) + lambda * penalty",
  "loss g_loss: mean(softplus(-fake_logits)) -> -mean(fake_logits)",
  "let x_hat: added = eps * x + (1 - eps) * G(z)",
  "let penalty: added = mean(square(norm(grad(D(x_hat), x_hat)) - 1))",
  "optimizer D: adam lr 1e-4 -> linear_decay(4e-4, start = 0.5), beta2 0.999 -> 0.9",
  "optimizer G: adam lr 1e-4 -> linear_decay(1e-4, start = 0.5), beta2 0.999 -> 0.9",
];

const VARIANTS: Record<string, { parent: string; lines: string[] }> = {
  gan: {
    parent: "dcgan",
    lines: [
      "loss d_loss: bce_logits(real_logits, 1) + bce_logits(fake_logits, 0) -> mean(softplus(-real_logits)) + mean(softplus(fake_logits))",
      "loss g_loss: bce_logits(fake_logits, 1) -> mean(softplus(-fake_logits))",
    ],
  },
  gan_minimax: {
    parent: "gan",
    lines: [
      "loss g_loss: mean(softplus(-fake_logits)) -> -mean(softplus(fake_logits))",
    ],
  },
  lsgan: {
    parent: "gan",
    lines: [
      "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> 0.5 * mean(square(real_logits - 1)) + 0.5 * mean(square(fake_logits))",
      "loss g_loss: mean(softplus(-fake_logits)) -> 0.5 * mean(square(fake_logits - 1))",
    ],
  },
  wgan: {
    parent: "gan",
    lines: [
      "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> mean(fake_logits) - mean(real_logits)",
      "loss g_loss: mean(softplus(-fake_logits)) -> -mean(fake_logits)",
      "optimizer D: adam(lr = 2e-4, beta1 = 0.5) -> rmsprop(lr = 5e-5)",
      "optimizer G: adam(lr = 2e-4, beta1 = 0.5) -> rmsprop(lr = 5e-5)",
      "schedule: D:G updates per iteration 1:1 -> 5:1",
      "schedule: clip_weights D 0.01 (x5) added",
    ],
  },
  hinge_sngan: {
    parent: "gan",
    lines: [
      "network D: layer 1 conv2d sn false -> true",
      "network D: layer 3 conv2d sn false -> true",
      "network D: layer 4 batchnorm removed",
      "network D: layer 6 dense sn false -> true",
      "network D: params 36,641 -> 36,513",
      "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> mean(relu(1 - real_logits)) + mean(relu(1 + fake_logits))",
      "loss g_loss: mean(softplus(-fake_logits)) -> -mean(fake_logits)",
    ],
  },
  ragan: {
    parent: "gan",
    lines: [
      "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> mean(softplus(-real_rel)) + mean(softplus(fake_rel))",
      "loss g_loss: mean(softplus(-fake_logits)) -> mean(softplus(-fake_rel)) + mean(softplus(real_rel))",
      "let real_rel: added = real_logits - mean(fake_logits)",
      "let fake_rel: added = fake_logits - mean(real_logits)",
    ],
  },
  r1: {
    parent: "gan",
    lines: [
      "param gamma: added (10)",
      "loss d_loss: term added: gamma / 2 * r1",
      "let r1: added = mean(sum(square(grad(real_logits, x)), per_sample = true))",
    ],
  },
  r2: {
    parent: "r1",
    lines: [
      "loss d_loss: term removed: gamma / 2 * r1",
      "loss d_loss: term added: gamma / 2 * r2",
      "let fake: added = G(z)",
      "let r2: added = mean(sum(square(grad(D(fake), fake)), per_sample = true))",
    ],
  },
  dragan: {
    parent: "gan",
    lines: [
      "param lambda: added (10)",
      "param c: added (0.5)",
      "latent u: added = uniform([28, 28, 1], low = 0, high = 1)",
      "loss d_loss: term added: lambda * penalty",
      "let x_p: added = x + c * std(x) * u",
      "let penalty: added = mean(square(norm(grad(D(x_p), x_p)) - 1))",
    ],
  },
  wgan_div: {
    parent: "wgan_gp",
    lines: [
      "param k: added (2)",
      "param p: added (6)",
      "loss d_loss: term removed: lambda * penalty",
      "loss d_loss: term added: k * penalty",
      "let penalty: mean(square(norm(grad(D(x_hat), x_hat)) - 1)) -> mean(sum(square(grad(D(x_hat), x_hat)), per_sample = true) ^ (p / 2))",
    ],
  },
  ra_hinge: {
    parent: "ragan",
    lines: [
      "loss d_loss: mean(softplus(-real_rel)) + mean(softplus(fake_rel)) -> mean(relu(1 - real_rel)) + mean(relu(1 + fake_rel))",
      "loss g_loss: mean(softplus(-fake_rel)) + mean(softplus(real_rel)) -> mean(relu(1 + real_rel)) + mean(relu(1 - fake_rel))",
    ],
  },
  lecam: {
    parent: "hinge_sngan",
    lines: [
      "param lambda_lc: added (0.3)",
      "param decay: added (0.99)",
      "state ema_real: added (0)",
      "state ema_fake: added (0)",
      "loss d_loss: term added: lambda_lc * lecam",
      "let lecam: added = mean(square(real_logits - ema_fake)) + mean(square(fake_logits - ema_real))",
      "schedule: ema_real = decay * ema_real + (1 - decay) * mean(real_logits) added",
      "schedule: ema_fake = decay * ema_fake + (1 - decay) * mean(fake_logits) added",
    ],
  },
  bcr: {
    parent: "gan",
    lines: [
      "param lambda_real: added (10)",
      "param lambda_fake: added (10)",
      "loss d_loss: term added: lambda_real * bcr_real",
      "loss d_loss: term added: lambda_fake * bcr_fake",
      "let fake: added = G(z)",
      "let bcr_real: added = mean(square(real_logits - D(translate(x))))",
      "let bcr_fake: added = mean(square(fake_logits - D(translate(fake))))",
    ],
  },
  zcr: {
    parent: "gan",
    lines: [
      "param sigma: added (0.03)",
      "param lambda_dis: added (5)",
      "param lambda_gen: added (0.5)",
      "latent dz: added = normal(100)",
      "loss d_loss: term added: lambda_dis * zcr_dis",
      "loss g_loss: term added: -(lambda_gen * zcr_gen)",
      "let z_t: added = z + sigma * dz",
      "let zcr_dis: added = mean(square(fake_logits - D(G(z_t))))",
      "let zcr_gen: added = mean(sum(square(G(z) - G(z_t)), per_sample = true))",
    ],
  },
  diffaugment: {
    parent: "gan",
    lines: [
      "let real_logits: D(x) -> D(cutout(translate(color_jitter(x))))",
      "let fake_logits: D(G(z)) -> D(cutout(translate(color_jitter(G(z)))))",
    ],
  },
  gn_gan: {
    parent: "gan",
    lines: [
      "let real_logits: D(x) -> D(x) / (norm(grad(D(x), x)) + abs(D(x)))",
      "let fake_logits: D(G(z)) -> D(fake) / (norm(grad(D(fake), fake)) + abs(D(fake)))",
      "let fake: added = G(z)",
    ],
  },
  ttur_ema: {
    parent: "gan",
    lines: [
      "optimizer D: adam lr 2e-4 -> 4e-4, beta1 0.5 -> 0, beta2 0.999 -> 0.9",
      "optimizer G: adam lr 2e-4 -> 1e-4, beta1 0.5 -> 0, beta2 0.999 -> 0.9",
      "schedule: ema G 0.999 added",
    ],
  },
  fgan_kl: {
    parent: "gan",
    lines: [
      "loss d_loss: mean(softplus(-real_logits)) + mean(softplus(fake_logits)) -> -(mean(t_real) - mean(conj_fake))",
      "loss g_loss: mean(softplus(-fake_logits)) -> -mean(t_fake)",
      "let t_real: added = real_logits",
      "let t_fake: added = fake_logits",
      "let conj_fake: added = exp(t_fake - 1)",
    ],
  },
  fgan_reverse_kl: {
    parent: "fgan_kl",
    lines: [
      "let t_real: real_logits -> -exp(-real_logits)",
      "let t_fake: fake_logits -> -exp(-fake_logits)",
      "let conj_fake: exp(t_fake - 1) -> fake_logits - 1",
    ],
  },
  fgan_pearson: {
    parent: "fgan_kl",
    lines: [
      "let conj_fake: exp(t_fake - 1) -> 0.25 * square(t_fake) + t_fake",
    ],
  },
  dcgan_label_smoothing: {
    parent: "dcgan",
    lines: [
      "loss d_loss: term removed: bce_logits(real_logits, 1)",
      "loss d_loss: term added: bce_logits(real_logits, 0.9)",
    ],
  },
  dcgan_minibatch_disc: {
    parent: "dcgan",
    lines: [
      "network D: layer 7 minibatch_disc added",
      "network D: params 36,641 -> 1,604,741",
    ],
  },
  dcgan_vbn: {
    parent: "dcgan",
    lines: [
      "network G: layer 2 batchnorm -> virtual_batchnorm",
      "network G: layer 6 batchnorm -> virtual_batchnorm",
      "network D: layer 4 batchnorm -> virtual_batchnorm",
    ],
  },
  ring_wgan_gp: {
    parent: "ring_gan",
    lines: TOY_WGAN_GP,
  },
  grid_gan: {
    parent: "ring_gan",
    lines: [
      "data x: ring(modes = 8, radius = 1, std = 0.01) -> grid(size = 5, spacing = 2, std = 0.05)",
    ],
  },
  grid_wgan_gp: {
    parent: "grid_gan",
    lines: TOY_WGAN_GP,
  },
};

describe("zoo variants differ from their parents by exactly the variant", () => {
  it.each(Object.keys(VARIANTS))("%s extends its parent", (child) => {
    const text = fs.readFileSync(path.join(SPECS, `${child}.gan`), "utf8");
    expect(text.match(/^extends "(.*)"$/m)?.[1]).toBe(`${VARIANTS[child]!.parent}.gan`);
  });

  it.each(Object.keys(VARIANTS))("ganc diff <parent> %s", (child) => {
    const { parent, lines } = VARIANTS[child]!;
    expect(diffIr(spec(parent), spec(child))).toEqual(lines);
  });
});
