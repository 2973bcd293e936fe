// generated/ is exactly what `ganc build specs/*.gan` writes, the output is stable, it
// type-checks, and repeated subexpressions are computed once.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";

const specs = fs.readdirSync("specs").filter((f) => f.endsWith(".gan")).sort();

async function build(spec: string): Promise<string> {
  const r = checkFile(`specs/${spec}`);
  expect(r.ir, `specs/${spec} must check`).toBeDefined();
  return moduleFor(r.ir!);
}

describe("generated/", () => {
  for (const s of specs)
    it(`generated/${s.replace(/\.gan$/, ".ts")} is up to date (run \`npm run ganc -- build specs/*.gan\`)`, async () => {
      const text = await build(s);
      const file = `generated/${s.replace(/\.gan$/, ".ts")}`;
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
      expect(fs.readFileSync(file, "utf8")).toBe(text);
      expect(await build(s)).toBe(text); // same input, same bytes
    });

  it("holds nothing but the specs' modules", () => {
    const expected = specs.map((s) => s.replace(/\.gan$/, ".ts")).sort();
    expect(fs.readdirSync("generated").filter((f) => f.endsWith(".ts")).sort()).toEqual(expected);
  });

  it("type-checks with tsc --noEmit", () => {
    execFileSync("npx", ["tsc", "-p", "tests/codegen/tsconfig.generated.json"], { stdio: "pipe" });
  });

  it("computes a subexpression used twice only once (G(z) in WGAN-GP's critic loss)", () => {
    const text = fs.readFileSync("generated/wgan_gp.ts", "utf8");
    const critic = text.slice(text.indexOf("function dLoss"), text.indexOf("function gLoss"));
    expect(critic.match(/m\.nets\.G\(/g)).toHaveLength(1);
    expect(critic.match(/m\.nets\.D\(x\)/g)).toHaveLength(1);
  });
});
