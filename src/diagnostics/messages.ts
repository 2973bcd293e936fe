// Every diagnostic ganc can report, by code: its severity, title and message template (and the
// help or label that always goes with it). One meaning per code; a code is never reused for a
// different problem. Each code has a fixture in tests/fixtures/diagnostics/<CODE>-*.gan.
//
// Templates name their arguments in braces: `unknown {what} \`{name}\``. `{n:noun}` prints a
// count with its noun (`1 input`, `2 inputs`). Reporters pass arguments, never prose; the
// sentences that go with several codes (helps, notes, labels, phrases) are in TEXTS below.
export type Severity = "error" | "warning";

export interface MessageInfo {
  severity: Severity;
  title: string;
  message: string;
  /** A help that always applies (a reporter may give a more specific one from TEXTS). */
  help?: string;
  /** The text under the caret. */
  label?: string;
}

export const MESSAGES = {
  // ------------------------------------------------------------ syntax
  E0001: { severity: "error", title: "syntax error", message: "expected {expected}, found {found}" },
  E0002: { severity: "error", title: "unterminated string", message: "unterminated string: the closing '\"' is missing", help: "a string ends on the line it starts: {fixed}" },
  E0003: { severity: "error", title: "unexpected character", message: "unexpected {what} '{chars}'" },
  // E0004 (the parser failed) is retired: what made the parser fail, nesting, is E0005.
  E0005: { severity: "error", title: "expression nested too deeply", message: "this expression nests more than {max} levels deep", help: "name inner parts with `let` (the compiler reads expressions recursively and must stop before the stack runs out)" },
  E0006: { severity: "error", title: "number too large", message: "{raw} is too large for a 64-bit float (the largest is about 1.8e308)" },
  // ------------------------------------------------------------ names and declarations
  E0101: { severity: "error", title: "unknown name", message: "unknown {what} `{name}`" },
  E0102: { severity: "error", title: "duplicate declaration", message: "`{name}` is already declared as {kind}" },
  W0103: { severity: "warning", title: "unused declaration", message: "{kind} `{name}` is never used", help: "remove it, or use it in {where}" },
  E0104: { severity: "error", title: "wrong kind of name", message: "`{name}` is {kind}, not {expected}" },
  E0105: { severity: "error", title: "cannot read the base spec", message: "cannot read `{path}`: {reason}" },
  E0106: { severity: "error", title: "override changes the kind of a declaration", message: "`{name}` is {old} in the base spec; here it is {new}", help: "an override must be of the same kind; choose another name for the new declaration" },
  E0107: { severity: "error", title: "duplicate name in a network", message: "`{name}` already names a value in network `{network}`" },
  E0108: { severity: "error", title: "circular definition", message: "{what} is defined in terms of itself" },
  E0109: { severity: "error", title: "more than one base spec", message: "a spec can extend only one base spec", help: "keep one `extends` line; a base may itself extend another spec" },
  E0110: { severity: "error", title: "circular extends", message: "`{path}` extends this spec again: {chain}", help: "remove one of the `extends` lines" },
  // ------------------------------------------------------------ calls, arguments, constants
  E0201: { severity: "error", title: "unknown function, layer or optimiser", message: "unknown {what} `{name}`" },
  E0202: { severity: "error", title: "wrong number of arguments", message: "`{fn}` takes {expected}; {found:argument} given" },
  E0203: { severity: "error", title: "unknown named argument", message: "`{fn}` has no argument named `{name}`" },
  E0204: { severity: "error", title: "argument of the wrong type", message: "{what} of `{fn}` must be {expected}, found {found}" },
  E0205: { severity: "error", title: "value out of range", message: "{what} must be {expected}, found {found}" },
  E0206: { severity: "error", title: "not a constant", message: "{what} must be a constant, but `{name}` is {kind}" },
  E0207: { severity: "error", title: "missing argument", message: "`{fn}` is missing its argument `{name}`" },
  E0208: { severity: "error", title: "argument given twice", message: "argument `{name}` of `{fn}` is given twice" },
  E0209: { severity: "error", title: "network cannot be used as a layer", message: "network `{name}` has {inputs:input} and {outputs:output}; only a network with one input and one output can be used as a layer" },
  E0210: { severity: "error", title: "network without inputs", message: "network `{name}` has no inputs", help: "declare its inputs: `network {name}(z: [100]) -> ...`" },
  E0211: { severity: "error", title: "not a number", message: "{what} must be a number, found {found}" },
  E0212: { severity: "error", title: "computed value where a constant is needed", message: "{what} must be a constant, not a computed value" },
  E0213: { severity: "error", title: "literal in a loss expression", message: "{literal} is not a value in a loss expression" },
  E0214: { severity: "error", title: "argument must be a name", message: "argument `{param}` of `{fn}` must be the name of {expected}" },
  E0215: { severity: "error", title: "class label used as a number", message: "{what} needs numbers, found {type}", help: "turn labels into vectors with `one_hot(c)`" },
  E0216: { severity: "error", title: "division by zero", message: "division by zero in a constant" },
  // ------------------------------------------------------------ shapes
  E0301: { severity: "error", title: "shape mismatch at a network input", message: "`{network}` takes {expected} as `{input}`, but this value is {found}", label: "this is {found}" },
  E0302: { severity: "error", title: "layer cannot take this input", message: "`{layer}` takes {expected}, but its input is {found}" },
  E0303: { severity: "error", title: "incompatible shapes", message: "{what} needs {requirement}, found {left} and {right}" },
  E0304: { severity: "error", title: "output differs from its declared type", message: "{what} is declared as {declared}, but its layers produce {found}", label: "layers produce {found}" },
  E0305: { severity: "error", title: "skip connection between different spatial sizes", message: "cannot join feature maps of different spatial sizes: {left} and {right}", help: "a skip connection must join layers of the same height and width" },
  E0306: { severity: "error", title: "unknown network output", message: "network `{network}` has no output or tap `{name}`" },
  E0307: { severity: "error", title: "class count mismatch", message: "{what} expects labels of {expected} classes, found labels of {found} classes" },
  E0308: { severity: "error", title: "layer does not fit its input", message: "{what} does not fit in {shape}" },
  E0309: { severity: "error", title: "reshape changes the number of values", message: "cannot reshape {from} ({fromCount} values) into {to} ({toCount} values)" },
  E0310: { severity: "error", title: "data does not match its domain", message: "domain {domain} is {shape}, but `{source}(...)` gives {found} for `{name}`", label: "{domain} is {shape}", help: "change the shape of domain {domain}, or the arguments of `{source}` (`size`, `channels`)" },
  E0311: { severity: "error", title: "residual body changes the shape", message: "the residual body turns {from} into {to}; they must be equal to be added", help: "keep the number of filters and the stride of the block's input" },
  E0312: { severity: "error", title: "several outputs, none picked", message: "network `{network}` has several outputs; pick one" },
  E0313: { severity: "error", title: "output picked from a value that is not a network call", message: "`.{name}` picks an output of a network call, but this is {found}" },
  E0314: { severity: "error", title: "several outputs declared without heads", message: "network `{network}` declares {count} outputs but has no `head` blocks" },
  E0315: { severity: "error", title: "head not among the declared outputs", message: "head `{name}` is not among the declared outputs of `{network}` ({outputs})" },
  E0316: { severity: "error", title: "declared output without a head", message: "output `{name}` of `{network}` has no `head {name} { ... }`" },
  E0317: { severity: "error", title: "tensor too large", message: "{what} would hold {count} values; a tensor holds at most 2,147,483,647", help: "TensorFlow.js counts a tensor's values with 32-bit integers (2^31 - 1 at most); make the layers narrower (their `param`s), or lower `batch` or `samples`" },
  E0318: { severity: "error", title: "spec too large for memory", message: "this spec needs at least {need} of memory ({detail}); the most ganc can hold is {max}", help: "{max} is the heap of TensorFlow.js's WebAssembly backend; the figure counts only what must be held at once. Make the networks narrower (their `param`s), or lower `batch` or `samples`" },
  // ------------------------------------------------------------ domains
  E0401: { severity: "error", title: "domain mismatch at a network input", message: "`{network}` takes values of domain {expected}, but this one is of domain {found}", label: "domain {found}", help: "if this is intended (an identity loss), write `cast(..., {expected})`" },
  E0402: { severity: "error", title: "values from different domains combined", message: "{what} combines a value of domain {left} with a value of domain {right}", help: "values of different domains cannot be compared or mixed; check which network's output belongs on each side" },
  // ------------------------------------------------------------ losses and the schedule
  E0501: { severity: "error", title: "loss, monitor or state update is not a scalar", message: "{what} must be a scalar, but it is {type}", label: "{type}" },
  E0502: { severity: "error", title: "loss cannot reach the network it updates", message: "loss `{loss}` does not depend on the weights of `{network}`, so this step cannot change them", help: "the loss must call the network outside `stop_gradient` and `history`" },
  E0503: { severity: "error", title: "optimiser of a network no step updates", message: "network `{network}` has an optimiser, but no step of the schedule updates it", help: "add `step {network} minimize <loss>` to the schedule, or remove this optimiser" },
  E0504: { severity: "error", title: "step updates a network without an optimiser", message: "this step updates `{network}`, but `{network}` has no optimiser", help: "declare one: `optimizer {network} = adam(lr = 2e-4, beta1 = 0.5)`" },
  E0505: { severity: "error", title: "gradient with respect to a value the expression does not use", message: "`{value}` does not depend on `{name}`, so its gradient would be zero", help: "differentiate with respect to a value the expression uses" },
  E0506: { severity: "error", title: "value not computed by any step", message: "no step computes `{name}` before this point", help: "monitors and state updates read the values of the losses the schedule minimises; use a value one of them depends on" },
  E0507: { severity: "error", title: "missing schedule", message: "this spec has no schedule", help: "add `schedule { step D minimize d_loss  step G minimize g_loss }`" },
  E0508: { severity: "error", title: "assignment to something that is not a state variable", message: "only state variables can be updated by the schedule; `{name}` is {kind}", help: "declare it with `state {name} = 0`" },
  E0509: { severity: "error", title: "monitor reads a batch or a network output", message: "monitors and state updates read scalars computed by the steps, not batches or network outputs", help: "name the quantity with `let` and use it in a loss" },
  E0510: { severity: "error", title: "empty schedule", message: "the schedule is empty", help: "add `step D minimize d_loss  step G minimize g_loss` to it" },
  E0511: { severity: "error", title: "`together` holds something other than steps", message: "`together` holds only `step` statements (simultaneous updates)", help: "move this statement out of the `together` block" },
  E0512: { severity: "error", title: "nothing to reuse", message: "`reuse {name}`: the step before this one does not draw `{name}`", help: "`reuse` keeps the batch of `{name}` the previous step drew; remove it, or put a step whose loss uses `{name}` just before this one" },
  // ------------------------------------------------------------ data and latents
  E0601: { severity: "error", title: "unknown data source", message: "unknown data source `{name}`" },
  E0602: { severity: "error", title: "wrong number of data bindings", message: "`{source}(...)` gives {outputs:value} here, but the declaration binds {bindings:name}" },
  E0603: { severity: "error", title: "unknown latent prior", message: "unknown latent prior `{name}`" },
  // ------------------------------------------------------------ command line
  E0701: { severity: "error", title: "bad --set override", message: "`--set {key}={value}`: this spec has no param or run setting `{key}`" },
} as const satisfies Record<string, MessageInfo>;

