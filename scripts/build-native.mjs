// Builds native/ganc_blas.cc into dist/native/ganc_blas.node (npm run build): the wasm
// backend's matrix products and convolutions on OpenBLAS. Optional: without a C++ compiler,
// Node's headers or OpenBLAS (Debian: `apt-get install g++ libopenblas-dev`) it says so and
// the wasm backend runs on XNNPACK alone (`ganc backends` tells which).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "native/ganc_blas.cc");
const target = join(root, "dist/native/ganc_blas.node");
const nodeHeaders = [join(dirname(process.execPath), "../include/node"), "/usr/include/node"].find((d) => existsSync(join(d, "node_api.h")));

if (existsSync(target) && statSync(target).mtimeMs > statSync(source).mtimeMs) process.exit(0);
if (nodeHeaders === undefined) skip("Node's headers (node_api.h) were not found");
mkdirSync(dirname(target), { recursive: true });
try {
  const args = ["-O3", "-fno-trapping-math", "-std=c++17", "-shared", "-fPIC", "-DNODE_GYP_MODULE_NAME=ganc_blas", `-I${nodeHeaders}`, source, "-lopenblas", "-o", target];
  execFileSync("g++", args, { stdio: ["ignore", "ignore", "pipe"] });
} catch (e) {
  const why = e.code === "ENOENT" ? "g++ is not installed" : String(e.stderr ?? e.message).split("\n").find((l) => l.includes("error")) ?? "g++ failed";
  skip(why);
}

function skip(why) {
  console.warn(`ganc: the OpenBLAS kernels were not built (${why.trim()}); the wasm backend will use XNNPACK alone.`);
  console.warn("      To build them: apt-get install g++ libopenblas-dev, then npm run build.");
  process.exit(0);
}
