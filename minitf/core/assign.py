"""TF1's `tf.assign`, `tf.assign_add`, `tf.assign_sub`: the variable's own methods.

The semantics (eager change, or an update collected inside a trace that reads see
only under `tf.control_dependencies`) live in `Variable.assign`.
"""
from __future__ import annotations

from typing import Any

from minitf.core.variables import Variable

__all__ = ["assign", "assign_add", "assign_sub"]


def _check(ref: Any) -> Variable:
    if not isinstance(ref, Variable):
        raise TypeError(f"assign needs a variable, got {type(ref).__name__}.")
    return ref


def assign(ref: Any, value: Any, validate_shape: bool = True, use_locking: Any = None,
           name: str | None = None) -> Any:
    """Give variable `ref` a new value; returns the new value."""
    return _check(ref).assign(value)


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    return _check(ref).assign_add(value)


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: str | None = None) -> Any:
    return _check(ref).assign_sub(value)
