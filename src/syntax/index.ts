// The syntax phase of ganc: tokens, parser, CST -> AST, and the entry point `parseSpec`.
export * from "./ast.js";
export { parseSpec, lexSpec, type ParseResult } from "./parse.js";
export { escapeString, unescapeString } from "./cst-to-ast.js";
export { RESERVED_WORDS, DECLARATION_WORDS } from "./tokens.js";
export { generateEbnf, generateDiagramsHtml } from "./grammar-docs.js";
