// The fuzzer behind tests/fuzz (a bounded slice in CI) and bench/fuzz.mjs (the full run): it
// mutates the zoo's specs (token deletions, duplications, swaps and replacements, random bytes,
// huge numbers, deep nesting, long chains, long names, truncation) and runs each mutant through
// the compiler in-process: check, the rendering of its diagnostics, `ir`, and `fmt`. A failure is
//   crash   an exception out of the compiler (a user's input must never cause one);
//   hang    an input taking longer than `slowMs` (a bound far above the usual milliseconds);
//   render  a diagnostic whose first line is not `file:line:col error[CODE]: message` with a
//           source line to quote;
//   fmt     fmt's output does not re-parse, is not a fixed point, or (for a spec that checks)
//           re-checks to a different IR.
// The compiler API is passed in (`api`), so that the tests use src/ and the bench uses dist/.
import * as fs from "node:fs";
import * as path from "node:path";

/** A small seeded PRNG (mulberry32): the same seed, the same mutants. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = ["1e400", "2147483648", "100000000", "1e308", "0", "-1", "0.0000001", "99999999999999999999", "4294967296", "1e-400"];
const JUNK = ["(", ")", "[", "]", "{", "}", ",", "=", "+", "-", "*", "/", "^", ".", "\"", "'", "#", ";", "%", "\n", "\t", "\u0000", "\u00a0", "λ", "×", "−", "\ud83d\ude00", "\\", "->", ":"];

/** One mutation of `text` (its tokens are `tokens`, from the lexer). */
function mutateOnce(text, tokens, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const tok = () => pick(tokens);
  const splice = (start, end, insert) => text.slice(0, start) + insert + text.slice(end);
  const r = rand();
  if (tokens.length === 0 || r < 0.06) {
    // random bytes at a random place
    const at = Math.floor(rand() * (text.length + 1));
    let junk = "";
    for (let i = 1 + Math.floor(rand() * 8); i > 0; i--) junk += rand() < 0.5 ? pick(JUNK) : String.fromCharCode(Math.floor(rand() * 0x3000));
    return splice(at, at, junk);
  }
  const t = tok();
  const end = t.startOffset + t.image.length;
  if (r < 0.26) return splice(t.startOffset, end, ""); // delete a token
  if (r < 0.40) return splice(t.startOffset, t.startOffset, `${t.image} `); // duplicate it
  if (r < 0.52) {
    // swap with the next token
    const i = tokens.indexOf(t);
    const u = tokens[i + 1];
    if (!u) return splice(t.startOffset, end, "");
    return text.slice(0, t.startOffset) + u.image + text.slice(end, u.startOffset) + t.image + text.slice(u.startOffset + u.image.length);
  }
  if (r < 0.66) return splice(t.startOffset, end, tok().image); // replace with another token of the spec
  const numbers = tokens.filter((x) => /^[.\d]/.test(x.image));
  if (r < 0.78 && numbers.length) {
    const n = pick(numbers);
    return text.slice(0, n.startOffset) + pick(HUGE) + text.slice(n.startOffset + n.image.length);
  }
  if (r < 0.86 && numbers.length) {
    // deep nesting around a number: parentheses, lists, calls, minus signs or powers
    const n = pick(numbers);
    const depth = Math.floor(rand() * 400);
    const kind = Math.floor(rand() * 5);
    const open = ["(", "[", "abs(", "-", "2 ^ "][kind];
    const close = [")", "]", ")", "", ""][kind];
    return text.slice(0, n.startOffset) + open.repeat(depth) + n.image + close.repeat(depth) + text.slice(n.startOffset + n.image.length);
  }
  if (r < 0.93) {
    // a long chain of terms after a token (a name or a number usually continues an expression)
    const n = Math.floor(rand() * (rand() < 0.15 ? 12000 : 300));
    const op = pick([" + ", " - ", " * ", " / "]);
    const term = pick(tokens.filter((x) => /^[A-Za-z_\d]/.test(x.image))) ?? t;
    return splice(end, end, (op + term.image).repeat(n));
  }
  if (r < 0.96) {
    // a long name
    return splice(t.startOffset, end, t.image + "x".repeat(Math.floor(rand() * 100000)));
  }
  // truncate
  return text.slice(0, Math.floor(rand() * text.length));
}

/** `text` with 1 (most often, so that one hostile part meets an otherwise sound spec) to 3 mutations. */
export function mutate(text, api, rand) {
  let out = text;
  for (let i = rand() < 0.6 ? 1 : 2 + Math.floor(rand() * 2); i > 0; i--) out = mutateOnce(out, api.lexSpec("m.gan", out).tokens, rand);
  return out;
}

const HEADER = /^[^\s:][^\n]*:\d+:\d+ (error|warning)\[[EW]\d{4}\]: \S/;

