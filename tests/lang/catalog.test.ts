// The language catalog (src/lang): every function an emitter names exists in the runtime (or in
// TensorFlow.js), every emitter writes only the functions it declares, every entry is exercised
// by a real spec, and grammar/LANGUAGE.md's tables are the catalog's.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { checkFile } from "../../src/check/check.js";
import type { IrExpr, IrSpec } from "../../src/ir/types.js";
import { forEachExpr } from "../../src/ir/walk.js";
import { withCatalogTables } from "../../src/lang/docs.js";
import { BUILTINS, DATA_SOURCES, LAYERS, LR_SCHEDULES, OPERATORS, OPTIMIZERS, PRIORS, RUN_SETTINGS, type Args, type BuiltinEntry, type BuiltinSite, type LayerEntry } from "../../src/lang/index.js";

const SPECS = fs.readdirSync("specs").filter((f) => f.endsWith(".gan"));

/** A spec using what the zoo does not: the remaining layers, functions, an optimiser and data. */
const EXTRA = `
data x = mnist(split = "train", range = [-1, 1])
data (a, b) = image_pairs(path = "pairs", size = [28, 28], channels = 1)
data y = images(path = "folder", size = [28, 28], channels = 1)
latent z = normal(16)
latent c = categorical(4)
network G(z: [16]) -> [28, 28, 1] {
  dense(28 * 28)
  sigmoid
  softplus
  reshape(28, 28, 1)
}
network D(x: [28, 28, 1]) -> [1] {
  flatten
  dense(1)
}
let fake = G(z)
let ramp = min(iteration / 100, 1) + max(0, 1)
let shaped = clip(D(fake), -1, 1) + clip(D(fake), 0 - ramp, ramp) + log(sqrt(sigmoid(tanh(D(x)) + 2)))
let joined = sum(concat(one_hot(c), one_hot(c))) + mean(stop_gradient(D(a) + D(b) + D(y)))
loss d_loss = bce_logits(D(x), 1) + bce_logits(D(fake), 0) + mean(shaped) * 0 + joined * 0
loss g_loss = bce_logits(D(fake), 1)
optimizer D = sgd(lr = 1e-3)
optimizer G = sgd(lr = 1e-3, momentum = 0.9)
schedule {
  step D minimize d_loss
  step G minimize g_loss
}
`;

