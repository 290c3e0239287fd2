"""`tf.random`: TF1's `tf.random.*` names for minitf's random ops."""
from minitf.graph import set_random_seed
from minitf.ops.random_ops import (
    categorical,
    multinomial,
    truncated_normal,
)
from minitf.ops.random_ops import (
    random_normal as normal,
)
from minitf.ops.random_ops import (
    random_shuffle as shuffle,
)
from minitf.ops.random_ops import (
    random_uniform as uniform,
)

__all__ = ["categorical", "multinomial", "normal", "set_random_seed", "shuffle",
           "truncated_normal", "uniform"]
