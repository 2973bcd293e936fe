// The report page's script (bundled with uPlot into dist/assets/report.js and inlined into
// report.html): a chart per logged value (every run overlaid, a legend of runs; log scale and
// smoothing toggles), the sample grids with a step slider, the runs' settings, final evaluation
// metrics side by side and what changed between the specs.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./report.css";
import type { ReportData, Series } from "../data.js";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
const KINDS: [Series["kind"], string, string][] = [
  ["loss", "Losses", "what each step minimises"],
  ["monitor", "Monitors", "values the spec logs without optimising them"],
  ["state", "State", "state variables updated by the schedule"],
  ["eval", "Evaluation", "metrics of generated samples, every eval_every steps"],
  ["speed", "Speed", "training steps per second over each logged window"],
];

const data = JSON.parse(document.getElementById("ganc-report")!.textContent!) as ReportData;
/** A run's colour: its variant's in a sweep's report, else its own. */
const groups = data.sweep?.variants.map((v) => v.key) ?? [];
const colorOf = (i: number): string => {
  const g = data.runs[i]?.group;
  return COLORS[(g === undefined ? i : groups.indexOf(g)) % COLORS.length]!;
};
const settings = { log: false, smoothing: 0.6 };

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

function duration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "–";
  const r = Math.round(s);
  return r >= 3600 ? `${Math.floor(r / 3600)} h ${Math.floor((r % 3600) / 60)} min` : r >= 60 ? `${Math.floor(r / 60)} min ${r % 60} s` : `${r} s`;
}

const num = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toPrecision(4)).toString());

/** TensorBoard's smoothing: an exponential moving average, debiased at the start. */
function smooth(values: number[], w: number): number[] {
  if (w <= 0) return values;
  let last = 0;
  return values.map((v, i) => {
    last = last * w + (1 - w) * v;
    return last / (1 - w ** (i + 1));
  });
}

function table(head: string[], rows: (string | Node)[][], cls = ""): HTMLTableElement {
  return el(
    "table",
    { class: cls },
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))),
  );
}

function runsTable(): HTMLElement {
  return table(
    ["run", "spec", "steps", "backend", "started", "wall time", "training steps/s", "batch", "seed"],
    data.runs.map((r, i) => [
      el("span", { class: "swatch", style: `background:${colorOf(i)}` }, ""),
      r.spec,
      `${r.steps.toLocaleString("en-US")} / ${r.totalSteps.toLocaleString("en-US")}${r.resumedAt ? ` (resumed at ${r.resumedAt})` : ""}`,
      r.backend,
      r.started ? new Date(r.started).toLocaleString() : "–",
      duration(r.wallSeconds),
      r.trainSeconds > 0 ? num((r.steps - (r.resumedAt ?? 0)) / r.trainSeconds) : "–",
      String(r.settings.batch ?? "–"),
      String(r.settings.seed ?? "–"),
    ]).map((row, i) => [el("span", {}, row[0] as Node, ` ${data.runs[i]!.label}`), ...row.slice(1)]),
    "runs",
  );
}

/** The charts, rebuilt when a toggle changes. */
const charts: { plot: uPlot; box: HTMLElement }[] = [];

function chart(box: HTMLElement, name: string): void {
  const runs = data.runs.map((r, i) => ({ run: r, color: colorOf(i), s: r.series.find((x) => x.name === name) })).filter((x) => x.s && x.s.steps.length);
  const w = settings.smoothing;
  const tables: uPlot.AlignedData[] = runs.map(({ s }) => (w > 0 ? [s!.steps, s!.values, smooth(s!.values, w)] : [s!.steps, s!.values]));
  const joined = uPlot.join(tables);
  const positive = runs.every(({ s }) => s!.values.every((v) => v > 0));
  const series: uPlot.Series[] = [{ label: "step" }];
  for (const { run, color } of runs) {
    if (w > 0) series.push({ label: `${run.label} (raw)`, stroke: `${color}40`, width: 1, spanGaps: true, points: { show: false } });
    series.push({ label: run.label, stroke: color, width: w > 0 ? 2 : 1.5, spanGaps: true, points: { show: false } });
  }
  const head = el("h3", {}, name);
  if (settings.log && !positive) head.append(el("span", { class: "note" }, " (values ≤ 0: symmetric log)"));
  box.append(head);
  const plot = new uPlot(
    {
      width: Math.max(280, box.clientWidth - 24),
      height: 220,
      scales: { x: { time: false }, y: settings.log ? { distr: positive ? 3 : 4, log: 10, asinh: 1 } : {} },
      axes: [
        { label: "step", labelSize: 20, size: 36, stroke: "#4b5563", grid: { stroke: "#eef0f3" } },
        { size: 64, stroke: "#4b5563", grid: { stroke: "#eef0f3" }, values: (_u, ticks) => ticks.map((v) => (v == null ? "" : num(v))) },
      ],
      series,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    },
    joined,
    box,
  );
  // The faint raw lines stay out of the legend: one entry per run.
  if (w > 0) plot.root.querySelectorAll<HTMLElement>(".u-legend .u-series").forEach((row, i) => i > 0 && i % 2 === 1 && (row.style.display = "none"));
  box.dataset.series = name;
  charts.push({ plot, box });
}

