/**
 * Label embedding: integer labels [N] → vectors [N, dim] from a learned table
 * `<name>/table` [classes, dim]. Implemented as oneHot·table (a matmul), which
 * is twice differentiable and needs no gather-gradient kernel (wasm lacks one).
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import type { Init, ParamStore } from "./params.js";

export interface EmbeddingOptions {
  classes: number;
  dim: number;
  /** Default { normal: 1 }. */
  init?: Init;
}

export interface Embedding {
  table: tf.Variable;
  apply(labels: tf.Tensor): tf.Tensor2D;
}

export function embedding(store: ParamStore, name: string, o: EmbeddingOptions): Embedding {
  const table = store.variable(`${name}/table`, [o.classes, o.dim], o.init ?? { normal: 1 });
  return {
    table,
    apply(labels: tf.Tensor): tf.Tensor2D {
      if (labels.rank !== 1) {
        throw new RuntimeUserError(`embedding ${name} expects labels of shape [N], got [${labels.shape.join(", ")}]`);
      }
      return tf.tidy(() => tf.matMul(tf.oneHot(tf.cast(labels, "int32") as tf.Tensor1D, o.classes), table as tf.Tensor2D));
    },
  };
}
