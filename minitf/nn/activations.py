"""TF1's activation functions (`tf.nn.relu`, ...) with TF's op names and formulas.

Each is a `tf_op`: it takes TF's `name=`, claims that op name in the current
name scope (so later scopes are uniquified as in TF) and computes with jax.nn.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import as_jax_array
from minitf.ops import sigmoid, tanh, tf_op  # noqa: F401 - re-exported as tf.nn.*


@jax.jit
def _relu(x: jax.Array) -> jax.Array:
    # max(x, 0) as TF computes it: NaN passes through, and the gradient at 0 is 0.
    return jnp.where(x <= 0, jnp.zeros_like(x), x)


@tf_op("Relu")
def relu(features: Any) -> jax.Array:
    return _relu(as_jax_array(features))


@tf_op("Relu6")
def relu6(features: Any) -> jax.Array:
    return jnp.clip(as_jax_array(features), 0.0, 6.0)


@tf_op("Elu")
def elu(features: Any) -> jax.Array:
    return jax.nn.elu(as_jax_array(features))


@tf_op("Selu")
def selu(features: Any) -> jax.Array:
    return jax.nn.selu(as_jax_array(features))


@tf_op("LeakyRelu")
def leaky_relu(features: Any, alpha: float = 0.2) -> jax.Array:
    x = as_jax_array(features)
    if alpha <= 1:  # TF computes max(alpha * x, x) in this case
        return jnp.maximum(alpha * x, x)
    return jnp.where(x > 0, x, alpha * x)


@tf_op("Softplus")
def softplus(features: Any) -> jax.Array:
    return jax.nn.softplus(as_jax_array(features))


@tf_op("Softsign")
def softsign(features: Any) -> jax.Array:
    return jax.nn.soft_sign(as_jax_array(features))


@tf_op("swish")
def swish(features: Any) -> jax.Array:
    return jax.nn.swish(as_jax_array(features))


def _softmax_axis(axis: Any, dim: Any) -> int:
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    chosen = axis if axis is not None else dim
    return -1 if chosen is None else int(chosen)


@tf_op("Softmax")
def softmax(logits: Any, axis: int | None = None, dim: int | None = None) -> jax.Array:
    return jax.nn.softmax(as_jax_array(logits), axis=_softmax_axis(axis, dim))


@tf_op("LogSoftmax")
def log_softmax(logits: Any, axis: int | None = None, dim: int | None = None) -> jax.Array:
    return jax.nn.log_softmax(as_jax_array(logits), axis=_softmax_axis(axis, dim))