export type Code = keyof typeof MESSAGES;

/**
 * Sentences shared by several codes: helps, notes, labels, and the phrases that fill a
 * message's arguments (what is expected, what a name is).
 */
export const TEXTS = {
  // ------------------------------------------------------------ helps
  didYouMean: "did you mean `{name}`?",
  didYouMeanWord: "did you mean '{word}'?",
  didYouMeanFile: 'did you mean `"{path}"`?',
  expectedOneOf: "expected one of: {names}",
  itTakes: "it takes: {signature}",
  didYouMeanArg: "did you mean `{name}`? ({signature})",
  takesNoArguments: "`{fn}` takes no arguments",
  declareParam: "declare it with `param {name} = ...`",
  onlyParamsHere: "only numbers and `param` names can be used here; declare it with `param {name} = ...`",
  useNumberOrParam: "use a number or a name declared with `param`",
  writeBool: "write `{name} = {value}`",
  relativeToExtending: "the path is relative to the file that extends it",
  renameDuplicate: "every top-level name must be unique; rename one of them",
  renameInFile: "rename one of them; to replace a declaration of a base spec, use `extends`",
  uniqueTap: "give each tap and input of a network its own name",
  uniqueBlockTap: "a tap name must be unique in the network; name the block's output where it is used instead",
  callNetwork: "call it to get its output: `{call}`",
  castToDomain: "to tag a value with domain {name}, write `cast(value, {name})`",
  declareLoss: "declare it with `loss {name} = ...` to minimise it",
  declareState: "declare it with `state {name} = 0` and update it in the schedule",
  nameALayer: "name a layer's output with `name: layer(...)` and refer to it",
  nameFirst: "name it first: `let {name} = ...`",
  reduceIt: "reduce it with `mean(...)` or `sum(...)`",
  reduceStateUpdate: "reduce it with `mean(...)`",
  pickOutput: "write `{first}`",
  pickOutputs: "write `{first}` or `{second}`",
  outputsAre: "it has: {names}",
  nameATap: "name a layer's output with `name: layer(...)` to make it reachable",
  makeShapesAgree: "make them agree: change the layers or the declared output of `{network}`, or the input type of `{input}`",
  classHeadUnits: "the class head must have {classes} units",
  oneHotLabels: "use `one_hot(c)` for a vector",
  oneHotFirst: "turn labels into vectors with `embedding(dim)` or `one_hot` first",
  flattenFirst: "add `flatten` before it",
  reshapeFirst: "add `reshape(h, w, c)` before it",
  fromLabel: "use `from` to continue from a `label(n)` input",
  nameATapToJoin: "name a tap or input: `concat(skip1)`",
  resizeOldPath: "upsample or pool the old path to the new resolution first",
  networkAsLayer: "a network used as a layer applies to the current value",
  networkInputsPositional: "network inputs are positional; remove `{name} =`",
  skipRepeat: "to skip these steps, remove them; to run them once, remove the `repeat`",
  learningRates: "GANs usually train with a learning rate between 1e-5 and 1e-3, e.g. `lr = 2e-4`",
  bindTwo: "write `data ({name}, y) = ...`",
  bindLabels: "add `labels = true` to get (image, label) pairs",
  bindOne: "bind one name: `data {name} = ...`",
  setNames: "its params are {params}; the run settings are {settings}",
  setNamesNoParams: "it has no params; the run settings are {settings}",
  // syntax
  endsAtLineEnd: "a declaration or statement ends at the end of its line; remove the ';'",
  operators: "expressions use + - * / ^ and functions such as min(a, b), max(a, b), clip(x, lo, hi)",
  doubleQuotes: "strings are written with double quotes",
  doubleQuotesFixed: "strings are written with double quotes: {fixed}",
  lookalike: "write '{ascii}' (this is a look-alike, as pasted from a paper or a word processor)",
  insideDeclaration: "'{word}' can only be used inside a declaration",
  declarationStarts: "a declaration starts with one of: {words}",
  reservedWord: "'{word}' is a reserved word and cannot be used as a name",
  stoppedReading: "the file has more than {max} syntax errors; ganc stopped reading it after the {max}th",
  typeForms: "a type is a shape like [28, 28, 1], a domain or type name, or label(n)",
  // ------------------------------------------------------------ notes
  firstDeclared: "first declared here",
  firstNamed: "first named here",
  blockUsedTwice: "this tap is inside a block the network uses more than once",
  definedHere: "defined here",
  lossDefined: "`{name}` is defined here",
  baseDeclaration: "the base declaration",
  domainDeclared: "domain {name} is declared here",
  inputDeclared: "input `{input}` of `{network}` is declared as {type}",
  inputDomain: "input `{input}` of `{network}` is declared as {domain}",
  logitsAre: "the logits are {what}, {type}",
  outputOf: "`{name}` is the output of `{network}`{output}, {type}",
  thisIsOutputOf: "this is the output of `{network}`{output}, {type}",
  callReturns: "`{network}(...)` returns {type}",
  valueIs: "`{name}` is {type}",
  through: "through {chain}",
  showsHere: "the error shows here, in {where}",
  setHere: "`{name}` is set here",
  declaredHere: "`{name}` is declared here",
  // ------------------------------------------------------------ phrases (message arguments)
  argument: "argument `{name}`",
  argumentOf: "argument `{name}` of `{fn}`",
  input: "input `{name}`",
  inputOf: "input `{name}` of `{fn}`",
  theParam: "param `{name}`",
  theType: "type `{name}`",
  theNetwork: "network `{name}`",
  theBlock: "block `{name}`",
  theHead: "head `{name}`",
  theName: "`{name}`",
  theLoss: "loss `{name}`",
  theMonitor: "monitor `{name}`",
  theRunSetting: "run setting `{name}`",
  initialValue: "the initial value of `{name}`",
  aDimension: "a dimension",
  classCount: "the number of classes",
  repeatCount: "a repeat count",
  clipBound: "a clipping bound",
  emaDecay: "an EMA decay",
  learningRate: "the learning rate of `{fn}`",
  aLearningRate: "a learning rate",
  aStateUpdate: "a state update",
  eachOperand: "each operand of `{op}`",
  theOperand: "the operand of `{op}`",
  crossEntropyLogits: "`cross_entropy` with {n} logits",
  validConvolution: "a {kernel}x{kernel} `valid` convolution",
  pooling: "pooling by {size}",
  noArguments: "no arguments",
  atMostPositional: "at most {n:positional argument}",
  atLeastValues: "at least {n:value}",
  exactlyArguments: "{n:argument}",
  networkInputs: "{n:input} ({inputs})",
  atLeast: "at least {min}",
  greaterThan: "greater than {min}",
  atMost: "at most {max}",
  lessThan: "less than {max}",
  oneOf: "one of {choices}",
  positive: "positive",
  wholeAtLeast: "a whole number of at least {min}",
  betweenExclusive: "between {low} and {high} (exclusive)",
  between: "between {low} and {high}",
  wholeOrZero: "a whole number (0 or more)",
  positiveWhole: "a positive whole number",
  lowBelowHigh: "less than `high` ({high})",
  sizeHeightWidth: "[height, width]",
  rangeLowHigh: "[low, high] with low < high",
  digits0to9: "whole numbers from 0 to 9",
  equalShapes: "equal shapes",
  broadcastingShapes: "shapes that broadcast",
  sameShapes: "mu and logvar of the same shape",
  lastAxisConcat: "the same shape except on the last axis",
  notAParam: "not a param",
  aValue: "a value",
  aFunctionOrNetwork: "a function or a network",
  aNumberOrState: "a number or a state variable",
  aTapOrInput: "an input or a tap",
  aNamedValue: "a `let`, `data` or `latent`",
  aDomain: "a domain",
  aLatent: "a latent",
  vectorLatent: "a vector or a categorical latent",
  aList: "a list",
  aString: "a string",
  aBool: "a boolean",
  inTheBaseSpec: "the base spec",
  inTheSpec: "the spec",
} as const;

