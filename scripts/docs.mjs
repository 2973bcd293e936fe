// `npm run docs`: rewrites the catalog's tables in grammar/LANGUAGE.md (run after `npm run build`).
import * as fs from "node:fs";
import { withCatalogTables } from "../dist/lang/docs.js";

const file = new URL("../grammar/LANGUAGE.md", import.meta.url);
const before = fs.readFileSync(file, "utf8");
const after = withCatalogTables(before);
if (after !== before) fs.writeFileSync(file, after);
console.log(after === before ? "grammar/LANGUAGE.md is up to date" : "rewrote the catalog tables of grammar/LANGUAGE.md");
