/** Data sources; see src/runtime/index.ts for the documented API. */
export { type Dataset, type ValueRange } from "./dataset.js";
export { loadMnist, type MnistOptions } from "./mnist.js";
export { ring, grid, type Mixture2d } from "./toy2d.js";
export {
  loadImageFolder,
  loadSideBySideFolder,
  loadMatchedFolders,
  listImages,
  type ImageFolderOptions,
  type PairedDataset,
} from "./image_folder.js";
export { transformImages, pairedByTransform, unpairedByTransform, type TransformName } from "./transforms.js";
export { Batcher, gather, type Batch } from "./batcher.js";
export { decodeImageFile, type RgbaImage } from "./decode.js";
export { resizeImage, type ResizeMethod } from "./resize.js";
export { open } from "./open.js";
