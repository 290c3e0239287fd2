"""From a TF1 graph to JAX: `graph_function(fetches, feeds)` -> a pure `fn(params, *feeds)`.

The function runs the same ops a `Session.run` of those fetches would, over
the same flat `{"scope/name": array}` params dict `transform` uses, so a model
built TF1-style (placeholders, `sess.run`) gets `jax.grad`, `vmap`, sharding
and the functional Saver. Values of the variables come from `session` (after
training, or a restore) or, without one, are the initial values.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

from minitf.core.arraylike import ArrayLike
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Operation, Tensor
from minitf.graph.interpreter import Plan, execute
from minitf.graph.session import Session

__all__ = ["graph_function"]


def _tensor(x: Any) -> Tensor:
    tensor = graph_tensor(x)
    if tensor is None:
        raise TypeError(f"graph_function fetches and feeds must be graph tensors; got {x!r}.")
    return tensor


def graph_function(fetches: Any, feeds: Sequence[Any], session: Session | None = None,
                   ) -> tuple[Callable[..., Any], dict[str, np.ndarray]]:
    """`(fn, params)`: `fn(params, *feed_values, rng=None)` returns the fetches' values.

    `fetches` may be any nesting of tensors; `feeds` lists the placeholders (or
    other tensors) whose values `fn` takes, in order. Ops that assign variables
    are not part of a pure function: fetch losses and outputs, not train ops.
    """
    leaves, treedef = jax.tree_util.tree_flatten(
        fetches, is_leaf=lambda x: isinstance(x, (Tensor, ArrayLike)))
    targets = [_tensor(leaf) for leaf in leaves]
    feed_tensors = [_tensor(f) for f in feeds]
    plan = Plan([t.op for t in targets], set(feed_tensors))
    if plan.writes:
        raise ValueError(f"graph_function: these fetches assign variables {plan.writes}; "
                         "fetch the loss or outputs (and use jax.grad + an optimizer).")
    missing = [op.name for op in plan.placeholders if op.outputs[0] not in feed_tensors]
    if missing:
        raise ValueError(f"graph_function: the fetches need placeholders {missing}; list "
                         "them in feeds.")
    params = _current_values(plan.reads, targets[0].graph if targets else None, session)

    def fn(params: dict[str, Any], *feed_values: Any, rng: jax.Array | None = None) -> Any:
        key = rng if rng is not None else jax.random.PRNGKey(0)
        env, _ = execute(plan, dict(zip(feed_tensors, feed_values, strict=True)),
                         dict(params), key)
        return jax.tree_util.tree_unflatten(treedef, [env[t] for t in targets])

    return fn, params


def _current_values(names: list[str], graph: Any, session: Session | None
                    ) -> dict[str, np.ndarray]:
    if not names:
        return {}
    if session is None:
        session = Session(graph=graph)
        initializers: list[Operation] = [graph.variables_by_name[n].initializer for n in names]
        session.run(initializers)
    values = session.variable_values()
    missing = [n for n in names if n not in values]
    if missing:
        raise ValueError(f"graph_function: variables {missing} are not initialized in the "
                         "session.")
    return {n: values[n] for n in names}
