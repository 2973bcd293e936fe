// The IR's roles: which network generates samples, what each latent it reads stands for, and
// the two sides of a translation, decided by the checker from the losses, schedule and types.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import type { IrRoles } from "../../src/ir/types.js";

const roles = (name: string): IrRoles => checkFile(`specs/${name}.gan`).ir!.roles;

/** A spec's roles after replacing text in it (checked in memory). */
function variantRoles(name: string, edits: [string, string][]): IrRoles {
  let text = fs.readFileSync(`specs/${name}.gan`, "utf8");
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const r = checkFile(`specs/${name}.gan`, { read: (f) => (f.endsWith(`${name}.gan`) ? text : fs.readFileSync(f, "utf8")) });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r.ir!.roles;
}

const z = { kind: "latent", name: "z" } as const;

describe("roles", () => {
  it("an unconditional GAN: G(z), z is noise", () => {
    expect(roles("dcgan")).toEqual({ generator: { network: "G", output: "out", inputs: [z] }, latents: [{ name: "z", role: "noise" }] });
  });

  it("a class latent stands for the real labels: in the same network input (cgan) or class head (acgan)", () => {
    for (const name of ["cgan", "acgan"]) {
      const r = roles(name);
      expect(r.generator?.inputs).toEqual([z, { kind: "latent", name: "c" }]);
      expect(r.latents).toEqual([{ name: "z", role: "noise" }, { name: "c", role: "class" }]);
    }
  });

  it("InfoGAN's codes are recovered from G's output; the concatenation is expanded to its parts", () => {
    const r = roles("infogan");
    expect(r.generator?.inputs).toEqual([{ kind: "latent", name: "code" }]);
    expect(r.latents).toEqual([{ name: "z", role: "noise" }, { name: "c", role: "code" }, { name: "u", role: "code" }]);
  });

  it("without the loss that recovers it, InfoGAN's categorical latent is noise", () => {
    const r = variantRoles("infogan", [["let info = lambda_cat * cross_entropy(fake.cat, c) + lambda_cont * mse(fake.cont, u)", "let info = lambda_cont * mse(fake.cont, u)"]]);
    expect(r.latents).toEqual([{ name: "z", role: "noise" }, { name: "c", role: "noise" }, { name: "u", role: "code" }]);
  });

  it("translations: the paired target (pix2pix, srgan), the unpaired target and the inverse (cyclegan)", () => {
    expect(roles("pix2pix").translation).toEqual({ source: "edges", target: "digit", paired: true });
    // srgan's D(G(small)) gives back no image: the discriminator is not an inverse
    expect(roles("srgan").translation).toEqual({ source: "small", target: "digit", paired: true });
    expect(roles("cyclegan").translation).toEqual({ source: "x", target: "y", paired: false, inverse: "F" });
    expect(roles("cyclegan").generator).toEqual({ network: "G", output: "out", inputs: [{ kind: "data", name: "x" }] });
  });

  it("an autoencoder alone has no generator; a network no step trains is not one", () => {
    expect(roles("aae")).toEqual({ latents: [] });
    const r = variantRoles("vaegan", [["  step G minimize dec_loss reuse x, eps\n", ""], ["optimizer G =", "# optimizer G ="]]);
    expect(r.generator).toBeUndefined();
  });
});
