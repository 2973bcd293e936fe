// Defaults live once, in the catalog: the IR always carries every argument, and the runtime has
// no defaults of its own for them (a missing one is an error, not a silent other value).
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { DATA_SOURCES, OPTIMIZERS, RUN_DEFAULTS } from "../../src/lang/index.js";
import { open } from "../../src/runtime/data/open.js";
import { mixtureOf, ring } from "../../src/runtime/data/toy2d.js";
import { ParamStore } from "../../src/runtime/nn/params.js";

const SPEC = (data: string, optimizer: string) => `
data x = ${data}
latent z = normal(4)
network G(z: [4]) -> [2] {
  dense(2)
}
network D(x: [2]) -> [1] {
  dense(1)
}
loss d_loss = bce_logits(D(x), 1) + bce_logits(D(G(z)), 0)
loss g_loss = bce_logits(D(G(z)), 1)
optimizer D = ${optimizer}
optimizer G = ${optimizer}
schedule {
  step D minimize d_loss
  step G minimize g_loss
}
`;

const irOf = (data: string, optimizer = "adam(lr = 1e-3)") => {
  const r = checkFile("toy.gan", { read: () => SPEC(data, optimizer) });
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  return r.ir!;
};

describe("defaults", () => {
  it("the IR carries every argument of a data source, an optimiser and the run, at the catalog's defaults", () => {
    const ir = irOf("ring()");
    expect(ir.data[0]!.args).toEqual({ modes: 8, radius: 1, std: 0.01 });
    expect(Object.keys(ir.data[0]!.args)).toEqual(DATA_SOURCES.ring!.params.map((p) => p.name));
    expect(irOf("grid()").data[0]!.args).toEqual({ size: 5, spacing: 2, std: 0.05 });
    expect(ir.optimizers[0]!.settings).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(Object.keys(ir.optimizers[0]!.settings)).toEqual(OPTIMIZERS.adam.params.filter((p) => p.name !== "lr").map((p) => p.name));
    expect(ir.run).toEqual(RUN_DEFAULTS);
  });

  it("the ring a spec trains on is the catalog's: radius 1, std 0.01 (the README's ring figures)", () => {
    const ir = irOf("ring()");
    const source = open("ring", ir.data[0]!.args, { store: new ParamStore(1), seed: 1, baseDir: "." });
    for (const [x, y] of source.centers!) expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
    expect(mixtureOf("ring", ir.data[0]!.args).std).toBe(0.01);
  });

  it("the runtime has no defaults: an argument missing from the IR is an error", () => {
    expect(() => mixtureOf("ring", { modes: 8, std: 0.01 })).toThrow(/ring needs its argument `radius`/);
    expect(() => open("grid", { size: 5, spacing: 2 }, { store: new ParamStore(1), seed: 1, baseDir: "." })).toThrow(/grid needs its argument `std`/);
    // `ring` itself takes every argument (no default to fall back on)
    expect(ring.length).toBe(3);
  });
});
