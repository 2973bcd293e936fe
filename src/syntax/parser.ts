// The .gan grammar as a Chevrotain CstParser. One instance is created and reused (set `.input`
// per parse). Error recovery: a syntax error inside a declaration abandons that declaration and
// re-synchronises at the next top-level declaration keyword, so each broken declaration reports
// one error and the next declarations still parse. Stray tokens between declarations are skipped
// (one error per run). No single-token insertion/deletion and no recovery inside bodies: those
// produce cascades of errors that do not help the reader.
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

function describeToken(t: TokenType): string {
  if (t === EOF) return "the end of the file";
  if (t === T.Identifier) return "a name";
  if (t === T.NumberLiteral) return "a number";
  if (t === T.StringLiteral) return "a string";
  return t.LABEL ?? t.name;
}

/** How the token the parser found is shown in a message. */
export function describeFound(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return "the end of the file";
  const img = tok.image.length > 24 ? `${tok.image.slice(0, 21)}...` : tok.image;
  return `'${img}'`;
}

function after(prev: IToken | undefined): string {
  if (!prev || prev.tokenType === EOF || !prev.image) return "";
  const img = prev.image.length > 24 ? `${prev.image.slice(0, 21)}...` : prev.image;
  return ` after '${img}'`;
}

/** What a body expects at a closing brace, by rule. */
const CLOSER_CONTEXT: Record<string, string> = {
  netBody: "a layer or '}'",
  schedBody: "a schedule statement or '}'",
  runDecl: "a run setting (`name = value`) or '}'",
};

/** Sequences with commas: at their closing bracket, a comma was also possible. */
const COMMA_LISTS = new Set(["argList", "listExpr", "shapeType", "networkDecl", "blockDecl", "dataBindings", "netOutputs"]);

/**
 * Chevrotain carries an error as a string: ours is the JSON of the arguments of E0001
 * (`expected {expected}, found {found}`), which parse.ts reads back.
 */
export interface SyntaxArgs {
  expected: string;
  found: string;
}

function encode(expected: string, found: string): string {
  return JSON.stringify({ expected, found } satisfies SyntaxArgs);
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    if (expected === EOF) return encode("a declaration", describeFound(actual));
    let what = describeToken(expected);
    if (expected === T.RCurly && CLOSER_CONTEXT[ruleName]) what = CLOSER_CONTEXT[ruleName]!;
    else if ((expected === T.RParen || expected === T.RBracket) && COMMA_LISTS.has(ruleName)) {
      const opener = previous?.tokenType === T.LParen || previous?.tokenType === T.LBracket;
      if (!opener) what = `',' or ${what}`;
      else if (ruleName === "argList") what = `an argument or ${what}`;
    }
    return encode(`${what}${after(previous)}`, describeFound(actual));
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return encode("a declaration", describeFound(firstRedundant));
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription }) {
    const what =
      customUserDescription ??
      [...new Set(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeToken(path[0]) : ""))))].filter(Boolean).join(" or ");
    return encode(`${what}${after(previous)}`, describeFound(actual[0]));
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, customUserDescription }) {
    const what = customUserDescription ?? [...new Set(expectedIterationPaths.map((p) => (p[0] ? describeToken(p[0]) : "")))].join(" or ");
    return encode(`${what}${after(previous)}`, describeFound(actual[0]));
  },
};

const NO_RESYNC = { resyncEnabled: false } as const;

/** How deep expressions may nest (parentheses, calls, lists, `^`); see also MAX_DEPTH in ast.ts. */
export const MAX_NESTING = 100;

/** Thrown (out of Chevrotain's recovery) when an expression nests deeper than MAX_NESTING. */
export class NestingTooDeep extends Error {
  constructor(readonly token: IToken) {
    super("nesting too deep");
  }
}

/** Syntax errors read before the parser gives up on a file (garbage makes one per few tokens). */
export const MAX_SYNTAX_ERRORS = 100;

