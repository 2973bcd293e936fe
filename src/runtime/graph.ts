/** Graph operations of network bodies that are not layers with weights. */
import * as tf from "@tensorflow/tfjs";

/**
 * Concatenation on the last axis. Vectors [N, c] next to feature maps [N, H, W, c'] are
 * tiled over the height and width first (conditioning a convolutional network on a label).
 */
export function concatLast(values: tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const map = values.find((v) => v.rank === 4);
    if (!map) return tf.concat(values, -1);
    const [, h, w] = map.shape as number[];
    const tiled = values.map((v) => (v.rank === 2 ? tf.tile(tf.reshape(v, [v.shape[0]!, 1, 1, v.shape[1]!]), [1, h!, w!, 1]) : v));
    return tf.concat(tiled, -1);
  });
}
