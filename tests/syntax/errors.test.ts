import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parseSpec } from "../../src/syntax/index.js";

const specsDir = fileURLToPath(new URL("../../specs/", import.meta.url));
const specs = readdirSync(specsDir)
  .filter((f) => f.endsWith(".gan"))
  .sort()
  .map((f) => readFileSync(specsDir + f, "utf8"));

function errors(text: string): Diagnostic[] {
  return parseSpec("t.gan", text).diagnostics;
}

function brief(ds: Diagnostic[], text: string): string[] {
  return ds.map((d) => `${d.code} ${JSON.stringify(text.slice(d.span.start, d.span.end))} ${d.message}${d.help ? ` | ${d.help}` : ""}`);
}

describe("syntax errors", () => {
  it("reports three separate errors as three, and keeps the good declarations", () => {
    const text = `data x = mnist(split = "train")
latent z = normal(100)

network G(z: [100]) -> [28, 28, 1] {
  dense(7 * 7 * 64
  relu
}

network D(x: [28, 28, 1]) -> [1] {
  flatten
  dense(1)
}

loss d_loss = bce_logits(D(x), 1) + 
loss g_loss = bce_logits(D(G(z)), 1)

optimizer D = adam(lr = 2e-4)
optimizer G = adam(lr = 2e-4)

schedule {
  step D minimize d_loss
  step G minimise g_loss
}
`;
    const r = parseSpec("t.gan", text);
    expect(brief(r.diagnostics, text)).toEqual([
      `E0001 "relu" expected ',' or ')' after '64', found 'relu'`,
      `E0001 "loss" expected an expression after '+', found 'loss'`,
      `E0001 "minimise" expected 'minimize' after 'G', found 'minimise' | did you mean 'minimize'?`,
    ]);
    expect(r.ast.decls.map((d) => d.kind)).toEqual(["Data", "Latent", "Network", "Loss", "Optimizer", "Optimizer"]);
  });

  it("one error per broken declaration, even with several mistakes in it", () => {
    const text = "network G(z: [1]) {\n  dense(1,, 2)\n  relu(\n  ))\n}\nparam a = 1\n";
    const ds = errors(text);
    expect(ds).toHaveLength(1);
    expect(parseSpec("t.gan", text).ast.decls.map((d) => d.kind)).toEqual(["Param"]);
  });

  it("a misspelled declaration keyword: one error with a suggestion, the rest skipped", () => {
    const text = "netwrk G(z: [100]) -> [1] {\n  dense(1)\n}\nparam a = 1\n";
    expect(brief(errors(text), text)).toEqual([`E0001 "netwrk" expected a declaration, found 'netwrk' | did you mean 'network'?`]);
  });

  it("messages say what was expected and what was found", () => {
    const cases: Array<[string, string]> = [
      ["param a = }", "expected an expression after '=', found '}'"],
      ["param a 3", "expected '=' after 'a', found '3'"],
      ["let x = conv2d(64 kernel = 4)", "expected ',' or ')' after '64', found 'kernel'"],
      ["let x = [1, 2", "expected ',' or ']' after '2', found the end of the file"],
      ["network G(z [1]) { relu }", "expected ':' after 'z', found '['"],
      ["network G(z: [1]) { relu, dense(1) }", "expected a layer or '}' after 'relu', found ','"],
      ["schedule { step D }", "expected 'minimize' after 'D', found '}'"],
      ["run { batch 64 }", "expected '=' after 'batch', found '64'"],
      ["run { batch = 64, steps = 1 }", "expected a run setting (`name = value`) or '}' after '64', found ','"],
      ["domain X = Image", "expected '[' after '=', found 'Image'"],
      ["data = mnist()", "expected a name or '(' after 'data', found '='"],
      ["type T = foo(3)", "expected a type, found 'foo(...)'"],
      ["network G(x: [1]) -> { relu }", "expected an output type after '->', found '{'"],
      ["latent z = 3", "expected a name after '=', found '3'"],
      ["} param a = 1", "expected a declaration, found '}'"],
    ];
    for (const [src, msg] of cases) {
      const ds = errors(src);
      expect(ds.map((d) => d.message), src).toEqual([msg]);
      expect(ds[0]!.code).toBe("E0001");
    }
  });

  it("reserved words used as names get a help line", () => {
    const ds = errors("param from = 1");
    expect(ds[0]!.help).toBe("'from' is a reserved word and cannot be used as a name");
  });

  it("a misspelled schedule keyword gets a suggestion", () => {
    const ds = errors("schedule {\n  stpe D minimize d\n}");
    expect(ds.map((d) => d.help)).toEqual(["did you mean 'step'?"]);
  });

  it("an error at the end of the file points just after the last token", () => {
    const text = "param a = 1\nloss l = a +";
    const [d] = errors(text);
    expect(d!.span).toEqual({ file: "t.gan", start: text.length, end: text.length });
    expect(d!.message).toBe("expected an expression after '+', found the end of the file");
  });

  it("a stray closing brace after a broken network body is not reported twice", () => {
    const text = "network G(z: [1]) {\n  dense(1)\n  let x = 3\n}\nparam a = 1\n";
    expect(brief(errors(text), text)).toEqual([`E0001 "let" expected a layer or '}' after ')', found 'let'`]);
  });
});

