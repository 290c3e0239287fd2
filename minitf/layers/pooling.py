"""TF1's `tf.layers.max_pooling2d` / `average_pooling2d` (functional forms; no variables)."""
from __future__ import annotations

from typing import Any

import jax

from minitf.layers._scoping import as_input, layer_scope
from minitf.layers.convolutional import data_format_code, normalize_tuple
from minitf.nn import ops as _nn


def _pool(op: Any, default_name: str, inputs: Any, pool_size: Any, strides: Any,
          padding: str, data_format: str, name: str | None) -> jax.Array:
    x = as_input(inputs)
    window = normalize_tuple(pool_size, 2, "pool_size")
    strides = normalize_tuple(strides, 2, "strides")
    with layer_scope(name or default_name, None, None):
        return op(x, ksize=window, strides=strides, padding=padding,
                  data_format=data_format_code(data_format, 4))


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.max_pool, "max_pooling2d", inputs, pool_size, strides, padding,
                 data_format, name)


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> jax.Array:
    return _pool(_nn.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding,
                 data_format, name)
