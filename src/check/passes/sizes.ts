// Pass 10: sizes. A spec whose tensors or memory cannot fit is refused here, with the figures,
// rather than failing with a RangeError or running out of memory once training has started.
//
// The limits are TensorFlow.js's: a tensor's values are counted with 32-bit integers (at most
// 2^31 - 1 of them), and the WebAssembly backend addresses a 4 GiB heap. The memory estimate
// is a lower bound (what training must hold at least), so a spec refused here cannot run on
// that backend: the weights with their gradients and an optimiser's two moments (4 float32
// copies of every parameter), and one batch of every layer's output kept for the backward
// pass with its gradient (2 float32 copies); or, for the sample grid, `samples` outputs of
// every layer of one network.
import type { Span } from "../../diagnostics/span.js";
import type { IrType } from "../../ir/types.js";
import { RUN_DEFAULTS } from "../../lang/index.js";
import type { Context } from "../context.js";

/** The most values one tensor can hold (TensorFlow.js sizes are 32-bit integers). */
export const MAX_TENSOR = 2 ** 31 - 1;
/** The most bytes training may need: the WebAssembly backend's heap. */
export const MAX_BYTES = 4 * 2 ** 30;

const valuesOf = (t: IrType): number => (t.kind === "tensor" ? t.shape.reduce((a, b) => a * b, 1) : 1);

/** `4.3e12` for large counts, `1,234` for small ones. */
export function showCount(n: number): string {
  return n >= 1e7 ? n.toExponential(1).replace("e+", "e") : Math.round(n).toLocaleString("en-US");
}

/** `17 TiB`, `3.2 GiB`, `512 MiB`. */
export function showBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toPrecision(2)} ${units[i]}`;
}

export function sizes(ctx: Context): void {
  if (ctx.diagnostics.some((d) => d.severity === "error") || !ctx.ir.run) return;
  const { batch, samples } = ctx.ir.run;
  // the first tensor that cannot exist is reported (one cause, such as a huge batch, makes many)
  let fits = true;
  const tensor = (what: string, count: number, at: Span) => {
    if (count > MAX_TENSOR && fits) ctx.report("E0317", at, { what, count: showCount(count) });
    return count <= MAX_TENSOR;
  };
  // where `batch` or `samples` is set: the command line, the run block, or (the default) nowhere
  const run = ctx.all("Run")[0];
  const setAt = (key: string): Span | undefined => ctx.input.overrideSpans.get(key)?.value ?? run?.settings.find((s) => s.name.name === key)?.value.span;
  for (const d of ctx.ir.data ?? [])
    d.names.forEach((name, i) => {
      const per = valuesOf(d.types[i]!);
      fits = tensor(`a batch of \`${name}\` (${batch} × ${showCount(per)})`, batch * per, setAt("batch") ?? d.span) && tensor(`the sample grid's \`${name}\` (${samples} × ${showCount(per)})`, samples * per, setAt("samples") ?? d.span) && fits;
    });
  for (const l of ctx.ir.latents ?? []) fits = tensor(`a batch of \`${l.name}\` (${batch} × ${showCount(valuesOf(l.type))})`, batch * valuesOf(l.type), setAt("batch") ?? l.span) && fits;
  let params = 0;
  let perSample = 0;
  let widest: { name: string; activations: number; span: Span } | undefined;
  let heaviest: { params: number; span: Span } | undefined;
  for (const n of ctx.ir.networks ?? []) {
    let activations = 0;
    for (const node of n.nodes) {
      if (node.op === "call") continue; // counted with the network it calls
      const out = valuesOf(node.outType);
      activations += out;
      fits = (tensor(`the weights of \`${node.id}\` in \`${n.name}\``, node.paramCount, node.span) && tensor(`the output of \`${node.id}\` in \`${n.name}\` for a batch (${batch} × ${showCount(out)})`, batch * out, (out * RUN_DEFAULTS.batch <= MAX_TENSOR && setAt("batch")) || node.span)) && fits;
    }
    params += n.paramCount;
    perSample += activations;
    if (!widest || activations > widest.activations) widest = { name: n.name, activations, span: n.span };
    if (!heaviest || n.paramCount > heaviest.params) heaviest = { params: n.paramCount, span: n.span };
  }
  if (!fits || !heaviest || !widest) return; // one problem at a time: the tensor that cannot exist
  const training = 16 * params + 8 * batch * perSample;
  const sampling = 4 * params + 4 * samples * widest.activations;
  if (Math.max(training, sampling) <= MAX_BYTES) return;
  const at = training < sampling ? (setAt("samples") ?? widest.span) : 16 * params >= 8 * batch * perSample ? heaviest.span : (setAt("batch") ?? widest.span);
  ctx.report("E0318", at, {
    need: showBytes(Math.max(training, sampling)),
    detail:
      training >= sampling
        ? `${showCount(params)} parameters × 4 copies (weights, gradients, two optimiser moments) and ${batch} × ${showCount(perSample)} layer outputs × 2 (values and gradients), as float32`
        : `${samples} samples × ${showCount(widest.activations)} layer outputs of \`${widest.name}\`, as float32`,
    max: showBytes(MAX_BYTES),
  });
}
