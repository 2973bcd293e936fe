// Every diagnostic ganc can report, by code. A code is never reused for a different problem.
// Each code has a fixture in tests/fixtures/diagnostics/<CODE>-*.gan with its expected output.
export type Severity = "error" | "warning";

export interface CodeInfo {
  severity: Severity;
  title: string;
}

export const CATALOG = {
  // syntax
  E0001: { severity: "error", title: "syntax error" },
  E0002: { severity: "error", title: "unterminated string" },
  E0003: { severity: "error", title: "unexpected character" },
  // names and declarations
  E0101: { severity: "error", title: "unknown name" },
  E0102: { severity: "error", title: "duplicate declaration" },
  W0103: { severity: "warning", title: "unused declaration" },
  E0104: { severity: "error", title: "wrong kind of name" },
  E0105: { severity: "error", title: "cannot extend spec" },
  E0106: { severity: "error", title: "override changes the kind of a declaration" },
  // calls, layers, arguments, values
  E0201: { severity: "error", title: "unknown function or layer" },
  E0202: { severity: "error", title: "wrong number of arguments" },
  E0203: { severity: "error", title: "unknown named argument" },
  E0204: { severity: "error", title: "wrong argument type" },
  E0205: { severity: "error", title: "bad value" },
  E0206: { severity: "error", title: "not a constant" },
  // shapes
  E0301: { severity: "error", title: "shape mismatch at a network call" },
  E0302: { severity: "error", title: "layer cannot take this input shape" },
  E0303: { severity: "error", title: "incompatible shapes" },
  E0304: { severity: "error", title: "network output differs from its declared type" },
  E0305: { severity: "error", title: "skip connection between different spatial sizes" },
  E0306: { severity: "error", title: "unknown or ambiguous network output" },
  E0307: { severity: "error", title: "class count mismatch" },
  // domains
  E0401: { severity: "error", title: "domain mismatch at a network call" },
  E0402: { severity: "error", title: "values from different domains combined" },
  // losses and the schedule
  E0501: { severity: "error", title: "loss, monitor or state update is not a scalar" },
  E0502: { severity: "error", title: "loss cannot reach the network it updates" },
  E0503: { severity: "error", title: "optimiser of a network no step updates" },
  E0504: { severity: "error", title: "step updates a network without an optimiser" },
  E0505: { severity: "error", title: "gradient with respect to a value the expression does not use" },
  E0506: { severity: "error", title: "value not computed by any step" },
  E0507: { severity: "error", title: "missing or empty schedule" },
  E0508: { severity: "error", title: "assignment to something that is not a state variable" },
  // data and latents
  E0601: { severity: "error", title: "bad data source" },
  E0602: { severity: "error", title: "wrong number of data bindings" },
  E0603: { severity: "error", title: "bad latent prior" },
  // command line
  E0701: { severity: "error", title: "bad --set override" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CATALOG;
