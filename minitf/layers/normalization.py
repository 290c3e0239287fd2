"""TF1's `tf.layers.batch_normalization` (functional form), with TF's names and updates.

Variables: `batch_normalization/gamma`, `beta` (trainable) and `moving_mean`,
`moving_variance` (trainable=False: GLOBAL_VARIABLES only). With `training`
true the layer normalizes with the batch's mean and biased variance and assigns

    moving -= (moving - batch_value) * (1 - momentum)

to both moving variables, as TF's AssignMovingAvg ops. Where TF1 picks its fused
kernel (4-D/5-D inputs, channel axis first or last, `fused` not False), the
variance fed to the moving average carries Bessel's correction (n / (n - 1)),
as TF's does; elsewhere it is the biased one. In minitf those
assignments come back from `model.apply_with_updates(params, ...)` as
`{"batch_normalization/moving_mean": ..., ...}` (plain `apply` drops them); the
new values are also added to `tf.GraphKeys.UPDATE_OPS`, so TF1 code that
collects UPDATE_OPS runs unchanged (there is nothing to run: fold the updates
into params instead). `training` may be a Python bool or a traced boolean.
With `trainable=False` the layer still normalizes with batch statistics when
training, but TF1 keeps its update ops out of UPDATE_OPS, so TF1 programs never
move its averages; minitf makes no update either.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import (
    GraphKeys,
    add_to_collection,
    as_jax_array,
    assign,
    get_variable,
    initializers,
    name_scope,
    unwrap,
)
from minitf.layers._scoping import layer_scope
from minitf.nn.ops import batch_normalization as _normalize

Ones, Zeros = initializers.Ones, initializers.Zeros


def _axes(axis: int | Sequence[int], ndim: int) -> list[int]:
    axes = [axis] if isinstance(axis, int) else list(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"Invalid axis: {a}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"Duplicate axis: {axes}")
    return out


def _param_dtype(x: jax.Array) -> Any:
    if x.dtype in (jnp.float16, jnp.bfloat16) or not jnp.issubdtype(x.dtype, jnp.floating):
        return jnp.dtype(jnp.float32)
    return x.dtype


def uses_fused_kernel(ndim: int, axes: list[int], fused: Any, dtype: Any) -> bool:
    """TF1's (V1 BatchNormalization) choice of the fused kernel for these inputs."""
    if fused is False or ndim not in (4, 5) or len(axes) != 1:
        return False
    if jnp.dtype(dtype) not in (jnp.float16, jnp.bfloat16, jnp.float32):
        return False
    return axes[0] in ((1, 3) if ndim == 4 else (1, 4))


def batch_normalization(inputs: Any, axis: int | Sequence[int] = -1, momentum: float = 0.99,
                        epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                        beta_initializer: Any = Zeros(), gamma_initializer: Any = Ones(),
                        moving_mean_initializer: Any = Zeros(),
                        moving_variance_initializer: Any = Ones(),
                        beta_regularizer: Any = None, gamma_regularizer: Any = None,
                        training: Any = False, trainable: bool = True, name: str | None = None,
                        reuse: Any = None, renorm: bool = False, fused: Any = None,
                        virtual_batch_size: Any = None, adjustment: Any = None) -> jax.Array:
    """Normalize over every axis but `axis`, then scale by gamma and shift by beta."""
    if renorm or virtual_batch_size is not None or adjustment is not None:
        raise NotImplementedError("batch_normalization: renorm, virtual_batch_size and "
                                  "adjustment are not supported by minitf.")
    x = as_jax_array(inputs)
    axes = _axes(axis, x.ndim)
    reduction_axes = [i for i in range(x.ndim) if i not in axes]
    if len(axes) == 1:
        param_shape = [x.shape[axes[0]]]
    else:
        param_shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    broadcast_shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    dtype = _param_dtype(x)

    with layer_scope("batch_normalization", name, reuse):
        gamma = (get_variable("gamma", param_shape, dtype=dtype, initializer=gamma_initializer,
                              regularizer=gamma_regularizer, trainable=trainable)
                 if scale else None)
        beta = (get_variable("beta", param_shape, dtype=dtype, initializer=beta_initializer,
                             regularizer=beta_regularizer, trainable=trainable)
                if center else None)
        moving_mean = get_variable("moving_mean", param_shape, dtype=dtype,
                                   initializer=moving_mean_initializer, trainable=False)
        moving_variance = get_variable("moving_variance", param_shape, dtype=dtype,
                                       initializer=moving_variance_initializer, trainable=False)

        def shaped(v: Any) -> Any:
            return None if v is None else jnp.reshape(unwrap(v), broadcast_shape)

        xf = x.astype(dtype)

        def normalize(mean: Any, variance: Any) -> jax.Array:
            return _normalize(xf, shaped(mean), shaped(variance), shaped(beta), shaped(gamma),
                              epsilon).astype(x.dtype)

        if isinstance(training, (bool, int)) and not training:
            return normalize(moving_mean.value(), moving_variance.value())

        mean = jnp.mean(xf, axis=reduction_axes, keepdims=True)
        variance = jnp.mean(jnp.square(xf - jax.lax.stop_gradient(mean)), axis=reduction_axes,
                            keepdims=True)
        mean, variance = mean.reshape(param_shape), variance.reshape(param_shape)
        moving_variance_input = variance
        if uses_fused_kernel(x.ndim, axes, fused, x.dtype):
            n = x.size // variance.size
            moving_variance_input = variance * (n / max(n - 1, 1))
        old_mean, old_variance = moving_mean.value(), moving_variance.value()
        if isinstance(training, (bool, int)):
            outputs = normalize(mean, variance)
            decay = jnp.asarray(1.0 - momentum, dtype)
        else:
            training = jnp.asarray(training)
            outputs = jnp.where(training, normalize(mean, variance),
                                normalize(old_mean, old_variance))
            decay = jnp.where(training, 1.0 - momentum, 0.0).astype(dtype)
        if not trainable:  # TF1 leaves a frozen layer's updates out of UPDATE_OPS: none run
            return outputs
        updates = ((moving_mean, old_mean, mean),
                   (moving_variance, old_variance, moving_variance_input))
        for var, old, batch_value in updates:
            with name_scope("AssignMovingAvg"):
                new = assign(var, old - (old - batch_value) * decay)
            add_to_collection(GraphKeys.UPDATE_OPS, new)
        return outputs
