"""`tf.contrib.layers` initializers, as minitf's core `VarianceScaling`.

contrib's `variance_scaling_initializer(factor, mode, uniform)` draws uniform in
±sqrt(3 * factor / n) or a normal truncated at two standard deviations with
stddev sqrt(1.3 * factor / n); the core initializer gives the same distribution
with `scale = factor` (uniform) or `scale = 1.3 * factor * 0.8796...**2` (its
truncated normal divides the stddev by 0.8796...). `xavier_initializer` is
factor 1, FAN_AVG.
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from minitf.core import dtypes, initializers

__all__ = ["variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]

_TRUNCATED_STDDEV_CORRECTION = 0.87962566103423978


def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN",
                                 uniform: bool = False, seed: Any = None,
                                 dtype: Any = dtypes.float32) -> Any:
    """He-style initializer (default: truncated normal, 2 / fan_in)."""
    if not jnp.issubdtype(dtypes.as_dtype(dtype), jnp.floating):
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    if uniform:
        return initializers.VarianceScaling(factor, mode.lower(), "uniform", seed, dtype)
    scale = 1.3 * factor * _TRUNCATED_STDDEV_CORRECTION ** 2
    return initializers.VarianceScaling(scale, mode.lower(), "truncated_normal", seed, dtype)


def xavier_initializer(uniform: bool = True, seed: Any = None,
                       dtype: Any = dtypes.float32) -> Any:
    """Glorot's initializer: variance 2 / (fan_in + fan_out)."""
    return variance_scaling_initializer(1.0, "FAN_AVG", uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer
