"""`tf.contrib.slim`: slim's layers, `arg_scope`, `repeat`/`stack`, variables and utils.

Networks written with slim (VGG, ResNet, Inception) build with slim's exact
variable names (`vgg_16/conv1/conv1_1/weights`, `.../BatchNorm/moving_mean`) and
MODEL_VARIABLES, so TF checkpoints of them load by name. `slim.losses` is
`tf.losses`; end points come from `slim.utils.convert_collection_to_dict`.
"""

from minitf import losses as losses  # slim.losses is tf.losses
from minitf.contrib import framework, layers
from minitf.contrib.framework import *  # noqa: F403 - slim is framework + layers + losses
from minitf.contrib.layers import *  # noqa: F403

__all__ = sorted({*framework.__all__, *layers.__all__, "losses"})
