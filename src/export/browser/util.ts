// The part of Node's `util` that tfjs-core's Node platform reads, from the globals every
// browser and Node have: the bundle then runs in both without a `require`.
export const TextEncoder = globalThis.TextEncoder;
export const TextDecoder = globalThis.TextDecoder;
export const types = {
  isFloat32Array: (a: unknown) => a instanceof Float32Array,
  isInt32Array: (a: unknown) => a instanceof Int32Array,
  isUint8Array: (a: unknown) => a instanceof Uint8Array,
  isUint8ClampedArray: (a: unknown) => a instanceof Uint8ClampedArray,
};
