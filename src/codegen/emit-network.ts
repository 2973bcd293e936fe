// Emitting one network as `buildX(store, nets)`: its layers' weights, then a function that
// applies them in order. Every layer line carries a comment pointing back to the spec.
import type { IrNetwork, IrNode, IrType } from "../ir/types.js";
import { CodegenError } from "./errors.js";
import { js, lineOf, type SpecLines } from "./names.js";

function shapeOf(t: IrType): number[] {
  return t.kind === "tensor" ? t.shape : [];
}

function channels(t: IrType): number {
  const s = shapeOf(t);
  return s[s.length - 1] ?? 1;
}

/** The runtime object a layer needs (weights), or undefined for weightless layers. */
function layerObject(net: string, n: IrNode): string | undefined {
  const name = JSON.stringify(`${net}/${n.id}`);
  const a = n.args;
  const input = n.inTypes[0]!;
  const sn = a.sn ? ", spectralNorm: true" : "";
  const bias = a.bias === false ? ", bias: false" : "";
  switch (n.op) {
    case "dense":
      return `rt.nn.dense(store, ${name}, { inFeatures: ${shapeOf(input)[0]}, units: ${a.units}${bias}${sn} })`;
    case "conv2d":
    case "conv2d_transpose":
      return `rt.nn.${n.op === "conv2d" ? "conv2d" : "conv2dTranspose"}(store, ${name}, { inChannels: ${channels(input)}, filters: ${a.filters}, kernel: ${a.kernel}, stride: ${a.stride}, padding: ${JSON.stringify(a.padding)}${bias}${sn} })`;
    case "batchnorm":
      return `rt.nn.batchnorm(store, ${name}, { channels: ${channels(input)}, momentum: ${a.momentum} })`;
    case "layernorm":
    case "instancenorm":
      return `rt.nn.${n.op}(store, ${name}, { channels: ${channels(input)} })`;
    case "virtual_batchnorm":
      return `rt.nn.virtualBatchnorm(store, ${name}, { channels: ${channels(input)} })`;
    case "dropout":
      return `rt.nn.dropout(store, ${name}, { rate: ${a.rate} })`;
    case "embedding":
      return `rt.nn.embedding(store, ${name}, { classes: ${input.kind === "label" ? input.classes : 0}, dim: ${a.dim} })`;
    case "minibatch_disc":
      return `rt.nn.minibatchDiscrimination(store, ${name}, { inFeatures: ${shapeOf(input)[0]}, kernels: ${a.kernels}, dim: ${a.dim} })`;
    case "adain":
      return `rt.nn.adain(store, ${name}, { styleDim: ${shapeOf(n.inTypes[1]!)[0]}, channels: ${channels(input)} })`;
    case "noise":
      return `rt.nn.noise(store, ${name}, { channels: ${channels(input)} })`;
    case "constant": {
      const [h, w, c] = shapeOf(n.outType);
      return `rt.nn.constant(store, ${name}, { height: ${h}, width: ${w}, channels: ${c} })`;
    }
    default:
      return undefined;
  }
}

/** The expression applying a layer to its (already named) inputs. */
function layerCall(n: IrNode, inputs: string[]): string {
  const [x, ...rest] = inputs;
  const a = n.args;
  const L = `layers.${n.id}`;
  switch (n.op) {
    case "dense":
    case "conv2d":
    case "conv2d_transpose":
    case "batchnorm":
    case "layernorm":
    case "instancenorm":
    case "dropout":
    case "embedding":
    case "minibatch_disc":
    case "noise":
      return `${L}.apply(${x})`;
    case "adain":
      return `${L}.apply(${x}, ${rest[0]})`;
    case "virtual_batchnorm":
      return `${L}.apply(${x}, vbnReference.rows)`;
    case "constant":
      return `${L}.apply(${x}.shape[0]!)`;
    case "fade":
      // the tap is the old path, the current value the new layers
      return `rt.nn.fade(${rest[0]}, ${x}, ${typeof a.alpha === "string" ? `state.${a.alpha} as tf.Scalar` : a.alpha})`;
    case "reshape":
      return `tf.reshape(${x}, [-1, ${(a.dims as number[]).join(", ")}])`;
    case "flatten":
      return `tf.reshape(${x}, [-1, ${shapeOf(n.outType)[0]}])`;
    case "upsample":
      return `rt.ops.upsampleNearest(${x} as tf.Tensor4D, ${a.factor})`;
    case "avgpool":
      return `rt.ops.avgPool(${x} as tf.Tensor4D, ${a.size})`;
    case "relu":
    case "elu":
    case "tanh":
    case "sigmoid":
    case "softplus":
      return `rt.ops.${n.op}(${x})`;
    case "leaky_relu":
      return `rt.ops.leakyRelu(${x}, ${a.alpha})`;
    case "one_hot":
      return `tf.oneHot(tf.cast(${x}, "int32") as tf.Tensor1D, ${shapeOf(n.outType)[0]}).toFloat()`;
    case "concat":
      return `rt.graph.concatLast([${inputs.join(", ")}])`;
    case "add":
      return `tf.add(${x}, ${rest[0]})`;
    case "multiply":
      return `tf.mul(${x}, ${rest[0]})`;
    case "call":
      return `nets.${n.network}(${x}).out`;
    default:
      throw new CodegenError(`layer \`${n.op}\` is not supported by the TensorFlow.js runtime yet`, n.span);
  }
}

/** The state variables a network reads (`fade(old, alpha)` with a state alpha), sorted. */
export function statesRead(net: IrNetwork): string[] {
  return [...new Set(net.nodes.flatMap((n) => (n.op === "fade" && typeof n.args.alpha === "string" ? [n.args.alpha] : [])))].sort();
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
  const vbn = net.nodes.some((n) => n.op === "virtual_batchnorm");
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
