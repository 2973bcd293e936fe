// `ganc report RUN_DIR...` and the live report.html of `ganc run`: one self-contained HTML file
// (the page's script with uPlot and the data inlined: it opens from disk, offline) for one run or
// several overlaid, with the semantic diff between their specs; or of a sweep (sweep.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { diffIr } from "../ir/diff.js";
import { asset } from "./assets.js";
import { escapeHtml, inlineText } from "./html-text.js";
import type { ReportData, ReportRun } from "./data.js";
import { readRunFolder } from "./read.js";
import { sweepReportData } from "./sweep.js";

export { isSweepDir } from "./sweep.js";

/** Legend names: the spec's name, made unique with the folder's name where specs repeat. */
function labels(dirs: string[], specs: string[]): string[] {
  const out = dirs.map((d, i) => (specs.filter((s) => s === specs[i]).length > 1 ? `${specs[i]} · ${path.basename(path.resolve(d))}` : specs[i]!));
  return out.map((l, i) => (out.indexOf(l) === i ? l : `${l} (${i + 1})`));
}

function readRuns(dirs: string[]): ReportRun[] {
  const first = dirs.map((d) => readRunFolder(d, ""));
  const names = labels(dirs, first.map((r) => r.spec));
  return first.map((r, i) => ({ ...r, label: names[i]! }));
}

/** The report's data for these run folders. */
export function reportData(dirs: string[], o: { live?: boolean } = {}): ReportData {
  const runs = readRuns(dirs);
  const [base, ...others] = runs;
  const diffs = others.flatMap((r) => (base?.ir && r.ir ? [{ from: base.label, to: r.label, lines: diffIr(base.ir, r.ir) }] : []));
  const title = runs.length === 1 ? `${runs[0]!.spec}: training report` : `${[...new Set(runs.map((r) => r.spec))].join(" vs ")}: ${runs.length} runs`;
  return { title, generated: new Date().toISOString(), live: !!o.live, runs: runs.map(({ ir: _ir, ...r }) => r), diffs };
}


let assets: { js: string; css: string } | undefined;

export function reportHtml(data: ReportData): string {
  assets ??= { js: fs.readFileSync(asset("report.js"), "utf8"), css: fs.readFileSync(asset("report.css"), "utf8") };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${data.live ? '<meta http-equiv="refresh" content="10">\n' : ""}<title>${escapeHtml(data.title)}</title>
<link rel="icon" href="data:,">
<style>${inlineText(assets.css)}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="ganc-report">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>
<script>${inlineText(assets.js)}</script>
</body>
</html>
`;
}

/** Writes `file` whole or not at all: a temporary file beside it, renamed over it. */
export function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes the report of `dirs` to `file`. */
export function writeReport(dirs: string[], file: string, o: { live?: boolean } = {}): ReportData {
  const data = reportData(dirs, o);
  writeAtomic(file, reportHtml(data));
  return data;
}

/** Writes the report of the sweep in `dir` to `file`. */
export function writeSweepReport(dir: string, file: string): ReportData {
  const data = sweepReportData(dir);
  writeAtomic(file, reportHtml(data));
  return data;
}
