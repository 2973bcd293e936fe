// The structured specs train: each for 3 tiny steps on wasm with finite losses, plus what is
// specific to each: pix2pix on a folder of side-by-side PNG pairs, ProGAN's fade-in states
// moving from 0 towards 1, InfoGAN's code, VAE-GAN's feature tap, the fused encoder's sharing.
import * as fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { STRUCTURED, ganc, readMetrics, sets, specPath, tempDir } from "./helpers.js";

const tmp = tempDir("structured");
afterAll(tmp.cleanup);

async function train(spec: string, name: string, extra: string[] = []): Promise<Record<string, number>[]> {
  const out = path.join(tmp.dir, name);
  const r = await ganc("run", spec, "--steps", "3", "--backend", "wasm", "--out", out, ...sets(name.replace(/-.*/, ""), extra));
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const metrics = readMetrics(out);
  expect(metrics.map((m) => m.step)).toEqual([1, 2, 3]);
  for (const m of metrics)
    for (const [k, v] of Object.entries(m)) expect(Number.isFinite(v), `${name}: ${k} = ${v}`).toBe(true);
  return metrics;
}

describe("structured specs train 3 tiny steps on wasm", () => {
  for (const name of STRUCTURED)
    it(name, { timeout: 60_000 }, async () => {
      const metrics = await train(specPath(name), name);
      const ir = checkFile(specPath(name)).ir!;
      for (const loss of ir.values.filter((v) => v.role === "loss")) expect(Object.keys(metrics[2]!)).toContain(loss.name);
    });
});

describe("pix2pix", () => {
  it("trains on image_pairs: a folder of side-by-side PNG pairs", { timeout: 60_000 }, async () => {
    const dir = path.join(tmp.dir, "pix2pix-folder");
    fs.mkdirSync(path.join(dir, "pairs"), { recursive: true });
    // input | target, 56x28: a bar on the left, the same bar thickened on the right
    for (let i = 0; i < 6; i++) {
      const png = new PNG({ width: 56, height: 28 });
      for (let y = 0; y < 28; y++)
        for (let x = 0; x < 56; x++) {
          const side = x < 28 ? 0 : 1;
          const cx = x % 28;
          const on = Math.abs(cx - (8 + i * 2)) <= 1 + side * 2 && y > 4 && y < 24;
          const k = (y * 56 + x) * 4;
          png.data[k] = png.data[k + 1] = png.data[k + 2] = on ? 255 : 0;
          png.data[k + 3] = 255;
        }
      fs.writeFileSync(path.join(dir, "pairs", `p${i}.png`), PNG.sync.write(png));
    }
    const text = fs.readFileSync(specPath("pix2pix"), "utf8");
    const line = /^data \(edges: Edges, digit: Digits\) = mnist_pairs\(.*\)$/m;
    expect(text).toMatch(line);
    // the alternative data line the spec's comment documents
    const alt = /^# {3}(data \(edges, digit\) = image_pairs\(.*\))$/m.exec(text)![1]!.replace("(edges, digit)", "(edges: Edges, digit: Digits)");
    const spec = path.join(dir, "pix2pix.gan");
    fs.writeFileSync(spec, text.replace(line, alt));
    const ir = checkFile(spec).ir!;
    expect(ir.data[0]).toMatchObject({ source: "image_pairs", names: ["edges", "digit"], args: { path: "pairs", size: [28, 28], channels: 1 } });
    await train(spec, "pix2pix-folder");
  });
});

describe("progan", () => {
  it("logs the fade-in states moving from 0 towards 1", { timeout: 60_000 }, async () => {
    const metrics = await train(specPath("progan"), "progan-fade", ["fade_steps=2"]);
    // alpha14 = clip(iteration / 2, 0, 1), alpha28 = clip(iteration / 2 - 1, 0, 1), after each iteration
    const a14 = metrics.map((m) => m.alpha14);
    const a28 = metrics.map((m) => m.alpha28);
    expect(a14[0]).toBeGreaterThanOrEqual(0);
    expect(a14[0]).toBeLessThan(1);
    expect(a14[2]).toBe(1);
    for (let i = 1; i < 3; i++) expect(a14[i]!).toBeGreaterThanOrEqual(a14[i - 1]!);
    expect(a28[0]).toBe(0);
    for (let i = 1; i < 3; i++) expect(a28[i]!).toBeGreaterThanOrEqual(a28[i - 1]!);
  });

  it("blends with `fade` reading the state variables in both networks", async () => {
    const ir = checkFile(specPath("progan")).ir!;
    for (const net of ["G", "D"]) {
      const fades = ir.networks.find((n) => n.name === net)!.nodes.filter((n) => n.op === "fade");
      expect(fades.map((f) => f.args.alpha).sort()).toEqual(["alpha14", "alpha28"]);
    }
    const code = await moduleFor(ir);
    expect(code).toContain("rt.nn.fade(");
    expect(code).toMatch(/const G = buildG\(store, m_state\)/);
  });
});

describe("infogan", () => {
  it("draws code = concat(z, c, u) and recovers c and u from heads on D's trunk", async () => {
    const ir = checkFile(specPath("infogan")).ir!;
    const code = ir.latents.find((l) => l.name === "code")!;
    expect(code.parts).toEqual(["z", "c", "u"]);
    expect(code.type).toEqual({ kind: "tensor", shape: [62 + 10 + 2] });
    expect(ir.latents.find((l) => l.name === "c")!.type).toEqual({ kind: "label", classes: 10 });
    expect(ir.latents.find((l) => l.name === "u")!.args).toMatchObject({ low: -1, high: 1 });
    const d = ir.networks.find((n) => n.name === "D")!;
    expect(d.outputs.map((o) => [o.name, o.type])).toEqual([
      ["source", { kind: "tensor", shape: [1] }],
      ["cat", { kind: "tensor", shape: [10] }],
      ["cont", { kind: "tensor", shape: [2] }],
    ]);
    // the mutual-information term is minimised by both players
    const mentionsInfo = (name: string) => JSON.stringify(ir.values.find((v) => v.name === name)!.expr).includes('"name":"info"');
    expect(mentionsInfo("d_loss") && mentionsInfo("g_loss")).toBe(true);
    const gen = await moduleFor(ir);
    expect(gen).toMatch(/d\.code = tf\.concat\(\[d\.z!, tf\.oneHot\(d\.c as tf\.Tensor1D, 10\)\.toFloat\(\), d\.u!\], -1\)/);
  });
});

describe("vaegan and cyclegan_fused", () => {
  it("vaegan measures reconstruction on D's feature tap", () => {
    const ir = checkFile(specPath("vaegan")).ir!;
    expect(ir.networks.find((n) => n.name === "D")!.taps.map((t) => t.name)).toEqual(["feat"]);
    const llike = ir.values.find((v) => v.name === "llike")!.expr;
    expect(llike).toMatchObject({ k: "builtin", fn: "mse", args: [{ k: "call", network: "D", output: "feat" }, { k: "call", network: "D", output: "feat" }] });
  });

  it("cyclegan_fused: G and F apply one Enc (its weights are in both players' variables)", async () => {
    const ir = checkFile(specPath("cyclegan_fused")).ir!;
    expect(ir.networks.find((n) => n.name === "G")!.uses).toEqual(["DecY", "Enc"]);
    expect(ir.networks.find((n) => n.name === "F")!.uses).toEqual(["DecX", "Enc"]);
    const code = await moduleFor(ir);
    expect(code).toContain('G: [...store.trainable("G/"), ...store.trainable("DecY/"), ...store.trainable("Enc/")]');
  });
});
