/**
 * The values an iteration returns (scalar tensors or numbers): read from the device only when
 * they are logged, and released either way. Reading is asynchronous (a GPU tensor cannot be read
 * synchronously in Node), and all scalars are read together, so a log step waits for the device once.
 */
import type * as tf from "@tensorflow/tfjs";

export type StepValues = Record<string, tf.Scalar | number>;

/** Reads every value and disposes the tensors. */
export async function readStepValues(raw: StepValues): Promise<Record<string, number>> {
  const entries = Object.entries(raw);
  try {
    const read = await Promise.all(entries.map(async ([k, v]) => [k, typeof v === "number" ? v : (await v.data())[0]!] as const));
    return Object.fromEntries(read);
  } finally {
    releaseStepValues(raw);
  }
}

/** Disposes the tensors without reading them (a step that logs nothing does not wait for the device). */
export function releaseStepValues(raw: StepValues): undefined {
  for (const v of Object.values(raw)) if (typeof v !== "number") v.dispose();
  return undefined;
}
