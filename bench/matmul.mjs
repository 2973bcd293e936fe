// A 1024³ float32 matrix product's GFLOP/s on the tfjs backend in use (the benchmarks' peak).
// On wasm and cpu a product is done when matMul returns: the product is not read back (a
// read copies the result out of the wasm heap, as slow as the product here), but disposed.
import * as tf from "@tensorflow/tfjs";

export function matmulGflops(n = 1024, reps = 5) {
  return tf.tidy(() => {
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    for (let i = 0; i < 2; i++) tf.matMul(a, b).dispose();
    const start = performance.now();
    for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
    return (2 * n ** 3 * reps) / ((performance.now() - start) / 1000) / 1e9;
  });
}
