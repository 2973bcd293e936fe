// The syntax phase: text -> AST + syntax diagnostics (E0001, E0002, E0003, E0005, E0006).
import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { phrase } from "../diagnostics/messages.js";
import { span as mkSpan, tokenSpan, type Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { MAX_DEPTH, type Comment, type Decl, type Node, type SpecFile } from "./ast.js";
import { AstBuilder, escapeString, unescapeString } from "./cst-to-ast.js";
import { MAX_NESTING, MAX_SYNTAX_ERRORS, NestingTooDeep, TooManySyntaxErrors, parser, type SyntaxArgs } from "./parser.js";
import * as T from "./tokens.js";

export interface ParseResult {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

/** The result for a file whose expressions nest too deeply to read: that one diagnostic. */
function tooDeep(file: string, text: string, at: Span): ParseResult {
  parser.input = [];
  return { ast: { kind: "SpecFile", file, decls: [], comments: [], span: mkSpan(file, 0, text.length) }, diagnostics: [diagnostic("E0005", at, { max: MAX_NESTING })] };
}

export function parseSpec(file: string, text: string): ParseResult {
  try {
    return parseUnchecked(file, text);
  } catch (e) {
    if (e instanceof NestingTooDeep) return tooDeep(file, text, isEof(e.token) ? mkSpan(file, text.length, text.length) : tokenSpan(file, e.token));
    // the limits above keep well inside the stack, but a caller deep in its own recursion may not have it all
    if (e instanceof RangeError && /call stack/.test(e.message)) return tooDeep(file, text, mkSpan(file, 0, Math.min(text.length, 1)));
    throw e;
  }
}

/** Lexing only: tokens (for the formatter), comments and lexical diagnostics. */
export function lexSpec(file: string, text: string): { tokens: IToken[]; comments: Comment[]; diagnostics: Diagnostic[]; errorOffsets: number[] } {
  const lexed = T.GanLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const errorOffsets: number[] = [];
  let lastLine = -2;
  for (const err of lexed.errors) {
    const chars = text.slice(err.offset, err.offset + err.length);
    errorOffsets.push(err.offset);
    // One report per line: a line of prose pasted without its '#' is one mistake, not five.
    const line = text.lastIndexOf("\n", err.offset - 1);
    if (line === lastLine) continue;
    lastLine = line;
    const what = [...chars].length === 1 ? "character" : "characters";
    diagnostics.push(diagnostic("E0003", mkSpan(file, err.offset, err.offset + err.length), { what, chars }, lexHelp(chars)));
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === T.UnterminatedString) {
      errorOffsets.push(t.startOffset);
      diagnostics.push(
        diagnostic("E0002", tokenSpan(file, t), { fixed: escapeString(unescapeString(t.image)) }),
      );
    } else if (t.tokenType === T.SingleQuotedString) {
      errorOffsets.push(t.startOffset);
      diagnostics.push(
        diagnostic("E0003", mkSpan(file, t.startOffset, t.startOffset + 1), { what: "character", chars: "'" }, { help: phrase("doubleQuotesFixed", { fixed: escapeString(unescapeString(t.image)) }) }),
      );
    }
  }
  const comments = (lexed.groups["comments"] ?? []).map((t) => ({ text: t.image.trimEnd(), span: tokenSpan(file, t) }));
  return { tokens: lexed.tokens, comments, diagnostics, errorOffsets };
}

/** Characters pasted from typeset text, and the ASCII the language uses instead. */
const LOOKALIKES: Record<string, string> = { "×": "*", "·": "*", "−": "-", "–": "-", "÷": "/", "“": '"', "”": '"', "λ": "lambda", "γ": "gamma" };

function lexHelp(chars: string): { help?: string } {
  const c = chars[0];
  if (c === ";") return { help: phrase("endsAtLineEnd") };
  if (c !== undefined && "%<>!&|".includes(c)) return { help: phrase("operators") };
  if (c === "'") return { help: phrase("doubleQuotes") };
  const ascii = LOOKALIKES[c ?? ""];
  if (ascii) return { help: phrase("lookalike", { ascii }) };
  return {};
}

function parseUnchecked(file: string, text: string): ParseResult {
  const lexed = lexSpec(file, text);
  const diagnostics = [...lexed.diagnostics];
  let tokens = lexed.tokens;

  parser.input = tokens;
  let cst;
  let stoppedAt: IToken | undefined;
  try {
    cst = parser.spec();
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
    // read the file up to the error after the last one reported (its end may add one more error)
    stoppedAt = e.token;
    const end = tokens.indexOf(e.token);
    tokens = tokens.slice(0, end < 0 ? tokens.length : end);
    parser.input = tokens;
    parser.errorLimit = Infinity;
    try {
      cst = parser.spec();
    } finally {
      parser.errorLimit = MAX_SYNTAX_ERRORS;
    }
  }
  const errors = parser.errors.slice(0, MAX_SYNTAX_ERRORS);
  parser.input = []; // don't keep the tokens alive

  const indexOf = new Map<number, number>(tokens.map((t, i) => [t.startOffset, i]));
  const syntax: Diagnostic[] = [];
  for (const e of errors) {
    const d = syntaxDiagnostic(file, text, tokens, indexOf, lexed.errorOffsets, e, syntax.length + diagnostics.length > 0);
    if (d) syntax.push(d);
  }
  if (stoppedAt && syntax.length > 0) {
    syntax[0]!.notes.push({ message: phrase("stoppedReading", { max: MAX_SYNTAX_ERRORS }), span: isEof(stoppedAt) ? mkSpan(file, text.length, text.length) : tokenSpan(file, stoppedAt) });
  }
  diagnostics.push(...syntax);

  const builder = new AstBuilder(file);
  const decls: Decl[] = [];
  for (const d of cst?.children?.["declaration"] ?? []) {
    if (!("children" in d)) continue;
    const decl = builder.declaration(d);
    const deep = decl && deepest(decl);
    if (deep) diagnostics.push(diagnostic("E0005", deep.span, { max: MAX_DEPTH }));
    else if (decl) decls.push(decl);
  }
  diagnostics.push(...builder.diagnostics);
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));

  return {
    ast: { kind: "SpecFile", file, decls, comments: lexed.comments, span: mkSpan(file, 0, text.length) },
    diagnostics,
  };
}

