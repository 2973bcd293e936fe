/**
 * The divergence guard: training stops with a clear message when a logged value is not finite.
 * It runs on the values the harness reads anyway (at log steps: reading every step would make
 * each step wait for the GPU), so a run stops at the first log step after it diverged.
 */
import { RuntimeUserError } from "./errors.js";

/** Throws when a logged value is NaN or infinite; `step` is the number of completed steps. */
export function guardDivergence(values: Record<string, number>, step: number): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isFinite(v)) throw new RuntimeUserError(`training diverged: "${k}" became ${v} by step ${step} (try a lower learning rate)`);
  }
}
