// The bundled browser files (dist/assets, made by scripts/bundle-assets.mjs at `npm run build`)
// that reports and exported pages are made of. Found from this file, in src/ or dist/ alike.
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";

export function asset(name: string): string {
  const file = fileURLToPath(new URL(`../../dist/assets/${name}`, import.meta.url));
  if (!fs.existsSync(file)) throw new Error(`ganc's bundled ${name} is missing: run \`npm run build\``);
  return file;
}
