"""Graph mode's control flow: `scan`, `cond` and `while_loop` over traced subgraphs.

TF1 builds a loop body (or a branch) once, as ops inside the graph; so does
minitf: the body function is called once at build time on *argument* tensors,
and the ops it creates form a `Subgraph`. One control op (kind "control")
holds the subgraphs; when a session runs it, the interpreter hands the op's
`compute` a `runner` that evaluates a subgraph on values, and `compute` lowers
the construct to `lax.scan`, `lax.cond` or `lax.while_loop`. Variables the body
creates are ordinary graph variables (created once, as in TF); tensors the body
uses from outside are the op's `captures`, so plans and gradients see them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core.arraylike import ArrayLike
from minitf.core.frame import Graph, get_default_graph
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Aval, Operation, Tensor, make_aval, make_operation

__all__ = ["Subgraph", "graph_cond", "graph_scan", "graph_while_loop"]

#: Evaluates a subgraph on argument values; the int folds into the random key.
Runner = Callable[["Subgraph", Sequence[Any], Any], list[Any]]


def _is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, ArrayLike))


class Subgraph:
    """A body traced once: argument tensors, its ops in order, results, captures."""

    def __init__(self, graph: Graph, args: list[Tensor], results: list[Tensor],
                 first_id: int) -> None:
        self.args = args
        self.results = results
        arg_set = set(args)
        body: dict[int, Operation] = {}
        outside: dict[int, Operation] = {}
        captures: dict[Tensor, None] = {}
        stack = [r.op for r in results if r not in arg_set]
        while stack:
            op = stack.pop()
            if op.id < first_id:
                outside[op.id] = op
                continue
            if op.id in body:
                continue
            body[op.id] = op
            for t in op.inputs:
                if t in arg_set:
                    continue
                if t.op.id < first_id:
                    captures[t] = None
                else:
                    stack.append(t.op)
            stack.extend(op.control_inputs)
            if op.kind == "read":
                captures[op.inputs[0]] = None  # the variable: gradients and plans see it
            for inner in op.attrs.get("captures", ()):
                if inner.op.id < first_id:
                    captures[inner] = None
                else:
                    stack.append(inner.op)
        for r in results:
            if r not in arg_set and r.op.id < first_id:
                captures[r] = None
        self.ops = [body[i] for i in sorted(body)]
        self.captures = list(captures)
        self.control_ops = list(outside.values())


def _as_tensor(graph: Graph, value: Any) -> Tensor:
    """A result or loop value as a graph tensor (concrete values become constants)."""
    tensor = graph_tensor(value)
    if tensor is not None:
        return tensor
    array = jnp.asarray(value)
    avals = (make_aval(array.shape, array.dtype),) * 2
    return make_operation(graph, graph.unique_name("Const"), "Const", [],
                          lambda: array, [avals]).outputs[0]


def _arg(graph: Graph, avals: tuple[Aval, Aval], name: str) -> Tensor:
    return make_operation(graph, graph.unique_name(name), "Identity", [], None, [avals],
                          kind="arg").outputs[0]


def trace_subgraph(fn: Callable[..., Any], arg_avals: Sequence[tuple[Aval, Aval]],
                   arg_tree: Any, name: str = "Identity") -> tuple[Subgraph, Any]:
    """Call `fn` once on argument tensors (in `arg_tree`'s structure); its subgraph and
    the structure of its results."""
    graph = get_default_graph()
    first_id = len(graph.get_operations())
    args = [_arg(graph, avals, name) for avals in arg_avals]
    out = fn(*jax.tree_util.tree_unflatten(arg_tree, args)) if arg_tree is not None else fn()
    leaves, out_tree = jax.tree_util.tree_flatten(out, is_leaf=_is_leaf)
    results = [_as_tensor(graph, leaf) for leaf in leaves]
    return Subgraph(graph, args, results, first_id), out_tree


def _flat_inputs(graph: Graph, tree: Any) -> tuple[list[Tensor], Any]:
    leaves, treedef = jax.tree_util.tree_flatten(tree, is_leaf=_is_leaf)
    return [_as_tensor(graph, leaf) for leaf in leaves], treedef


def _control_op(graph: Graph, name: str, op_type: str, inputs: list[Tensor],
                subgraphs: list[Subgraph], compute: Callable[..., Any],
                out_avals: list[tuple[Aval, Aval]]) -> Operation:
    captures: dict[Tensor, None] = {}
    control: list[Operation] = []
    for sub in subgraphs:
        captures.update(dict.fromkeys(sub.captures))
        control.extend(sub.control_ops)
    return make_operation(graph, name, op_type, inputs, compute, out_avals, kind="control",
                          control_inputs=control,
                          attrs={"subgraphs": subgraphs, "captures": list(captures)})


def _cast_like(values: Sequence[Any], like: Sequence[Tensor]) -> list[Any]:
    return [jnp.asarray(v, t.dtype) for v, t in zip(values, like, strict=True)]


def graph_scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any,
               length: int | None = None, reverse: bool = False, unroll: int = 1
               ) -> tuple[Any, Any]:
    """`lax.scan(f, init, xs)` as one graph op; `f` is traced once on step tensors."""
    graph = get_default_graph()
    carry_in, carry_tree = _flat_inputs(graph, init)
    xs_in = _flat_inputs(graph, xs)[0] if xs is not None else []
    if not xs_in and length is None:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    step_avals = [(make_aval(t._avals[0].shape[1:], t.dtype),
                   make_aval(t._avals[1].shape[1:], t.dtype)) for t in xs_in]
    carry_avals = [t._avals for t in carry_in]
    n_carry = len(carry_in)

    arg_tree = jax.tree_util.tree_structure((init, xs), is_leaf=_is_leaf)  # f(carry, x)
    sub, out_tree = trace_subgraph(f, [*carry_avals, *step_avals], arg_tree, "while")
    children = out_tree.children()
    if len(children) != 2:
        raise TypeError("scan body must return a pair (carry, y).")
    ys_tree = children[1]
    new_carry, ys = sub.results[:n_carry], sub.results[n_carry:]
    for old, new in zip(carry_in, new_carry, strict=True):
        if any(a is not None and b is not None and a != b
                for a, b in zip(old.shape, new.shape, strict=False)):
            raise ValueError(f"scan carry changed shape from {old.shape} to {new.shape}")

    def steps_of(i: int) -> int:
        if xs_in:
            return int(xs_in[0]._avals[i].shape[0])
        assert length is not None
        return length

    ys_avals = [(make_aval((steps_of(0), *y._avals[0].shape), y.dtype),
                 make_aval((steps_of(1), *y._avals[1].shape), y.dtype)) for y in ys]

    def compute(runner: Runner, *values: Any) -> list[Any]:
        init_values = list(values[:n_carry])
        xs_values = list(values[n_carry:n_carry + len(xs_in)])
        steps = int(xs_values[0].shape[0]) if xs_values else length

        def step(carry: list[Any], inp: Any) -> tuple[list[Any], list[Any]]:
            index, x = inp
            out = runner(sub, [*carry, *x], index)
            return _cast_like(out[:n_carry], carry_in), out[n_carry:]

        final, stacked = jax.lax.scan(step, _cast_like(init_values, carry_in),
                                      (jnp.arange(steps), xs_values), reverse=reverse,
                                      unroll=unroll)
        return [*final, *stacked]

    op = _control_op(graph, graph.unique_name("scan"), "While", [*carry_in, *xs_in], [sub],
                     compute, [*carry_avals, *ys_avals])
    carry_out = jax.tree_util.tree_unflatten(carry_tree, op.outputs[:n_carry])
    ys_out = jax.tree_util.tree_unflatten(ys_tree, op.outputs[n_carry:])
    return carry_out, ys_out


def graph_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any],
               name: str | None = None) -> Any:
    """`tf.cond` on a graph tensor: both branches traced, `lax.cond` when run."""
    graph = get_default_graph()
    pred_t = _as_tensor(graph, pred)
    with graph.name_scope(name or "cond"):
        true_sub, true_tree = trace_subgraph(lambda: true_fn(), [], None)
        false_sub, false_tree = trace_subgraph(lambda: false_fn(), [], None)
    if true_tree != false_tree:
        raise ValueError(f"true_fn and false_fn must return the same structure; got "
                         f"{true_tree} and {false_tree}.")
    out_avals = []
    for t, f in zip(true_sub.results, false_sub.results, strict=True):
        if t.dtype != f.dtype:
            raise TypeError(f"true_fn and false_fn return different dtypes: {t.dtype} and "
                            f"{f.dtype}.")
        if t.shape.as_list() != f.shape.as_list() and t.ndim == f.ndim:
            raise ValueError(f"true_fn and false_fn return different shapes: {t.shape} and "
                             f"{f.shape}; minitf's cond needs equal shapes.")
        out_avals.append(t._avals)

    def compute(runner: Runner, pred_value: Any) -> list[Any]:
        like = true_sub.results
        taken: list[Any] = jax.lax.cond(
            jnp.asarray(pred_value, bool).reshape(()),
            lambda: _cast_like(runner(true_sub, [], 0), like),
            lambda: _cast_like(runner(false_sub, [], 0), like))
        return taken

    op = _control_op(graph, graph.unique_name("cond/Merge"), "Merge", [pred_t],
                     [true_sub, false_sub], compute, out_avals)
    return jax.tree_util.tree_unflatten(true_tree, op.outputs)


def graph_while_loop(cond_fn: Callable[..., Any], body_fn: Callable[..., Any],
                     loop_vars: Any, maximum_iterations: int | None = None,
                     name: str | None = None) -> Any:
    """`tf.while_loop` on graph tensors, lowered to `lax.while_loop` (forward only), or
    with `maximum_iterations` to a masked `lax.scan` over that budget (differentiable)."""
    graph = get_default_graph()
    single = not isinstance(loop_vars, (list, tuple)) or isinstance(loop_vars, Tensor)
    structure = [loop_vars] if single else loop_vars
    vars_in, tree = _flat_inputs(graph, structure)
    avals = [t._avals for t in vars_in]

    # (the subgraphs get the loop variables unpacked, as TF's cond and body take them)
    with graph.name_scope(name or "while"):
        cond_sub, _ = trace_subgraph(cond_fn, avals, tree)
        body_sub, _ = trace_subgraph(
            (lambda *args: (body_fn(*args),)) if single else body_fn, avals, tree)

    def compute(runner: Runner, *values: Any) -> list[Any]:
        def holds(loop: list[Any], i: Any) -> Any:
            return jnp.asarray(runner(cond_sub, loop, i)[0], bool).reshape(())

        start = _cast_like(list(values), vars_in)
        if maximum_iterations is not None:
            # Bounded: a scan over the iteration budget that stops changing the loop
            # variables once `cond` fails, so the loop is reverse-differentiable.
            def bounded(state: tuple[Any, list[Any]], i: Any) -> tuple[Any, None]:
                running, loop = state
                running = jnp.logical_and(running, holds(loop, i))
                new = _cast_like(runner(body_sub, loop, i), vars_in)
                return (running, [jnp.where(running, n, o) for n, o in
                                  zip(new, loop, strict=True)]), None

            (_, final), _ = jax.lax.scan(bounded, (jnp.asarray(True), start),
                                         jnp.arange(int(maximum_iterations)))
            return list(final)

        def step(state: tuple[Any, list[Any]]) -> tuple[Any, list[Any]]:
            i, loop = state
            return i + 1, _cast_like(runner(body_sub, loop, i), vars_in)

        _, final = jax.lax.while_loop(lambda state: holds(state[1], state[0]), step,
                                      (jnp.asarray(0), start))
        return list(final)

    op = _control_op(graph, graph.unique_name("while/Exit"), "Exit", vars_in,
                     [cond_sub, body_sub], compute, avals)
    out = jax.tree_util.tree_unflatten(tree, op.outputs)
    return out[0] if single else type(loop_vars)(out) if isinstance(loop_vars, tuple) \
        else list(out)


def is_concrete_bool(pred: Any) -> bool:
    """A Python or NumPy boolean (TF's smart_cond takes the branch at build time)."""
    return isinstance(pred, (bool, np.bool_))
