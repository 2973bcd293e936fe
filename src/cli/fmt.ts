// `ganc fmt FILE...`: rewrite specs in canonical layout; `--check` only reports.
import * as fs from "node:fs";
import { SourceMap, renderAllPretty } from "../diagnostics/index.js";
import { FormatUnsafe, formatSpec } from "../fmt/format.js";
import { parseSpec } from "../syntax/parse.js";
import { writeFileAtomic } from "../runtime/files.js";
import { readable } from "./compile.js";
import { EXIT, type Io } from "./io.js";

export function fmtCommand(io: Io, files: string[], check: boolean): number {
  let code: number = EXIT.ok;
  for (const f of files) {
    readable(f);
    const text = fs.readFileSync(f, "utf8");
    const { ast, diagnostics } = parseSpec(f, text);
    if (diagnostics.some((d) => d.severity === "error")) {
      const sources = new SourceMap();
      sources.add(f, text);
      io.err(renderAllPretty(diagnostics, sources));
      code = EXIT.problems;
      continue;
    }
    let formatted: string;
    try {
      formatted = formatSpec(ast, text);
    } catch (e) {
      if (!(e instanceof FormatUnsafe)) throw e;
      io.err(`ganc: ${f}: not formatted: ${e.message}`); // and the file is left as it was
      code = EXIT.problems;
      continue;
    }
    if (formatted === text) continue;
    if (check) {
      io.out(`${f}: not formatted`);
      code = EXIT.problems;
    } else {
      writeFileAtomic(f, formatted); // a full disk must not leave the spec half written
      io.out(`${f}: formatted`);
    }
  }
  return code;
}
