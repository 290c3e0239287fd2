"""`tf.layers`: TF1's functional layers on JAX, with TF1's variable names and reuse rules.

`dense`, `conv2d`, `batch_normalization` create variables in `dense`, `dense_1`,
... (or `name`, shared with `reuse=True`) exactly as `tf.compat.v1.layers` does;
`dropout`, `flatten` and the pooling layers have no variables. Batch-norm moving
averages come back from `model.apply_with_updates` (see `normalization`).
"""
from minitf.layers.convolutional import (conv1d, conv2d, conv2d_transpose, conv3d,
                                         conv3d_transpose, separable_conv2d)
from minitf.layers.classes import (AveragePooling2D, AvgPool2D, BatchNormalization, Conv1D,
                                   Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose,
                                   Convolution1D, Convolution2D, Convolution2DTranspose,
                                   Convolution3D, Convolution3DTranspose, Dense, Dropout,
                                   Flatten, Layer, MaxPool2D, MaxPooling2D, SeparableConv2D)
from minitf.layers.core import dense, dropout, flatten
from minitf.layers.normalization import batch_normalization
from minitf.layers.pooling import average_pooling2d, max_pooling2d

__all__ = ["dense", "conv2d", "dropout", "flatten", "batch_normalization", "max_pooling2d",
           "average_pooling2d", "conv1d", "conv3d", "conv2d_transpose", "conv3d_transpose",
           "separable_conv2d", "Layer", "Dense", "Dropout", "Flatten", "Conv1D", "Conv2D",
           "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D",
           "BatchNormalization", "MaxPooling2D", "AveragePooling2D", "MaxPool2D", "AvgPool2D",
           "Convolution1D", "Convolution2D", "Convolution3D", "Convolution2DTranspose",
           "Convolution3DTranspose"]
