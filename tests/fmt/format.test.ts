import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FormatError, formatSpec } from "../../src/fmt/index.js";
import { lexSpec, parseSpec } from "../../src/syntax/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const goldenDir = root + "tests/fmt/golden/";
const update = process.env["UPDATE_GOLDEN"] === "1";

const specs = readdirSync(root + "specs")
  .filter((f) => f.endsWith(".gan"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(root + "specs/" + f, "utf8") }));
const inputs = readdirSync(goldenDir)
  .filter((f) => f.endsWith(".input.gan"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(goldenDir + f, "utf8") }));

function fmt(text: string): string {
  const { ast, diagnostics } = parseSpec("t.gan", text);
  expect(diagnostics).toEqual([]);
  return formatSpec(ast, text);
}

/** The AST without spans (and without comments), to check that formatting changes layout only. */
function shape(text: string): unknown {
  const { ast } = parseSpec("t.gan", text);
  return JSON.parse(JSON.stringify(ast.decls, (k, v) => (k === "span" || k === "hasParens" ? undefined : v)));
}

function commentTexts(text: string): string[] {
  return parseSpec("t.gan", text).ast.comments.map((c) => c.text);
}

describe("formatter", () => {
  it.each(specs)("specs/$name is already canonical", ({ text }) => {
    expect(fmt(text)).toBe(text);
  });

  it.each(inputs)("$name formats to its golden output", ({ name, text }) => {
    const out = fmt(text);
    const golden = goldenDir + name.replace(".input.gan", ".expected.gan");
    if (update) writeFileSync(golden, out);
    expect(existsSync(golden)).toBe(true);
    expect(out).toBe(readFileSync(golden, "utf8"));
  });

  it.each([...specs, ...inputs])("$name: idempotent, same AST, no comment lost", ({ text }) => {
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    expect(shape(once)).toEqual(shape(text));
    expect(commentTexts(once)).toEqual(commentTexts(text).map((c) => c.trimEnd()));
    expect(once.endsWith("\n") && !once.endsWith("\n\n")).toBe(true);
    expect(once.startsWith("\n")).toBe(false);
  });

  it.each(specs)("$name: extra spaces and line breaks between tokens format back to the spec", ({ text }) => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const starts = lexSpec("t.gan", text).tokens.map((t) => t.startOffset);
    for (let round = 0; round < 5; round++) {
      let messy = "";
      let last = 0;
      for (const at of starts) {
        messy += text.slice(last, at);
        last = at;
        const r = rand();
        if (r < 0.15) messy += "   ";
        else if (r < 0.25 && at > 0 && !/\s/.test(text[at - 1]!)) messy += "\n";
      }
      messy += text.slice(last);
      expect(fmt(messy)).toBe(text);
    }
  });

  it("minimal parentheses", () => {
    const cases: Array<[string, string]> = [
      ["((a + b)) * (c)", "(a + b) * c"],
      ["a + (b + c)", "a + (b + c)"],
      ["(a + b) + c", "a + b + c"],
      ["a - (b - c)", "a - (b - c)"],
      ["a * (b / c)", "a * (b / c)"],
      ["(a * b) / c", "a * b / c"],
      ["(a ^ b) ^ c", "(a ^ b) ^ c"],
      ["a ^ (b ^ c)", "a ^ b ^ c"],
      ["(-a) ^ 2", "(-a) ^ 2"],
      ["-(a ^ 2)", "-a ^ 2"],
      ["a ^ (-b)", "a ^ -b"],
      ["-(a + b)", "-(a + b)"],
      ["-(-a)", "--a"],
      ["(-a) * b", "-a * b"],
      ["(D(x)).cls", "D(x).cls"],
      ["(a + b).c", "(a + b).c"],
      ["f((a), [(b)], k = (c + d))", "f(a, [b], k = c + d)"],
      ["2E-4+1e+3*.5", "2E-4 + 1e+3 * .5"],
    ];
    for (const [src, want] of cases) expect(fmt(`let v = ${src}`), src).toBe(`let v = ${want}\n`);
  });

  it("layers: parentheses only when they carry arguments or name a block", () => {
    const src = "block b() { relu() }\nnetwork N(x: [1]) { relu() b b() dense(1) N() other() other }\n";
    expect(fmt(src)).toBe("block b() {\n  relu\n}\nnetwork N(x: [1]) {\n  relu\n  b()\n  b()\n  dense(1)\n  N\n  other()\n  other\n}\n");
  });

  it("strings are re-escaped", () => {
    expect(fmt('extends "a\\"b\\\\c\\n\\q"')).toBe('extends "a\\"b\\\\c\\n\\\\q"\n');
  });

  it("empty input stays empty; comment-only input is kept", () => {
    expect(fmt("")).toBe("");
    expect(fmt("\n\n# only\n\n\n# comments  \n\n")).toBe("# only\n\n# comments\n");
  });

  it("refuses files with syntax errors", () => {
    const text = "param a = \nparam b = 2\n";
    const { ast } = parseSpec("t.gan", text);
    expect(() => formatSpec(ast, text)).toThrow(FormatError);
    try {
      formatSpec(ast, text);
    } catch (e) {
      expect((e as FormatError).diagnostics.map((d) => d.code)).toEqual(["E0001"]);
    }
  });
});
