// Emitting one network as `buildX(store, nets)`: its layers' weights, then a function that
// applies them in order. Every layer line carries a comment pointing back to the spec.
import type { IrNetwork, IrNode, IrType } from "../ir/types.js";
import { layerEntry, shapeOf, type LayerEntry } from "../lang/index.js";
import { CodegenError } from "./errors.js";
import { js, lineOf, type SpecLines } from "./names.js";

/** The catalog entry of a layer node (every op but `call`, a network applied as a layer). */
function entryOf(n: IrNode): LayerEntry {
  const e = layerEntry(n.op);
  if (!e) throw new CodegenError(`layer \`${n.op}\` is not supported by the TensorFlow.js runtime yet`, n.span);
  return e;
}

/** The runtime object a layer keeps (weights), or undefined for layers without one. */
function layerObject(net: string, n: IrNode): string | undefined {
  return n.op === "call" ? undefined : entryOf(n).emit.object?.(n, JSON.stringify(`${net}/${n.id}`));
}

/** The expression applying a layer to its (already named) inputs. */
function layerCall(n: IrNode, inputs: string[]): string {
  if (n.op === "call") return `nets.${n.network}(${inputs[0]}).out`;
  return entryOf(n).emit.apply({ node: n, self: `layers.${n.id}`, inputs, state: (s) => `state.${s}`, reference: "vbnReference" });
}

/** The state variables a network reads (`fade(old, alpha)` with a state alpha), sorted. */
export function statesRead(net: IrNetwork): string[] {
  const states = net.nodes.flatMap((n) => (layerEntry(n.op)?.params ?? []).filter((p) => p.kind === "number_or_state" && typeof n.args[p.name] === "string").map((p) => n.args[p.name] as string));
  return [...new Set(states)].sort();
}

/** Whether a network's build function takes the parameter store (it owns weights). */
export function hasWeights(net: IrNetwork): boolean {
  return net.nodes.some((n) => layerObject(net.name, n) !== undefined);
}

export function buildName(net: string): string {
  return `build${net}`;
}

export function emitNetwork(net: IrNetwork, lines: SpecLines): string {
  const weights: string[] = [];
  const body: string[] = [];
  const valueName = new Map<string, string>();
  for (const i of net.inputs) valueName.set(i.name, js(i.name));
  for (const n of net.nodes) {
    const obj = layerObject(net.name, n);
    if (obj) weights.push(`${n.id}: ${obj},`);
    const v = js(n.id);
    valueName.set(n.id, v);
    const at = lineOf(lines, n.via ?? n.span);
    body.push(`const ${v} = ${layerCall(n, n.inputs.map((i) => valueName.get(i)!))}; // ${at.where}: ${at.text}`);
  }
  // Virtual batchnorm: the network runs its reference batch in front of every batch (see
  // src/runtime/nn/virtual_batchnorm.ts) and drops it from what it returns.
  const vbn = net.nodes.some((n) => layerEntry(n.op)?.emit.reference);
  const strip = (v: string) => (vbn ? `vbnReference.strip(${v})` : v);
  const outs = [...net.outputs, ...net.taps].map((o) => `${js(o.name) === o.name ? o.name : JSON.stringify(o.name)}: ${strip(valueName.get(o.node)!)}`);
  const params = net.inputs.map((i) => `${js(i.name)}: tf.Tensor`).join(", ");
  const inputNames = net.inputs.map((i) => js(i.name)).join(", ");
  const reference = vbn
    ? `const vbnReference = rt.nn.vbnReference(store, ${JSON.stringify(net.name)}, { rows: run.batch, inputs: [${net.inputs.map((i) => `{ name: ${JSON.stringify(i.name)}, shape: [${shapeOf(i.type).join(", ")}] }`).join(", ")}] });`
    : "";
  const states = statesRead(net);
  const signature = [
    weights.length ? "store: rt.nn.ParamStore" : "",
    net.uses.length ? `nets: { ${net.uses.map((u) => `${u}: Apply`).join("; ")} }` : "",
    states.length ? `state: { ${states.map((s) => `${s}: tf.Variable`).join("; ")} }` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const at = lineOf(lines, net.span);
  return [
    `/** Network ${net.name} (${at.where}): ${net.inputs.map((i) => `${i.name} ${showType(i.type)}`).join(", ")} -> ${net.outputs.map((o) => (o.name === "out" ? "" : `${o.name} `) + showType(o.type)).join(", ")}; ${net.paramCount.toLocaleString("en-US")} trainable parameters. */`,
    `export function ${buildName(net.name)}(${signature}): Apply {`,
    weights.length ? `const layers = {\n${weights.join("\n")}\n};` : "",
    reference,
    `return function ${js(net.name)}(${params}): Outputs {`,
    vbn ? `[${inputNames}] = vbnReference.prepend([${inputNames}]) as [${net.inputs.map(() => "tf.Tensor").join(", ")}];` : "",
    ...body,
    `return { ${outs.join(", ")} };`,
    `};`,
    `}`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function showType(t: IrType): string {
  if (t.kind === "label") return `label(${t.classes})`;
  if (t.kind === "tensor") return `[${t.shape.join(", ")}]`;
  return t.kind;
}
