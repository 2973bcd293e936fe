// The exported page (page.js): a grid of samples with a redraw button and a truncation slider,
// a class picker (conditional specs), code controls (InfoGAN), a latent walk between two
// samples, and for translation specs the examples and a drop zone for an image of one's own.
// Everything it draws comes from generator.js, the module a user imports too.
import type * as tfType from "@tensorflow/tfjs";
import type { generatorApi, Rgba } from "./api.js";
import type { ExportLatent } from "../info.js";
import "./page.css";

type Generator = ReturnType<typeof generatorApi> & { tf: typeof tfType };

const GRID = 16;
const SCALE = 3;
const GAP = 4;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

function panel(title: string, ...children: (Node | string)[]): HTMLElement {
  return el("section", { class: "panel" }, el("h2", {}, title), ...children);
}

/** Draws RGBA images into `canvas` as a grid of `columns`, each pixel SCALE×SCALE, and records the layout on it. */
function drawGrid(canvas: HTMLCanvasElement, { width, height, images: rgba }: Rgba, columns: number, scale = SCALE): void {
  const rows = Math.ceil(rgba.length / columns);
  canvas.width = columns * (width * scale + GAP) - GAP;
  canvas.height = rows * (height * scale + GAP) - GAP;
  const ctx = canvas.getContext("2d")!;
  ctx.imageSmoothingEnabled = false;
  const tile = document.createElement("canvas");
  [tile.width, tile.height] = [width, height];
  const tctx = tile.getContext("2d")!;
  rgba.forEach((data, i) => {
    tctx.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    ctx.drawImage(tile, (i % columns) * (width * scale + GAP), Math.floor(i / columns) * (height * scale + GAP), width * scale, height * scale);
  });
  Object.assign(canvas.dataset, { count: String(rgba.length), columns: String(columns), scale: String(scale), gap: String(GAP), width: String(width), height: String(height) });
}

/** Frames the chosen cells of a grid in the gaps around them (their pixels stay as generated). */
function mark(canvas: HTMLCanvasElement, cells: number[]): void {
  const d = canvas.dataset;
  const [cols, scale, w, h] = [d.columns, d.scale, d.width, d.height].map(Number) as [number, number, number, number];
  const ctx = canvas.getContext("2d")!;
  for (let i = 0; i < Number(d.count); i++) {
    const [x, y] = [(i % cols) * (w * scale + GAP), Math.floor(i / cols) * (h * scale + GAP)];
    ctx.strokeStyle = cells.includes(i) ? "#f59e0b" : "#111";
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1, y - 1, w * scale + 2, h * scale + 2);
  }
}

function drawPoints(canvas: HTMLCanvasElement, points: number[][]): void {
  const size = 420;
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext("2d")!;
  const extent = Math.max(2, ...points.flat().map(Math.abs)) * 1.1;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = "#ddd";
  ctx.beginPath();
  ctx.moveTo(size / 2, 0), ctx.lineTo(size / 2, size), ctx.moveTo(0, size / 2), ctx.lineTo(size, size / 2);
  ctx.stroke();
  ctx.fillStyle = "rgba(37, 99, 235, 0.5)";
  for (const [x, y] of points) ctx.fillRect(((x! / extent + 1) / 2) * size - 1.5, ((1 - y! / extent) / 2) * size - 1.5, 3, 3);
  canvas.dataset.count = String(points.length);
}

/** The picker of a categorical latent: "all, by column" or one value. */
function picker(l: ExportLatent, label: string): HTMLSelectElement {
  const s = el("select", { id: l.role === "class" ? "class" : `code-${l.name}`, "aria-label": label }, el("option", { value: "all" }, "all, by column"));
  for (let k = 0; k < l.classes!; k++) s.append(el("option", { value: String(k) }, String(k)));
  return s;
}

