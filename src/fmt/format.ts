// `ganc fmt`: the canonical layout of a .gan file.
//
// - one declaration, layer, schedule statement or run setting per line; 2-space indent in `{}`;
// - `a = b`, `, ` between arguments, spaced binary operators, minimal parentheses
//   (only those the precedence needs; the AST is unchanged by formatting);
// - numbers as written, strings re-escaped; a layer with arguments has parentheses
//   (`dense(1)`); without arguments, a builtin layer or a network of this file has none
//   (`relu`, `Enc`), a block of this file has empty ones (`decoder_body()`, as blocks are
//   declared), and any other name (e.g. a block of the base spec) keeps what was written;
// - a single blank line where the source had one or more (between declarations, and between
//   statements inside a body), none at the start of a file or body, one trailing newline;
// - comments stay where they were: own-line comments before the item they precede, a trailing
//   `# ...` at the end of its line (one space before `#`). A comment inside a one-line item
//   (e.g. in a multi-line expression) moves to its own line just before the item.
//
// Files with syntax errors are refused: `formatSpec` throws a `FormatError` with the diagnostics.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LAYER_NAMES } from "../lang/index.js";
import type * as A from "../syntax/ast.js";
import { escapeString } from "../syntax/cst-to-ast.js";
import { lexSpec, parseSpec } from "../syntax/parse.js";
import { LCurly } from "../syntax/tokens.js";

/** The formatter's output would not read back as the same spec (a bug in ganc): nothing is written. */
export class FormatUnsafe extends Error {
  constructor(reason: string) {
    super(`the formatted text would not read back as the same spec (${reason}); this is a bug in ganc`);
    this.name = "FormatUnsafe";
  }
}

export class FormatError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`cannot format a file with ${diagnostics.length} syntax error${diagnostics.length === 1 ? "" : "s"}`);
    this.name = "FormatError";
  }
}

const INDENT = "  ";

/** One output line (a leaf) or a header with a `{ ... }` body. */
interface Item {
  start: number;
  end: number; // end-exclusive; for bodies, just after the closing '}'
  line?: string;
  header?: string;
  body?: Item[];
}

// ---------------------------------------------------------------- expressions

function prec(e: A.Expr): number {
  switch (e.kind) {
    case "Binary":
      return e.op === "+" || e.op === "-" ? 1 : e.op === "^" ? 4 : 2;
    case "Unary":
      return 3;
    default:
      return 5;
  }
}

function wrap(e: A.Expr, parens: boolean): string {
  return parens ? `(${expr(e)})` : expr(e);
}

export function expr(e: A.Expr): string {
  switch (e.kind) {
    case "Number":
      return e.raw;
    case "String":
      return escapeString(e.value);
    case "Bool":
      return e.value ? "true" : "false";
    case "List":
      return `[${e.items.map(expr).join(", ")}]`;
    case "Name":
      return e.name;
    case "Call":
      return `${e.callee.name}(${args(e.args)})`;
    case "Member":
      return `${wrap(e.object, prec(e.object) < 5)}.${e.member.name}`;
    case "Unary":
      // `--a` reads back as it was written; parentheses only around a lower-precedence operand
      return `-${wrap(e.operand, prec(e.operand) < 3)}`;
    case "Binary": {
      const p = prec(e);
      if (e.op === "^") return `${wrap(e.left, prec(e.left) < 5)} ^ ${wrap(e.right, prec(e.right) < 3)}`;
      return `${wrap(e.left, prec(e.left) < p)} ${e.op} ${wrap(e.right, e.split ? prec(e.right) < p : prec(e.right) <= p)}`;
    }
  }
}

function args(as: A.Arg[]): string {
  return as.map((a) => (a.name ? `${a.name.name} = ${expr(a.value)}` : expr(a.value))).join(", ");
}

function type(t: A.TypeExpr): string {
  switch (t.kind) {
    case "ShapeType":
      return `[${t.dims.map(expr).join(", ")}]`;
    case "NamedType":
      return t.name.name;
    case "LabelType":
      return `label(${expr(t.classes)})`;
  }
}

// ---------------------------------------------------------------- items

function leaf(n: A.Node, line: string): Item {
  return { start: n.span.start, end: n.span.end, line };
}
function block(n: A.Node, header: string, body: Item[]): Item {
  return { start: n.span.start, end: n.span.end, header, body };
}

/** The catalog's layers (written without parentheses when they have no arguments). */
const BUILTIN_LAYERS = new Set(LAYER_NAMES);

interface Names {
  blocks: Set<string>;
  networks: Set<string>;
}

