// `@tensorflow/tfjs` as the exported page bundles it: the core (with chained ops, `x.mul(2)`, as
// the full package registers them) and two backends, webgl (picked first in a browser that has
// WebGL) and cpu (everywhere else, Node included). No gradients: the page only runs networks.
export * from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgl";
