export * from "./span.js";
export * from "./source.js";
export * from "./messages.js";
export * from "./diagnostic.js";
export * from "./render.js";
export * from "./suggest.js";
