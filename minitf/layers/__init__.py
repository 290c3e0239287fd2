"""`tf.layers`: TF1's functional layers on JAX, with TF1's variable names and reuse rules.

`dense`, `conv2d`, `batch_normalization` create variables in `dense`, `dense_1`,
... (or `name`, shared with `reuse=True`) exactly as `tf.compat.v1.layers` does;
`dropout`, `flatten` and the pooling layers have no variables. Batch-norm moving
averages come back from `model.apply_with_updates` (see `normalization`).
"""
from minitf.layers.convolutional import (conv1d, conv2d, conv2d_transpose, conv3d,
                                         conv3d_transpose, separable_conv2d)
from minitf.layers.classes import (AveragePooling1D, AveragePooling2D, AveragePooling3D,
                                   AvgPool1D, AvgPool2D, AvgPool3D, BatchNormalization, Conv1D,
                                   Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose,
                                   Convolution1D, Convolution2D, Convolution2DTranspose,
                                   Convolution3D, Convolution3DTranspose, Dense, Dropout,
                                   Flatten, Layer, MaxPool1D, MaxPool2D, MaxPool3D,
                                   MaxPooling1D, MaxPooling2D, MaxPooling3D, SeparableConv2D)
from minitf.layers.core import dense, dropout, flatten
from minitf.layers.normalization import batch_normalization
from minitf.layers.pooling import (average_pooling1d, average_pooling2d, average_pooling3d,
                                   max_pooling1d, max_pooling2d, max_pooling3d)

__all__ = ["dense", "conv2d", "dropout", "flatten", "batch_normalization", "max_pooling2d",
           "average_pooling2d", "conv1d", "conv3d", "conv2d_transpose", "conv3d_transpose",
           "separable_conv2d", "Layer", "Dense", "Dropout", "Flatten", "Conv1D", "Conv2D",
           "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D",
           "BatchNormalization", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
           "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "MaxPool1D", "MaxPool2D",
           "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "max_pooling1d", "max_pooling3d",
           "average_pooling1d", "average_pooling3d",
           "Convolution1D", "Convolution2D", "Convolution3D", "Convolution2DTranspose",
           "Convolution3DTranspose"]
