// Operations on value types: printing, equality, broadcasting. Shared by the catalog's type
// rules, the checker and the code generator.
import type { IrType } from "../ir/types.js";

export const SCALAR: IrType = { kind: "scalar" };

export function tensor(shape: number[], domain?: string): IrType {
  return domain ? { kind: "tensor", shape, domain } : { kind: "tensor", shape };
}

export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A type as messages show it: `a scalar`, `label(10)`, `[28, 28, 1]`, `X [28, 28, 1]`. */
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

/** The per-sample shape of a tensor type, [] for anything else. */
export function shapeOf(t: IrType): number[] {
  return t.kind === "tensor" ? t.shape : [];
}

/** The last axis of a tensor type (channels of an image, features of a vector). */
export function channelsOf(t: IrType): number {
  const s = shapeOf(t);
  return s[s.length - 1] ?? 1;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Same kind and, for tensors, same shape (domains aside). */
export function sameType(a: IrType, b: IrType): boolean {
  return a.kind === b.kind && (a.kind !== "tensor" || (b.kind === "tensor" && sameShape(a.shape, b.shape)));
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

/** What a layer or function expects, by rank, as messages say it. */
export const RANK_WORDS: Record<number, string> = { 1: "a vector [n]", 3: "an image [height, width, channels]" };
