// Operations on value types: printing, equality, broadcasting.
import type { IrType } from "../ir/types.js";

export const SCALAR: IrType = { kind: "scalar" };

export function tensor(shape: number[], domain?: string): IrType {
  return domain ? { kind: "tensor", shape, domain } : { kind: "tensor", shape };
}

export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function showType(t: IrType): string {
  switch (t.kind) {
    case "scalar":
      return "a scalar";
    case "label":
      return `label(${t.classes})`;
    case "tensor":
      return t.domain ? `${t.domain} ${showShape(t.shape)}` : showShape(t.shape);
    case "outputs":
      return `the outputs of ${t.network} (${Object.keys(t.outputs).join(", ")})`;
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two per-sample shapes; undefined when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(Math.max(da, db));
  }
  return out;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
