"""TF1's class-style layers (`tf.layers.Dense(...)`): an object over the functional layer.

A layer object keeps its configuration; calling it runs the functional form
(`dense`, `conv2d`, ...), so the arithmetic and variables are defined once. As
TF1's legacy `Layer`, the first call captures a variable scope —
`variable_scope(None, default_name=name or <snake_case class name>)`, so two
`Dense(4, name="foo")` objects get `foo` and `foo_1` — and every later call
reuses it, wherever it is called from. What a layer remembers is kept per graph
(as for RNN cells), so one object works in `init`, `apply` and eagerly.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from minitf.core import GraphKeys, get_collection, get_default_graph, variable_scope

__all__ = ["Layer"]


class _GraphState:
    __slots__ = ("built", "scope")

    def __init__(self) -> None:
        self.scope: Any = None
        self.built = False


class Layer:
    """Base of the class-style layers: `function` is the functional layer it calls.

    Subclasses set `function`, `default_name`, `has_variables` and `call_args`
    (the call-time keyword arguments, e.g. `training`).
    """

    function: Callable[..., Any]
    default_name = "layer"
    has_variables = True
    call_args: tuple[str, ...] = ()

    def __init__(self, *args: Any, trainable: bool = True, name: str | None = None,
                 dtype: Any = None, _scope: Any = None, _reuse: Any = None,
                 **config: Any) -> None:
        self._args, self._config = args, config
        self.trainable = trainable
        self._base_name = name or self.default_name
        self._init_scope, self._reuse = _scope, _reuse
        self.dtype = dtype
        self._states: weakref.WeakKeyDictionary[Any, _GraphState] = \
            weakref.WeakKeyDictionary()

    @property
    def name(self) -> str:
        return self._base_name

    def _state(self) -> _GraphState:
        graph = get_default_graph()
        state = self._states.get(graph)
        if state is None:
            state = self._states[graph] = _GraphState()
        return state

    def _capture_scope(self, state: _GraphState) -> Any:
        if state.scope is None:
            if self._reuse or self._init_scope is not None:
                scope = variable_scope(self._init_scope if self._init_scope is not None
                                       else self._base_name)
            else:
                scope = variable_scope(None, default_name=self._base_name)
            with scope as captured:
                state.scope = captured
        return state.scope

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        unknown = set(kwargs) - set(self.call_args)
        if unknown or len(args) > len(self.call_args):
            raise TypeError(f"{type(self).__name__} called with unexpected arguments "
                            f"{sorted(unknown) or args}")
        kwargs.update(zip(self.call_args, args, strict=False))
        if not self.has_variables:
            return type(self).function(inputs, *self._args, name=self._base_name,
                                       **self._config, **kwargs)
        state = self._state()
        scope = self._capture_scope(state)
        outputs = type(self).function(inputs, *self._args, trainable=self.trainable,
                                      name=scope, reuse=True if state.built else self._reuse,
                                      **self._config, **kwargs)
        state.built = True
        return outputs

    apply = __call__

    # -- the variables of the current graph ---------------------------------------
    @property
    def variables(self) -> list[Any]:
        state = self._state()
        if state.scope is None:
            return []
        return get_collection(GraphKeys.GLOBAL_VARIABLES, state.scope.name + "/")

    weights = variables

    @property
    def trainable_variables(self) -> list[Any]:
        names = {id(v) for v in get_collection(GraphKeys.TRAINABLE_VARIABLES)}
        return [v for v in self.variables if id(v) in names]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list[Any]:
        names = {id(v) for v in get_collection(GraphKeys.TRAINABLE_VARIABLES)}
        return [v for v in self.variables if id(v) not in names]

    non_trainable_weights = non_trainable_variables

    def _weight(self, short_name: str) -> Any:
        for v in self.variables:
            if v.name.split(":")[0].rsplit("/", 1)[-1] == short_name:
                return v
        return None

    kernel = property(lambda self: self._weight("kernel"))
    bias = property(lambda self: self._weight("bias"))
    gamma = property(lambda self: self._weight("gamma"))
    beta = property(lambda self: self._weight("beta"))
    moving_mean = property(lambda self: self._weight("moving_mean"))
    moving_variance = property(lambda self: self._weight("moving_variance"))
    depthwise_kernel = property(lambda self: self._weight("depthwise_kernel"))
    pointwise_kernel = property(lambda self: self._weight("pointwise_kernel"))
