// Reading a spec and the chain of specs it extends, and merging their declarations:
// a declaration whose name the base has replaces it in place; `run` merges by key.
import * as fs from "node:fs";
import * as path from "node:path";
import { diagnostic, didYouMean, phrase, SourceMap, type Diagnostic } from "../diagnostics/index.js";
import type { Decl, RunDecl, SpecFile } from "../syntax/ast.js";
import { declName } from "../syntax/ast.js";
import { parseSpec } from "../syntax/parse.js";

export type ReadFile = (file: string) => string;

export interface Loaded {
  /** Merged declarations, base first, overrides in place. */
  decls: Decl[];
  files: string[];
  sources: SourceMap;
  diagnostics: Diagnostic[];
  /** False when a file could not be parsed or a base could not be loaded: checking would only add noise. */
  parsed: boolean;
  /** Names declared twice in one file (reported here); their uses are not checked further. */
  ambiguous: string[];
}

/** What a declaration is, as messages say it. */
const KIND_NAME: Record<Decl["kind"], string> = {
  Extends: "an extends line",
  Schedule: "a schedule",
  Run: "a run block",
  Optimizer: "an optimiser",
  Param: "a param",
  State: "a state variable",
  Domain: "a domain",
  Type: "a type",
  Data: "a data batch",
  Latent: "a latent",
  Network: "a network",
  Block: "a block",
  Let: "a let value",
  Loss: "a loss",
  Monitor: "a monitor",
};

/** `bases/dcgan_smal.gan` -> `bases/dcgan_small.gan`, when a nearby file name is close. */
function similarFile(target: string, written: string): string | undefined {
  try {
    const dir = path.dirname(target);
    const guess = didYouMean(path.basename(target), fs.readdirSync(dir).filter((f) => f.endsWith(".gan")));
    return guess && path.join(path.dirname(written), guess);
  } catch {
    return undefined;
  }
}

/** The key under which a declaration overrides another. */
export function declKey(d: Decl): string | undefined {
  switch (d.kind) {
    case "Schedule":
      return "schedule";
    case "Run":
      return "run";
    case "Extends":
      return undefined;
    case "Optimizer":
      return `optimizer ${d.network.name}`;
    case "Data":
      return d.bindings.map((b) => b.name.name).join(",");
    default:
      return declName(d)!.name;
  }
}

export function loadSpec(file: string, read: ReadFile, sources = new SourceMap()): Loaded {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const ambiguous: string[] = [];
  let parsed = true;

  const visit = (f: string, chain: string[], text: string): Decl[] => {
    sources.add(f, text);
    files.push(f);
    const { ast, diagnostics: ds } = parseSpec(f, text);
    diagnostics.push(...ds);
    if (ds.some((d) => d.severity === "error")) parsed = false;
    return merge(ast, chain);
  };

  const merge = (ast: SpecFile, chain: string[]): Decl[] => {
    const ext = ast.decls.filter((d) => d.kind === "Extends");
    for (const extra of ext.slice(1)) diagnostics.push(diagnostic("E0109", extra.span, {}));
    let base: Decl[] = [];
    const e = ext[0];
    if (e && e.kind === "Extends") {
      // an absolute path is taken as written; a relative one is relative to this file
      const target = path.isAbsolute(e.path.value) ? path.normalize(e.path.value) : path.join(path.dirname(ast.file), e.path.value);
      if (chain.includes(target)) {
        diagnostics.push(diagnostic("E0110", e.path.span, { path: e.path.value, chain: [...chain, target].join(" -> ") }));
        parsed = false;
      } else {
        let text: string | undefined;
        try {
          text = read(target);
        } catch (err) {
          const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as NodeJS.ErrnoException).code === "EISDIR" ? "it is a directory" : (err as Error).message;
          const guess = similarFile(target, e.path.value);
          diagnostics.push(diagnostic("E0105", e.path.span, { path: target, reason: why }, { help: guess ? phrase("didYouMeanFile", { path: guess }) : phrase("relativeToExtending") }));
          parsed = false;
        }
        if (text !== undefined) base = visit(target, [...chain, target], text);
      }
    }
    return overlay(base, withoutDuplicates(ast.decls.filter((d) => d.kind !== "Extends")));
  };

  const withoutDuplicates = (decls: Decl[]): Decl[] => {
    const seen = new Map<string, Decl>();
    return decls.filter((d) => {
      const k = declKey(d);
      if (k === undefined) return true;
      const first = seen.get(k);
      if (!first) {
        seen.set(k, d);
        return true;
      }
      if (declName(d)) ambiguous.push(declName(d)!.name);
      diagnostics.push(
        diagnostic("E0102", declName(d)?.span ?? d.span, { name: k, kind: KIND_NAME[first.kind] }, { notes: [{ message: phrase("firstDeclared"), span: declName(first)?.span ?? first.span }], help: phrase("renameInFile") }),
      );
      return false;
    });
  };

  const overlay = (base: Decl[], own: Decl[]): Decl[] => {
    const out = [...base];
    const index = new Map<string, number>();
    out.forEach((d, i) => {
      const k = declKey(d);
      if (k !== undefined) index.set(k, i);
    });
    for (const d of own) {
      const k = declKey(d);
      const at = k === undefined ? undefined : index.get(k);
      if (at === undefined) {
        if (k !== undefined) index.set(k, out.length);
        out.push(d);
        continue;
      }
      const old = out[at]!;
      if (old.kind !== d.kind) {
        diagnostics.push(diagnostic("E0106", declName(d)?.span ?? d.span, { name: k!, old: KIND_NAME[old.kind], new: KIND_NAME[d.kind] }, { notes: [{ message: phrase("baseDeclaration"), span: old.span }] }));
        continue;
      }
      out[at] = d.kind === "Run" ? mergeRun(old as RunDecl, d) : d;
    }
    return out;
  };

  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw new UnreadableSpecError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const decls = visit(file, [file], text);
  return { decls, files: files.reverse(), sources, diagnostics, parsed, ambiguous };
}

/** The spec file a check was asked for cannot be read (a usage error, not a diagnostic). */
export class UnreadableSpecError extends Error {}

function mergeRun(base: RunDecl, child: RunDecl): RunDecl {
  const settings = base.settings.filter((s) => !child.settings.some((c) => c.name.name === s.name.name));
  return { ...child, settings: [...settings, ...child.settings] };
}
