// LeCam and the gradient-normalised D, checked like the other regularisers (see
// penalties.test.ts). They rest on two of the checker's promises (tests/soundness): a state
// update reads `mean(real_logits)`, a tensor `let` of the loss, and a per-sample value `[N]`
// (`norm`) meets D's `[N, 1]` logits aligned on the batch axis, not broadcast to `[N, N]`.
import { describe, it } from "vitest";
import { batches, expectAllNear, expectNear, FAKE, linearD, mean, PIXELS, quadraticD, REAL, sigmoid, softplus } from "./harness.js";

const b = batches();

describe("LeCam and the gradient-normalised D", () => {
  it("LeCam (Tseng et al. 2021, R_LC): λ·(E(D(x) − α_F)² + E(D(G(z)) − α_R)²), α the EMAs (0.99) of D's mean outputs", () => {
    const w = 0.1;
    const [r, f] = [REAL.map((c) => PIXELS * w * c), FAKE.map((c) => PIXELS * w * c)];
    const hinge = mean(r.map((l) => Math.max(0, 1 - l))) + mean(f.map((l) => Math.max(0, 1 + l)));
    const lecam = (aR: number, aF: number) => mean(r.map((l) => (l - aF) ** 2)) + mean(f.map((l) => (l - aR) ** 2));
    const h = b.open("lecam", { D: linearD, w0: w });
    const first = h.iterate(0);
    expectNear(first.d_loss, hinge + 0.3 * lecam(0, 0), "lecam d_loss at α = 0");
    // after D's step: α ← 0.99·α + 0.01·E D(·)
    const [aR, aF] = [0.01 * mean(r), 0.01 * mean(f)];
    expectNear(first.ema_real, aR, "α_R after one step");
    expectNear(first.ema_fake, aF, "α_F after one step");
    const second = h.iterate(1);
    expectNear(second.d_loss, hinge + 0.3 * lecam(aR, aF), "lecam d_loss with the averages");
    expectNear(second.ema_real, 0.99 * aR + 0.01 * mean(r), "α_R after two steps");
    // ∂R_LC/∂W_p = E 2(D(x) − α_F)·c + E 2(D(G(z)) − α_R)·f; the hinge's part is −E[1 − D(x) > 0]·c + E[1 + D(G(z)) > 0]·f
    const hingeGrad = mean(r.map((l, i) => (1 - l > 0 ? -REAL[i]! : 0))) + mean(f.map((l, j) => (1 + l > 0 ? FAKE[j]! : 0)));
    const reg = mean(r.map((l, i) => 2 * (l - aF) * REAL[i]!)) + mean(f.map((l, j) => 2 * (l - aR) * FAKE[j]!));
    expectAllNear(h.grads.D[1], () => hingeGrad + 0.3 * reg, "∂ d_loss / ∂W at step 1");
  });

  it("gradient-normalised D (Wu et al. 2021, GN-GAN): f / (‖∇f‖ + |f|), with ‖∇f‖ different for each image", () => {
    // quadratic f(x) = Σ W·x²: on a constant image c, f = 784·w·c² and ∇f = 2W·x, ‖∇f‖ = 56·w·|c|
    const w = 0.01;
    const f = (c: number) => PIXELS * w * c * c;
    const gn = (c: number) => f(c) / (56 * w * Math.abs(c) + f(c));
    const h = b.open("gn_gan", { D: quadraticD, w0: w });
    const v = h.iterate(0);
    expectNear(v.d_loss, mean(REAL.map((c) => softplus(-gn(c)))) + mean(FAKE.map((c) => softplus(gn(c)))), "gn_gan d_loss");
    expectNear(v.g_loss, mean(FAKE.map((c) => softplus(-gn(c)))), "gn_gan g_loss");
    // ∂f/∂W_p = c², ∂‖∇f‖/∂W_p = 2|c|·W_p/‖W‖ = 2|c|/28, ∂|f|/∂W_p = c² (f > 0)
    const dgn = (c: number) => {
      const den = 56 * w * Math.abs(c) + f(c);
      return (c * c * den - f(c) * ((2 * Math.abs(c)) / 28 + c * c)) / den ** 2;
    };
    const grad = mean(REAL.map((c) => -sigmoid(-gn(c)) * dgn(c))) + mean(FAKE.map((c) => sigmoid(gn(c)) * dgn(c)));
    expectAllNear(h.grads.D[0], () => grad, "∂ d_loss / ∂W", 1e-3);
  });
});