function irs(): IrSpec[] {
  const out = SPECS.map((f) => checkFile(path.join("specs", f)).ir!);
  const extra = checkFile("extra.gan", { read: () => EXTRA });
  expect(extra.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return [...out, extra.ir!];
}

/** The `rt.*` and `tf.*` functions a piece of emitted code calls or constructs (types aside). */
function namesIn(code: string): string[] {
  return [...code.matchAll(/\b(?:new\s+)?((?:rt|tf)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?=\s*\()/g)].map((m) => m[1]!);
}

/** The exported value a dotted name (`rt.nn.dense`, `tf.train.adam`) refers to. */
function resolve(name: string): unknown {
  const [root, ...rest] = name.split(".");
  let v: unknown = root === "rt" ? rt : root === "tf" ? tf : undefined;
  for (const k of rest) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

/** A stand-in for the code generator's builtin site: arguments `a0, a1...`, hoisted code returned as is. */
function site(e: Extract<IrExpr, { k: "builtin" }>): BuiltinSite {
  return {
    expr: e,
    arg: (i) => ({ code: `a${i}`, num: e.args[i]?.k === "const" || e.args[i]?.k === "param" }),
    tensor: (i) => `a${i}`,
    hoist: (_base, code) => code,
    nameOf: (i) => `a${i}`,
    step: () => "step",
    seed: () => "m.seed",
    stream: (base) => `\`\${id}/${base}\``,
    pool: () => "pool",
    closure: () => ({ fn: "f", point: "p" }),
  };
}

describe("the language catalog", () => {
  const all = irs();

  it("every function an emitter names exists in the runtime's exports or in TensorFlow.js", () => {
    const declared = [
      ...Object.values(LAYERS as Record<string, LayerEntry>).flatMap((e) => e.emit.names),
      ...Object.values(BUILTINS as Record<string, BuiltinEntry>).flatMap((e) => e.emit.names),
      ...Object.values(OPERATORS).map((e) => e.tensor),
      ...Object.values(DATA_SOURCES).flatMap((e) => e.emit.names),
      ...Object.values(PRIORS).flatMap((e) => e.emit.names),
      ...Object.values(OPTIMIZERS).flatMap((e) => e.emit.names),
      ...Object.values(LR_SCHEDULES).flatMap((e) => e.emit.names),
    ];
    expect(declared.length).toBeGreaterThan(40);
    expect(declared.filter((n) => typeof resolve(n) !== "function")).toEqual([]);
  });

  it("every function the generated modules call exists (the catalog's and the code generator's own)", () => {
    const called = new Set(fs.readdirSync("generated").flatMap((f) => namesIn(fs.readFileSync(path.join("generated", f), "utf8"))));
    expect(called.size).toBeGreaterThan(40);
    expect([...called].filter((n) => typeof resolve(n) !== "function")).toEqual([]);
  });

  it("layer emitters write only the functions they declare, and every layer is used by some spec", () => {
    const used = new Set<string>();
    for (const ir of all)
      for (const net of ir.networks)
        for (const node of net.nodes) {
          if (node.op === "call") continue;
          const e = (LAYERS as Record<string, LayerEntry>)[node.op]!;
          used.add(node.op);
          const code = [e.emit.object?.(node, '"N/x"') ?? "", e.emit.apply({ node, self: "self", inputs: node.inputs.map((_, i) => `v${i}`), state: (s) => `state.${s}`, reference: "ref" })].join("\n");
          expect(namesIn(code).filter((n) => !e.emit.names.includes(n)), `${node.op}: ${code}`).toEqual([]);
        }
    expect(Object.keys(LAYERS).filter((n) => !used.has(n))).toEqual([]);
  });

  it("builtin emitters write only the functions they declare, and every builtin is used by some spec", () => {
    const used = new Set<string>();
    for (const ir of all)
      for (const v of ir.values)
        forEachExpr(v.expr, (x) => {
          if (x.k !== "builtin") return;
          const e = (BUILTINS as Record<string, BuiltinEntry>)[x.fn]!;
          used.add(x.fn);
          const out = e.emit.code(site(x));
          const code = [typeof out === "string" ? out : out.code, e.emit.pool?.(x.options, "pool/0") ?? ""].join("\n");
          expect(namesIn(code).filter((n) => !e.emit.names.includes(n)), `${x.fn}: ${code}`).toEqual([]);
        });
    expect(Object.keys(BUILTINS).filter((n) => !used.has(n))).toEqual([]);
  });

  it("data, prior, optimiser and schedule emitters write only the functions they declare", () => {
    const defaults = (params: readonly { name: string; default?: unknown }[]) => Object.fromEntries(params.flatMap((p) => (p.default === undefined ? [] : [[p.name, p.default]]))) as Args;
    const check = (names: readonly string[], code: string) => expect(namesIn(code).filter((n) => !names.includes(n)), code).toEqual([]);
    for (const [name, e] of Object.entries(DATA_SOURCES)) check(e.emit.names, e.emit.open(name, defaults(e.params)));
    for (const ir of all)
      for (const l of ir.latents) check(PRIORS[l.prior].emit.names, PRIORS[l.prior].emit.draw({ latent: l, shape: "[n, 2]", stream: "s", parts: (l.parts ?? []).map((p) => ({ name: p, type: ir.latents.find((x) => x.name === p)!.type })) }));
    for (const e of Object.values(OPTIMIZERS)) {
      check(e.emit.names, e.emit.create(1e-3, defaults(e.params) as Record<string, number>));
      check(e.emit.names, e.emit.create(1e-3, { ...(defaults(e.params) as Record<string, number>), momentum: 0.9 }));
    }
    for (const e of Object.values(LR_SCHEDULES)) check(e.emit.names, e.emit.update("opt", { value: 1e-3, start: 0.5 }));
  });

  it("every entry has a documentation line, and every run setting a default within its range", () => {
    const tables = [LAYERS, BUILTINS, OPERATORS, DATA_SOURCES, PRIORS, OPTIMIZERS, LR_SCHEDULES, RUN_SETTINGS] as Record<string, { doc: string }>[];
    for (const t of tables) for (const [name, e] of Object.entries(t)) expect(e.doc.trim(), name).not.toBe("");
    for (const [name, s] of Object.entries(RUN_SETTINGS)) expect(s.default, name).toBeGreaterThanOrEqual(s.min);
  });

  it("grammar/LANGUAGE.md's tables are the catalog's (`npm run docs` rewrites them)", () => {
    const text = fs.readFileSync("grammar/LANGUAGE.md", "utf8");
    expect(withCatalogTables(text), "grammar/LANGUAGE.md is out of date: run `npm run docs`").toBe(text);
  });
});