function layerParens(s: A.LayerStmt, names: Names): boolean {
  if (s.args.length > 0) return true;
  if (names.blocks.has(s.callee.name)) return true;
  if (BUILTIN_LAYERS.has(s.callee.name) || names.networks.has(s.callee.name)) return false;
  return s.hasParens;
}

function netStmt(s: A.NetStmt, names: Names): Item {
  switch (s.kind) {
    case "Layer":
      return leaf(s, `${s.label ? `${s.label.name}: ` : ""}${s.callee.name}${layerParens(s, names) ? `(${args(s.args)})` : ""}`);
    case "From":
      return leaf(s, `from ${s.source.name}`);
    case "Residual":
      return block(s, `${s.label ? `${s.label.name}: ` : ""}residual`, s.body.map((x) => netStmt(x, names)));
    case "Head":
      return block(s, `head ${s.name.name}`, s.body.map((x) => netStmt(x, names)));
  }
}

function schedStmt(s: A.SchedStmt): Item {
  switch (s.kind) {
    case "Step": {
      const reuse = s.reuse.length ? ` reuse ${s.reuse.map((r) => r.name).join(", ")}` : "";
      return leaf(s, `step ${s.networks.map((n) => n.name).join(", ")} minimize ${s.loss.name}${reuse}`);
    }
    case "Repeat":
      return block(s, `repeat ${expr(s.count)}`, s.body.map(schedStmt));
    case "Together":
      return block(s, "together", s.body.map(schedStmt));
    case "ClipWeights":
      return leaf(s, `clip_weights ${s.network.name} ${expr(s.bound)}`);
    case "Ema":
      return leaf(s, `ema ${s.network.name} ${expr(s.decay)}`);
    case "Assign":
      return leaf(s, `${s.target.name} = ${expr(s.value)}`);
  }
}

function decl(d: A.Decl, names: Names): Item {
  switch (d.kind) {
    case "Extends":
      return leaf(d, `extends ${escapeString(d.path.value)}`);
    case "Param":
    case "State":
    case "Let":
    case "Loss":
    case "Monitor":
      return leaf(d, `${d.kind.toLowerCase()} ${d.name.name} = ${expr(d.value)}`);
    case "Domain":
      return leaf(d, `domain ${d.name.name} = ${type(d.shape)}`);
    case "Type":
      return leaf(d, `type ${d.name.name} = ${type(d.type)}`);
    case "Data": {
      const bs = d.bindings.map((b) => (b.domain ? `${b.name.name}: ${b.domain.name}` : b.name.name)).join(", ");
      return leaf(d, `data ${d.tuple ? `(${bs})` : bs} = ${expr(d.source)}`);
    }
    case "Latent":
      return leaf(d, `latent ${d.name.name} = ${expr(d.value)}`);
    case "Optimizer":
      return leaf(d, `optimizer ${d.network.name} = ${expr(d.value)}`);
    case "Network": {
      const ins = d.inputs.map((i) => `${i.name.name}: ${type(i.type)}`).join(", ");
      let outs = "";
      if (d.outputsTuple) outs = ` -> (${d.outputs.map((o) => `${o.name ? `${o.name.name}: ` : ""}${type(o.type)}`).join(", ")})`;
      else if (d.outputs[0]) outs = ` -> ${type(d.outputs[0].type)}`;
      return block(d, `network ${d.name.name}(${ins})${outs}`, d.body.map((x) => netStmt(x, names)));
    }
    case "Block":
      return block(d, `block ${d.name.name}(${d.params.map((p) => p.name).join(", ")})`, d.body.map((x) => netStmt(x, names)));
    case "Schedule":
      return block(d, "schedule", d.body.map(schedStmt));
    case "Run":
      return block(d, "run", d.settings.map((s) => leaf(s, `${s.name.name} = ${expr(s.value)}`)));
  }
}

// ---------------------------------------------------------------- layout with comments

class Printer {
  readonly out: string[] = [];
  private readonly used: boolean[];

  constructor(
    private readonly text: string,
    private readonly comments: A.Comment[],
    private readonly lcurlies: number[],
  ) {
    this.used = comments.map(() => false);
  }

  /** Unused comments starting in [start, end), in order; marks them used. */
  private take(start: number, end: number): A.Comment[] {
    const got: A.Comment[] = [];
    this.comments.forEach((c, i) => {
      if (!this.used[i] && c.span.start >= start && c.span.start < end) {
        this.used[i] = true;
        got.push(c);
      }
    });
    return got;
  }

  unused(): A.Comment[] {
    return this.comments.filter((_, i) => !this.used[i]);
  }

