"""TF1's `tf.layers.batch_normalization` (functional form), with TF's names and updates.

Variables: `batch_normalization/gamma`, `beta` (trainable) and `moving_mean`,
`moving_variance` (trainable=False: GLOBAL_VARIABLES only). With `training`
true the layer normalizes with the batch's mean and biased variance and assigns

    moving -= (moving - batch_value) * (1 - momentum)

to both moving variables, as TF's AssignMovingAvg ops. Where TF1 picks its fused
kernel (4-D/5-D inputs, channel axis first or last, `fused` not False), the
variance fed to the moving average carries Bessel's correction (n / (n - 1)),
as TF's does (computed from `tf.shape` when the batch size is unknown); elsewhere
it is the biased one. The arithmetic is minitf's ops (`moments`, `batchnorm`,
...), so the same code builds graph ops, runs in `transform` and eagerly.

In a TF1 graph the assignments are assign ops added to `tf.GraphKeys.UPDATE_OPS`:
the moving statistics change only when those ops run (e.g. under
`tf.control_dependencies(update_ops)` around `minimize`). In `transform`, the
new values come back from `model.apply_with_updates(params, ...)` as
`{"batch_normalization/moving_mean": ..., ...}` (plain `apply` drops them), and
are also listed in UPDATE_OPS (there is nothing to run: fold the updates into
params instead). `training` may be a Python bool, a traced boolean or a boolean
graph tensor (a placeholder): then both normalizations are computed and
selected, and the updates use a decay of 0 where it is false.
With `trainable=False` the layer still normalizes with batch statistics when
training, but TF1 keeps its update ops out of UPDATE_OPS, so TF1 programs never
move its averages; minitf makes no update either.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf import ops as _ops
from minitf.core import (
    GraphKeys,
    add_to_collection,
    as_jax_array,
    assign,
    control_dependencies,
    get_variable,
    initializers,
    name_scope,
)
from minitf.layers._scoping import layer_scope
from minitf.nn.activations import relu as _relu
from minitf.nn.ops import batch_normalization as _normalize
from minitf.nn.ops import moments as _moments

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


def _dims(x: Any) -> list[int | None]:
    """The static shape of an array or graph tensor (None for unknown dims)."""
    return [getattr(d, "value", d) for d in x.shape]


def cast_to(x: Any, dtype: Any) -> Any:
    """`x` as `dtype`, a Cast op only where the dtype changes."""
    return x if jnp.dtype(x.dtype) == jnp.dtype(dtype) else _ops.cast(x, dtype)


def bessel_factor(x: Any, reduction_axes: Sequence[int], dtype: Any) -> Any:
    """n / (n - 1), n the number of values each statistic reduces over (TF's fused kernel
    corrects the variance it feeds the moving average): a Python float when the shape is
    known, else computed from `tf.shape(x)` at run time."""
    dims = [_dims(x)[i] for i in reduction_axes]
    if all(d is not None for d in dims):
        n = int(np.prod(dims, dtype=np.int64))
        return n / max(n - 1, 1)
    n = _ops.cast(_ops.reduce_prod(_ops.gather(_ops.shape(x), list(reduction_axes))), dtype)
    return n / _ops.maximum(n - 1.0, 1.0)


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
                        reuse: Any = None, renorm: bool = False, renorm_clipping: Any = None,
                        renorm_momentum: float = 0.99, fused: Any = None,
                        virtual_batch_size: Any = None, adjustment: Any = None) -> jax.Array:
    """Normalize over every axis but `axis`, then scale by gamma and shift by beta
    (with `renorm`, TF's batch renormalization: see `_renormalized`)."""
    if virtual_batch_size is not None or adjustment is not None:
        raise NotImplementedError("batch_normalization: virtual_batch_size and adjustment "
                                  "are not supported by minitf.")
    if renorm:
        renorm_clipping = dict(renorm_clipping or {})
        keys = ["rmax", "rmin", "dmax"]
        if set(renorm_clipping) - set(keys):
            raise ValueError("Received invalid keys for `renorm_clipping` argument: "
                             f"{renorm_clipping}. Supported values: {keys}.")
        fused = False  # TF has no fused renorm kernel
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
        if renorm:
            stddev_initializer = _sqrt_of(moving_variance_initializer)
            moving_stddev, renorm_mean, renorm_stddev = (
                get_variable(var_name, param_shape, dtype=dtype, initializer=init,
                             trainable=False)
                for var_name, init in (("moving_stddev", stddev_initializer),
                                       ("renorm_mean", moving_mean_initializer),
                                       ("renorm_stddev", stddev_initializer)))

        def shaped(v: Any) -> Any:
            return None if v is None else _ops.reshape(v, broadcast_shape)

        xf = cast_to(x, dtype)

        def normalize(mean: Any, variance: Any, offset: Any = beta, scale: Any = gamma) -> Any:
            return cast_to(_normalize(xf, shaped(mean), shaped(variance), shaped(offset),
                                      shaped(scale), epsilon), x.dtype)

        if isinstance(training, (bool, int)) and not training:
            return normalize(moving_mean.value(), moving_variance.value())

        mean, variance = _moments(xf, reduction_axes, keep_dims=True)
        mean, variance = _ops.reshape(mean, param_shape), _ops.reshape(variance, param_shape)
        moving_variance_input = variance
        if uses_fused_kernel(x.ndim, axes, fused, x.dtype):
            moving_variance_input = variance * bessel_factor(xf, reduction_axes, dtype)
        old_mean, old_variance = moving_mean.value(), moving_variance.value()
        static = isinstance(training, (bool, int))

        def while_training(rate: float) -> Any:  # a moving average's decay, 0 if not training
            return rate if static else _ops.cast(training, dtype) * rate

        offset, scale, renorm_updates = beta, gamma, []
        if renorm:
            offset, scale, renorm_updates = _renormalized(
                mean, variance, beta, gamma, renorm_mean, renorm_stddev, renorm_clipping,
                epsilon, training, while_training(1.0 - renorm_momentum))
        if static:
            outputs = normalize(mean, variance, offset, scale)
        else:  # a boolean tensor: batch statistics and updates only where it is true
            outputs = _ops.where(training, normalize(mean, variance, offset, scale),
                                 normalize(old_mean, old_variance))
        if not trainable:  # TF1 leaves a frozen layer's updates out of UPDATE_OPS: none run
            return outputs
        decay = while_training(1.0 - momentum)
        with control_dependencies(renorm_updates):  # (TF runs them with the two below)
            with name_scope("AssignMovingAvg"):
                new_mean = assign(moving_mean, old_mean - (old_mean - mean) * decay)
            if renorm:  # the moving variance follows a moving stddev (TF's renorm path)
                old_stddev = moving_stddev.value()
                batch_stddev = _ops.sqrt(variance + epsilon)
                with name_scope("AssignMovingAvg"):
                    stddev = assign(moving_stddev,
                                    old_stddev - (old_stddev - batch_stddev) * decay)
                new_value = _relu(stddev * stddev - epsilon)
                if not static:
                    new_value = _ops.where(training, new_value, old_variance)
                with name_scope("AssignNewValue"):
                    new_variance = assign(moving_variance, new_value)
            else:
                with name_scope("AssignMovingAvg"):
                    new_variance = assign(moving_variance, old_variance - (
                        old_variance - moving_variance_input) * decay)
        for update in (new_mean, new_variance):
            add_to_collection(GraphKeys.UPDATE_OPS, update)
        return outputs


class _SqrtOf(initializers.Initializer):
    """TF's initializer of a moving stddev: the square root of the variance's."""

    def __init__(self, variance_initializer: Any) -> None:
        self.variance_initializer = variance_initializer
        self.dtype = getattr(variance_initializer, "dtype", None)

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        return jnp.sqrt(self.variance_initializer.sample(key, shape, dtype))


def _sqrt_of(initializer: Any) -> Any:
    if not isinstance(initializer, initializers.Initializer):
        raise NotImplementedError("batch_normalization(renorm=True) needs a tf initializer "
                                  "object as moving_variance_initializer.")
    return _SqrtOf(initializer)


def _renormalized(mean: Any, variance: Any, beta: Any, gamma: Any, renorm_mean: Any,
                  renorm_stddev: Any, clipping: dict[str, Any], epsilon: float,
                  training: Any, decay: Any) -> tuple[Any, Any, list[Any]]:
    """TF's batch renormalization: the corrections r = stddev / renorm_stddev and
    d = (mean - renorm_mean) / renorm_stddev (from the averages the run began with,
    clipped to `clipping`, no gradient; 1 and 0 when not training) fold into the
    offset and scale, and the renorm averages move toward the batch's moments.
    Returns (offset, scale, the renorm averages' assignments)."""
    stddev = _ops.sqrt(variance + epsilon)
    old_mean, old_stddev = renorm_mean.value(), renorm_stddev.value()
    floor = _ops.maximum(old_stddev, float(np.sqrt(epsilon)))
    r, d = stddev / floor, (mean - old_mean) / floor
    if clipping.get("rmin") is not None:
        r = _ops.maximum(r, clipping["rmin"])
    if clipping.get("rmax") is not None:
        r = _ops.minimum(r, clipping["rmax"])
    if clipping.get("dmax") is not None:
        d = _ops.minimum(_ops.maximum(d, -clipping["dmax"]), clipping["dmax"])
    if not isinstance(training, (bool, int)):
        r = _ops.where(training, r, _ops.ones_like(r))
        d = _ops.where(training, d, _ops.zeros_like(d))
    r, d = _ops.stop_gradient(r), _ops.stop_gradient(d)
    scale = r if gamma is None else r * gamma
    offset = d if gamma is None else d * gamma
    if beta is not None:
        offset = offset + beta
    updates = []
    for var, old, batch_value in ((renorm_mean, old_mean, mean),
                                  (renorm_stddev, old_stddev, stddev)):
        with name_scope("AssignMovingAvg"):
            updates.append(assign(var, old - (old - batch_value) * decay))
    return offset, scale, updates
