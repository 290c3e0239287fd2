"""TF1's `tf.layers.dense`, `dropout` and `flatten` (functional forms), TF's names.

`dense` creates `<scope>/kernel` [in, units] (default initializer: the scope's,
else glorot_uniform) and `<scope>/bias` [units] (zeros) in the scope chosen by
`layer_scope`: `dense`, `dense_1`, ... or `name`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

from minitf import ops as _ops
from minitf.core import as_jax_array, get_variable, initializers
from minitf.layers._scoping import (
    add_activity_regularization,
    layer_scope,
    variable_dtype,
)
from minitf.nn.ops import bias_add
from minitf.nn.ops import dropout as _nn_dropout


def dense(inputs: Any, units: int, activation: Callable | None = None, use_bias: bool = True,
          kernel_initializer: Any = None, bias_initializer: Any = initializers.Zeros(),
          kernel_regularizer: Any = None, bias_regularizer: Any = None,
          activity_regularizer: Any = None, trainable: bool = True, name: str | None = None,
          reuse: Any = None) -> jax.Array:
    """activation(inputs @ kernel + bias) over the last axis of `inputs`."""
    x = as_jax_array(inputs)
    if x.ndim < 2:
        raise ValueError(f"Input 0 of layer \"dense\" should have at least 2 dimensions; "
                         f"received shape {x.shape}")
    with layer_scope("dense", name, reuse):
        dtype = variable_dtype(x)
        kernel = get_variable("kernel", [x.shape[-1], units], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable)
        bias = (get_variable("bias", [units], dtype=dtype, initializer=bias_initializer,
                             regularizer=bias_regularizer, trainable=trainable)
                if use_bias else None)
        x = x.astype(dtype)
        if x.ndim == 2:
            outputs = _ops.matmul(x, kernel)
        else:
            outputs = _ops.tensordot(x, kernel, [[x.ndim - 1], [0]])
        if bias is not None:
            outputs = bias_add(outputs, bias)
        if activation is not None:
            outputs = activation(outputs)
        add_activity_regularization(activity_regularizer, outputs)
        return outputs


def _is_static_false(training: Any) -> bool:
    return isinstance(training, (bool, int)) and not training


def dropout(inputs: Any, rate: float = 0.5, noise_shape: Sequence[int] | None = None,
            seed: Any = None, training: Any = False, name: str | None = None) -> jax.Array:
    """With `training` true: drop with probability `rate` and scale by 1/(1-rate); else identity.

    `training` may be a traced boolean or a boolean graph tensor (a placeholder).
    Randomness: in a graph, fresh masks on every `Session.run`; in `transform`, from
    `apply(..., rng=key)`.
    """
    x = as_jax_array(inputs)
    with layer_scope(name or "dropout", None, None):
        if _is_static_false(training) or (isinstance(rate, (int, float)) and rate == 0):
            return _ops.identity(x)
        dropped = _nn_dropout(x, noise_shape=noise_shape, rate=rate)  # the one dropout
        if isinstance(training, (bool, int)):
            return dropped
        return _ops.where(training, dropped, x)


def flatten(inputs: Any, name: str | None = None,
            data_format: str = "channels_last") -> jax.Array:
    """[batch, ...] -> [batch, prod(...)] (channels_first inputs are made channels-last first)."""
    x = as_jax_array(inputs)
    with layer_scope(name or "flatten", None, None):
        if data_format == "channels_first" and x.ndim > 2:
            x = _ops.transpose(x, (0, *range(2, x.ndim), 1))
        return _ops.reshape(x, flat_shape(x))


def flat_shape(x: Any) -> list[Any]:
    """TF's flatten target shape: [batch, -1], or [-1, prod(rest)] when the batch size is
    unknown but the rest is known, or [tf.shape(x)[0], -1] when both are unknown."""
    if not x.ndim:
        return [1, 1]
    dims = [getattr(d, "value", d) for d in x.shape]
    if dims[0] is not None:
        return [int(dims[0]), -1]
    if all(d is not None for d in dims[1:]):
        return [-1, int(np.prod(dims[1:], dtype=np.int64))]
    return [_ops.shape(x)[0], -1]
