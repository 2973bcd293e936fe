import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { iterationFlops, networkFlops } from "../../src/ir/flops.js";
import { SPECS } from "./helpers.js";
import * as path from "node:path";

const at = (name: string, overrides: Record<string, string> = {}) => checkFile(path.join(SPECS, `${name}.gan`), { overrides }).ir!;

describe("FLOPs counted from the IR", () => {
  // DCGAN at widths 64: D = conv(1→64, k4) to 14x14, conv(64→128, k4) to 7x7, dense(6272→1);
  // G = dense(100→6272), conv2d_transpose(128→64, k4) from 7x7, conv2d_transpose(64→1, k4) from 14x14.
  const D = 2 * 16 * 1 * (14 * 14 * 64) + 2 * 16 * 64 * (7 * 7 * 128) + 2 * 6272;
  const G = 2 * 100 * 6272 + 2 * 16 * (7 * 7 * 128) * 64 + 2 * 16 * (14 * 14 * 64) * 1;

  it("of one sample through each network: dense and convolution layers", () => {
    const ir = at("dcgan", { ngf: "64", ndf: "64" });
    expect(networkFlops(ir, "D")).toBe(D);
    expect(networkFlops(ir, "G")).toBe(G);
  });

  it("of a DCGAN iteration: D step 3·D(x) + G(z) + 3·D(G(z)); G step 3·G(z) + 2·D(G(z))", () => {
    expect(iterationFlops(at("dcgan", { ngf: "64", ndf: "64" })).total).toBe(64 * (8 * D + 4 * G));
  });

  it("of a WGAN-GP iteration: the penalty's D(x_hat) costs 6 forwards; 5 critic steps", () => {
    // critic: D(x) 3, D(G(z)) 3, D(x_hat) 6, G(z) 1 (shared by fake and x_hat); generator step as DCGAN's
    expect(iterationFlops(at("wgan_gp", { ngf: "64", ndf: "64" })).total).toBe(64 * (5 * (12 * D + G) + 2 * D + 3 * G));
  });

  it("of BEGAN: the steps of a together block share one forward pass", () => {
    const ir = at("began");
    const g = networkFlops(ir, "G");
    const d = networkFlops(ir, "D");
    expect(d).toBe(networkFlops(ir, "Enc") + networkFlops(ir, "Dec"));
    // d_loss trains D: D(x) 3, D(G(z)) 3, G(z) 1; g_loss trains G: G(z) 2 more, D(G(z)) 1 more.
    expect(iterationFlops(ir).total).toBe(32 * (3 * d + 3 * d + g + 2 * g + d));
  });
});
