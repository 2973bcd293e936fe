// A 1024³ float32 matrix product's GFLOP/s on the tfjs backend in use (the benchmarks' peak).
import * as tf from "@tensorflow/tfjs";

export function matmulGflops(n = 1024, reps = 5) {
  return tf.tidy(() => {
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    for (let i = 0; i < 2; i++) tf.matMul(a, b).dataSync();
    const start = performance.now();
    for (let i = 0; i < reps; i++) tf.matMul(a, b).dataSync();
    return (2 * n ** 3 * reps) / ((performance.now() - start) / 1000) / 1e9;
  });
}
