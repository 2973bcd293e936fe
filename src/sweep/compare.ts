// `ganc compare`: the evaluation metrics of a sweep's finished runs, summarised per variant over
// seeds, and the differences between variants tested with Welch's t-test (Holm-adjusted over
// the pairs of each metric). `Comparison` is plain JSON: `ganc compare --format json` prints it,
// and it is what an HTML report of the sweep renders (each run keeps its folder and its final
// sample grid for that).
import { holm, summarize, welch, type Summary } from "./stats.js";
import { counts, type RunState, type SweepFile } from "./state.js";

export const ALPHA = 0.05;

/** Bookkeeping numbers of eval.json that are not outcomes to compare. */
const NOT_COMPARED = new Set(["samples", "pairs", "fid_floor"]);

/** Which way is better, for the metrics ganc computes. */
const BETTER: Record<string, "higher" | "lower"> = {
  modes_covered: "higher",
  high_quality_fraction: "higher",
  reverse_kl: "lower",
  classes_covered: "higher",
  class_entropy: "higher",
  inception_score: "higher",
  fid: "lower",
  class_accuracy: "higher",
  code_purity: "higher",
  code_classes: "higher",
  translation_l1: "lower",
  identity_l1: "lower",
  output_class_accuracy: "higher",
  target_class_accuracy: "higher",
};

export interface MetricSummary extends Summary {
  /** The values, one per finished run, in seed order. */
  values: number[];
  seeds: number[];
}

export interface VariantRuns {
  key: string;
  spec: string;
  settings: Record<string, string>;
  /** The data it trains on; pairs are tested only between variants on the same data. */
  data: string | null;
  runs: { id: string; seed: number; state: RunState; dir: string | null; host: string | null; sample: string | null; eval: Record<string, number> | null }[];
  metrics: Record<string, MetricSummary>;
}

export interface Difference {
  metric: string;
  a: string;
  b: string;
  /** mean(a) − mean(b). */
  difference: number;
  /** Null when the test is undefined (see `untestable`). */
  t: number | null;
  df: number | null;
  p: number | null;
  /** p after Holm's adjustment over the variant pairs of this metric. */
  p_holm: number | null;
  significant: boolean | null;
  untestable?: string;
}

export interface Comparison {
  format: "ganc-compare/1";
  sweep: { dir: string; id: string; runs: number } & Record<RunState, number>;
  interval: string;
  test: { name: string; correction: string; alpha: number };
  metrics: { name: string; better: "higher" | "lower" | null }[];
  variants: VariantRuns[];
  differences: Difference[];
}

