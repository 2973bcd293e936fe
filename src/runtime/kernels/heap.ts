/**
 * Kernels that compute in JavaScript straight on the wasm heap (copies and reshuffles
 * that wasm's generic kernels do slowly). Read the views after `makeOutput`: allocating
 * may grow the heap.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Info } from "./kernel_of.js";

/** The part of tfjs's wasm backend these kernels use. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  /** A float32 view of the tensor's bytes on the heap (no copy). */
  typedArrayFromHeap(t: Info): Float32Array;
}

/** The backend as a wasm heap, or null on other backends. */
export function heapBackend(backend: unknown): HeapBackend | null {
  const b = backend as Partial<HeapBackend>;
  return typeof b.typedArrayFromHeap === "function" && typeof b.makeOutput === "function" ? (b as HeapBackend) : null;
}
