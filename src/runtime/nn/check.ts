/** Shape checks shared by the layers, reported as RuntimeUserError. */
import { RuntimeUserError } from "../errors.js";

/** Throws when a layer receives `actual` units of `what` where it was declared with `expected`. */
export function checkInput(layer: string, what: string, actual: number | undefined, expected: number): void {
  if (actual !== expected) {
    throw new RuntimeUserError(`layer ${layer} expects ${expected} input ${what} but received ${actual ?? "?"}`);
  }
}

/** Throws unless x has rank 4 (NHWC images). */
export function checkRank4(layer: string, shape: readonly number[]): void {
  if (shape.length !== 4) {
    throw new RuntimeUserError(`layer ${layer} expects images [N, H, W, C] but received shape [${shape.join(", ")}]`);
  }
}