function renderCharts(root: HTMLElement): void {
  for (const c of charts.splice(0)) c.plot.destroy();
  root.replaceChildren();
  const names = new Map<string, Series["kind"]>();
  for (const r of data.runs) for (const s of r.series) if (!names.has(s.name)) names.set(s.name, s.kind);
  for (const [kind, title, what] of KINDS) {
    const mine = [...names].filter(([, k]) => k === kind).map(([n]) => n);
    if (!mine.length) continue;
    const grid = el("div", { class: "charts" });
    root.append(el("section", { class: "kind", "data-kind": kind }, el("h2", {}, title, el("span", { class: "note" }, ` · ${what}`)), grid));
    for (const n of mine) {
      const box = el("div", { class: "chart" });
      grid.append(box);
      chart(box, n);
    }
  }
}

function controls(charts: HTMLElement): HTMLElement {
  const log = el("input", { type: "checkbox", id: "log-scale" });
  const sm = el("input", { type: "range", id: "smoothing", min: "0", max: "0.99", step: "0.01", value: String(settings.smoothing) });
  const smLabel = el("output", {}, settings.smoothing.toFixed(2));
  log.addEventListener("change", () => {
    settings.log = log.checked;
    renderCharts(charts);
  });
  sm.addEventListener("input", () => {
    settings.smoothing = Number(sm.value);
    smLabel.textContent = settings.smoothing.toFixed(2);
    renderCharts(charts);
  });
  return el("div", { class: "controls" }, el("label", {}, log, " log scale"), el("label", {}, "smoothing ", sm, " ", smLabel), el("span", { class: "note" }, "drag across a chart to zoom, double-click to reset"));
}

function samples(): HTMLElement {
  const wrap = el("div", { class: "samples" });
  data.runs.forEach((r, i) => {
    if (!r.samples.length) return;
    const last = r.samples.length - 1;
    const img = el("img", { src: r.samples[last]!.src, alt: `samples of ${r.label}`, class: "grid" });
    const label = el("output", {}, "");
    const slider = el("input", { type: "range", min: "0", max: String(last), step: "1", value: String(last), class: "step-slider", "aria-label": `sample step of ${r.label}` });
    const show = () => {
      const s = r.samples[Number(slider.value)]!;
      img.src = s.src;
      img.dataset.step = String(s.step);
      label.textContent = `step ${s.step.toLocaleString("en-US")}`;
    };
    slider.addEventListener("input", show);
    show();
    wrap.append(
      el("figure", { class: "sample" }, el("figcaption", {}, el("span", { class: "swatch", style: `background:${colorOf(i)}` }, ""), ` ${r.label}`), el("div", { class: "controls" }, slider, label), img),
    );
  });
  return wrap;
}

function finalEval(): HTMLElement | undefined {
  const metrics = [...new Set(data.runs.flatMap((r) => Object.keys(r.finalEval)))];
  if (!metrics.length) return undefined;
  return table(
    ["metric", ...data.runs.map((r) => r.label)],
    metrics.map((m) => [m.replace(/^eval_/, ""), ...data.runs.map((r) => (m in r.finalEval ? num(r.finalEval[m]!) : "–"))]),
    "eval",
  );
}

function diffs(): HTMLElement | undefined {
  if (!data.diffs.length) return undefined;
  return el(
    "div",
    { class: "diffs" },
    ...data.diffs.map((d) =>
      el("div", { class: "diff" }, el("h3", {}, `${d.from} → ${d.to}`), d.lines.length ? el("pre", {}, d.lines.join("\n")) : el("p", { class: "note" }, "the specs are the same (as run)")),
    ),
  );
}

function specs(): HTMLElement {
  return el(
    "div",
    { class: "specs" },
    ...data.runs.map((r) => {
      const settingsRows = [...Object.entries(r.settings), ...Object.entries(r.params).map(([k, v]) => [`param ${k}`, v] as const)].map(([k, v]) => [k, String(v)]);
      return el(
        "details",
        data.runs.length === 1 ? { open: "" } : {},
        el("summary", {}, `${r.label}: spec and settings`),
        el("div", { class: "spec-body" }, table(["setting", "value"], settingsRows, "settings"), el("pre", { class: "spec" }, r.specText || "(spec.gan missing)")),
        el("p", { class: "note" }, `run folder: ${r.dir}`),
      );
    }),
  );
}

