// Golden diagnostics: each fixture in tests/fixtures/diagnostics/ is a spec with a problem,
// followed by its expected rendered diagnostics as trailing comments (Prisma-style). A first
// line `# args: --set name=value ...` checks the spec with those overrides.
// `UPDATE_EXPECT=1 npx vitest run tests/diagnostics` rewrites the expectations.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { MESSAGES, renderAllPretty } from "../../src/diagnostics/index.js";

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

/** `# args: --set a=1 --set b=x` on the first line: { a: "1", b: "x" }. */
function overridesOf(text: string): Record<string, string> {
  const args = /^# args: (.*)$/m.exec(text.split("\n")[0] ?? "")?.[1] ?? "";
  return Object.fromEntries([...args.matchAll(/--set (\w+)=(\S*)/g)].map((m) => [m[1]!, m[2]!]));
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
      const r = checkFile(file, { overrides: overridesOf(text) });
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

  it("every code in the catalog has a fixture, and every fixture's code is in the catalog", () => {
    const covered = new Set(fixtures.map((f) => f.split("-")[0]!));
    expect(Object.keys(MESSAGES).filter((c) => !covered.has(c))).toEqual([]);
    expect([...covered].filter((c) => !(c in MESSAGES))).toEqual([]);
  });
});
