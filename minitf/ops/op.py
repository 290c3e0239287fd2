"""`tf_op`: how a jnp implementation becomes a TF-named op.

Like a TF op, each call claims a unique op name in the current name scope (so
later scopes are uniquified exactly as in TF), and while JAX traces, its
computation carries that name in the jaxpr/HLO metadata. Op by op the name is
claimed but no JAX scope is entered; inside `jit` the naming is trace-time only
and the compiled computation is the plain jnp call.

In a TF1 graph (graph mode), a call outside any JAX trace, or with a graph
tensor among its arguments, instead adds an operation whose computation is
this same implementation (`minitf.core.symbolic.build_op`).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax

from minitf.core.frame import get_default_graph, is_tracing
from minitf.core.symbolic import any_symbolic, build_op

__all__ = ["axis_arg", "tf_op"]


def tf_op(op_type: str, *, kind: str = "op", shape_only: bool = False
          ) -> Callable[[Callable], Callable]:
    """Decorate a jnp implementation as a TF op named `op_type` (or the caller's `name=`).

    `kind="random"`: the op draws from the frame's rng (in a graph: fresh on every
    run). `kind="stateful"`: it has an effect (printing, a Python callback), so a graph
    never folds it into a constant at trace time. `shape_only`: its result depends only
    on its inputs' shapes (`tf.shape`).
    """

    def decorate(impl: Callable) -> Callable:
        @functools.wraps(impl)
        def op(*args: Any, name: str | None = None, **kwargs: Any) -> Any:
            graph = get_default_graph()
            op_name = graph.unique_name(name or op_type)
            # In a TF1 graph every op is a node run by a session; but an op on JAX tracers
            # (inside a raw jax.jit / grad of the user's) computes directly.
            if graph.is_graph_mode and (not is_tracing() or any_symbolic(args, kwargs)):
                return build_op(graph, op_name, op_type, impl, args, kwargs, kind=kind,
                                shape_only=shape_only)
            if not is_tracing():
                return impl(*args, **kwargs)
            with jax.named_scope(op_name.rsplit("/", 1)[-1]):
                return impl(*args, **kwargs)

        return op

    return decorate


def axis_arg(axis: Any) -> Any:
    """TF accepts a list of axes where jnp wants a tuple."""
    return tuple(axis) if isinstance(axis, list) else axis
