"""TF1's initializers, with TF1's names and defaults, as pure JAX samplers.

Each initializer is a frozen configuration with `sample(key, shape, dtype)`.
Being a pure function of (key, shape, dtype) lets `init` create all variables
that share a configuration, shape and dtype in one batched call. Calling an
initializer TF-style, `init(shape, dtype)`, draws from the key of the variable
being created (or the graph's rng stream).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core import dtypes as _dtypes
from minitf.core.frame import get_default_graph


def _check_size(given: int, size: int) -> None:
    if given > size and given != 1:
        raise ValueError(f"Too many elements provided. Takes at most {size}, but got "
                         f"{given}.")


class Initializer:
    """Base class: subclasses define `_sample(key, shape, dtype)`."""

    dtype: Any = None

    def sample(self, key: jax.Array, shape: Sequence[int], dtype: Any = None) -> jax.Array:
        requested = dtype if dtype is not None else (self.dtype or _dtypes.float32)
        dtype = _dtypes.storage_dtype(requested)
        return self._sample(key, tuple(int(d) for d in shape), dtype)

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        raise NotImplementedError

    def __call__(self, shape: Sequence[int], dtype: Any = None,
                 partition_info: Any = None) -> jax.Array:
        """TF-style call: draws the next key of the current frame's rng."""
        return self.sample(get_default_graph().next_rng_key(), shape, dtype)

    def validate(self, shape: tuple[int, ...], dtype: Any) -> None:
        """Raise TF's error now if this initializer can't fill `shape` of `dtype`
        (init samples later, in batches, where the error would be far from its cause)."""

    def batch_key(self) -> tuple[Any, ...]:
        """Initializers with equal batch keys may be sampled together under vmap."""
        return (type(self), tuple(sorted((k, repr(v)) for k, v in self.get_config().items())))

    def get_config(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    def __init__(self, dtype: Any = None) -> None:
        self.dtype = dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        return jnp.zeros(shape, dtype)


class Ones(Initializer):
    def __init__(self, dtype: Any = None) -> None:
        self.dtype = dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        return jnp.ones(shape, dtype)


class Constant(Initializer):
    """TF1's constant_initializer: a scalar is broadcast; a list fills the variable in
    row-major order, padded with its last value when shorter (never longer)."""

    def __init__(self, value: Any = 0, dtype: Any = None, verify_shape: bool = False) -> None:
        self.value = value if np.isscalar(value) else np.asarray(value)
        self.dtype = dtype
        self._python_value = value if isinstance(value, (int, float, bool, list, tuple)) else None

    def validate(self, shape: tuple[int, ...], dtype: Any) -> None:
        if self._python_value is not None:  # TF refuses Python floats for integer dtypes
            _dtypes.check_value_fits(self._python_value, _dtypes.as_dtype(dtype))
        _check_size(np.size(self.value), math.prod(shape))

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        value = np.asarray(self.value)
        if value.size == 1:
            return jnp.full(shape, value.reshape(()), dtype)
        size = math.prod(shape)
        _check_size(value.size, size)
        flat = value.reshape(-1)
        if value.size < size:
            flat = np.concatenate([flat, np.full(size - value.size, flat[-1], flat.dtype)])
        return jnp.asarray(flat.reshape(shape), dtype)

    def batch_key(self) -> tuple[Any, ...]:
        return (type(self), np.asarray(self.value).tobytes(), str(np.asarray(self.value).dtype),
                np.shape(self.value), repr(self.dtype))


class RandomNormal(Initializer):
    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: Any = None,
                 dtype: Any = None) -> None:
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        return (self.mean + self.stddev * jax.random.normal(key, shape, jnp.float32)).astype(dtype)


class TruncatedNormal(Initializer):
    """Normal truncated at two standard deviations, as TF1's."""

    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: Any = None,
                 dtype: Any = None) -> None:
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        draw = jax.random.truncated_normal(key, -2.0, 2.0, shape, jnp.float32)
        return (self.mean + self.stddev * draw).astype(dtype)


class RandomUniform(Initializer):
    """Uniform in [minval, maxval); maxval defaults to 1 for floats (TF1)."""

    def __init__(self, minval: float = 0.0, maxval: float | None = None, seed: Any = None,
                 dtype: Any = None) -> None:
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        maxval = 1.0 if self.maxval is None else self.maxval
        if jnp.issubdtype(dtype, jnp.integer):
            return jax.random.randint(key, shape, int(self.minval), int(maxval), dtype)
        return jax.random.uniform(key, shape, jnp.float32, self.minval, maxval).astype(dtype)


def compute_fans(shape: Sequence[int]) -> tuple[float, float]:
    """TF1's fan_in / fan_out: conv kernels count their receptive field."""
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    receptive = math.prod(shape[:-2])
    return float(shape[-2] * receptive), float(shape[-1] * receptive)


class VarianceScaling(Initializer):
    """TF1's variance_scaling_initializer (default: truncated normal, fan_in)."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: Any = None,
                 dtype: Any = None) -> None:
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in {"fan_in", "fan_out", "fan_avg"}:
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution not in {"normal", "uniform", "truncated_normal", "untruncated_normal"}:
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        fan_in, fan_out = compute_fans(shape)
        denom = {"fan_in": fan_in, "fan_out": fan_out,
                 "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, denom)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / 0.87962566103423978
            draw = jax.random.truncated_normal(key, -2.0, 2.0, shape, jnp.float32) * stddev
        elif self.distribution == "untruncated_normal":
            draw = jax.random.normal(key, shape, jnp.float32) * math.sqrt(scale)
        else:
            limit = math.sqrt(3.0 * scale)
            draw = jax.random.uniform(key, shape, jnp.float32, -limit, limit)
        return draw.astype(dtype)


class GlorotUniform(VarianceScaling):
    """TF1's default initializer for float variables."""

    def __init__(self, seed: Any = None, dtype: Any = None) -> None:
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class GlorotNormal(VarianceScaling):
    def __init__(self, seed: Any = None, dtype: Any = None) -> None:
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


class Orthogonal(Initializer):
    """TF1's orthogonal_initializer: QR of a normal matrix, sign-corrected."""

    def __init__(self, gain: float = 1.0, seed: Any = None, dtype: Any = None) -> None:
        self.gain, self.seed, self.dtype = gain, seed, dtype

    def _sample(self, key: jax.Array, shape: tuple[int, ...], dtype: np.dtype) -> jax.Array:
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = jax.random.normal(key, flat, jnp.float32)
        q, r = jnp.linalg.qr(a)
        q = q * jnp.sign(jnp.diagonal(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype)


# TF1 spellings.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
random_uniform_initializer = RandomUniform
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
xavier_initializer = GlorotUniform


def he_normal(seed: Any = None) -> VarianceScaling:
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed: Any = None) -> VarianceScaling:
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed: Any = None) -> VarianceScaling:
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed: Any = None) -> VarianceScaling:
    return VarianceScaling(1.0, "fan_in", "uniform", seed)
