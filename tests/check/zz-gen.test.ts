import { it } from "vitest";
import * as fs from "node:fs";
import { checkFile } from "../../src/check/check.js";
import { generate } from "../../src/codegen/index.js";
it("gen", async () => {
  for (const f of (process.env.SPECS ?? "specs/dcgan.gan").split(",")) {
    const r = checkFile(f);
    const texts: Record<string,string> = {};
    for (const x of r.files) texts[x] = fs.readFileSync(x, "utf8");
    let code = ""; try { code = await generate(r.ir!, { texts }); } catch (e) { console.log(f, (e as Error).stack); continue; }
    fs.writeFileSync(`.cache/gen/${r.ir!.name}.ts`, code);
  }
});
