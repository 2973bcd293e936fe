// grammar/gan.ebnf and grammar/diagrams.html are generated from the parser; this test keeps them
// in sync. After changing the grammar: UPDATE_GOLDEN=1 npx vitest run tests/grammar
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateDiagramsHtml, generateEbnf } from "../../src/syntax/grammar-docs.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const update = process.env["UPDATE_GOLDEN"] === "1";

function golden(rel: string, actual: string): void {
  const path = root + rel;
  if (update) writeFileSync(path, actual);
  expect(existsSync(path), `${rel} is missing; run UPDATE_GOLDEN=1 npx vitest run tests/grammar`).toBe(true);
  expect(actual, `${rel} is out of date; run UPDATE_GOLDEN=1 npx vitest run tests/grammar`).toBe(readFileSync(path, "utf8"));
}

describe("grammar docs", () => {
  it("grammar/gan.ebnf matches the parser", () => {
    golden("grammar/gan.ebnf", generateEbnf());
  });

  it("grammar/diagrams.html matches the parser", () => {
    golden("grammar/diagrams.html", generateDiagramsHtml());
  });

  it("the EBNF names every rule of the parser and every reserved word", () => {
    const ebnf = generateEbnf();
    for (const rule of ["spec", "declaration", "networkDecl", "layerStmt", "stepStmt", "expression", "power", "atom"]) {
      expect(ebnf).toMatch(new RegExp(`^${rule}\\b`, "m"));
    }
    expect(ebnf).toContain('"clip_weights" Identifier expression');
    expect(ebnf).toContain('power = postfix [ "^" unary ] ;');
  });
});
