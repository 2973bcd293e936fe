// Golden diagnostics: each fixture in tests/fixtures/diagnostics/ is a spec with a problem,
// followed by its expected rendered diagnostics as trailing comments (Prisma-style).
// `UPDATE_EXPECT=1 npx vitest run tests/diagnostics` rewrites the expectations.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { CATALOG, renderAllPretty } from "../../src/diagnostics/index.js";

const DIR = "tests/fixtures/diagnostics";
const MARK = "# ---- expected ----";
const fixtures = fs.readdirSync(DIR).filter((f) => f.endsWith(".gan")).sort();

function expectedOf(text: string): { source: string; expected: string | undefined } {
  const at = text.indexOf(`\n${MARK}\n`);
  if (at < 0) return { source: text, expected: undefined };
  const tail = text.slice(at + MARK.length + 2);
  const expected = tail
    .split("\n")
    .filter((l, i, all) => i < all.length - 1 || l !== "")
    .map((l) => (l === "#" ? "" : l.replace(/^# /, "")))
    .join("\n");
  return { source: text.slice(0, at + 1), expected };
}

function asComments(rendered: string): string {
  return rendered
    .split("\n")
    .map((l) => (l === "" ? "#" : `# ${l}`))
    .join("\n");
}

describe("diagnostic fixtures", () => {
  for (const f of fixtures) {
    const file = path.join(DIR, f);
    it(f, () => {
      const text = fs.readFileSync(file, "utf8");
      const { source, expected } = expectedOf(text);
      const r = checkFile(file);
      const rendered = renderAllPretty(r.diagnostics, r.sources);
      const code = f.split("-")[0]!;
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      if (process.env.UPDATE_EXPECT) {
        fs.writeFileSync(file, `${source}${MARK}\n${asComments(rendered)}\n`);
        return;
      }
      expect(expected, `${file} has no expected output; run with UPDATE_EXPECT=1`).toBeDefined();
      expect(rendered).toBe(expected);
    });
  }

  it("every code in the catalog has a fixture", () => {
    const covered = new Set(fixtures.map((f) => f.split("-")[0]));
    const missing = Object.keys(CATALOG).filter((c) => !covered.has(c) && c !== "E0701");
    expect(missing).toEqual([]);
  });
});
