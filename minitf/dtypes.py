"""TF1 dtype names as NumPy/JAX dtypes (`tf.float32` is `jnp.dtype('float32')`)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

float16 = half = jnp.dtype("float16")
float32 = jnp.dtype("float32")
float64 = double = jnp.dtype("float64")
bfloat16 = jnp.dtype(jnp.bfloat16)
int8 = jnp.dtype("int8")
int16 = jnp.dtype("int16")
int32 = jnp.dtype("int32")
int64 = jnp.dtype("int64")
uint8 = jnp.dtype("uint8")
uint16 = jnp.dtype("uint16")
uint32 = jnp.dtype("uint32")
uint64 = jnp.dtype("uint64")
bool = jnp.dtype("bool")  # noqa: A001 - TF's spelling
complex64 = jnp.dtype("complex64")
complex128 = jnp.dtype("complex128")


def as_dtype(value: Any) -> np.dtype:
    """Normalise a dtype spelling (object, string, type, TF dtype) to a NumPy dtype."""
    if isinstance(value, np.dtype):
        return value
    name = getattr(value, "name", None)
    if isinstance(name, str) and hasattr(value, "as_numpy_dtype"):  # a real TF dtype
        value = name.replace("_ref", "")
    try:
        return jnp.dtype(value)
    except TypeError:
        raise TypeError(f"Cannot convert {value!r} to a dtype.") from None


def name_of(dtype: Any) -> str:
    return as_dtype(dtype).name


def is_floating(dtype: Any) -> bool:
    return jnp.issubdtype(as_dtype(dtype), jnp.floating)


def is_integer_or_bool(dtype: Any) -> bool:
    d = as_dtype(dtype)
    return jnp.issubdtype(d, jnp.integer) or d == np.dtype("bool")
