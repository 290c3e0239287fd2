"""TF1's dtypes: `tf.float32` is a `DType` that is also a NumPy/JAX dtype wherever one
is expected (`np.dtype(tf.float32)`, `jnp.zeros(3, tf.float32)`, `== np.float32`)."""
from __future__ import annotations

import builtins
import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


class DType:
    """TF1's `tf.DType`: its API (`name`, `base_dtype`, `as_numpy_dtype`, `is_floating`,
    `min`/`max`, ...) over a NumPy dtype, which NumPy and JAX read through `.dtype`."""

    __slots__ = ("_np",)

    def __init__(self, np_dtype: Any) -> None:
        self._np = np.dtype(np_dtype)

    @property
    def dtype(self) -> np.dtype:  # NumPy's protocol: np.dtype(tf.float32) is this
        np_dtype: np.dtype = self._np
        return np_dtype

    @property
    def name(self) -> str:
        return str(self._np.name)

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        return tf_dtype({"complex64": "float32", "complex128": "float64"}.get(self.name,
                                                                              self.name))

    @property
    def as_numpy_dtype(self) -> type:
        numpy_type: type = self._np.type
        return numpy_type

    @property
    def is_floating(self) -> builtins.bool:
        return builtins.bool(jnp.issubdtype(self._np, jnp.floating))

    @property
    def is_integer(self) -> builtins.bool:
        return builtins.bool(jnp.issubdtype(self._np, jnp.integer))

    @property
    def is_unsigned(self) -> builtins.bool:
        return builtins.bool(self._np.kind == "u")

    @property
    def is_complex(self) -> builtins.bool:
        return builtins.bool(self._np.kind == "c")

    @property
    def is_bool(self) -> builtins.bool:
        return builtins.bool(self._np.kind == "b")

    @property
    def size(self) -> int:
        return int(self._np.itemsize)

    @property
    def min(self) -> Any:
        return self._limits().min

    @property
    def max(self) -> Any:
        return self._limits().max

    def _limits(self) -> Any:
        info = jnp.finfo if self.is_floating else jnp.iinfo
        return info(self._np)

    def is_compatible_with(self, other: Any) -> builtins.bool:
        return builtins.bool(self == other)

    def __getattr__(self, attr: str) -> Any:  # the rest of NumPy's dtype (kind, itemsize)
        return getattr(self._np, attr)

    def __eq__(self, other: Any) -> builtins.bool:
        if other is None:
            return False
        try:
            return builtins.bool(self._np == as_dtype(other))
        except TypeError:
            return False

    def __ne__(self, other: Any) -> builtins.bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._np)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (tf_dtype, (self.name,))


_TF_DTYPES: dict[np.dtype, DType] = {}


def tf_dtype(value: Any) -> DType:
    """The `tf.DType` of a dtype spelling (the one shared instance per dtype)."""
    np_dtype = as_dtype(value)
    found = _TF_DTYPES.get(np_dtype)
    if found is None:
        found = _TF_DTYPES[np_dtype] = DType(np_dtype)
    return found


float16 = half = DType("float16")
float32 = DType("float32")
float64 = double = DType("float64")
bfloat16 = DType(jnp.bfloat16)
int8 = DType("int8")
int16 = DType("int16")
int32 = DType("int32")
int64 = DType("int64")
uint8 = DType("uint8")
uint16 = DType("uint16")
uint32 = DType("uint32")
uint64 = DType("uint64")
bool = DType("bool")  # TF's spelling (shadows the builtin here)
complex64 = DType("complex64")
complex128 = DType("complex128")
for _d in (float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8, uint16,
           uint32, uint64, bool, complex64, complex128):
    _TF_DTYPES[_d.dtype] = _d


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
    if isinstance(value, DType):
        return value.dtype
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
    return {np.dtype("float64"): float32.dtype, np.dtype("int64"): int32.dtype}.get(
        inferred.dtype, inferred.dtype)


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
