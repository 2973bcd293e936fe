/** Parser for the IDX format of the MNIST files (big-endian header, uint8 data). */
import { RuntimeUserError } from "../errors.js";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) {
    throw new RuntimeUserError(`${path} is not an IDX file of unsigned bytes`);
  }
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== offset + size) {
    throw new RuntimeUserError(`${path} is truncated: expected ${offset + size} bytes, found ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(offset) };
}
