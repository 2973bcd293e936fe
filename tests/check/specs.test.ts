// Every spec in specs/ checks cleanly: no errors and no warnings.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { renderAllPretty } from "../../src/diagnostics/index.js";

const specs = fs.readdirSync("specs").filter((f) => f.endsWith(".gan")).sort();

describe("specs/", () => {
  it("has the seed variants", () => {
    for (const s of ["dcgan.gan", "wgan_gp.gan", "began.gan", "cyclegan.gan", "acgan.gan"]) expect(specs).toContain(s);
  });
  for (const s of specs)
    it(`${s} checks cleanly`, () => {
      const r = checkFile(`specs/${s}`);
      expect(renderAllPretty(r.diagnostics, r.sources)).toBe("");
      expect(r.ir).toBeDefined();
    });
});
