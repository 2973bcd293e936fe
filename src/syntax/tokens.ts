// The tokens of the .gan language. Every token is defined once here; the parser, the
// grammar docs (EBNF, diagrams) and the formatter all use these definitions.
import { createToken, Lexer, type TokenType } from "chevrotain";

// ---------------------------------------------------------------- trivia

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF\u00A0]+/, group: Lexer.SKIPPED });
/** `# ...` to the end of the line; kept in a group so that `ganc fmt` can put comments back. */
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

// ---------------------------------------------------------------- names and literals

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: "a name" });
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/, label: "a string" });
/** A string whose closing quote is missing on its line (reported as E0002, parsed as a string). */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  categories: [StringLiteral],
});
/** `'text'`: reported as E0003 (strings use double quotes), parsed as a string. */
export const SingleQuotedString = createToken({
  name: "SingleQuotedString",
  pattern: /'[^'\n\r]*'/,
  categories: [StringLiteral],
});

// ---------------------------------------------------------------- keywords

function keyword(word: string, name: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const Extends = keyword("extends", "Extends");
export const Param = keyword("param", "Param");
export const State = keyword("state", "State");
export const Domain = keyword("domain", "Domain");
export const Type = keyword("type", "Type");
export const Data = keyword("data", "Data");
export const Latent = keyword("latent", "Latent");
export const Network = keyword("network", "Network");
export const Block = keyword("block", "Block");
export const Let = keyword("let", "Let");
export const Loss = keyword("loss", "Loss");
export const Monitor = keyword("monitor", "Monitor");
export const Optimizer = keyword("optimizer", "Optimizer");
export const Schedule = keyword("schedule", "Schedule");
export const Run = keyword("run", "Run");
export const Step = keyword("step", "Step");
export const Minimize = keyword("minimize", "Minimize");
export const Reuse = keyword("reuse", "Reuse");
export const Repeat = keyword("repeat", "Repeat");
export const Together = keyword("together", "Together");
export const ClipWeights = keyword("clip_weights", "ClipWeights");
export const Ema = keyword("ema", "Ema");
export const From = keyword("from", "From");
export const Head = keyword("head", "Head");
export const Residual = keyword("residual", "Residual");
export const True = keyword("true", "True");
export const False = keyword("false", "False");

/** Keywords that start a top-level declaration (the parser re-synchronises at these). */
export const DECLARATION_KEYWORDS: readonly TokenType[] = [
  Extends, Param, State, Domain, Type, Data, Latent, Network, Block, Let, Loss, Monitor, Optimizer, Schedule, Run,
];
export const KEYWORDS: readonly TokenType[] = [
  ...DECLARATION_KEYWORDS,
  Step, Minimize, Reuse, Repeat, Together, ClipWeights, Ema, From, Head, Residual, True, False,
];

/** The spelling of a keyword token (`Param` -> `param`). */
export function keywordText(t: TokenType): string {
  return (t.PATTERN as RegExp).source;
}

/** Every reserved word, as written. */
export const RESERVED_WORDS: readonly string[] = KEYWORDS.map(keywordText);
export const DECLARATION_WORDS: readonly string[] = DECLARATION_KEYWORDS.map(keywordText);

// ---------------------------------------------------------------- punctuation

function punct(name: string, text: string): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'` });
}

export const Arrow = punct("Arrow", "->");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const LCurly = punct("LCurly", "{");
export const RCurly = punct("RCurly", "}");
export const Comma = punct("Comma", ",");
export const Colon = punct("Colon", ":");
export const Equals = punct("Equals", "=");
export const Dot = punct("Dot", ".");
export const Plus = punct("Plus", "+");
export const Minus = punct("Minus", "-");
export const Star = punct("Star", "*");
export const Slash = punct("Slash", "/");
export const Caret = punct("Caret", "^");

/** All tokens, in lexing order (keywords before Identifier, `->` before `-`). */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  SingleQuotedString,
  ...KEYWORDS,
  Identifier,
  NumberLiteral,
  Arrow,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Colon,
  Equals,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
];

/** How a token is written in the grammar docs and in messages: `'='`, `'network'`, or a class name. */
export function tokenDisplay(t: TokenType): string {
  if (t === Identifier) return "Identifier";
  if (t === NumberLiteral) return "Number";
  if (t === StringLiteral) return "String";
  const label = t.LABEL;
  if (label && label.startsWith("'")) return `"${label.slice(1, -1)}"`;
  return t.name;
}

export const GanLexer = new Lexer(ALL_TOKENS, { positionTracking: "onlyOffset", ensureOptimizations: false });
