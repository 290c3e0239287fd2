"""TF1's higher-order functions: `tf.scan`, `tf.foldl`, `tf.foldr`, `tf.map_fn`.

TF's signatures and semantics (`fn(acc, x)` returning the new accumulator; no
`initializer` means the first element starts the accumulation and, for `scan`, is
the first output), each lowered to the one lifted loop, `minitf.lift.scan`: one
compiled body, variables created in `fn` shared by every step, in `transform` and
in a TF1 graph alike.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax

from minitf.core import lift
from minitf.ops import array_ops

__all__ = ["foldl", "foldr", "map_fn", "scan"]


def _as_elems(elems: Any) -> Any:
    return jax.tree_util.tree_map(array_ops.convert_to_tensor, elems)


def _take(elems: Any, index: Any) -> Any:
    return jax.tree_util.tree_map(lambda e: e[index], elems)


def _split_first(elems: Any, reverse: bool) -> tuple[Any, Any]:
    """(the element that starts the accumulation, the ones left to scan over)."""
    if reverse:
        return _take(elems, -1), _take(elems, slice(None, -1))
    return _take(elems, 0), _take(elems, slice(1, None))


def _accumulate(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any,
                reverse: bool) -> tuple[Any, Any, Any]:
    """(first accumulator or None, final accumulator, stacked accumulators)."""
    elems = _as_elems(elems)
    first = None
    if initializer is None:
        first, elems = _split_first(elems, reverse)
        initializer = first

    def step(acc: Any, x: Any) -> tuple[Any, Any]:
        new = fn(acc, x)
        return new, new

    final, stacked = lift.scan(step, initializer, elems, reverse=reverse)
    return first, final, stacked


def scan(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
         parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
         infer_shape: bool = True, reverse: bool = False, name: str | None = None) -> Any:
    """TF1's `tf.scan`: every accumulator `fn(acc, x)` over `elems` (axis 0), stacked.

    Without `initializer` the first element (the last when `reverse`) starts the
    accumulation and is the first (last) output, as in TF:
    `scan(lambda a, x: a + x, np.array([1, 2, 3]))` is `[1, 3, 6]`. `parallel_iterations`,
    `back_prop`, `swap_memory` and `infer_shape` are TF's scheduling hints (XLA decides).
    """
    first, _, stacked = _accumulate(fn, elems, initializer, reverse)
    if first is None:
        return stacked

    def with_first(start: Any, rest: Any) -> Any:
        ends = [rest, array_ops.expand_dims(start, 0)]
        return array_ops.concat(ends if reverse else ends[::-1], 0)

    return jax.tree_util.tree_map(with_first, first, stacked)


def foldl(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """TF1's `tf.foldl`: the final accumulator of `fn(acc, x)` from first to last."""
    return _accumulate(fn, elems, initializer, reverse=False)[1]


def foldr(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """TF1's `tf.foldr`: the final accumulator of `fn(acc, x)` from last to first."""
    return _accumulate(fn, elems, initializer, reverse=True)[1]


def map_fn(fn: Callable[[Any], Any], elems: Any, dtype: Any = None,
           parallel_iterations: int | None = None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True, name: str | None = None) -> Any:
    """TF1's `tf.map_fn`: `fn` on each element of `elems` (axis 0), outputs stacked.

    `fn` runs as one loop body (variables it creates are shared by every element);
    `dtype` (TF's hint for an output structure unlike `elems`) is read off `fn`'s result.
    """
    def step(carry: Any, x: Any) -> tuple[Any, Any]:
        return carry, fn(x)

    return lift.scan(step, (), _as_elems(elems))[1]
