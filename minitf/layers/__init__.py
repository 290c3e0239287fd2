"""`tf.layers`: TF1's functional layers on JAX, with TF1's variable names and reuse rules.

`dense`, `conv2d`, `batch_normalization` create variables in `dense`, `dense_1`,
... (or `name`, shared with `reuse=True`) exactly as `tf.compat.v1.layers` does;
`dropout`, `flatten` and the pooling layers have no variables. Batch-norm moving
averages come back from `model.apply_with_updates` (see `normalization`).
"""

from minitf.layers import classes
from minitf.layers.classes import *  # noqa: F403 - the class-style layers
from minitf.layers.convolutional import (
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    separable_conv2d,
)
from minitf.layers.core import dense, dropout, flatten
from minitf.layers.normalization import batch_normalization
from minitf.layers.pooling import (
    average_pooling1d,
    average_pooling2d,
    average_pooling3d,
    max_pooling1d,
    max_pooling2d,
    max_pooling3d,
)

__all__ = [
    *classes.__all__,
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "batch_normalization",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "dense",
    "dropout",
    "flatten",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
    "separable_conv2d",
]
