"""`tf.gradients` in a TF1 graph: one op that the interpreter evaluates as a JAX vjp.

TF1 builds a backward graph op by op; minitf records which ops lie between the
`xs` and the `ys` and, when the op runs, differentiates that stretch of the
graph with `jax.vjp`. The math is JAX's, so every op minitf has is
differentiable in graph mode with no gradient written twice.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minitf.core.frame import get_default_graph
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Operation, Tensor, make_operation
from minitf.graph.interpreter import all_inputs

__all__ = ["gradients", "upstream_ops"]


def upstream_ops(ys: Sequence[Tensor]) -> list[Operation]:
    """The ops the values of `ys` depend on through data inputs, in creation order."""
    seen: dict[int, Operation] = {}
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op.id in seen:
            continue
        seen[op.id] = op
        stack.extend(t.op for t in all_inputs(op))
        if op.kind == "gradients":
            stack.extend(t.op for t in op.attrs["xs"])
    return [seen[i] for i in sorted(seen)]


def _as_x(x: Any) -> Tensor:
    """A gradient target: a graph variable stands for its variable tensor (all its reads)."""
    tensor = graph_tensor(x)
    if tensor is None:
        raise TypeError(f"tf.gradients: {x!r} is not a tensor or variable of the graph.")
    if tensor.op.kind == "read":
        return tensor.op.inputs[0]
    return tensor


def _depends_on(op: Operation, marked: set[Tensor], affected: set[int]) -> bool:
    """Whether `op` reads a marked tensor (a variable's read reads its variable tensor)
    or an output of an affected op."""
    return any(t in marked or t.op.id in affected for t in all_inputs(op))


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None
              ) -> list[Tensor | None]:
    """d(sum of ys)/d(x) for each x; None where x does not reach any y (as TF1)."""
    del colocate_gradients_with_ops, gate_gradients, aggregation_method
    if stop_gradients is not None:
        raise NotImplementedError("tf.gradients(stop_gradients=...) is not supported: wrap "
                                  "those tensors in tf.stop_gradient instead.")
    y_list = [graph_tensor(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
    if any(y is None for y in y_list):
        raise TypeError("tf.gradients: every y must be a tensor of the graph.")
    targets = [t for t in y_list if t is not None]
    x_list = [_as_x(x) for x in (xs if isinstance(xs, (list, tuple)) else [xs])]
    g_list = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys] * len(targets)
    g_tensors = [None if g is None else graph_tensor(g) for g in g_list]
    marked = set(x_list)
    affected: set[int] = set()
    path: list[Operation] = []
    for op in upstream_ops(targets):
        if op.kind not in ("variable", "placeholder") and _depends_on(op, marked, affected):
            affected.add(op.id)
            path.append(op)
    # (a read's input is its variable tensor, so consumed covers variables too)
    consumed = {t for op in path for t in all_inputs(op)} | set(targets)
    connected = [x for x in x_list
                 if x in consumed and np.issubdtype(x.dtype, np.inexact)]
    if not connected:
        return [None] * len(x_list)
    graph = get_default_graph()
    op = make_operation(
        graph, graph.unique_name(name), "Gradients",
        targets + [g for g in g_tensors if g is not None], None,
        [x._avals for x in connected], kind="gradients",
        attrs={"xs": connected, "ys": targets, "grad_ys": g_tensors, "path": path})
    by_x = dict(zip(connected, op.outputs, strict=True))
    return [by_x.get(x) for x in x_list]
