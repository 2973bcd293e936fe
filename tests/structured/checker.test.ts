// The mistakes the structured specs invite, each caught with the right code, each on a variant
// of a real spec (its text edited in memory, read through checkFile's `read` option); and the
// language features they need: block-local taps, `fade` with a state alpha, `constant`, `from`
// as a network's first statement.
import * as fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";
import { STRUCTURED, specPath } from "./helpers.js";

/** Checks `spec` with its text (or a base's) replaced: each edit must match exactly once. */
function variant(spec: string, edits: [from: string | RegExp, to: string][], file = spec) {
  const target = path.normalize(specPath(file));
  let text = fs.readFileSync(target, "utf8");
  for (const [from, to] of edits) {
    const count = typeof from === "string" ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags.replace("g", "")}g`)) ?? []).length;
    expect(count, `${String(from)} in ${file}`).toBe(1);
    text = text.replace(from, to);
  }
  return checkFile(specPath(spec), { read: (f) => (path.normalize(f) === target ? text : fs.readFileSync(f, "utf8")) });
}

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "error");
const codes = (ds: Diagnostic[]) => errors(ds).map((d) => d.code);

describe("the structured specs", () => {
  it.each(STRUCTURED)("%s checks clean (no warnings either)", (name) => {
    const r = checkFile(specPath(name));
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(r.ir).toBeDefined();
  });
});

describe("mistakes, caught with the right code", () => {
  it("E0401: the generator into Y fed to the discriminator of X (cyclegan_fused)", () => {
    const r = variant("cyclegan_fused", [[/\n$/, "\nloss g_loss = mse(DX(fake_y), 1) + mse(DY(fake_x), 1) + lambda_cyc * cycle + lambda_id * identity\n"]]);
    expect(codes(r.diagnostics)).toEqual(["E0401", "E0401"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`DX` takes values of domain X, but this one is of domain Y");
  });

  it("E0401: pix2pix's output given to D as the input image", () => {
    const r = variant("pix2pix", [["bce_logits(D(edges, fake), 1) + lambda", "bce_logits(D(fake, fake), 1) + lambda"]]);
    expect(codes(r.diagnostics)).toEqual(["E0401"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`D` takes values of domain Edges, but this one is of domain Digits");
  });

  it("E0402: a cycle term comparing F(G(x)) with y (cyclegan_fused overriding the base's cycle)", () => {
    const r = variant("cyclegan_fused", [[/\n$/, "\nlet cycle = l1(F(fake_y), y) + l1(G(fake_x), y)\n"]]);
    expect(codes(r.diagnostics)).toEqual(["E0402"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`l1` combines a value of domain X with a value of domain Y");
  });

  it("E0303: ACGAN's class embedding multiplied into a z of another size", () => {
    const r = variant("acgan", [["class_code: embedding(100)", "class_code: embedding(64)"]]);
    expect(codes(r.diagnostics)).toEqual(["E0303"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`multiply` needs equal shapes, found [100] and [64]");
  });

  it("E0307: InfoGAN's categorical head with 9 classes for a code of 10", () => {
    const r = variant("infogan", [
      ["cat: [10]", "cat: [9]"],
      ["    dense(10)\n", "    dense(9)\n"],
    ]);
    expect(codes(r.diagnostics)).toEqual(["E0307"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`cross_entropy` with 9 logits expects labels of 9 classes, found labels of 10 classes");
  });

  it("E0307: a cGAN discriminator whose label input has the wrong number of classes", () => {
    const r = variant("cgan", [["network D(x: Image, c: label(10))", "network D(x: Image, c: label(9))"]]);
    expect(codes(r.diagnostics)).toContain("E0307");
  });

  it("E0305: a U-Net skip connection joining 14x14 to 28x28 (pix2pix)", () => {
    const r = variant("pix2pix", [
      ["  concat(e14)\n", "  concat(e28)\n"],
      ["  concat(e28)\n  conv2d(1", "  concat(e14)\n  conv2d(1"],
    ]);
    expect(codes(r.diagnostics)).toEqual(["E0305"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("cannot join feature maps of different spatial sizes: [14, 14, 128] and [28, 28, 64]");
  });

  it("E0303: a fade between resolutions that were not matched (progan)", () => {
    const r = variant("progan", [["  old14: upsample(2)\n", "  old14: relu\n"]]);
    expect(codes(r.diagnostics)).toEqual(["E0303"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`fade` needs equal shapes, found [7, 7, 1] and [14, 14, 1]");
  });

  it("E0104: fade's alpha must be a number or a state, not a name of another kind (progan)", () => {
    const r = variant("progan", [
      ["  fade(old28, alpha28)\n", "  fade(old28, fake)\n"],
    ]);
    expect(codes(r.diagnostics)).toEqual(["E0104"]);
    expect(errors(r.diagnostics)[0]!.message).toBe("`fake` is a let value, not a number or a state variable");
  });

  it("E0205 / E0101: fade's alpha out of [0, 1], or an unknown name", () => {
    expect(codes(variant("progan", [["  fade(old28, alpha28)\n", "  fade(old28, 2)\n"]]).diagnostics)).toEqual(["E0205"]);
    expect(codes(variant("progan", [["  fade(old28, alpha28)\n", "  fade(old28, alpha_28)\n"]]).diagnostics)).toEqual(["E0101"]);
  });
});

describe("language features the structured specs need", () => {
  it("fade takes a constant alpha too, and the state alpha is recorded by name", () => {
    const r = variant("progan", [["  fade(old28, alpha28)\n", "  fade(old28, 0.5)\n"]]);
    expect(codes(r.diagnostics)).toEqual([]);
    const fades = r.ir!.networks.find((n) => n.name === "G")!.nodes.filter((n) => n.op === "fade");
    expect(fades.map((n) => n.args.alpha)).toEqual(["alpha14", 0.5]);
  });

  it("a tap inside a block is local to each use: a U-Net level used twice (pix2pix)", () => {
    // a level: keep the input, go down and back up, join the kept input
    const level = "block level(ch) {\n  skip: conv2d(ch, kernel = 3)\n  down(ch * 2)\n  up(ch)\n  concat(skip)\n}\n\n";
    const r = variant("pix2pix", [
      ["network G(edges: Edges) -> Digits {", `${level}network G(edges: Edges) -> Digits {\n  level(ngf)\n  level(ngf)`],
    ]);
    expect(codes(r.diagnostics)).toEqual([]);
    const g = r.ir!.networks.find((n) => n.name === "G")!;
    const concats = g.nodes.filter((n) => n.op === "concat");
    // each concat joins its own level's skip, not the other's
    expect(concats[0]!.inputs[1]).toBe("conv2d_1");
    expect(concats[1]!.inputs[1]).toBe("conv2d_3"); // conv2d_2 is the first level's `down`
    // an ambiguous block tap is not reachable from outside; the network's own taps are
    expect(g.taps.map((t) => t.name)).toEqual(["e28", "e14"]);
  });

  it("a block tap is not visible after the block; a block used once still exports its tap", () => {
    const level = "block level(ch) {\n  skip: conv2d(ch, kernel = 3)\n  concat(skip)\n}\n\n";
    const outside = variant("pix2pix", [["network G(edges: Edges) -> Digits {", `${level}network G(edges: Edges) -> Digits {\n  level(ngf)\n  concat(skip)`]]);
    expect(codes(outside.diagnostics)).toEqual(["E0101"]);
    const once = variant("pix2pix", [["network G(edges: Edges) -> Digits {", `${level}network G(edges: Edges) -> Digits {\n  level(ngf)`]]);
    expect(codes(once.diagnostics)).toEqual([]);
    expect(once.ir!.networks.find((n) => n.name === "G")!.taps.map((t) => t.name)).toContain("skip");
  });

  it("two taps of one name in the same block use are still E0107", () => {
    const r = variant("srgan", [["block upscale(ch) {\n  upsample(2)\n", "block upscale(ch) {\n  a: upsample(2)\n  a: relu\n"]]);
    expect(codes(r.diagnostics)).toEqual(["E0107"]);
  });

  it("`constant` ignores its input; networks may start with `from` (stylegan, cgan)", () => {
    const style = checkFile(specPath("stylegan")).ir!;
    const g = style.networks.find((n) => n.name === "G")!;
    const c = g.nodes.find((n) => n.op === "constant")!;
    expect(c.outType).toEqual({ kind: "tensor", shape: [7, 7, 64] });
    expect(c.paramCount).toBe(7 * 7 * 64);
    expect(g.nodes.filter((n) => n.op === "adain").length).toBe(6);
    expect(g.nodes.filter((n) => n.op === "noise").length).toBe(6);
    const cgan = checkFile(specPath("cgan")).ir!;
    const d = cgan.networks.find((n) => n.name === "D")!;
    expect(d.nodes[0]).toMatchObject({ op: "one_hot", inputs: ["c"] });
    expect(d.nodes[1]).toMatchObject({ op: "concat", inputs: ["x", "one_hot_1"], outType: { kind: "tensor", shape: [28, 28, 11] } });
  });
});
