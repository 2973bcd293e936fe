// The checker as an ordered list of passes (in the manner of peggy's lib/compiler/passes). Each
// reads what the earlier ones left in the context and adds its part of the IR; networks and
// values are checked on first use, so a pass may look at a network a later declaration names.
import { IR_VERSION, type IrSpec } from "../../ir/types.js";
import type { Context } from "../context.js";
import { dataAndLatents } from "./data.js";
import { declareNames } from "./declare.js";
import { networks } from "./networks.js";
import { optimizers } from "./optimizers.js";
import { constants } from "./params.js";
import { roles } from "./roles.js";
import { run } from "./run.js";
import { schedule } from "./schedule.js";
import { types } from "./types.js";
import { sizes } from "./sizes.js";
import { unused } from "./unused.js";
import { values } from "./values.js";

export interface Pass {
  name: string;
  run(ctx: Context): void;
}

export const PASSES: readonly Pass[] = [
  { name: "declare names", run: declareNames },
  { name: "params, --set and states", run: constants },
  { name: "types and domains", run: types },
  { name: "data and latents", run: dataAndLatents },
  { name: "networks", run: networks },
  { name: "values", run: values },
  { name: "schedule", run: schedule },
  { name: "optimisers", run: optimizers },
  { name: "run settings", run: run },
  { name: "sizes", run: sizes },
  { name: "roles", run: roles },
  { name: "unused declarations", run: unused },
];

/** Runs every pass; the IR they built (meaningful only when no error was reported). */
export function runPasses(ctx: Context, name: string): IrSpec {
  for (const pass of PASSES) pass.run(ctx);
  const ir = ctx.ir;
  return {
    irVersion: IR_VERSION,
    name,
    files: ctx.input.files,
    params: ir.params ?? [],
    states: ir.states ?? [],
    domains: ir.domains ?? [],
    data: ir.data ?? [],
    latents: ir.latents ?? [],
    networks: ir.networks ?? [],
    values: ir.values ?? [],
    optimizers: ir.optimizers ?? [],
    schedule: ir.schedule ?? [],
    run: ir.run!,
    roles: ir.roles ?? { latents: [] },
  };
}