/** The IR without spans (layout moves them) as JSON, to compare a spec with its formatted text. */
function irMeaning(api, ir) {
  return JSON.stringify(api.irToPlain(ir), (k, v) => (k === "span" || k === "via" ? undefined : v));
}

/**
 * Checks one input; returns the failures found (empty when it passed), and whether it checked
 * clean. `file` is where the mutant pretends to be (specs/x.gan, so that `extends` resolves).
 */
export function runOne(api, file, text, slowMs) {
  const failures = [];
  const started = Date.now();
  const read = (f) => (path.resolve(f) === path.resolve(file) ? text : fs.readFileSync(f, "utf8"));
  const attempt = (what, fn) => {
    try {
      return fn();
    } catch (e) {
      failures.push({ kind: "crash", what, message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e) });
      return undefined;
    }
  };
  const result = attempt("check", () => api.checkFile(file, { read }));
  let clean = false;
  if (result) {
    // the first 200 (a mutant may have thousands, and each quotes a line that may be long)
    for (const d of result.diagnostics.slice(0, 200)) {
      const rendered = attempt("render", () => api.renderPretty(d, result.sources));
      if (rendered === undefined) break;
      const lines = rendered.split("\n");
      if (!HEADER.test(lines[0] ?? "") || !(lines[2] ?? "").includes(" | ")) {
        failures.push({ kind: "render", what: d.code, message: lines.slice(0, 3).join(" / ").slice(0, 300) });
        break;
      }
    }
    attempt("render all", () => api.renderAllPretty(result.diagnostics, result.sources));
    clean = result.ir !== undefined;
    if (result.ir) attempt("ir", () => api.irToJson(result.ir));
  }
  const parsed = attempt("parse", () => api.parseSpec(file, text));
  if (parsed && parsed.diagnostics.length === 0) {
    const once = attempt("fmt", () => api.formatSpec(parsed.ast, text));
    if (once !== undefined) {
      const again = attempt("parse formatted", () => api.parseSpec(file, once));
      if (again && again.diagnostics.length > 0) failures.push({ kind: "fmt", what: "re-parse", message: again.diagnostics[0].message.slice(0, 300) });
      else if (again) {
        const twice = attempt("fmt twice", () => api.formatSpec(again.ast, once));
        if (twice !== undefined && twice !== once) failures.push({ kind: "fmt", what: "idempotent", message: "fmt(fmt(x)) differs from fmt(x)" });
        if (result?.ir) {
          const formatted = attempt("check formatted", () => api.checkFile(file, { read: (f) => (path.resolve(f) === path.resolve(file) ? once : fs.readFileSync(f, "utf8")) }));
          if (formatted && (!formatted.ir || irMeaning(api, formatted.ir) !== irMeaning(api, result.ir)))
            failures.push({ kind: "fmt", what: "ir", message: formatted.ir ? "the formatted spec checks to a different IR" : `the formatted spec does not check: ${formatted.diagnostics[0]?.message ?? ""}`.slice(0, 300) });
        }
      }
    }
  }
  const ms = Date.now() - started;
  if (ms > slowMs) failures.push({ kind: "hang", what: "time", message: `${ms} ms (bound ${slowMs} ms)` });
  return { failures, clean, ms };
}

/**
 * `count` mutants of the zoo's specs from `seed`: counts by outcome and the failures (each with
 * its input, to reproduce). `specsDir` holds the zoo.
 */
export function fuzz(api, { specsDir, seed, count, slowMs = 10000, onProgress, onFailure }) {
  const rand = prng(seed);
  const specs = fs
    .readdirSync(specsDir)
    .filter((f) => f.endsWith(".gan"))
    .sort()
    .map((f) => ({ file: path.join(specsDir, f), text: fs.readFileSync(path.join(specsDir, f), "utf8") }));
  const counts = { inputs: 0, clean: 0, withErrors: 0, crash: 0, hang: 0, render: 0, fmt: 0 };
  const failures = [];
  let slowest = 0;
  for (let i = 0; i < count; i++) {
    const spec = specs[Math.floor(rand() * specs.length)];
    const text = mutate(spec.text, api, rand);
    const { failures: found, clean, ms } = runOne(api, spec.file, text, slowMs);
    slowest = Math.max(slowest, ms);
    counts.inputs++;
    counts[clean ? "clean" : "withErrors"]++;
    for (const kind of new Set(found.map((f) => f.kind))) counts[kind]++;
    if (found.length) {
      const failure = { index: i, spec: spec.file, failures: found, input: text };
      failures.push(failure);
      onFailure?.(failure);
    }
    onProgress?.(i + 1, counts);
  }
  return { counts, failures, slowest };
}
