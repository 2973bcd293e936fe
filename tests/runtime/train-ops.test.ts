// A `together` block's gradients from one forward pass equal those of separate passes.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { gradients, gradientsTogether } from "../../src/runtime/train-ops.js";
import { BACKENDS, maxAbsDiff, rand } from "./helpers.js";

describe.each(BACKENDS)("gradientsTogether on %s", (backendName) => {
  beforeAll(async () => {
    await useBackend(backendName);
  });

  it("gives each loss's gradients with respect to its own variables, from one forward pass, leaking nothing", async () => {
    await useBackend(backendName);
    const a = tf.variable(rand([3, 4], 1), true, `a-${backendName}`);
    const b = tf.variable(rand([4, 2], 2), true, `b-${backendName}`);
    const x = rand([5, 3], 3);
    let forwards = 0;
    // Both losses read the shared product h = tanh(x·a)·b (a "G(z)" and a "D(G(z))").
    const f = () => {
      forwards++;
      const h = tf.matMul(tf.tanh(tf.matMul(x, a)), b);
      const shared = tf.mean(tf.square(h));
      return { shared, la: tf.sub(tf.mean(h), tf.mul(0.5, shared)), lb: shared };
    };
    const separate: tf.Tensor[] = [];
    const v1: Record<string, tf.Tensor> = {};
    const ga = gradients(f, "la", [a], v1);
    const gb = gradients(f, "lb", [b], v1);
    separate.push(ga[a.name]!, gb[b.name]!);
    expect(forwards).toBe(2);

    const before = tf.memory().numTensors;
    const v2: Record<string, tf.Tensor> = {};
    const [ta, tb] = gradientsTogether(f, [["la", [a]], ["lb", [b]]], v2);
    expect(forwards).toBe(3);
    expect(Object.keys(ta!)).toEqual([a.name]);
    expect(Object.keys(tb!)).toEqual([b.name]);
    expect(maxAbsDiff(ta![a.name]!, separate[0]!)).toBeLessThan(1e-6);
    expect(maxAbsDiff(tb![b.name]!, separate[1]!)).toBeLessThan(1e-6);
    expect(Object.keys(v2).sort()).toEqual(["la", "lb", "shared"]);
    expect(v2.la!.dataSync()[0]).toBeCloseTo(v1.la!.dataSync()[0]!, 6);
    // What it returns and reports is all that is left: two gradients, three scalars.
    expect(tf.memory().numTensors).toBe(before + 5);
    tf.dispose([...Object.values(ta!), ...Object.values(tb!), ...Object.values(v2), ...Object.values(v1), ...separate, a, b, x]);
  });
});
