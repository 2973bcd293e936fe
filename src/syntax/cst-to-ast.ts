// Chevrotain's CST -> the typed AST of ast.ts. Every node gets a span (0-based, end-exclusive).
// Declarations the parser abandoned during error recovery are dropped by the caller.
import type { CstNode, IToken } from "chevrotain";
import { cover, tokenSpan, type Span } from "../diagnostics/span.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { phrase } from "../diagnostics/messages.js";
import type * as A from "./ast.js";

type Child = CstNode | IToken;

function isNode(c: Child): c is CstNode {
  return (c as CstNode).children !== undefined;
}

class MissingPart extends Error {}

/** Chains of more operands than this are split into a balanced tree (see `AstBuilder.group`). */
const CHAIN_SPLIT = 32;

/** Builds AST nodes for one file. Extra syntax diagnostics (e.g. `foo(3)` as a type) go to `diagnostics`. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly file: string) {}

  // ------------------------------------------------------------ CST access

  private toks(n: CstNode, name: string): IToken[] {
    return (n.children[name] ?? []).filter((c): c is IToken => !isNode(c));
  }
  private tok(n: CstNode, name: string, i = 0): IToken {
    const t = this.toks(n, name)[i];
    if (!t) throw new MissingPart(`${n.name}: missing token ${name}[${i}]`);
    return t;
  }
  private subs(n: CstNode, name: string): CstNode[] {
    return (n.children[name] ?? []).filter(isNode);
  }
  private sub(n: CstNode, name: string, i = 0): CstNode {
    const c = this.subs(n, name)[i];
    if (!c) throw new MissingPart(`${n.name}: missing node ${name}[${i}]`);
    return c;
  }
  private firstToken(n: CstNode): IToken {
    const ts = Object.values(n.children).flat().filter((c): c is IToken => !isNode(c));
    if (ts.length === 0) throw new MissingPart(`${n.name}: no tokens`);
    return ts.reduce((a, b) => (b.startOffset < a.startOffset ? b : a));
  }
  private span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }
  private ident(t: IToken): A.Ident {
    return { name: t.image, span: this.span(t) };
  }

  // ------------------------------------------------------------ declarations

  /** Null when the declaration is incomplete (it was abandoned during recovery). */
  declaration(n: CstNode): A.Decl | null {
    if (n.recoveredNode) return null;
    try {
      const inner = Object.values(n.children).flat()[0];
      if (!inner || !isNode(inner) || inner.recoveredNode) return null;
      return this.decl(inner);
    } catch (e) {
      if (e instanceof MissingPart) return null;
      throw e;
    }
  }

  private decl(n: CstNode): A.Decl {
    const kw = this.firstToken(n);
    const first = this.span(kw);
    switch (n.name) {
      case "extendsDecl": {
        const path = this.stringLit(this.tok(n, "StringLiteral"));
        return { kind: "Extends", path, span: cover(first, path.span) };
      }
      case "paramDecl":
      case "stateDecl":
      case "letDecl":
      case "lossDecl":
      case "monitorDecl": {
        const kind = ({ paramDecl: "Param", stateDecl: "State", letDecl: "Let", lossDecl: "Loss", monitorDecl: "Monitor" } as const)[n.name];
        const value = this.expression(this.sub(n, "expression"));
        return { kind, name: this.ident(this.tok(n, "Identifier")), value, span: cover(first, value.span) };
      }
      case "domainDecl": {
        const shape = this.shapeType(this.sub(n, "shapeType"));
        return { kind: "Domain", name: this.ident(this.tok(n, "Identifier")), shape, span: cover(first, shape.span) };
      }
      case "typeDecl": {
        const type = this.typeExpr(this.sub(n, "typeExpr"));
        return { kind: "Type", name: this.ident(this.tok(n, "Identifier")), type, span: cover(first, type.span) };
      }
      case "dataDecl": {
        const b = this.sub(n, "dataBindings");
        const bindings = this.subs(b, "dataBinding").map((d) => this.dataBinding(d));
        const source = this.call(this.sub(n, "call"));
        return { kind: "Data", bindings, tuple: this.toks(b, "LParen").length > 0, source, span: cover(first, source.span) };
      }
      case "latentDecl": {
        const value = this.call(this.sub(n, "call"));
        return { kind: "Latent", name: this.ident(this.tok(n, "Identifier")), value, span: cover(first, value.span) };
      }
      case "optimizerDecl": {
        const value = this.call(this.sub(n, "call"));
        return { kind: "Optimizer", network: this.ident(this.tok(n, "Identifier")), value, span: cover(first, value.span) };
      }
      case "networkDecl": {
        const inputs = this.subs(n, "netInput").map((i) => {
          const type = this.typeExpr(this.sub(i, "typeExpr"));
          const name = this.ident(this.tok(i, "Identifier"));
          return { name, type, span: cover(name.span, type.span) };
        });
        let outputs: A.NetOutput[] = [];
        let outputsTuple = false;
        const outs = this.subs(n, "netOutputs")[0];
        if (outs) {
          const named = this.subs(outs, "netOutput");
          if (named.length > 0) {
            outputsTuple = true;
            outputs = named.map((o) => {
              const type = this.typeExpr(this.sub(o, "typeExpr"));
              const name = this.ident(this.tok(o, "Identifier"));
              return { name, type, span: cover(name.span, type.span) };
            });
          } else {
            const type = this.typeExpr(this.sub(outs, "typeExpr"));
            outputs = [{ type, span: type.span }];
          }
        }
        const body = this.netBody(this.sub(n, "netBody"));
        return { kind: "Network", name: this.ident(this.tok(n, "Identifier")), inputs, outputs, outputsTuple, body: body.stmts, span: cover(first, body.span) };
      }
      case "blockDecl": {
        const ids = this.toks(n, "Identifier").map((t) => this.ident(t));
        const body = this.netBody(this.sub(n, "netBody"));
        return { kind: "Block", name: ids[0]!, params: ids.slice(1), body: body.stmts, span: cover(first, body.span) };
      }
      case "scheduleDecl": {
        const body = this.schedBody(this.sub(n, "schedBody"));
        return { kind: "Schedule", body: body.stmts, span: cover(first, body.span) };
      }
      case "runDecl": {
        const settings = this.subs(n, "runSetting").map((s) => {
          const name = this.ident(this.tok(s, "Identifier"));
          const value = this.expression(this.sub(s, "expression"));
          return { name, value, span: cover(name.span, value.span) };
        });
        return { kind: "Run", settings, span: cover(first, this.span(this.tok(n, "RCurly"))) };
      }
      default:
        throw new MissingPart(`unknown declaration ${n.name}`);
    }
  }

  private dataBinding(n: CstNode): A.DataBinding {
    const ids = this.toks(n, "Identifier");
    const name = this.ident(ids[0]!);
    const domain = ids[1] ? this.ident(ids[1]) : undefined;
    return { name, ...(domain ? { domain } : {}), span: domain ? cover(name.span, domain.span) : name.span };
  }

  // ------------------------------------------------------------ networks

  private netBody(n: CstNode): { stmts: A.NetStmt[]; span: Span } {
    const stmts = this.subs(n, "netStmt").map((s) => this.netStmt(s));
    return { stmts, span: cover(this.span(this.tok(n, "LCurly")), this.span(this.tok(n, "RCurly"))) };
  }

  private netStmt(n: CstNode): A.NetStmt {
    const f = this.subs(n, "fromStmt")[0];
    if (f) {
      const source = this.ident(this.tok(f, "Identifier"));
      return { kind: "From", source, span: cover(this.span(this.tok(f, "From")), source.span) };
    }
    const h = this.subs(n, "headStmt")[0];
    if (h) {
      const body = this.netBody(this.sub(h, "netBody"));
      return { kind: "Head", name: this.ident(this.tok(h, "Identifier")), body: body.stmts, span: cover(this.span(this.tok(h, "Head")), body.span) };
    }
    const l = this.sub(n, "layerStmt");
    const ids = this.toks(l, "Identifier");
    const hasLabel = this.toks(l, "Colon").length > 0;
    const label = hasLabel ? this.ident(ids[0]!) : undefined;
    const residual = this.toks(l, "Residual")[0];
    if (residual) {
      const body = this.netBody(this.sub(l, "netBody"));
      const start = label ? label.span : this.span(residual);
      return { kind: "Residual", ...(label ? { label } : {}), body: body.stmts, span: cover(start, body.span) };
    }
    const callee = this.ident(ids[hasLabel ? 1 : 0]!);
    const argList = this.subs(l, "argList")[0];
    const args = argList ? this.args(argList) : [];
    const start = label ? label.span : callee.span;
    return {
      kind: "Layer",
      ...(label ? { label } : {}),
      callee,
      args,
      hasParens: argList !== undefined,
      span: cover(start, argList ? this.span(this.tok(argList, "RParen")) : callee.span),
    };
  }

  // ------------------------------------------------------------ schedule

  private schedBody(n: CstNode): { stmts: A.SchedStmt[]; span: Span } {
    const stmts = this.subs(n, "schedStmt").map((s) => this.schedStmt(s));
    return { stmts, span: cover(this.span(this.tok(n, "LCurly")), this.span(this.tok(n, "RCurly"))) };
  }

  private schedStmt(wrapper: CstNode): A.SchedStmt {
    const n = this.subs(wrapper, Object.keys(wrapper.children)[0]!)[0]!;
    const kw = this.firstToken(n);
    const first = this.span(kw);
    switch (n.name) {
      case "stepStmt": {
        const min = this.tok(n, "Minimize").startOffset;
        const reuseTok = this.toks(n, "Reuse")[0];
        const ids = this.toks(n, "Identifier");
        const networks = ids.filter((t) => t.startOffset < min).map((t) => this.ident(t));
        const after = ids.filter((t) => t.startOffset > min);
        const loss = this.ident(after[0]!);
        const reuse = reuseTok ? after.slice(1).map((t) => this.ident(t)) : [];
        const last = reuse.length ? reuse[reuse.length - 1]! : loss;
        return { kind: "Step", networks, loss, reuse, span: cover(first, last.span) };
      }
      case "repeatStmt": {
        const count = this.expression(this.sub(n, "expression"));
        const body = this.schedBody(this.sub(n, "schedBody"));
        return { kind: "Repeat", count, body: body.stmts, span: cover(first, body.span) };
      }
      case "togetherStmt": {
        const body = this.schedBody(this.sub(n, "schedBody"));
        return { kind: "Together", body: body.stmts, span: cover(first, body.span) };
      }
      case "clipStmt": {
        const bound = this.expression(this.sub(n, "expression"));
        return { kind: "ClipWeights", network: this.ident(this.tok(n, "Identifier")), bound, span: cover(first, bound.span) };
      }
      case "emaStmt": {
        const decay = this.expression(this.sub(n, "expression"));
        return { kind: "Ema", network: this.ident(this.tok(n, "Identifier")), decay, span: cover(first, decay.span) };
      }
      case "assignStmt": {
        const value = this.expression(this.sub(n, "expression"));
        return { kind: "Assign", target: this.ident(this.tok(n, "Identifier")), value, span: cover(first, value.span) };
      }
      default:
        throw new MissingPart(`unknown schedule statement ${n.name}`);
    }
  }

  // ------------------------------------------------------------ types

  private typeExpr(n: CstNode): A.TypeExpr {
    const shape = this.subs(n, "shapeType")[0];
    if (shape) return this.shapeType(shape);
    const name = this.ident(this.tok(n, "Identifier"));
    const argNode = this.subs(n, "expression")[0];
    if (!argNode) return { kind: "NamedType", name, span: name.span };
    const classes = this.expression(argNode);
    const span = cover(name.span, this.span(this.tok(n, "RParen")));
    if (name.name !== "label") {
      this.diagnostics.push(
        diagnostic("E0001", name.span, { expected: "a type", found: `'${name.name}(...)'` }, { help: phrase("typeForms") }),
      );
    }
    return { kind: "LabelType", classes, span };
  }

  private shapeType(n: CstNode): A.ShapeType {
    const dims = this.subs(n, "expression").map((e) => this.expression(e));
    return { kind: "ShapeType", dims, span: cover(this.span(this.tok(n, "LBracket")), this.span(this.tok(n, "RBracket"))) };
  }

  // ------------------------------------------------------------ expressions

  call(n: CstNode): A.Call {
    const callee = this.ident(this.tok(n, "Identifier"));
    const argList = this.sub(n, "argList");
    return { kind: "Call", callee, args: this.args(argList), span: cover(callee.span, this.span(this.tok(argList, "RParen"))) };
  }

  private args(n: CstNode): A.Arg[] {
    return this.subs(n, "arg").map((a) => {
      const value = this.expression(this.sub(a, "expression"));
      const nameTok = this.toks(a, "Identifier")[0];
      if (!nameTok) return { value, span: value.span };
      const name = this.ident(nameTok);
      return { name, value, span: cover(name.span, value.span) };
    });
  }

  /** Operator tokens of a left-associative chain, in source order. */
  private ops(n: CstNode, names: string[]): IToken[] {
    return names.flatMap((k) => this.toks(n, k)).sort((a, b) => a.startOffset - b.startOffset);
  }

  expression(n: CstNode): A.Expr {
    return this.chain(n, "term", ["Plus", "Minus"], (t) => this.term(t));
  }

  private term(n: CstNode): A.Expr {
    return this.chain(n, "unary", ["Star", "Slash"], (u) => this.unary(u));
  }

  private chain(n: CstNode, operand: string, opNames: string[], sub: (n: CstNode) => A.Expr): A.Expr {
    const operands = this.subs(n, operand).map(sub);
    const ops = this.ops(n, opNames).map((t) => t.image as A.BinaryOp);
    if (operands.length !== ops.length + 1) throw new MissingPart("operand");
    return this.group(operands, ops, 0, operands.length);
  }

  /**
   * operands[lo..hi) joined by their operators. Short chains are left-associative as written;
   * a long one is split at a `+` (or `*`) near its middle, `a - b + c - d` = `(a - b) + (c - d)`,
   * so that ten thousand terms make a tree about fourteen deep, not ten thousand (every pass
   * of the compiler, and prettier, recurses over it). Runs of `-` or `/` cannot be split.
   */
  private group(operands: A.Expr[], ops: A.BinaryOp[], lo: number, hi: number): A.Expr {
    const join = (left: A.Expr, op: A.BinaryOp, right: A.Expr, split: boolean): A.Binary => ({ kind: "Binary", op, left, right, span: cover(left.span, right.span), ...(split ? { split: true } : {}) });
    if (hi - lo > CHAIN_SPLIT) {
      const mid = (lo + hi) >> 1;
      // ops[i] joins operands[i] and operands[i + 1]; the splittable operator nearest the middle
      for (let d = 0; mid - 1 - d >= lo || mid - 1 + d <= hi - 2; d++) {
        for (const i of [mid - 1 - d, mid - 1 + d]) {
          if (i < lo || i >= hi - 1 || (ops[i] !== "+" && ops[i] !== "*")) continue;
          return join(this.group(operands, ops, lo, i + 1), ops[i]!, this.group(operands, ops, i + 1, hi), true);
        }
      }
    }
    let left = operands[lo]!;
    for (let i = lo; i < hi - 1; i++) left = join(left, ops[i]!, operands[i + 1]!, false);
    return left;
  }

  private unary(n: CstNode): A.Expr {
    let e = this.power(this.sub(n, "power"));
    for (const minus of this.toks(n, "Minus").reverse()) e = { kind: "Unary", op: "-", operand: e, span: cover(this.span(minus), e.span) };
    return e;
  }

  private power(n: CstNode): A.Expr {
    const base = this.postfix(this.sub(n, "postfix"));
    const exp = this.subs(n, "unary")[0];
    if (!exp) return base;
    const right = this.unary(exp);
    return { kind: "Binary", op: "^", left: base, right, span: cover(base.span, right.span) };
  }

  private postfix(n: CstNode): A.Expr {
    let e = this.atom(this.sub(n, "atom"));
    for (const m of this.toks(n, "Identifier")) {
      const member = this.ident(m);
      e = { kind: "Member", object: e, member, span: cover(e.span, member.span) };
    }
    return e;
  }

  private atom(n: CstNode): A.Expr {
    const c = n.children;
    if (c.NumberLiteral) {
      const t = this.tok(n, "NumberLiteral");
      if (!Number.isFinite(Number(t.image))) {
        this.diagnostics.push(diagnostic("E0006", this.span(t), { raw: t.image.length > 24 ? `${t.image.slice(0, 21)}...` : t.image }));
        throw new MissingPart("number out of range");
      }
      return { kind: "Number", value: Number(t.image), raw: t.image, span: this.span(t) };
    }
    if (c.StringLiteral) return this.stringLit(this.tok(n, "StringLiteral"));
    if (c.True) return { kind: "Bool", value: true, span: this.span(this.tok(n, "True")) };
    if (c.False) return { kind: "Bool", value: false, span: this.span(this.tok(n, "False")) };
    if (c.listExpr) {
      const l = this.sub(n, "listExpr");
      const items = this.subs(l, "expression").map((e) => this.expression(e));
      return { kind: "List", items, span: cover(this.span(this.tok(l, "LBracket")), this.span(this.tok(l, "RBracket"))) };
    }
    if (c.expression) {
      // parenthesised: the inner node, its span widened to the parentheses (so `(a + b) * c` spans all of it)
      const inner = this.expression(this.sub(n, "expression"));
      return { ...inner, span: cover(this.span(this.tok(n, "LParen")), this.span(this.tok(n, "RParen"))) };
    }
    const id = this.ident(this.tok(n, "Identifier"));
    const argList = this.subs(n, "argList")[0];
    if (!argList) return { kind: "Name", name: id.name, span: id.span };
    return { kind: "Call", callee: id, args: this.args(argList), span: cover(id.span, this.span(this.tok(argList, "RParen"))) };
  }

  private stringLit(t: IToken): A.StringLit {
    return { kind: "String", value: unescapeString(t.image), span: this.span(t) };
  }
}

/** The value of a string token's image (also of an unterminated or single-quoted one). */
export function unescapeString(image: string): string {
  const quote = image[0];
  let body = image.slice(1);
  if (quote === "'") return body.endsWith("'") ? body.slice(0, -1) : body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < body.length) {
      const next = body[++i]!;
      if (next === "n") out += "\n";
      else if (next === '"' || next === "\\") out += next;
      else out += "\\" + next; // unknown escape: kept as written
    } else if (ch === '"' && i === body.length - 1) {
      break; // closing quote
    } else out += ch;
  }
  body = out;
  return body;
}

/** `"..."` with `\"`, `\\` and `\n` escaped: how the formatter writes a string value. */
export function escapeString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
