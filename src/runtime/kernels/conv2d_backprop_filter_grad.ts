/**
 * Gradient of `Conv2DBackpropFilter`, which tfjs does not define. Needed for
 * second-order gradients through the filter of conv2dTranspose (and through
 * conv2d weight gradients).
 *
 * dW = BackpropFilter(x, dy) is bilinear in (x, dy), so for an upstream ddW:
 *   d/dx  = Conv2DBackpropInput(dy, ddW)   (the input gradient of conv2d)
 *   d/ddy = Conv2D(x, ddW)
 */
import * as tf from "@tensorflow/tfjs";

export const conv2dBackpropFilterGrad: tf.GradConfig = {
  kernelName: "Conv2DBackpropFilter",
  inputsToSave: ["x", "dy"],
  gradFunc: (ddw, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
      strides: [number, number] | number;
      pad: "valid" | "same" | number;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    const filter = ddw as tf.Tensor4D;
    return {
      x: () =>
        tf.engine().runKernel(
          "Conv2DBackpropInput",
          { dy, filter },
          { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor,
      dy: () => tf.conv2d(x, filter, strides, pad, dataFormat, 1, dimRoundingMode),
    };
  },
};
