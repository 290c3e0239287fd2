"""TF1's pooling layers (functional forms; no variables): max and average, 1-D to 3-D.

`max_pooling2d(x, pool_size, strides)` etc. run `tf.nn.max_pool` / `avg_pool`
(average over each window's valid elements, as TF) in name scope
`max_pooling2d`, `max_pooling2d_1`, ... (or `name`).
"""
from __future__ import annotations

from typing import Any

import jax

from minitf.core import as_jax_array
from minitf.layers._scoping import layer_scope
from minitf.layers.convolutional import data_format_code, normalize_tuple
from minitf.nn import ops as _nn

__all__ = [
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
]


def _pool(op: Any, rank: int, default_name: str, inputs: Any, pool_size: Any, strides: Any,
          padding: str, data_format: str, name: str | None) -> jax.Array:
    x = as_jax_array(inputs)
    if x.ndim != rank + 2:
        raise ValueError(f"Input 0 of layer \"{default_name}\" is incompatible with the layer: "
                         f"expected ndim={rank + 2}, found ndim={x.ndim}. "
                         f"Full shape received: {x.shape}")
    window = normalize_tuple(pool_size, rank, "pool_size")
    strides = normalize_tuple(strides, rank, "strides")
    with layer_scope(name or default_name, None, None):
        return op(x, ksize=window, strides=strides, padding=padding,
                  data_format=data_format_code(data_format, rank + 2))


def max_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.max_pool, 1, "max_pooling1d", inputs, pool_size, strides, padding,
                 data_format, name)


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.max_pool, 2, "max_pooling2d", inputs, pool_size, strides, padding,
                 data_format, name)


def max_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.max_pool, 3, "max_pooling3d", inputs, pool_size, strides, padding,
                 data_format, name)


def average_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.avg_pool, 1, "average_pooling1d", inputs, pool_size, strides, padding,
                 data_format, name)


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.avg_pool, 2, "average_pooling2d", inputs, pool_size, strides, padding,
                 data_format, name)


def average_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.avg_pool, 3, "average_pooling3d", inputs, pool_size, strides, padding,
                 data_format, name)