function samplesPage(g: Generator, app: HTMLElement): void {
  const { tf, info } = g;
  const categorical = info.latents.filter((l) => l.prior === "categorical");
  const uniformCodes = info.latents.filter((l) => l.prior === "uniform" && l.role === "code");
  const noise = info.latents.find((l) => l.role === "noise")!;
  const pickers = new Map(categorical.map((l) => [l.name, picker(l, l.role === "class" ? "class" : `code ${l.name}`)]));
  const sliders = new Map(
    uniformCodes.flatMap((l) =>
      Array.from({ length: l.shape[0] ?? 1 }, (_, j) => [`${l.name}[${j}]`, el("input", { type: "range", min: String(l.low), max: String(l.high), step: "0.05", value: String((l.low! + l.high!) / 2), id: `code-${l.name}-${j}` })] as const),
    ),
  );
  const truncation = el("input", { type: "range", min: "0", max: "3", step: "0.1", value: String(noise.truncation ?? 0), id: "truncation" });
  const truncationLabel = el("output", {}, "");
  const redraw = el("button", { id: "redraw", type: "button" }, "Redraw");
  const grid = el("canvas", { id: "grid", title: "click two samples to walk between them" });
  const walk = el("canvas", { id: "walk" });
  const how = el("select", { id: "walk-how", "aria-label": "interpolation" }, el("option", { value: "slerp" }, "slerp"), el("option", { value: "lerp" }, "lerp"));
  const walkHint = el("p", { class: "hint" }, "");
  let seed = 1;
  let z: tfType.Tensor | undefined;
  let cellValues: Record<string, number[]> = {};
  let chosen: number[] = [];
  const columns = () => {
    const all = categorical.find((l) => pickers.get(l.name)!.value === "all");
    return all ? all.classes! : Math.ceil(Math.sqrt(GRID));
  };

  const controls = el("div", { class: "controls" }, redraw);
  for (const l of categorical) controls.append(el("label", {}, l.role === "class" ? "class " : `code ${l.name} `, pickers.get(l.name)!));
  for (const [name, s] of sliders) controls.append(el("label", {}, `${name} `, s));
  controls.append(el("label", { title: "resample normal latents beyond this many standard deviations (0: none)" }, "truncation ", truncation, " ", truncationLabel));
  app.append(panel("Samples", controls, el("div", { class: "canvas-wrap" }, grid)), panel("Latent walk", el("div", { class: "controls" }, el("label", {}, "path ", how)), walkHint, el("div", { class: "canvas-wrap" }, walk)));

  /** The categorical and code values of each cell (from the pickers and sliders). */
  function values(n: number, cols: number): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const l of categorical) {
      const v = pickers.get(l.name)!.value;
      out[l.name] = Array.from({ length: n }, (_, i) => (v === "all" ? i % cols : Number(v)) % l.classes!);
    }
    return out;
  }
  const options = (v: Record<string, number[]>, rows: number[]) => {
    const pick = (name: string) => rows.map((i) => v[name]![i]!);
    const cls = categorical.find((l) => l.role === "class");
    const codes: Record<string, number[] | number[][]> = {};
    for (const l of categorical) if (l.role === "code") codes[l.name] = pick(l.name);
    for (const l of uniformCodes) codes[l.name] = rows.map(() => Array.from({ length: l.shape[0] ?? 1 }, (_, j) => Number(sliders.get(`${l.name}[${j}]`)!.value)));
    return { ...(cls ? { class: pick(cls.name) } : {}), codes, seed };
  };

  function render(): void {
    const t = Number(truncation.value);
    truncationLabel.textContent = t > 0 ? t.toFixed(1) : "off";
    const cols = columns();
    const n = categorical.some((l) => pickers.get(l.name)!.value === "all") ? 2 * cols : GRID;
    z?.dispose();
    z = g.drawNoise(n, { seed, truncation: t });
    cellValues = values(n, cols);
    const images = g.generate(z, options(cellValues, [...Array(n).keys()]));
    drawGrid(grid, g.toRgba(images), cols);
    images.dispose();
    chosen = [0, 1];
    renderWalk();
  }

  function renderWalk(): void {
    if (chosen.length < 2 || !z) return;
    const [a, b] = chosen as [number, number];
    walkHint.textContent = `From sample ${a + 1} to sample ${b + 1} (marked in the grid); click two samples to choose others.`;
    mark(grid, chosen);
    const k = 10;
    const path = tf.tidy(() => g.interpolate(tf.slice(z!, a, 1), tf.slice(z!, b, 1), k, how.value as "lerp" | "slerp"));
    const images = g.generate(path, options(cellValues, new Array<number>(k).fill(a)));
    drawGrid(walk, g.toRgba(images), k);
    tf.dispose([path, images]);
  }

  grid.addEventListener("click", (e) => {
    const d = grid.dataset;
    const cell = Number(d.width) * Number(d.scale) + GAP;
    const cellH = Number(d.height) * Number(d.scale) + GAP;
    const r = grid.getBoundingClientRect();
    const [x, y] = [((e.clientX - r.left) * grid.width) / r.width, ((e.clientY - r.top) * grid.height) / r.height];
    const i = Math.floor(y / cellH) * Number(d.columns) + Math.floor(x / cell);
    if (i >= Number(d.count)) return;
    chosen = [...chosen, i].slice(-2);
    renderWalk();
  });
  redraw.addEventListener("click", () => {
    seed++;
    render();
  });
  for (const c of [truncation, ...pickers.values(), ...sliders.values()]) c.addEventListener("input", render);
  how.addEventListener("input", renderWalk);
  render();
}