  private hasNewline(a: number, b: number): boolean {
    return /[\n\r]/.test(this.text.slice(a, b));
  }
  private hasBlankLine(a: number, b: number): boolean {
    return /\n[ \t\f\v\r]*\n/.test(this.text.slice(a, b).replace(/\r\n/g, "\n"));
  }

  private lbraceFrom(offset: number): number {
    const i = this.lcurlies.findIndex((o) => o >= offset);
    return i < 0 ? offset : this.lcurlies[i]!;
  }

  /** Items of a file (top) or of a body whose braces are at `open - 1` and `close`. */
  seq(items: Item[], open: number, close: number, indent: string, top: boolean): void {
    let prevEnd = open;
    let emitted = 0;
    const comments = (upTo: number) => {
      for (const c of this.take(prevEnd, upTo)) {
        if (!this.hasNewline(prevEnd, c.span.start) && this.out.length > 0 && (emitted > 0 || !top)) {
          this.out[this.out.length - 1] += ` ${c.text}`; // a trailing comment stays on its line
        } else {
          if (emitted > 0 && this.hasBlankLine(prevEnd, c.span.start)) this.out.push("");
          this.out.push(indent + c.text);
          emitted++;
        }
        prevEnd = c.span.end;
      }
    };
    for (const item of items) {
      comments(item.start);
      if (emitted > 0 && this.hasBlankLine(prevEnd, item.start)) this.out.push("");
      this.item(item, indent);
      emitted++;
      prevEnd = item.end;
    }
    comments(close);
  }

  private item(item: Item, indent: string): void {
    if (item.body === undefined) {
      for (const c of this.take(item.start, item.end)) this.out.push(indent + c.text);
      this.out.push(indent + item.line!);
      return;
    }
    const lb = this.lbraceFrom(item.start);
    for (const c of this.take(item.start, lb)) this.out.push(indent + c.text);
    const close = item.end - 1; // the '}'
    const bodyHasComments = this.comments.some((c, i) => !this.used[i] && c.span.start > lb && c.span.start < close);
    if (item.body.length === 0 && !bodyHasComments) {
      this.out.push(`${indent}${item.header} {}`);
      return;
    }
    this.out.push(`${indent}${item.header} {`);
    this.seq(item.body, lb + 1, close, indent + INDENT, false);
    this.out.push(`${indent}}`);
  }
}

/** The canonical text of a spec. Throws `FormatError` if `text` has syntax errors. */
export function formatSpec(ast: A.SpecFile, text: string): string {
  const check = parseSpec(ast.file, text);
  if (check.diagnostics.length > 0) throw new FormatError(check.diagnostics);
  const lcurlies = lexSpec(ast.file, text)
    .tokens.filter((t) => t.tokenType === LCurly)
    .map((t) => t.startOffset);
  const comments = [...ast.comments].sort((a, b) => a.span.start - b.span.start);
  const names: Names = {
    blocks: new Set(ast.decls.flatMap((d) => (d.kind === "Block" ? [d.name.name] : []))),
    networks: new Set(ast.decls.flatMap((d) => (d.kind === "Network" ? [d.name.name] : []))),
  };
  const items = ast.decls.map((d) => decl(d, names));
  const p = new Printer(text, comments, lcurlies);
  p.seq(items, 0, text.length + 1, "", true);
  const lost = p.unused();
  if (lost.length > 0) throw new Error(`internal error: the formatter lost ${lost.length} comment(s)`);
  const lines = p.out.map((l) => l.trimEnd());
  const out = lines.length ? lines.join("\n") + "\n" : "";
  verify(ast, out);
  return out;
}

/** The spec without its layout (and whether a layer without arguments had `()`): what formatting must not change. */
function meaning(ast: A.SpecFile): string {
  return JSON.stringify(ast.decls, (k, v: unknown) => (k === "span" || k === "hasParens" ? undefined : v));
}

/** Throws FormatUnsafe unless `out` parses cleanly to the declarations of `ast` and keeps its comments. */
function verify(ast: A.SpecFile, out: string): void {
  const again = parseSpec(ast.file, out);
  if (again.diagnostics.length > 0) throw new FormatUnsafe(`${again.diagnostics[0]!.code}: ${again.diagnostics[0]!.message}`);
  if (meaning(again.ast) !== meaning(ast)) throw new FormatUnsafe("its declarations differ");
  const texts = (f: A.SpecFile) => f.comments.map((c) => c.text).sort().join("\n");
  if (texts(again.ast) !== texts(ast)) throw new FormatUnsafe("its comments differ");
}
