import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { irToJson } from "../../src/ir/serialize.js";
import type { IrSpec } from "../../src/ir/types.js";
import { REPO, SPEC_NAMES, spec } from "./helpers.js";

const GOLDEN = path.join(REPO, "tests/ir/golden");

/**
 * The same value with every object's keys in reverse order (arrays kept), except records
 * (layer args, options, settings, outputs types), whose order is the catalog's and is kept.
 */
function shuffleKeys<T>(v: T, record = false): T {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x)) as T;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const entries = Object.entries(o).map(([k, x]): [string, unknown] => {
      const isRecord = k === "settings" || k === "options" || (k === "args" && !Array.isArray(x)) || (k === "outputs" && o.kind === "outputs");
      return [k, isRecord ? Object.fromEntries(Object.entries(x as object).map(([rk, rx]) => [rk, shuffleKeys(rx)])) : shuffleKeys(x)];
    });
    return Object.fromEntries(record ? entries : entries.reverse()) as T;
  }
  return v;
}

describe("irToJson", () => {
  it("is 2-space JSON that parses back to the IR", () => {
    const ir = spec("dcgan");
    const text = irToJson(ir, { relativeTo: REPO });
    expect(text.startsWith('{\n  "irVersion": 2,\n  "name": "dcgan",\n  "files": ["specs/dcgan.gan"],\n  "params": [\n    {\n      "name": "ngf",')).toBe(true);
    expect(text).toContain('"shape": [28, 28, 1]');
    expect(text).toMatch(/"span": \{ "file": "specs\/dcgan.gan", "start": \d+, "end": \d+ \}/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(irToJson(ir))).toEqual(JSON.parse(JSON.stringify(ir)));
  });

  it("makes span files relative, with / separators", () => {
    const ir = spec("wgan_gp");
    expect(ir.files.every((f) => path.isAbsolute(f))).toBe(true);
    const text = irToJson(ir, { relativeTo: REPO });
    expect(text).not.toContain(REPO);
    const back = JSON.parse(text) as IrSpec;
    expect(back.files).toEqual(["specs/dcgan.gan", "specs/wgan_gp.gan"]);
    expect(back.networks.find((n) => n.name === "D")!.span.file).toBe("specs/wgan_gp.gan");
    expect(back.networks.find((n) => n.name === "G")!.span.file).toBe("specs/dcgan.gan");
    expect(JSON.parse(irToJson(ir, { relativeTo: path.join(REPO, "specs") })).files).toEqual(["dcgan.gan", "wgan_gp.gan"]);
  });

  it("does not depend on the order keys were built in", () => {
    const ir = spec("acgan");
    expect(irToJson(shuffleKeys(ir), { relativeTo: REPO })).toBe(irToJson(ir, { relativeTo: REPO }));
  });

  it("keeps the catalog order of layer arguments and of network outputs", () => {
    const back = JSON.parse(irToJson(spec("acgan"))) as IrSpec;
    const conv = back.networks.find((n) => n.name === "D")!.nodes[0]!;
    expect(Object.keys(conv)).toEqual(["id", "op", "inputs", "args", "inTypes", "outType", "paramCount", "span"]);
    expect(Object.keys(conv.args)).toEqual(["filters", "kernel", "stride", "padding", "bias", "sn"]);
    const real = back.values.find((v) => v.name === "real")!;
    expect(real.type.kind === "outputs" && Object.keys(real.type.outputs)).toEqual(["source", "class"]);
  });

  // Golden files: regenerate with UPDATE_GOLDEN=1 npx vitest run tests/ir
  it.each(SPEC_NAMES)("%s matches its golden IR", (name) => {
    const text = irToJson(spec(name), { relativeTo: REPO });
    const file = path.join(GOLDEN, `${name}.ir.json`);
    if (process.env.UPDATE_GOLDEN || !fs.existsSync(file)) {
      fs.mkdirSync(GOLDEN, { recursive: true });
      fs.writeFileSync(file, text);
    }
    expect(text).toBe(fs.readFileSync(file, "utf8"));
  });
});
