/** The layer library; see src/runtime/index.ts for the documented API. */
export { ParamStore, initialValues, type Init, type ParamStoreOptions, type StoredVariable, type VariableOptions } from "./params.js";
export { dense, type Dense, type DenseOptions } from "./dense.js";
export { conv2d, type Conv2d, type Conv2dOptions } from "./conv2d.js";
export { conv2dTranspose, type Conv2dTranspose, type Conv2dTransposeOptions } from "./conv2d_transpose.js";
export { upsample, avgpool, type Resample } from "./resample.js";
export { batchnorm, type BatchNorm, type BatchNormOptions } from "./batchnorm.js";
export { layernorm, type Norm, type NormOptions } from "./layernorm.js";
export { instancenorm } from "./instancenorm.js";
export { dropout, type Dropout } from "./dropout.js";
export { embedding, type Embedding, type EmbeddingOptions } from "./embedding.js";
export { spectralNorm, stopGradient, type SpectralNorm } from "./spectral_norm.js";
export {
  minibatchDiscrimination,
  type MinibatchDiscrimination,
  type MinibatchDiscriminationOptions,
} from "./minibatch_discrimination.js";
export { adain, noise, constant, fade, type Adain, type NoiseInput, type LearnedConstant } from "./style.js";
export {
  virtualBatchnorm,
  vbnReference,
  type VirtualBatchNorm,
  type VirtualBatchNormOptions,
  type VbnReference,
  type VbnReferenceOptions,
} from "./virtual_batchnorm.js";
