"""Just enough of TF1's Session for tutorial code at top level.

Variables in the default graph hold their values eagerly, so a "session" only
converts fetches to NumPy: `sess.run(v)`, `sess.run([a, b])`, and the
initializer ops (`tf.global_variables_initializer()`) are no-ops. Real programs
use `transform` + `jit` instead; this keeps the TF1 tutorials runnable as written.
"""
from __future__ import annotations

from typing import Any

import jax
import numpy as np

from minitf.core import get_default_graph

__all__ = [
    "InteractiveSession",
    "Session",
    "global_variables_initializer",
    "initialize_all_variables",
    "local_variables_initializer",
    "set_random_seed",
    "variables_initializer",
]


class _NoOp:
    """What `global_variables_initializer()` returns: running it does nothing."""

    name = "init"

    def __repr__(self) -> str:
        return "<tf.Operation 'init' type=NoOp>"


def global_variables_initializer() -> _NoOp:
    return _NoOp()


initialize_all_variables = global_variables_initializer
local_variables_initializer = global_variables_initializer


def variables_initializer(var_list: Any, name: str = "init") -> _NoOp:
    return _NoOp()


class Session:
    """`sess.run(fetches)` -> NumPy values of variables/arrays (nested structures kept)."""

    def __init__(self, target: str = "", graph: Any = None, config: Any = None) -> None:
        self.graph = graph

    def run(self, fetches: Any, feed_dict: Any = None) -> Any:
        if feed_dict:
            raise NotImplementedError(
                "minitf has no placeholders: call your function with the values "
                "instead (see minitf.transform).")

        def fetch(x: Any) -> Any:
            return None if isinstance(x, _NoOp) else np.asarray(x)

        return jax.tree_util.tree_map(fetch, fetches, is_leaf=lambda x: isinstance(x, _NoOp))

    def close(self) -> None:
        pass

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


InteractiveSession = Session


def set_random_seed(seed: int) -> None:
    """Seed the default graph's eager initializers (variables' keys derive from it)."""
    graph = get_default_graph()
    graph.seed = seed
    if graph.is_eager:
        graph.source.set_seed(seed)
