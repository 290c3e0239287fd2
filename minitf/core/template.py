"""`make_template`: wrap a function so every call shares the first call's variables.

The first call in a graph opens a unique variable scope (`name`, `name_1`, ...)
and creates variables; later calls re-enter that scope with reuse=True. As TF's
Template does, a later call that creates a new *trainable* variable is an error
(almost always a tf.Variable where tf.get_variable was meant), and any error is
re-raised with where the template was defined.

What a template learns (its scope, whether its variables exist) is per graph,
kept in the frame's per-owner state: a template made at module level works in
every trace (`init`, `apply`, each `jit`), each of which is a fresh graph.
"""
from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import Any

from minitf.core.frame import GraphKeys, get_default_graph
from minitf.core.scopes import (
    VariableScope,
    _Overrides,
    _pure_variable_scope,
    unique_variable_scope,
    variable_scope,
)

__all__ = ["Template", "make_template"]


class Template:
    """A function whose variables are created once per graph and shared on later calls."""

    def __init__(self, name: str, func: Callable[..., Any], create_scope_now: bool = False,
                 unique_name: str | None = None, custom_getter: Any = None) -> None:
        if name is None:
            raise ValueError("name cannot be None.")
        self._func = func
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._stacktrace = "".join(traceback.format_stack()[:-2][-3:])
        self._create_scope_now = create_scope_now
        if create_scope_now:
            self._state()  # claims the unique scope in the current graph now

    def _state(self) -> dict[str, Any]:
        """This template's state in the current graph (its scope is made on first use)."""
        state = get_default_graph().state_for(self)
        if not state:
            state.update(variable_scope=None, variables_created=False, first_call=True)
            if self._create_scope_now:  # in a later graph: as if made at its start
                with _pure_variable_scope(
                        self._unique_name or unique_variable_scope(self._name),
                        overrides=_Overrides(custom_getter=self._custom_getter)) as vs:
                    state["variable_scope"] = vs
        return state

    def _call_func(self, state: dict[str, Any], args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> Any:
        try:
            graph = get_default_graph()
            if state["variables_created"]:
                trainable_at_start = len(graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))
                result = self._func(*args, **kwargs)
                trainable = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
                if trainable_at_start != len(trainable):
                    raise ValueError(
                        "Trainable variable created when calling a template after the "
                        "first time, perhaps you used tf.Variable when you meant "
                        "tf.get_variable: %s" % (trainable[trainable_at_start:],))
                return result
            if state["first_call"]:
                state["first_call"] = False
                try:
                    result = self._func(*args, **kwargs)
                except BaseException:
                    state["first_call"] = True
                    raise
                state["variables_created"] = True
                return result
            return self._func(*args, **kwargs)
        except Exception as exc:
            first = exc.args[0] if exc.args else ""
            if isinstance(first, str):
                exc.args = (f"{first}\n\noriginally defined at:\n{self._stacktrace}",
                            *exc.args[1:])
            raise

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        state = self._state()
        if state["variable_scope"] is not None:
            with variable_scope(state["variable_scope"], reuse=not state["first_call"]):
                return self._call_func(state, args, kwargs)
        with variable_scope(self._unique_name, self._name,
                            custom_getter=self._custom_getter) as vs:
            state["variable_scope"] = vs
            return self._call_func(state, args, kwargs)

    @property
    def name(self) -> str:
        return self._name

    @property
    def func(self) -> Callable[..., Any]:
        return self._func

    @property
    def variable_scope(self) -> VariableScope | None:
        scope: VariableScope | None = get_default_graph().state_for(self).get("variable_scope")
        return scope

    @property
    def variable_scope_name(self) -> str | None:
        scope = self.variable_scope
        if scope is None:
            return None
        return scope.name + "/" if scope.name else scope.name

    def _scoped(self, key: str) -> list[Any]:
        if not get_default_graph().state_for(self).get("variables_created"):
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name or "")

    @property
    def variables(self) -> list[Any]:
        return self.global_variables + self.local_variables

    @property
    def trainable_variables(self) -> list[Any]:
        return self._scoped(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self) -> list[Any]:
        trainable = {id(v) for v in self.trainable_variables}
        return [v for v in self.global_variables if id(v) not in trainable]

    @property
    def global_variables(self) -> list[Any]:
        return self._scoped(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self) -> list[Any]:
        return self._scoped(GraphKeys.LOCAL_VARIABLES)


def make_template(name_: str, func_: Callable[..., Any], create_scope_now_: bool = False,
                  unique_name_: str | None = None, custom_getter_: Any = None,
                  **kwargs: Any) -> Template:
    """TF1's `tf.make_template`: bind kwargs, share variables across calls."""
    if kwargs:
        func_ = functools.wraps(func_)(functools.partial(func_, **kwargs))
    return Template(name_, func_, create_scope_now=create_scope_now_,
                    unique_name=unique_name_, custom_getter=custom_getter_)
