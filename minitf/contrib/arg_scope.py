"""slim's `arg_scope`: default keyword arguments for decorated functions, by scope.

`@add_arg_scope` marks a function; inside `with arg_scope([f, g], k=v):` calls
of `f` and `g` get `k=v` unless the call passes `k` itself. Scopes nest (inner
values win) and `arg_scope` yields the scope (a dict) so it can be re-entered
later with `with arg_scope(saved):`, as slim's `*_arg_scope()` helpers return it.
The stack is per thread, like slim's, and independent of graphs and traces.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "add_arg_scope",
    "arg_scope",
    "arg_scoped_arguments",
    "current_arg_scope",
    "has_arg_scope",
]


class _Stack(threading.local):
    def __init__(self) -> None:
        self.scopes: list[dict] = []


_STACK = _Stack()
_DECORATED: set[Any] = set()


def _key(op: Callable) -> Any:
    return getattr(op, "_key_op", op)


def current_arg_scope() -> dict:
    """The innermost scope: {function key: {argument: default}} (empty outside any)."""
    return _STACK.scopes[-1] if _STACK.scopes else {}


def has_arg_scope(func: Callable) -> bool:
    """Whether `func` was decorated with `add_arg_scope`."""
    return _key(func) in _DECORATED


def arg_scoped_arguments(func: Callable) -> list[str]:
    """The argument names of a decorated function (what an arg_scope may set)."""
    import inspect

    return list(inspect.signature(_key(func)).parameters)


@contextlib.contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any) -> Iterator[dict]:
    """Set `kwargs` as defaults for each op in the list, or re-enter a saved scope dict."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope "
                            "(i.e. dict)")
        scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{getattr(op, '__name__', op)} is not decorated with "
                                 "@add_arg_scope")
            key = _key(op)
            scope[key] = {**scope.get(key, {}), **kwargs}
    _STACK.scopes.append(scope)
    try:
        yield scope
    finally:
        _STACK.scopes.pop()


def add_arg_scope(func: Callable) -> Callable:
    """Decorate `func` so that enclosing `arg_scope`s supply its keyword defaults."""
    _DECORATED.add(func)

    @functools.wraps(func)
    def func_with_args(*args: Any, **kwargs: Any) -> Any:
        defaults = current_arg_scope().get(func)
        if defaults:
            kwargs = {**defaults, **kwargs}
        return func(*args, **kwargs)

    func_with_args._key_op = func  # type: ignore[attr-defined]
    return func_with_args