export type TextKey = keyof typeof TEXTS;

// ---------------------------------------------------------------- argument types from templates

type SlotName<P extends string> = P extends `${infer N}:${string}` ? N : P extends `${string} ${string}` | "" ? never : P;
/** The argument names of a template: `unknown {what} \`{name}\`` -> "what" | "name". `{ ... }` is text. */
export type Slots<S extends string> = S extends `${string}{${infer P}}${infer R}` ? SlotName<P> | Slots<R> : never;
type Fields<C extends Code> = (typeof MESSAGES)[C] extends infer M ? (M extends { message: infer T extends string } ? T : never) | (M extends { help: infer H extends string } ? H : never) | (M extends { label: infer L extends string } ? L : never) : never;
export type Arg = string | number;
/** The arguments a code's message (and its help and label) take. */
export type ArgsOf<C extends Code> = { [K in Slots<Fields<C>>]: Arg };
export type TextArgs<K extends TextKey> = { [S in Slots<(typeof TEXTS)[K]>]: Arg };

// ---------------------------------------------------------------- rendering

/** A one-word argument (a name, a number) longer than this, a pasted megabyte of name, is cut in the middle. */
const LONGEST_WORD = 80;

function shorten(s: string): string {
  return s.length <= LONGEST_WORD || /\s/.test(s) ? s : `${s.slice(0, 40)}...${s.slice(-20)}`;
}

/** A template with its arguments filled in. */
export function fill(template: string, args: Readonly<Record<string, Arg>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z ]+))?\}/g, (_, name: string, noun: string | undefined) => {
    const v = args[name];
    if (v === undefined) throw new Error(`internal error: no argument \`${name}\` for "${template}"`);
    if (noun === undefined) return shorten(String(v));
    return `${v} ${v === 1 ? noun : `${noun}s`}`;
  });
}

/** A shared sentence (help, note, label or argument phrase) from TEXTS, filled in. */
export function phrase<K extends TextKey>(key: K, ...args: Slots<(typeof TEXTS)[K]> extends never ? [] : [TextArgs<K>]): string {
  return fill(TEXTS[key], (args[0] ?? {}) as Record<string, Arg>);
}

/** A list of names in backticks: "`a`, `b`". */
export function codeList(names: Iterable<string>): string {
  return [...names].map((n) => `\`${n}\``).join(", ");
}
