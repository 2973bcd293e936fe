// Elementwise activations: the shape is kept, there are no weights.
import { activation } from "./common.js";

export const ACTIVATIONS = {
  relu: activation("relu", "max(x, 0)", "rt.ops.relu"),
  elu: activation("elu", "x for x > 0, e^x − 1 below", "rt.ops.elu"),
  tanh: activation("tanh", "tanh(x)", "rt.ops.tanh"),
  sigmoid: activation("sigmoid", "1 / (1 + e^−x)", "rt.ops.sigmoid"),
  softplus: activation("softplus", "log(1 + e^x)", "rt.ops.softplus"),
  leaky_relu: activation("leaky_relu", "x for x > 0, `alpha` x below", "rt.ops.leakyRelu", [{ name: "alpha", kind: "number", default: 0.2, min: 0, max: 1 }], (a) => `, ${a.alpha}`),
};
