// A problem an override causes is reported at the override (a variant's declaration, or a
// `--set`), with a note where it shows in the base; a problem the base has on its own stays.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { renderAllPretty } from "../../src/diagnostics/index.js";

const BASE = `
data x = mnist(split = "train", range = [-1, 1])
latent z = normal(100)
param ngf = 32
param ndf = 32
param side = 7
type Image = [28, 28, 1]
network G(z: [100]) -> Image {
  dense(7 * 7 * ngf)
  relu
  reshape(side, side, ngf)
  conv2d_transpose(1, kernel = 4, stride = 4)
  tanh
}
network D(x: Image) -> [1] {
  conv2d(ndf, kernel = 4, stride = 2)
  flatten
  dense(1)
}
let fake = G(z)
loss d_loss = bce_logits(D(x), 1) + bce_logits(D(fake), 0)
loss g_loss = bce_logits(D(fake), 1)
optimizer D = adam(lr = 2e-4)
optimizer G = adam(lr = 2e-4)
schedule {
  step D minimize d_loss
  step G minimize g_loss
}
`;

const DIR = path.resolve("virtual");
const file = (name: string) => path.join(DIR, name);

/** Checks `variant.gan`, which extends `base.gan`, both in memory. */
function check(variant: string, base = BASE, overrides: Record<string, string> = {}) {
  const texts: Record<string, string> = { [file("base.gan")]: base, [file("variant.gan")]: `extends "base.gan"\n${variant}` };
  const r = checkFile(file("variant.gan"), { read: (f) => texts[f]!, overrides });
  const lines = (f: string, start: number) => texts[f]!.slice(0, start).split("\n").length;
  return { r, at: r.diagnostics.map((d) => `${d.code} ${path.basename(d.span.file)}:${d.span.file.startsWith("<") ? d.span.start : lines(d.span.file, d.span.start)}`), text: renderAllPretty(r.diagnostics, r.sources) };
}

describe("problems caused by an override", () => {
  it("a variant's param that breaks the base's network is reported at the variant's line, with a note in the base", () => {
    const { r, at, text } = check("param side = 8\n");
    expect(at).toEqual(["E0309 variant.gan:2"]);
    expect(r.diagnostics[0]!.label).toBe("`side` is set here");
    expect(r.diagnostics[0]!.notes[0]!.message).toBe("the error shows here, in the base spec");
    expect(text).toContain("variant.gan:2:14 error[E0309]: cannot reshape [1568] (1568 values) into [8, 8, 32] (2048 values)");
    expect(text).toMatch(/= note: the error shows here, in the base spec \(.*base\.gan:11:3\)/);
  });

  it("through another declaration: a param read by a param, a type alias read by a network", () => {
    // both layers that read `ngf` fail with it: two problems, both at the variant's line
    expect(check("param ngf = 32.5\n").at).toEqual(["E0204 variant.gan:2", "E0204 variant.gan:2"]);
    // G's declared output and D's input both read `Image`; the real data stays [28, 28, 1]
    expect(check("type Image = [32, 32, 1]\n").at).toEqual(["E0301 variant.gan:2", "E0304 variant.gan:2"]);
    const derived = BASE.replace("param side = 7", "param half = 14\nparam side = half / 2");
    expect(check("param half = 16\n", derived).at).toEqual(["E0309 variant.gan:2"]);
  });

  it("the variant's network breaks a base loss that calls it", () => {
    const { at } = check("network D(x: [14, 14, 1]) -> [1] {\n  flatten\n  dense(1)\n}\n");
    // the loss lines of the base call D with [28, 28, 1]: the variant's D is the cause
    expect(at).toEqual(["E0301 variant.gan:2"]);
  });

  it("a problem the base has on its own stays in the base", () => {
    const broken = BASE.replace("reshape(side, side, ngf)", "reshape(side, side, ngf + 1)");
    const { at } = check("param ndf = 16\n", broken);
    expect(at).toEqual(["E0309 base.gan:11"]);
  });

  it("a `--set` that breaks the spec is reported at the command line", () => {
    const { at, text } = check("", BASE, { side: "8" });
    expect(at).toEqual(["E0309 <command line>:11"]);
    expect(text).toContain("<command line>:1:12 error[E0309]");
    expect(text).toContain("--set side=8");
  });
});
