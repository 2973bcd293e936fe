// Preloaded with `node --import` by make-gpu-bundle.mjs: appends to $GANC_TRACE every file this
// process (and each node child that inherits NODE_OPTIONS) loads as a module, opens as a native
// addon or reads through fs, so the bundle can carry exactly those files of node_modules.
import fs from "node:fs";
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";

const out = process.env.GANC_TRACE;
if (out) {
  const note = (p) => {
    try {
      fs.appendFileSync(out, `${p}\n`);
    } catch {}
  };
  // ES modules: a resolve hook (it runs in the loader's thread) that notes every file it resolves.
  const hooks = `
    import fs from "node:fs";
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.startsWith("file:")) fs.appendFileSync(${JSON.stringify(out)}, new URL(r.url).pathname + "\\n");
      return r;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  // Files read through fs (data, wasm binaries) and CommonJS modules and native addons at exit.
  for (const name of ["readFileSync", "readFile", "openSync", "open", "createReadStream"]) {
    const original = fs[name];
    fs[name] = function (p, ...rest) {
      if (typeof p === "string" || p instanceof URL) note(p instanceof URL ? fileURLToPath(p) : p);
      return original.call(this, p, ...rest);
    };
  }
  const require = createRequire(import.meta.url);
  process.on("exit", () => Object.keys(require.cache).forEach(note));
}