export function compareSweep(s: SweepFile, dir: string): Comparison {
  const metricNames: string[] = [];
  for (const r of s.runs)
    for (const k of Object.keys(r.result?.eval ?? {})) if (!NOT_COMPARED.has(k) && !metricNames.includes(k)) metricNames.push(k);
  const variants: VariantRuns[] = s.variants.map((v) => {
    const runs = s.runs.filter((r) => r.variant === v.key).sort((a, b) => a.seed - b.seed);
    const metrics: Record<string, MetricSummary> = {};
    for (const m of metricNames) {
      const done = runs.filter((r) => r.state === "done" && typeof r.result?.eval[m] === "number");
      if (done.length > 0) metrics[m] = { ...summarize(done.map((r) => r.result!.eval[m]!)), values: done.map((r) => r.result!.eval[m]!), seeds: done.map((r) => r.seed) };
    }
    return {
      key: v.key,
      spec: v.name,
      settings: v.settings,
      data: v.data ?? null,
      runs: runs.map((r) => ({
        id: r.id,
        seed: r.seed,
        state: r.state,
        dir: r.dir ?? null,
        host: r.result?.host ?? null,
        sample: r.result?.sample ?? null,
        eval: r.result?.eval ?? null,
      })),
      metrics,
    };
  });
  const differences: Difference[] = [];
  for (const m of metricNames) {
    const family: Difference[] = [];
    for (let i = 0; i < variants.length; i++)
      for (let j = i + 1; j < variants.length; j++) {
        const [a, b] = [variants[i]!, variants[j]!];
        const [sa, sb] = [a.metrics[m], b.metrics[m]];
        if (!sa || !sb || a.data !== b.data) continue; // modes of a ring and of a grid are not comparable
        const w = welch(sa.values, sb.values);
        const base = { metric: m, a: a.key, b: b.key, difference: sa.mean - sb.mean };
        if (w) family.push({ ...base, t: w.t, df: w.df, p: w.p, p_holm: null, significant: null });
        else
          family.push({
            ...base,
            t: null,
            df: null,
            p: null,
            p_holm: null,
            significant: null,
            untestable: sa.n < 2 || sb.n < 2 ? "fewer than 2 runs in a variant" : "no spread within either variant",
          });
      }
    const tested = family.filter((d) => d.p !== null);
    holm(tested.map((d) => d.p!)).forEach((p, k) => {
      tested[k]!.p_holm = p;
      tested[k]!.significant = p < ALPHA;
    });
    differences.push(...family);
  }
  return {
    format: "ganc-compare/1",
    sweep: { dir, id: s.id, runs: s.runs.length, ...counts(s) },
    interval: "95% interval of the mean over seeds: mean ± t(0.975, n − 1) · sd / √n",
    test: {
      name: "Welch's t-test (unequal variances), two-sided",
      correction: "Holm's step-down adjustment over the pairs of variants on the same data, per metric",
      alpha: ALPHA,
    },
    metrics: metricNames.map((name) => ({ name, better: BETTER[name] ?? null })),
    variants,
    differences,
  };
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? "–" : Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());
const pValue = (p: number | null) => (p === null ? "–" : p < 1e-4 ? "<0.0001" : p.toFixed(4));

/** Columns padded to their widest cell, two spaces apart. */
function table(rows: string[][], indent = "  "): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => indent + r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}

export function formatComparison(c: Comparison): string {
  const arrow = (name: string) => {
    const b = c.metrics.find((m) => m.name === name)?.better;
    return b === "higher" ? " ↑" : b === "lower" ? " ↓" : "";
  };
  const { sweep: s } = c;
  const out = [
    `sweep ${s.dir}: ${s.runs} runs, ${s.done} done${s.failed ? `, ${s.failed} failed` : ""}${s.pending + s.running ? `, ${s.pending + s.running} not finished` : ""}`,
    `mean, standard deviation and ${c.interval}`,
  ];
  for (const v of c.variants) {
    const done = v.runs.filter((r) => r.state === "done");
    out.push("", `${v.key}: ${done.length} of ${v.runs.length} runs done (seeds ${done.map((r) => r.seed).join(", ") || "none"})`);
    const names = c.metrics.map((m) => m.name).filter((m) => v.metrics[m]);
    if (names.length === 0) continue;
    const rows = [["metric", "n", "mean", "sd", "95% interval"]];
    for (const m of names) {
      const x = v.metrics[m]!;
      rows.push([m + arrow(m), String(x.n), num(x.mean), num(x.sd), x.ci95 ? `[${num(x.ci95[0])}, ${num(x.ci95[1])}]` : "–"]);
    }
    out.push(table(rows));
  }
  if (c.differences.length > 0) {
    out.push("", `differences: ${c.test.name}; p adjusted by ${c.test.correction}; * significant at ${c.test.alpha} after adjustment`);
    const rows = [["metric", "a", "b", "mean a − b", "t", "df", "p", "p (Holm)", ""]];
    for (const d of c.differences)
      rows.push([d.metric, d.a, d.b, num(d.difference), num(d.t), num(d.df), pValue(d.p), d.untestable ? `untestable: ${d.untestable}` : pValue(d.p_holm), d.significant ? "*" : ""]);
    out.push(table(rows));
  }
  return out.join("\n");
}