/** Pixels of an image (any size) as the generator's input [1, H, W, C] in its range. */
function inputOf(g: Generator, source: CanvasImageSource, shape: number[], range: string): tfType.Tensor {
  const [h, w, c] = shape as [number, number, number];
  const canvas = el("canvas");
  [canvas.width, canvas.height] = [w, h];
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(source, 0, 0, w, h);
  const { data } = ctx.getImageData(0, 0, w, h);
  return g.tf.tidy(() => {
    const rgba = g.tf.tensor(Float32Array.from(data), [1, h, w, 4]).div(255);
    const pixels = c === 1 ? rgba.slice([0, 0, 0, 0], [-1, -1, -1, 3]).mean(3, true) : rgba.slice([0, 0, 0, 0], [-1, -1, -1, c]);
    return range === "0..1" ? pixels : pixels.mul(2).sub(1);
  });
}

async function translationPage(g: Generator, app: HTMLElement): Promise<void> {
  const { tf, info } = g;
  const input = info.inputs.find((i) => i.kind === "data")!;
  if (input.kind !== "data") return;
  const examples = el("canvas", { id: "examples" });
  const drop = el("label", { id: "drop", class: "drop", tabindex: "0" }, "Drop an image here, or click to choose one", el("input", { type: "file", accept: "image/*", id: "file" }));
  const result = el("canvas", { id: "result", hidden: "" });
  app.append(
    panel(`Examples: ${input.name} (top) → ${info.network}(${input.name}) (bottom)`, el("div", { class: "canvas-wrap" }, examples)),
    panel("Your image", drop, el("p", { class: "hint" }, `It is scaled to ${input.shape[1]}×${input.shape[0]}${input.shape[2] === 1 ? " and made grey" : ""}; left: the input the network sees, right: its output.`), el("div", { class: "canvas-wrap" }, result)),
  );
  const show = (canvas: HTMLCanvasElement, x: tfType.Tensor, scale: number) => {
    const y = g.translate(x);
    // inputs above outputs (or side by side for one image), each shown in its own range
    const rgba = g.toRgba(x, input.range);
    rgba.images.push(...g.toRgba(y).images);
    drawGrid(canvas, rgba, x.shape[0] === 1 ? 2 : x.shape[0]!, scale);
    y.dispose();
  };
  const images = await Promise.all(
    Array.from({ length: info.examples?.count ?? 0 }, (_, i) => {
      const img = new Image();
      img.src = info.examples!.file.replace("{i}", String(i));
      return img.decode().then(() => img);
    }),
  );
  if (images.length) {
    const x = tf.concat(images.map((img) => inputOf(g, img, input.shape, input.range)));
    show(examples, x, SCALE);
    x.dispose();
  }
  const use = async (file: File | undefined) => {
    if (!file) return;
    const bitmap = await createImageBitmap(file);
    const x = inputOf(g, bitmap, input.shape, input.range);
    result.hidden = false;
    show(result, x, 6);
    x.dispose();
  };
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    void use(e.dataTransfer?.files[0]);
  });
  drop.querySelector("input")!.addEventListener("change", (e) => void use((e.target as HTMLInputElement).files?.[0]));
}

function pointsPage(g: Generator, app: HTMLElement): void {
  const canvas = el("canvas", { id: "grid" });
  const redraw = el("button", { id: "redraw", type: "button" }, "Redraw");
  app.append(panel("Samples (512 points)", el("div", { class: "controls" }, redraw), el("div", { class: "canvas-wrap" }, canvas)));
  let seed = 1;
  const render = () => {
    const p = g.sample(512, { seed });
    drawPoints(canvas, p.arraySync() as number[][]);
    p.dispose();
  };
  redraw.addEventListener("click", () => {
    seed++;
    render();
  });
  render();
}

async function main(): Promise<void> {
  const status = document.getElementById("status")!;
  const app = document.getElementById("app")!;
  try {
    const url = "./generator.js";
    const g = (await import(url)) as Generator;
    const backend = new URLSearchParams(location.search).get("backend");
    await g.load(backend ? { backend } : {});
    const { info } = g;
    if (info.inputs.some((i) => i.kind === "data")) await translationPage(g, app);
    else if (info.output.kind === "points") pointsPage(g, app);
    else samplesPage(g, app);
    status.textContent = `running on ${g.tf.getBackend()}`;
    document.body.dataset.ready = "true";
  } catch (e) {
    status.textContent = `failed: ${(e as Error).message}`;
    status.classList.add("error");
    console.error(e);
  }
}

void main();
