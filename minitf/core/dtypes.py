"""TF1 dtype names as NumPy/JAX dtypes (`tf.float32` is `jnp.dtype('float32')`)."""
from __future__ import annotations

import builtins
import warnings
from typing import Any

import jax
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
bool = jnp.dtype("bool")  # TF's spelling (shadows the builtin here)
complex64 = jnp.dtype("complex64")
complex128 = jnp.dtype("complex128")


def storage_dtype(dtype: Any) -> np.dtype:
    """The dtype JAX actually stores for TF dtype `dtype`: itself, or its 32-bit
    counterpart when jax_enable_x64 is off (the variable's metadata keeps TF's)."""
    key = (dtype, jax.config.jax_enable_x64)  # type: ignore[attr-defined]
    stored = _STORAGE.get(key)
    if stored is None:
        stored = _STORAGE[key] = np.dtype(jax.dtypes.canonicalize_dtype(as_dtype(dtype)))
    return stored


_STORAGE: dict[tuple[Any, Any], np.dtype] = {}  # (dtype, x64) -> stored dtype: on hot paths


def as_dtype(value: Any) -> np.dtype:
    """Normalise a dtype spelling (object, string, type, TF dtype) to a NumPy dtype."""
    if isinstance(value, np.dtype):
        return value
    name = getattr(value, "name", None)
    if isinstance(name, str) and hasattr(value, "as_numpy_dtype"):  # a real TF dtype
        value = name.replace("_ref", "")
    try:
        dtype: np.dtype = jnp.dtype(value)
    except TypeError:
        raise TypeError(f"Cannot convert {value!r} to a dtype.") from None
    return dtype


def infer_dtype(value: Any, dtype: Any = None) -> np.dtype:
    """The dtype TF's convert_to_tensor gives `value`: arrays keep theirs, Python
    floats are float32 and ints int32; an explicit `dtype` must fit the value.
    """
    if dtype is not None:
        target = as_dtype(dtype)
        if not hasattr(value, "dtype"):
            check_value_fits(value, target)
        return target
    if hasattr(value, "dtype"):
        return as_dtype(value.dtype)
    inferred = np.asarray(value)
    if inferred.dtype.kind in "USO":
        raise TypeError(f"Cannot convert {value!r} to a numeric tensor: variables need numbers.")
    return {np.dtype("float64"): float32, np.dtype("int64"): int32}.get(inferred.dtype,
                                                                        inferred.dtype)


def check_value_fits(value: Any, target: np.dtype) -> None:
    """TF's convert_to_tensor check: Python floats don't fit integer or bool dtypes."""
    flat = np.asarray(value)
    if flat.dtype.kind in "USO":
        raise TypeError(f"Expected {target.name}, but got {value!r} of type "
                        f"'{type(value).__name__}'.")
    if flat.dtype.kind == "f" and (jnp.issubdtype(target, jnp.integer) or target == bool):
        bad = flat.reshape(-1)[0].item()
        raise TypeError(f"Expected {target.name}, but got {bad!r} of type 'float'.")


def name_of(dtype: Any) -> str:
    return as_dtype(dtype).name


def is_floating(dtype: Any) -> builtins.bool:
    return jnp.issubdtype(as_dtype(dtype), jnp.floating)


def is_integer_or_bool(dtype: Any) -> builtins.bool:
    d = as_dtype(dtype)
    return jnp.issubdtype(d, jnp.integer) or d == np.dtype("bool")


_warned_64bit = False


def warn_if_64bit_unavailable(dtype: np.dtype) -> None:
    """Without jax_enable_x64, 64-bit variables keep TF's dtype in their metadata but hold
    32-bit values: say so once, naming the fix."""
    global _warned_64bit
    # (JAX's Config sets its option attributes dynamically: they are not in its types.)
    x64 = jax.config.jax_enable_x64  # type: ignore[attr-defined]
    if _warned_64bit or np.dtype(dtype).itemsize != 8 or x64:
        return
    if np.dtype(dtype).kind not in "fiu":
        return
    _warned_64bit = True
    warnings.warn(
        f"A {np.dtype(dtype).name} variable was requested, but JAX's 64-bit mode is off: its "
        "values will be 32-bit (its dtype still reads as TF's). For exact 64-bit values set "
        "jax.config.update('jax_enable_x64', True) (or JAX_ENABLE_X64=1) before creating "
        "variables.", UserWarning, stacklevel=5)