describe("lexical errors", () => {
  it("E0003: one error per run of unexpected characters, no cascade", () => {
    const text = "param a = 3 $$ 4\nparam b = 2 ; \nlet c = a % b\n";
    expect(brief(errors(text), text)).toEqual([
      `E0003 "$$" unexpected characters '$$'`,
      `E0003 ";" unexpected character ';' | a declaration or statement ends at the end of its line; remove the ';'`,
      `E0003 "%" unexpected character '%' | expressions use + - * / ^ and functions such as min(a, b), max(a, b), clip(x, lo, hi)`,
    ]);
  });

  it("E0002: unterminated string, parsing goes on", () => {
    const text = 'data x = mnist(split = "train)\nparam a = 1\nparam b = }\n';
    const r = parseSpec("t.gan", text);
    expect(brief(r.diagnostics, text)).toEqual([
      `E0002 "\\"train)" unterminated string: the closing '"' is missing | a string ends on the line it starts: "train)"`,
      `E0001 "}" expected an expression after '=', found '}'`,
    ]);
  });

  it("single-quoted strings: one E0003 with the fix", () => {
    const text = "data x = mnist(split = 'train')\n";
    const r = parseSpec("t.gan", text);
    expect(brief(r.diagnostics, text)).toEqual([`E0003 "'" unexpected character ''' | strings are written with double quotes: "train"`]);
    expect(r.ast.decls).toHaveLength(1);
  });

  it("non-ASCII characters", () => {
    const text = "param λ = 1\n";
    expect(errors(text).map((d) => d.code)).toEqual(["E0003"]);
  });
});

describe("robustness", () => {
  it("never throws on truncations of the specs", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const text of specs) {
      for (let i = 0; i < 60; i++) {
        const cut = Math.floor(rand() * text.length);
        const r = parseSpec("t.gan", text.slice(0, cut));
        expect(Array.isArray(r.diagnostics)).toBe(true);
        expect(r.ast.kind).toBe("SpecFile");
      }
    }
  });

  it("never throws on random edits of the specs, and reports few errors per edit", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const junk = ["(", ")", "{", "}", "[", "]", ",", "=", "->", ":", "^", "-", "$", '"', "'", "#", "\n", "param", "step", "1e", ".", "x"];
    for (const text of specs) {
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(rand() * text.length);
        const del = Math.floor(rand() * 4);
        const ins = junk[Math.floor(rand() * junk.length)]!;
        const mutated = text.slice(0, at) + ins + text.slice(at + del);
        const r = parseSpec("t.gan", mutated);
        expect(r.diagnostics.length, mutated).toBeLessThanOrEqual(3);
        for (const d of r.diagnostics) {
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(mutated.length);
          expect(d.span.start).toBeLessThanOrEqual(d.span.end);
        }
      }
    }
  });

  it("does not throw on pathological input", () => {
    for (const text of ["", "\uFEFF", "#", "(".repeat(5000), "let a = " + "(".repeat(3000) + "1" + ")".repeat(3000), "\u0000\u0001", '"', "\\"]) {
      expect(() => parseSpec("t.gan", text)).not.toThrow();
    }
  });
});

describe("more messages", () => {
  it("an empty slot in an argument list", () => {
    expect(errors("let a = f(, 1)").map((d) => d.message)).toEqual(["expected an argument or ')' after '(', found ','"]);
  });
});
