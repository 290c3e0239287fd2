"""TF1's global step: a non-trainable int64 scalar `global_step` in GLOBAL_STEP.

`create_global_step` makes it with `get_variable` in the current variable scope
(as TF1 does), zero-initialized, in the GLOBAL_VARIABLES and GLOBAL_STEP
collections; `get_global_step` finds it in GLOBAL_STEP. Inside `transform` it is
one more entry of `params` (`params["global_step"]`): JAX keeps it 32-bit unless
`jax_enable_x64` is on.
"""
from __future__ import annotations

from typing import Any

from minitf.core import GraphKeys, dtypes, get_collection, get_variable, initializers

__all__ = ["create_global_step", "get_global_step", "get_or_create_global_step"]


def get_global_step(graph: Any = None) -> Any:
    """The global step variable, or None. More than one is an error, as in TF."""
    found = (graph.get_collection(GraphKeys.GLOBAL_STEP) if graph is not None
             else get_collection(GraphKeys.GLOBAL_STEP))
    if not found:
        return None
    if len(found) > 1:
        raise TypeError("Multiple tensors in global_step collection.")
    return found[0]


def create_global_step(graph: Any = None) -> Any:
    """Create `global_step`; ValueError if one exists already."""
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    return get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
                        initializer=initializers.zeros_initializer(), trainable=False,
                        collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Any = None) -> Any:
    """The global step, created on first use."""
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)