/** Thrown when a file has more than MAX_SYNTAX_ERRORS syntax errors, at the token of the next one. */
export class TooManySyntaxErrors extends Error {
  constructor(readonly token: IToken) {
    super("too many syntax errors");
  }
}

export class GanParser extends CstParser {
  /** Expression nesting of the current declaration (reset by each declaration). */
  private depth = 0;

  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: messages, nodeLocationTracking: "none" });
    this.performSelfAnalysis();
  }

  // No single-token insertion or deletion: they guess, and a wrong guess cascades.
  protected override canTokenTypeBeInsertedInRecovery(): boolean {
    return false;
  }
  protected override canTokenTypeBeDeletedInRecovery(): boolean {
    return false;
  }
  // Skip stray tokens only between top-level declarations; inside a declaration an error
  // abandons the declaration (see `declaration`).
  // (Chevrotain internals, not in its typings: `RULE_STACK_IDX` is 0 in the top rule.)
  shouldInRepetitionRecoveryBeTried(...args: unknown[]): boolean {
    if ((this as unknown as { RULE_STACK_IDX: number }).RULE_STACK_IDX !== 0) return false;
    const base = (CstParser.prototype as unknown as Record<string, (...a: unknown[]) => boolean>)["shouldInRepetitionRecoveryBeTried"]!;
    return base.apply(this, args);
  }

  // Stop at MAX_SYNTAX_ERRORS: recovering from each costs a message and a re-synchronisation.
  // (Chevrotain internals, not in its typings: every recognition error is recorded by `SAVE_ERROR`.)
  /** Errors recorded before TooManySyntaxErrors is thrown. */
  errorLimit = MAX_SYNTAX_ERRORS;
  SAVE_ERROR(error: { token: IToken }): unknown {
    if ((this as unknown as { _errors: unknown[] })._errors.length >= this.errorLimit) throw new TooManySyntaxErrors(error.token);
    const base = (CstParser.prototype as unknown as Record<string, (e: unknown) => unknown>)["SAVE_ERROR"]!;
    return base.call(this, error);
  }

  // ------------------------------------------------------------ file and declarations

  spec = this.RULE("spec", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  /** The only rule that re-synchronises: at the next declaration keyword (or the end). */
  declaration = this.RULE(
    "declaration",
    () => {
      this.ACTION(() => (this.depth = 0));
      this.OR([
        { ALT: () => this.SUBRULE(this.extendsDecl) },
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.stateDecl) },
        { ALT: () => this.SUBRULE(this.domainDecl) },
        { ALT: () => this.SUBRULE(this.typeDecl) },
        { ALT: () => this.SUBRULE(this.dataDecl) },
        { ALT: () => this.SUBRULE(this.latentDecl) },
        { ALT: () => this.SUBRULE(this.networkDecl) },
        { ALT: () => this.SUBRULE(this.blockDecl) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.lossDecl) },
        { ALT: () => this.SUBRULE(this.monitorDecl) },
        { ALT: () => this.SUBRULE(this.optimizerDecl) },
        { ALT: () => this.SUBRULE(this.scheduleDecl) },
        { ALT: () => this.SUBRULE(this.runDecl) },
      ]);
    },
    { resyncEnabled: true },
  );

  extendsDecl = this.RULE("extendsDecl", () => {
    this.CONSUME(T.Extends);
    this.CONSUME(T.StringLiteral);
  }, NO_RESYNC);

  paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  stateDecl = this.RULE("stateDecl", () => {
    this.CONSUME(T.State);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  domainDecl = this.RULE("domainDecl", () => {
    this.CONSUME(T.Domain);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.shapeType);
  }, NO_RESYNC);

  typeDecl = this.RULE("typeDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.typeExpr);
  }, NO_RESYNC);

  dataDecl = this.RULE("dataDecl", () => {
    this.CONSUME(T.Data);
    this.SUBRULE(this.dataBindings);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.call);
  }, NO_RESYNC);

  dataBindings = this.RULE("dataBindings", () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.dataBinding);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.dataBinding);
            });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE3(this.dataBinding) },
      ],
      ERR_MSG: "a name or '('",
    });
  }, NO_RESYNC);

  dataBinding = this.RULE("dataBinding", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.CONSUME2(T.Identifier);
    });
  }, NO_RESYNC);

  latentDecl = this.RULE("latentDecl", () => {
    this.CONSUME(T.Latent);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.call);
  }, NO_RESYNC);

  networkDecl = this.RULE("networkDecl", () => {
    this.CONSUME(T.Network);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.netInput);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.netInput);
      });
    });
    this.CONSUME(T.RParen);
    this.OPTION2(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.netOutputs);
    });
    this.SUBRULE(this.netBody);
  }, NO_RESYNC);

  netInput = this.RULE("netInput", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  }, NO_RESYNC);

  netOutputs = this.RULE("netOutputs", () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.netOutput);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.netOutput);
            });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.typeExpr) },
      ],
      ERR_MSG: "an output type",
    });
  }, NO_RESYNC);

  netOutput = this.RULE("netOutput", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  }, NO_RESYNC);

  blockDecl = this.RULE("blockDecl", () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.CONSUME2(T.Identifier);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.CONSUME3(T.Identifier);
        });
      });
      this.CONSUME(T.RParen);
    });
    this.SUBRULE(this.netBody);
  }, NO_RESYNC);

  letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  lossDecl = this.RULE("lossDecl", () => {
    this.CONSUME(T.Loss);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  monitorDecl = this.RULE("monitorDecl", () => {
    this.CONSUME(T.Monitor);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  optimizerDecl = this.RULE("optimizerDecl", () => {
    this.CONSUME(T.Optimizer);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.call);
  }, NO_RESYNC);

  scheduleDecl = this.RULE("scheduleDecl", () => {
    this.CONSUME(T.Schedule);
    this.SUBRULE(this.schedBody);
  }, NO_RESYNC);

  runDecl = this.RULE("runDecl", () => {
    this.CONSUME(T.Run);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.runSetting));
    this.CONSUME(T.RCurly);
  }, NO_RESYNC);

  runSetting = this.RULE("runSetting", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  // ------------------------------------------------------------ network bodies

  netBody = this.RULE("netBody", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.netStmt));
    this.CONSUME(T.RCurly);
  }, NO_RESYNC);

  netStmt = this.RULE("netStmt", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.fromStmt) },
      { ALT: () => this.SUBRULE(this.headStmt) },
      { ALT: () => this.SUBRULE(this.layerStmt) },
    ]);
  }, NO_RESYNC);

  fromStmt = this.RULE("fromStmt", () => {
    this.CONSUME(T.From);
    this.CONSUME(T.Identifier);
  }, NO_RESYNC);

  headStmt = this.RULE("headStmt", () => {
    this.CONSUME(T.Head);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.netBody);
  }, NO_RESYNC);

  /** `[tap:] layer[(args)]` or `[tap:] residual { ... }` */
  layerStmt = this.RULE("layerStmt", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Residual);
            this.SUBRULE(this.netBody);
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.Identifier);
            this.OPTION2(() => this.SUBRULE(this.argList));
          },
        },
      ],
      ERR_MSG: "a layer",
    });
  }, NO_RESYNC);

  // ------------------------------------------------------------ schedule

  schedBody = this.RULE("schedBody", () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.schedStmt));
    this.CONSUME(T.RCurly);
  }, NO_RESYNC);

  schedStmt = this.RULE("schedStmt", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.stepStmt) },
      { ALT: () => this.SUBRULE(this.repeatStmt) },
      { ALT: () => this.SUBRULE(this.togetherStmt) },
      { ALT: () => this.SUBRULE(this.clipStmt) },
      { ALT: () => this.SUBRULE(this.emaStmt) },
      { ALT: () => this.SUBRULE(this.assignStmt) },
    ]);
  }, NO_RESYNC);

  stepStmt = this.RULE("stepStmt", () => {
    this.CONSUME(T.Step);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.Minimize);
    this.CONSUME3(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Reuse);
      this.CONSUME4(T.Identifier);
      this.MANY2(() => {
        this.CONSUME2(T.Comma);
        this.CONSUME5(T.Identifier);
      });
    });
  }, NO_RESYNC);

  repeatStmt = this.RULE("repeatStmt", () => {
    this.CONSUME(T.Repeat);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.schedBody);
  }, NO_RESYNC);

  togetherStmt = this.RULE("togetherStmt", () => {
    this.CONSUME(T.Together);
    this.SUBRULE(this.schedBody);
  }, NO_RESYNC);

  clipStmt = this.RULE("clipStmt", () => {
    this.CONSUME(T.ClipWeights);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  emaStmt = this.RULE("emaStmt", () => {
    this.CONSUME(T.Ema);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  assignStmt = this.RULE("assignStmt", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  // ------------------------------------------------------------ types

  typeExpr = this.RULE("typeExpr", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.shapeType) },
        {
          // `Name`, or `label(n)` (recognised by name when the AST is built)
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => {
              this.CONSUME(T.LParen);
              this.SUBRULE(this.expression);
              this.CONSUME(T.RParen);
            });
          },
        },
      ],
      ERR_MSG: "a type (a shape like [28, 28, 1], a name, or label(n))",
    });
  }, NO_RESYNC);

  shapeType = this.RULE("shapeType", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  }, NO_RESYNC);

  // ------------------------------------------------------------ expressions

  /** `name(args)`: the right-hand side of data, latent and optimizer declarations. */
  call = this.RULE("call", () => {
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.argList);
  }, NO_RESYNC);

  /** `(a, b, name = c)` */
  argList = this.RULE("argList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
    });
    this.CONSUME(T.RParen);
  }, NO_RESYNC);

  /** positional `expr` or named `name = expr` */
  arg = this.RULE("arg", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.expression);
  }, NO_RESYNC);

  /** `+` and `-`, left-associative, lowest precedence. */
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE2(this.term);
    });
  }, NO_RESYNC);

  /** `*` and `/`, left-associative. */
  term = this.RULE("term", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      this.SUBRULE2(this.unary);
    });
  }, NO_RESYNC);

  /** Leading minus signs (a loop, not recursion: `--x` costs no stack) before a power. */
  unary = this.RULE("unary", () => {
    // Every other kind of expression nesting (brackets, calls, `^`) passes through here: stop
    // before Chevrotain's recursion runs out of stack.
    this.ACTION(() => {
      if (++this.depth > MAX_NESTING) throw new NestingTooDeep(this.LA(1));
    });
    this.MANY(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.power);
    this.ACTION(() => this.depth--);
  }, NO_RESYNC);

  /** `^` binds tighter than unary minus and is right-associative: `-a ^ b ^ c` = `-(a ^ (b ^ c))`. */
  power = this.RULE("power", () => {
    this.SUBRULE(this.postfix);
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unary);
    });
  }, NO_RESYNC);

  /** member access: `D(x).cls` */
  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.atom);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.Identifier);
    });
  }, NO_RESYNC);

  atom = this.RULE("atom", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.SUBRULE(this.listExpr) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RParen);
          },
        },
        {
          // a name, or a call `f(args)`
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => this.SUBRULE(this.argList));
          },
        },
      ],
      ERR_MSG: "an expression",
    });
  }, NO_RESYNC);

  listExpr = this.RULE("listExpr", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  }, NO_RESYNC);
}

/** The one parser instance (Chevrotain parsers are meant to be reused). */
export const parser = new GanParser();