/** The first node nested deeper than MAX_DEPTH in a declaration (found without recursion), if any. */
function deepest(decl: Decl): Node | undefined {
  const stack: [unknown, number][] = [[decl, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    const isNode = "span" in v && "kind" in v;
    if (isNode && depth > MAX_DEPTH) return v as Node;
    for (const [k, c] of Object.entries(v)) if (k !== "span") stack.push([c, isNode ? depth + 1 : depth]);
  }
  return undefined;
}

const CLOSERS = new Set([T.RCurly, T.RParen, T.RBracket]);
const DECL_SET = new Set(T.DECLARATION_KEYWORDS);
const KEYWORD_SET = new Set(T.KEYWORDS);
const STATEMENT_WORDS = T.RESERVED_WORDS.filter((w) => w !== "true" && w !== "false");

function isEof(t: IToken | undefined): boolean {
  return !t || t.tokenType === EOF;
}

function syntaxDiagnostic(
  file: string,
  text: string,
  tokens: IToken[],
  indexOf: Map<number, number>,
  lexErrorOffsets: number[],
  e: IRecognitionException,
  earlierErrors: boolean,
): Diagnostic | undefined {
  const found = isEof(e.token) ? undefined : e.token;
  const idx = found ? (indexOf.get(found.startOffset) ?? tokens.length) : tokens.length;
  const prev = idx > 0 ? tokens[idx - 1] : undefined;
  const prevEnd = prev ? tokenSpan(file, prev).end : 0;
  const foundStart = found ? found.startOffset : text.length;
  // The lexer already reported what broke here (a dropped character, a bad string): one error is enough.
  const afterLexError = lexErrorOffsets.some((o) => o >= prevEnd && o < foundStart);
  const badString = found && (found.tokenType === T.UnterminatedString || found.tokenType === T.SingleQuotedString);
  // An unterminated string earlier in this declaration swallowed the rest of its line.
  let declStart = Math.min(idx, tokens.length) - 1;
  while (declStart > 0 && !DECL_SET.has(tokens[declStart]!.tokenType)) declStart--;
  const afterOpenString = tokens.slice(Math.max(0, declStart), idx).some((t) => t.tokenType === T.UnterminatedString);

  const ruleStack = e.context?.ruleStack ?? [];
  const topLevel = ruleStack.length <= 1 || e.name === "NotAllInputParsedException";
  if (topLevel && found) {
    // Stray tokens between declarations: they run to the next declaration keyword.
    let end = idx;
    while (end < tokens.length && !DECL_SET.has(tokens[end]!.tokenType)) end++;
    const run = tokens.slice(idx, end);
    for (const t of run) {
      if (t.tokenType !== T.Identifier) continue;
      const kw = suggestWord(t.image, T.DECLARATION_WORDS);
      if (kw) return diagnostic("E0001", tokenSpan(file, t), { expected: "a declaration", found: `'${t.image}'` }, { help: phrase("didYouMeanWord", { word: kw }) });
    }
    if (afterLexError || badString) return undefined;
    if (earlierErrors && run.every((t) => CLOSERS.has(t.tokenType))) return undefined; // the rest of a broken declaration
    const help = KEYWORD_SET.has(found.tokenType) ? phrase("insideDeclaration", { word: found.image }) : phrase("declarationStarts", { words: T.DECLARATION_WORDS.join(", ") });
    return diagnostic("E0001", tokenSpan(file, found), { expected: "a declaration", found: `'${shorten(found.image)}'` }, { help });
  }
  if (afterLexError || badString || afterOpenString) return undefined;

  const where: Span = found ? tokenSpan(file, found) : mkSpan(file, prevEnd, prevEnd);
  const args = JSON.parse(e.message) as SyntaxArgs;
  let help: string | undefined;
  if (found && found.tokenType === T.Identifier) {
    const mentioned = [...args.expected.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).filter((w) => T.RESERVED_WORDS.includes(w));
    const kw = suggestWord(found.image, mentioned);
    if (kw) help = phrase("didYouMeanWord", { word: kw });
  }
  // A reserved word where a name or an expression belongs (not a declaration keyword after an
  // unfinished expression: that is the next declaration).
  const nameExpected = /^a name\b/.test(args.expected) || (/^an expression\b/.test(args.expected) && found && !DECL_SET.has(found.tokenType));
  if (!help && found && KEYWORD_SET.has(found.tokenType) && nameExpected) {
    help = phrase("reservedWord", { word: found.image });
  }
  if (!help && prev && prev.tokenType === T.Identifier && ["assignStmt", "layerStmt", "runSetting"].includes(ruleStack[ruleStack.length - 1] ?? "")) {
    const kw = suggestWord(prev.image, STATEMENT_WORDS);
    if (kw) help = phrase("didYouMeanWord", { word: kw });
  }
  return diagnostic("E0001", where, args, help ? { help } : {});
}

/** didYouMean, also accepting one swap of adjacent letters (`stpe` -> `step`). */
function suggestWord(name: string, candidates: readonly string[]): string | undefined {
  const close = didYouMean(name, candidates);
  if (close) return close;
  for (const c of candidates) {
    if (c.length !== name.length) continue;
    for (let i = 0; i + 1 < c.length; i++) {
      if (name === c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2)) return c;
    }
  }
  return undefined;
}

function shorten(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
}
