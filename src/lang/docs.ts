// LANGUAGE.md's tables of layers, builtins, data sources, priors, optimisers and run settings,
// generated from the catalog. Each table sits between `<!-- catalog: NAME -->` and
// `<!-- /catalog -->` in grammar/LANGUAGE.md; the prose around them is written by hand.
// `npm run docs` rewrites them; tests/lang/docs.test.ts checks the file is up to date.
import { BUILTINS } from "./builtins/index.js";
import { DATA_SOURCES } from "./data.js";
import type { BuiltinEntry, LayerEntry } from "./entry.js";
import { LAYERS } from "./layers/index.js";
import { OPERATORS } from "./operators.js";
import { LR_SCHEDULES, OPTIMIZERS } from "./optimizers.js";
import { PRIORS } from "./priors.js";
import { RUN_SETTINGS } from "./run.js";
import { documentParams, type ParamSpec } from "./signature.js";

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/(?<!\\)\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const args = (params: readonly ParamSpec[]) => documentParams(params) || "—";

/** The tables, by the name their markers use. */
export function catalogTables(): Record<string, string> {
  return {
    "data sources": table(
      ["source", "outputs", "arguments", "what it is"],
      Object.entries(DATA_SOURCES).map(([name, e]) => [`\`${name}\``, e.outputsDoc, args(e.params), e.doc]),
    ),
    priors: table(
      ["prior", "arguments", "what it draws"],
      Object.entries(PRIORS).map(([name, e]) => [`\`${name}\``, args(e.params), e.doc]),
    ),
    layers: table(
      ["layer", "arguments", "what it does"],
      Object.entries(LAYERS as Record<string, LayerEntry>).map(([name, e]) => [`\`${name}\``, args(e.params), e.doc]),
    ),
    builtins: table(
      ["builtin", "arguments", "result"],
      Object.entries(BUILTINS as Record<string, BuiltinEntry>).map(([name, e]) => [`\`${name}\``, e.bare ? "written without parentheses" : args(e.params), e.doc]),
    ),
    operators: table(
      ["operator", "meaning"],
      Object.entries(OPERATORS).map(([op, e]) => [`\`${op}\``, e.doc]),
    ),
    optimisers: table(
      ["optimiser", "arguments", "what it is"],
      Object.entries(OPTIMIZERS).map(([name, e]) => [`\`${name}\``, args(e.params), e.doc]),
    ),
    "learning-rate schedules": table(
      ["schedule", "arguments", "what it does"],
      Object.entries(LR_SCHEDULES).map(([name, e]) => [`\`${name}\``, args(e.params), e.doc]),
    ),
    "run settings": table(
      ["setting", "default", "at least", "what it is"],
      Object.entries(RUN_SETTINGS).map(([name, e]) => [`\`${name}\``, String(e.default), String(e.min), e.doc]),
    ),
  };
}

/** `text` (LANGUAGE.md) with every marked table replaced by the catalog's; throws on an unknown or missing marker. */
export function withCatalogTables(text: string): string {
  const tables = catalogTables();
  const seen = new Set<string>();
  const out = text.replace(/<!-- catalog: ([^>]+?) -->\n[\s\S]*?<!-- \/catalog -->/g, (_, name: string) => {
    const t = tables[name];
    if (t === undefined) throw new Error(`LANGUAGE.md names an unknown catalog table: ${name}`);
    seen.add(name);
    return `<!-- catalog: ${name} -->\n${t}\n<!-- /catalog -->`;
  });
  const missing = Object.keys(tables).filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`LANGUAGE.md has no place for the catalog tables: ${missing.join(", ")}`);
  return out;
}
