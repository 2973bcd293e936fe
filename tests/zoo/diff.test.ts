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
