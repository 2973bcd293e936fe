// The grammar docs (grammar/gan.ebnf, grammar/diagrams.html), generated from the parser's own
// grammar so they cannot drift from it. tests/grammar/grammar-docs.test.ts compares the files
// with these functions (UPDATE_GOLDEN=1 rewrites them).
import { createSyntaxDiagramsCode, type ISerializedGast } from "chevrotain";
import { parser } from "./parser.js";
import * as T from "./tokens.js";

type Gast = ISerializedGast & { name?: string; definition?: Gast[]; separator?: Gast };

const displayByName = new Map(T.ALL_TOKENS.map((t) => [t.name, T.tokenDisplay(t)]));

function terminal(name: string): string {
  return displayByName.get(name) ?? name;
}

/** A sequence of grammar elements as EBNF text. */
function seq(items: readonly Gast[]): string {
  return items.map((g) => element(g, items.length > 1)).join(" ");
}

function element(g: Gast, inSequence: boolean): string {
  const def = g.definition ?? [];
  switch (g.type) {
    case "Terminal":
      return terminal(g.name!);
    case "NonTerminal":
      return g.name!;
    case "Option":
      return `[ ${seq(def)} ]`;
    case "Repetition":
      return `{ ${seq(def)} }`;
    case "RepetitionMandatory":
      return `${wrapSeq(def)} { ${seq(def)} }`;
    case "RepetitionWithSeparator":
      return `[ ${wrapSeq(def)} { ${terminal(g.separator!.name!)} ${seq(def)} } ]`;
    case "RepetitionMandatoryWithSeparator":
      return `${wrapSeq(def)} { ${terminal(g.separator!.name!)} ${seq(def)} }`;
    case "Alternation": {
      const alts = def.map((a) => seq(a.definition ?? []));
      const text = alts.join(" | ");
      return inSequence || alts.length > 1 ? `( ${text} )` : text;
    }
    case "Alternative":
      return seq(def);
    default:
      return `?${g.type}?`;
  }
}

function wrapSeq(def: readonly Gast[]): string {
  return def.length > 1 ? `( ${seq(def)} )` : seq(def);
}

const LEXICAL = `(* The grammar of .gan files, generated from ganc's parser (src/syntax/parser.ts) by
   src/syntax/grammar-docs.ts. Do not edit: run UPDATE_GOLDEN=1 npx vitest run tests/grammar.

   Notation: rule = ... ;   "x" a keyword or punctuation   [ a ] optional   { a } zero or more
   ( a | b ) one of.  Newlines are whitespace; "#" starts a comment that runs to the end of the line.

   Identifier = /[A-Za-z_][A-Za-z0-9_]*/ , except the reserved words:
     ${T.RESERVED_WORDS.join(" ")}
   Number     = /(\\d+(\\.\\d+)?|\\.\\d+)([eE][+-]?\\d+)?/            e.g. 64  0.5  2e-4  1e+3
   String     = '"' { any character except '"', '\\' and newline | '\\"' | '\\\\' | '\\n' } '"'
   A type written Identifier "(" expression ")" must be label(n). *)
`;

/** grammar/gan.ebnf */
export function generateEbnf(): string {
  const rules = parser.getSerializedGastProductions() as Gast[];
  const out: string[] = [LEXICAL];
  for (const r of rules) {
    const def = r.definition ?? [];
    const only = def.length === 1 ? def[0]! : undefined;
    if (only && only.type === "Alternation" && (only.definition?.length ?? 0) > 1) {
      const alts = only.definition!.map((a) => seq(a.definition ?? []));
      out.push(`\n${r.name}\n  = ${alts.join("\n  | ")}\n  ;\n`);
    } else {
      out.push(`${r.name} = ${seq(def)} ;`);
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/** grammar/diagrams.html: railroad diagrams (the page loads Chevrotain's diagram scripts from unpkg when opened). */
export function generateDiagramsHtml(): string {
  const html = createSyntaxDiagramsCode(parser.getSerializedGastProductions());
  return `<!-- Syntax diagrams of the .gan language, generated from ganc's parser by src/syntax/grammar-docs.ts. -->\n${html.trim()}\n`;
}
