// `ganc run --check-shapes`: generated code built with checks calls `expectShape` on every named
// value (lets, losses, monitors, network outputs), so that a value whose run-time shape is not the
// one the checker inferred stops the run at once, naming the spec line, instead of training on it.
import type * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "./errors.js";

const show = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/**
 * Throws unless `value` has exactly `shape`. `what` names the value and the spec line
 * (`real_logits (dcgan.gan:34: let real_logits = D(x))`); `inferred` is the checker's type.
 */
export function expectShape(value: tf.Tensor, shape: readonly number[], what: string, inferred: string): void {
  const got = value.shape;
  if (got.length === shape.length && got.every((d, i) => d === shape[i])) return;
  throw new RuntimeUserError(`shape check failed: ${what} is ${show(got)} at run time, but the checker inferred ${show(shape)} (${inferred})`);
}