/** A sweep's variants: each metric's mean ± sd over seeds with its 95% interval, and the tested differences. */
function variantsTable(c: NonNullable<ReportData["sweep"]>): HTMLElement {
  const metrics = c.metrics.filter((m) => c.variants.some((v) => v.metrics[m.name]));
  const arrow = (b: string | null) => (b === "higher" ? " ↑" : b === "lower" ? " ↓" : "");
  return table(
    ["variant", "runs done", ...metrics.map((m) => m.name + arrow(m.better))],
    c.variants.map((v, i) => [
      el("span", {}, el("span", { class: "swatch", style: `background:${COLORS[i % COLORS.length]}` }, ""), ` ${v.key}`),
      `${v.runs.filter((r) => r.state === "done").length} of ${v.runs.length}`,
      ...metrics.map((m) => {
        const x = v.metrics[m.name];
        if (!x) return "–";
        const cell = el("span", { title: x.seeds.map((s, k) => `seed ${s}: ${num(x.values[k]!)}`).join("\n") }, `${num(x.mean)} ± ${x.sd === null ? "–" : num(x.sd)}`);
        return el("span", {}, cell, el("span", { class: "note" }, x.ci95 ? ` [${num(x.ci95[0])}, ${num(x.ci95[1])}]` : ""), el("span", { class: "note" }, ` n=${x.n}`));
      }),
    ]),
    "variants",
  );
}

function differencesTable(c: NonNullable<ReportData["sweep"]>): HTMLElement {
  if (!c.differences.length) return el("p", { class: "note" }, "no two variants share their data, so none are compared");
  const p = (v: number | null) => (v === null ? "–" : v < 1e-4 ? "<0.0001" : v.toFixed(4));
  const t = table(
    ["metric", "a", "b", "mean a − b", "t", "df", "p", "p (Holm)", "significant"],
    c.differences.map((d) => [d.metric, d.a, d.b, num(d.difference), d.t === null ? "–" : num(d.t), d.df === null ? "–" : num(d.df), p(d.p), d.untestable ? `untestable: ${d.untestable}` : p(d.p_holm), d.significant ? "yes" : "no"]),
    "differences",
  );
  c.differences.forEach((d, k) => d.significant && t.tBodies[0]!.rows[k]!.classList.add("significant"));
  return el("div", {}, el("p", { class: "note" }, `${c.test.name}; p adjusted by ${c.test.correction}; significant at ${c.test.alpha} after adjustment. Intervals: ${c.interval}.`), t);
}

/** Each variant's final sample grids, one per seed. */
function sweepSamples(c: NonNullable<ReportData["sweep"]>): HTMLElement {
  return el(
    "div",
    { class: "sweep-samples" },
    ...c.variants.map((v, i) => {
      const figures = data.runs
        .filter((r) => r.group === v.key && r.samples.length)
        .map((r) => el("figure", { class: "sample" }, el("figcaption", {}, `seed ${r.settings.seed ?? "?"} · step ${r.samples[0]!.step.toLocaleString("en-US")}`), el("img", { src: r.samples[0]!.src, alt: `final samples of ${r.label}`, class: "grid small" })));
      const head = el("h3", {}, el("span", { class: "swatch", style: `background:${COLORS[i % COLORS.length]}` }, ""), ` ${v.key}`);
      return el("div", { class: "variant", "data-variant": v.key }, head, figures.length ? el("div", { class: "samples" }, ...figures) : el("p", { class: "note" }, "no finished run with a sample grid on this machine"));
    }),
  );
}

function section(title: string, ...children: (Node | undefined)[]): HTMLElement {
  return el("section", {}, el("h2", {}, title), ...children.filter((c): c is Node => c !== undefined));
}

function main(): void {
  const app = document.getElementById("app")!;
  const chartsRoot = el("div", { id: "charts" });
  const header = el("header", {}, el("h1", {}, data.title), el("p", { class: "note" }, `report written ${new Date(data.generated).toLocaleString()}`, data.live ? el("span", { class: "live" }, "live: reloads every 10 s while training") : ""));
  const ev = finalEval();
  const df = diffs();
  const sw = data.sweep;
  app.append(
    header,
    ...(sw ? [section("Variants", el("p", { class: "note" }, `mean ± standard deviation over seeds [95% interval] (hover for each seed's value); ${sw.sweep.done} of ${sw.sweep.runs} runs done`), variantsTable(sw)), section("Differences between variants", differencesTable(sw)), section("Final samples by variant", sweepSamples(sw))] : []),
    section("Runs", runsTable()),
    el("div", { class: "sticky" }, controls(chartsRoot)),
    chartsRoot,
    ...(sw ? [] : [section("Samples", samples())]),
    ...(ev ? [section("Final evaluation", ev)] : []),
    ...(df ? [section("What changed", df)] : []),
    section("Spec and settings", specs()),
  );
  renderCharts(chartsRoot);
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    for (const c of charts) c.plot.setSize({ width: Math.max(280, c.box.clientWidth - 24), height: 220 });
  });
  document.body.dataset.ready = "true";
}

main();
