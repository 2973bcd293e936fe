// `ganc fmt FILE...`: rewrite specs in canonical layout; `--check` only reports.
import * as fs from "node:fs";
import { SourceMap, renderAllPretty } from "../diagnostics/index.js";
import { formatSpec } from "../fmt/format.js";
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
    const formatted = formatSpec(ast, text);
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
