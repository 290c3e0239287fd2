"""Graph-mode ops with no value: `tf.group`, `tf.no_op` and the variable initializers."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minitf.core.frame import GraphKeys, as_control_op, get_default_graph
from minitf.core.tensor import Operation, make_operation

__all__ = ["global_variables_initializer", "group", "initialize_all_variables",
           "local_variables_initializer", "no_op", "variables_initializer"]


def _as_op(item: Any) -> Operation:
    op = as_control_op(item)
    if op is None:
        raise TypeError(f"Expected a tf.Operation or tf.Tensor to group, got {item!r}.")
    return op


def _flatten(inputs: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in inputs:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        elif isinstance(item, dict):
            out.extend(_flatten(item.values()))
        elif item is not None:
            out.append(item)
    return out


def group(*inputs: Any, name: str | None = None) -> Operation | None:
    """An op that runs all of `inputs` (TF's `tf.group`). Outside a TF1 graph (eagerly,
    inside `transform`) there is nothing to order, and it is None, as TF's eager group:
    `transform` already collects assignments as `apply_with_updates`' updates."""
    graph = get_default_graph()
    if not graph.is_graph_mode:
        return None
    ops = list(dict.fromkeys(_as_op(item) for item in _flatten(inputs)))
    return make_operation(graph, graph.unique_name(name or "group_deps"), "NoOp", [], None,
                          [], kind="noop", control_inputs=ops)


def no_op(name: str | None = None) -> Operation:
    """An op that does nothing (a point to hang control dependencies on)."""
    graph = get_default_graph()
    return make_operation(graph, graph.unique_name(name or "NoOp"), "NoOp", [], None, [],
                          kind="noop")


def variables_initializer(var_list: Iterable[Any], name: str = "init") -> Operation:
    """An op that runs the initializers of `var_list`."""
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer() -> Operation:
    return variables_initializer(get_default_graph().get_collection(
        GraphKeys.GLOBAL_VARIABLES), name="init")


def local_variables_initializer() -> Operation:
    return variables_initializer(get_default_graph().get_collection(
        GraphKeys.LOCAL_VARIABLES), name="init")


initialize_all_variables = global_variables_initializer
