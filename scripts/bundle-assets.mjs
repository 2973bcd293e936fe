// Bundles what ganc writes into web pages, after `tsc` (npm run build): dist/assets/
//   report.js, report.css    the report page's script with uPlot (inlined into report.html)
//   ganc-tfjs.js             tfjs-core with its cpu and webgl backends and the runtime's layers,
//                            the module an exported generator.js imports
//   page.js, page.css        the exported page's script and style
// esbuild is pinned in package.json; nothing is downloaded.
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = { absWorkingDir: root, bundle: true, minify: true, legalComments: "eof", logLevel: "warning", target: "es2020" };

await Promise.all([
  esbuild.build({ ...common, entryPoints: { report: "src/report/browser/report.ts" }, outdir: "dist/assets", format: "iife", platform: "browser" }),
  esbuild.build({
    ...common,
    entryPoints: { "ganc-tfjs": "src/export/browser/ganc-tfjs.ts" },
    outdir: "dist/assets",
    format: "esm",
    platform: "browser",
    // One tfjs for the runtime's layers and the network code: the core and two backends, not the
    // layers/converter/data packages. `util` is what tfjs-core's Node platform asks for.
    alias: { "@tensorflow/tfjs": "./src/export/browser/tf.ts", util: "./src/export/browser/util.ts" },
  }),
  esbuild.build({ ...common, entryPoints: { page: "src/export/browser/page.ts" }, outdir: "dist/assets", format: "esm", platform: "browser", external: ["./generator.js"] }),
]);
