// The fused-encoder CycleGAN differs from CycleGAN in exactly the shared encoder and the two
// decoders: `ganc diff specs/cyclegan.gan specs/cyclegan_fused.gan`.
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { diffIr } from "../../src/ir/diff.js";
import { ganc } from "./helpers.js";

const EXPECTED = [
  "network G: 29 layers -> Enc, DecY",
  "network G: params 262,721 -> 0",
  "network F: 29 layers -> Enc, DecX",
  "network F: params 262,721 -> 0",
  "network Enc: added (image: [28, 28, 1]) -> [14, 14, 64], 24 layers, 242,624 params",
  "network DecY: added (code: [14, 14, 64]) -> Y [28, 28, 1], 23 layers, 242,433 params",
  "network DecX: added (code: [14, 14, 64]) -> X [28, 28, 1], 23 layers, 242,433 params",
];

describe("cyclegan -> cyclegan_fused", () => {
  it("diffIr lists only the shared encoder and the two decoders", () => {
    const a = checkFile("specs/cyclegan.gan");
    const b = checkFile("specs/cyclegan_fused.gan");
    expect(b.diagnostics).toEqual([]);
    expect(diffIr(a.ir!, b.ir!)).toEqual(EXPECTED);
  });

  it("`ganc diff` prints the same lines and exits 1", async () => {
    const r = await ganc("diff", "specs/cyclegan.gan", "specs/cyclegan_fused.gan");
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split("\n")).toEqual(EXPECTED);
  });
});
