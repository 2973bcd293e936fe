/** Decodes PNG and JPEG files to RGBA bytes (pngjs, jpeg-js). */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { RuntimeUserError } from "../errors.js";
import { readRegularFile } from "../files.js";

export interface RgbaImage {
  width: number;
  height: number;
  /** width · height · 4 bytes. */
  rgba: Uint8Array;
  /** True when every pixel has R = G = B (a grey-scale picture). */
  grey: boolean;
}

export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg"];

/** Reads and decodes an image file (a regular file: a FIFO is refused, not waited on); any failure is a RuntimeUserError naming the file. */
export function decodeImageFile(file: string): RgbaImage {
  return decodeImage(readRegularFile(file, "image"), file);
}

export function decodeImage(bytes: Buffer, file: string): RgbaImage {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      ({ width, height } = png);
      rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
    } else if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      ({ width, height } = img);
      rgba = img.data;
    } else {
      throw new RuntimeUserError(`${file} is not a PNG or JPEG image`);
    }
  } catch (e) {
    if (e instanceof RuntimeUserError) throw e;
    throw new RuntimeUserError(`cannot decode image ${file}: ${(e as Error).message}`);
  }
  let grey = true;
  for (let i = 0; i < rgba.length && grey; i += 4) grey = rgba[i] === rgba[i + 1] && rgba[i] === rgba[i + 2];
  return { width, height, rgba, grey };
}
