"""The two JAX internals minitf relies on, in one place.

* the current trace (`jax._src.core.trace_ctx`): variables may only be created
  in the trace that owns their graph, or their values would leak as tracers;
* `source_info_util.reset_name_stack`: re-entering an absolute TF name scope
  ('a/b/') replaces JAX's name stack instead of nesting under it;
* the classes of concrete arrays and tracers, whose `.shape` and `get_shape()`
  become TF1's `TensorShape` (a tuple of ints whose items are `Dimension`s with
  `.value`), so model code reading sizes the TF1 way (`x.shape[1].value`) runs
  unchanged. A `TensorShape` equals, hashes and iterates as the plain tuple JAX
  stored, so JAX's own code sees no difference, and one per distinct shape is
  kept, so reading `.shape` costs what JAX's own property did.

`tests/test_architecture.py` fails loudly if JAX moves either; then only this
module needs changing.
"""
from __future__ import annotations

import contextlib
from typing import Any

from jax._src import source_info_util
from jax._src.array import ArrayImpl
from jax._src.core import Tracer, trace_ctx

from minitf.core.shapes import TensorShape

__all__ = ["current_trace", "install_tf_shape_api", "is_tracing", "reset_name_stack"]


def current_trace() -> Any:
    """The JAX trace operations are recorded in now (an EvalTrace when running op by op)."""
    return trace_ctx.trace


def is_tracing() -> bool:
    """Whether JAX is tracing now (jit, grad, vmap, ...) rather than running op by op."""
    return type(trace_ctx.trace).__name__ != "EvalTrace"


def reset_name_stack() -> contextlib.AbstractContextManager[Any]:
    """A context in which JAX's name stack starts empty."""
    return source_info_util.reset_name_stack()


_TF_SHAPES: dict[tuple[Any, ...], TensorShape] = {}  # JAX's shape -> its TensorShape
_MAX_TF_SHAPES = 4096  # a program has few distinct shapes; the bound guards odd ones


def _tf_shape(self: Any) -> TensorShape:
    """TF1's static shape of an array or tracer: a `TensorShape` over JAX's tuple, one
    per distinct shape (a dict hit costs what JAX's own property did)."""
    shape = self.aval.shape
    found = _TF_SHAPES.get(shape)
    if found is None:
        if len(_TF_SHAPES) >= _MAX_TF_SHAPES:
            _TF_SHAPES.clear()
        found = _TF_SHAPES[shape] = TensorShape(shape)
    return found


_TF_SHAPE = property(_tf_shape, doc="The static shape, as TF1's `TensorShape`.")


def install_tf_shape_api() -> None:
    """Give JAX arrays and tracers TF1's `.shape` and `get_shape()` (idempotent)."""
    classes: tuple[type, ...] = (ArrayImpl, Tracer)
    for cls in classes:
        setattr(cls, "shape", _TF_SHAPE)  # noqa: B010 - replaces JAX's plain-tuple property
        setattr(cls, "get_shape", _tf_shape)  # noqa: B010 - TF1's method, JAX has none


install_tf_shape_api()
