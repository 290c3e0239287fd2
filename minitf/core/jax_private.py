"""The two JAX internals minitf relies on, in one place.

* the current trace (`jax._src.core.trace_ctx`): variables may only be created
  in the trace that owns their graph, or their values would leak as tracers;
* `source_info_util.reset_name_stack`: re-entering an absolute TF name scope
  ('a/b/') replaces JAX's name stack instead of nesting under it.

`tests/test_architecture.py` fails loudly if JAX moves either; then only this
module needs changing.
"""
from __future__ import annotations

import contextlib
from typing import Any

from jax._src import source_info_util
from jax._src.core import trace_ctx

__all__ = ["current_trace", "is_tracing", "reset_name_stack"]


def current_trace() -> Any:
    """The JAX trace operations are recorded in now (an EvalTrace when running op by op)."""
    return trace_ctx.trace


def is_tracing() -> bool:
    """Whether JAX is tracing now (jit, grad, vmap, ...) rather than running op by op."""
    return type(trace_ctx.trace).__name__ != "EvalTrace"


def reset_name_stack() -> contextlib.AbstractContextManager[Any]:
    """A context in which JAX's name stack starts empty."""
    return source_info_util.reset_name_stack()
