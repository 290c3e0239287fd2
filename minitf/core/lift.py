"""JAX control flow and transformations lifted over minitf's variables.

A variable created inside `jax.lax.scan` (or vmap, checkpoint, cond) during
init would be a tracer of that inner trace and leak. These wrappers avoid
that with one mechanism: when the graph may create variables (init, eager),
they first *probe* the body once at the outer level, which creates its
variables, then restore the graph's naming state and run the real JAX
transformation with those variables served as outer values (closed over).
In apply nothing needs creating, so the probe is skipped and the result is
exactly the raw JAX transformation.

Random ops inside `scan` get a fresh key per step.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp

from minitf.core.frame import Graph, get_default_graph
from minitf.core.sources import ReplaySource
from minitf.core.subgraphs import graph_cond, graph_scan, graph_while_loop, is_concrete_bool


@contextlib.contextmanager
def _replaying(graph: Graph, created: dict[str, Any]) -> Iterator[None]:
    previous = graph.source
    graph.source = ReplaySource(created, previous, strict=True)
    try:
        yield
    finally:
        graph.source = previous


def _lift(graph: Graph, probe: Callable[[], Any], run: Callable[[], Any]) -> Any:
    """Create the body's variables with `probe` (outer level), then `run` replaying them."""
    if not graph.source.creates:
        return run()
    before_probe = graph.snapshot_naming()
    known = set(graph.variables_by_name)
    probe()
    created = {name: var.value() for name, var in graph.variables_by_name.items()
               if name not in known}
    after_probe = graph.snapshot_naming()
    graph.restore_naming(before_probe)
    with _replaying(graph, created):
        out = run()
    # The graph keeps the probe's outer-level state (handles, collections), never
    # objects made inside the inner trace.
    graph.restore_naming(after_probe)
    return out


def _first(tree: Any) -> Any:
    return jax.tree_util.tree_map(lambda x: x[0], tree)


def scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any = None,
         length: int | None = None, reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:
    """`jax.lax.scan` whose body may call get_variable / layers (weights shared over steps).

    In a TF1 graph the body is traced once into the graph (see `subgraphs`).
    """
    graph = get_default_graph()
    if graph.is_graph_mode:
        return graph_scan(f, init, xs, length, reverse, unroll)
    # A fresh key per scan (two scans in one trace must not share step keys).
    base = graph.next_rng_key() if graph.has_rng() else None
    steps = length if xs is None else jax.tree_util.tree_leaves(xs)[0].shape[0]
    if steps is None:  # jax.lax.scan's own error, before the probe runs
        raise ValueError("scan got no values to scan over and `length` not provided.")

    def probe() -> Any:
        return f(init, None if xs is None else _first(xs))

    def body(carry: Any, inputs: Any) -> Any:
        x, key = inputs
        with graph.rng_scope(key):
            return f(carry, x)

    def run() -> Any:
        keys = (jax.random.split(base, steps) if base is not None
                else jnp.zeros((steps,), jnp.uint32))
        if base is None:
            return jax.lax.scan(lambda c, i: f(c, i[0]), init, (xs, keys), length=length,
                                reverse=reverse, unroll=unroll)
        return jax.lax.scan(body, init, (xs, keys), length=length, reverse=reverse,
                            unroll=unroll)

    carry_and_ys: tuple[Any, Any] = _lift(graph, probe, run)
    return carry_and_ys


def vmap(f: Callable[..., Any], in_axes: Any = 0, out_axes: Any = 0,
         axis_name: Any = None) -> Callable[..., Any]:
    """`jax.vmap` whose function may create variables; they are shared across the batch."""

    def wrapped(*args: Any) -> Any:
        graph = get_default_graph()
        axes = in_axes if isinstance(in_axes, (tuple, list)) else (in_axes,) * len(args)

        def probe() -> Any:
            # (a wrong number of axes is jax.vmap's error to report, on the real run)
            sliced = [a if ax is None else jax.tree_util.tree_map(
                lambda x, ax=ax: jnp.take(x, 0, axis=ax), a)
                for a, ax in zip(args, axes, strict=False)]
            return f(*sliced)

        return _lift(graph, probe, lambda: jax.vmap(f, in_axes, out_axes, axis_name)(*args))

    return wrapped


def remat(f: Callable[..., Any], **checkpoint_kwargs: Any) -> Callable[..., Any]:
    """`jax.checkpoint` whose function may create variables."""

    def wrapped(*args: Any) -> Any:
        graph = get_default_graph()
        return _lift(graph, lambda: f(*args),
                     lambda: jax.checkpoint(f, **checkpoint_kwargs)(*args))

    return wrapped


checkpoint = remat


def cond(pred: Any, true_fn: Callable[..., Any] | None = None,
         false_fn: Callable[..., Any] | None = None, *operands: Any, strict: bool = False,
         name: str | None = None, fn1: Callable[..., Any] | None = None,
         fn2: Callable[..., Any] | None = None) -> Any:
    """`jax.lax.cond` whose branches may create variables (both branches' are created).

    In a TF1 graph it is TF's `tf.cond(pred, true_fn, false_fn)`: a Python bool picks
    a branch now; a boolean tensor builds both branches and picks one per run.
    """
    true_fn, false_fn = true_fn or fn1, false_fn or fn2
    if true_fn is None or false_fn is None:
        raise TypeError("cond(): true_fn and false_fn are required.")
    graph = get_default_graph()
    if graph.is_graph_mode:
        if is_concrete_bool(pred):
            return true_fn(*operands) if pred else false_fn(*operands)
        return graph_cond(pred, lambda: true_fn(*operands), lambda: false_fn(*operands), name)

    def probe() -> None:
        true_fn(*operands)
        false_fn(*operands)

    return _lift(graph, probe, lambda: jax.lax.cond(pred, true_fn, false_fn, *operands))


def while_loop(cond_fun: Callable[..., Any], body_fun: Callable[..., Any], init_val: Any,
               shape_invariants: Any = None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: str | None = None,
               maximum_iterations: int | None = None,
               return_same_structure: bool = False) -> Any:
    """`jax.lax.while_loop` whose body may create variables.

    In a TF1 graph it is TF's `tf.while_loop(cond, body, loop_vars)` (cond and body
    take the loop variables unpacked), lowered to `lax.while_loop` (no gradient).
    """
    graph = get_default_graph()
    if graph.is_graph_mode:
        return graph_while_loop(cond_fun, body_fun, init_val, maximum_iterations, name)

    def probe() -> None:
        cond_fun(init_val)
        body_fun(init_val)

    return _lift(graph, probe, lambda: jax.lax.while_loop(cond_fun, body_fun, init_val))


def case(pred_fn_pairs: Any, default: Callable[[], Any] | None = None,
         exclusive: bool = False, strict: bool = False, name: str = "case") -> Any:
    """TF's `tf.case`: the branch of the first true predicate, else `default` (nested
    `cond`s, so a TF1 graph picks the branch per run)."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) \
        else list(pred_fn_pairs)
    if not pairs:
        raise ValueError("tf.case: pred_fn_pairs must not be empty.")
    if default is None:  # TF: the last branch is taken when no predicate is true
        pairs, default = pairs[:-1], pairs[-1][1]
    chosen: Callable[[], Any] = default
    for pred, branch in reversed(pairs):
        chosen = functools.partial(cond, pred, branch, chosen)
    return chosen()
