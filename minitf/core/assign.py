"""Assignment to variables: eager state change, or a collected update inside a trace.

Inside `apply`, `v.assign(x)` (and `tf.assign`) make later reads of `v` in the
same trace see `x`, and record `x` under the variable's name; `apply_with_updates`
returns those updates so the caller can fold them into params (moving averages).
Outside any transform the default graph's variable simply takes the new value.
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from minitf.core.arraylike import unwrap
from minitf.core.frame import _current_trace


def assign(ref: Any, value: Any, validate_shape: bool = True, use_locking: Any = None,
           name: str | None = None) -> Any:
    """Give variable `ref` a new value; returns the new value."""
    from minitf.core.variables import Variable

    if not isinstance(ref, Variable):
        raise TypeError(f"assign needs a variable, got {type(ref).__name__}.")
    value = jnp.asarray(unwrap(value), dtype=ref.dtype)
    if validate_shape and tuple(np.shape(value)) != tuple(ref.shape):
        raise ValueError(f"Shapes of {ref.name} {tuple(ref.shape)} and the assigned value "
                         f"{tuple(np.shape(value))} are incompatible.")
    graph = ref.graph
    if graph.trace is not None and _current_trace() is not graph.trace and not graph.is_eager:
        raise RuntimeError(
            f"{ref.name} is assigned inside a raw JAX transformation (jax.lax.scan, "
            "jax.vmap, ...): the new value would leak out of it. Return the value from "
            "the transformed function and assign it outside, or use minitf.scan.")
    ref._value = value
    if not graph.is_eager:
        graph.updates[ref.op.name] = value
    return value


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    return assign(ref, ref.value() + jnp.asarray(unwrap(value), ref.dtype))


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    return assign(ref, ref.value() - jnp.asarray(unwrap(value), ref.dtype))
