"""The variable handle: TF1's name and metadata around a JAX value.

A `Variable` is what `get_variable` and `Variable(...)` return. It carries the
TF1 identity (`name` "a/b/w:0", shape, dtype, trainable) and reads its value
from the graph that owns it, so `x @ w + b` and `jnp.tanh(w)` just work. It is
registered as a pytree whose only leaf is the current value: under `jit` it is
nothing but the parameter array, at no run-time cost.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core.arraylike import ArrayLike, register_value_pytree
from minitf.core.callsite import user_site
from minitf.core.sources import Placeholder


class TensorShape(tuple):
    """A tuple of dims with TF1's `as_list()` and `ndims`, printed like TF (`(3,)`)."""

    def as_list(self) -> list[int]:
        return list(self)

    @property
    def ndims(self) -> int:
        return len(self)

    @property
    def rank(self) -> int:
        return len(self)

    def is_fully_defined(self) -> bool:
        return all(d is not None for d in self)


class _Op:
    """Just enough of TF's `Operation` for `v.op.name`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


@register_value_pytree
class Variable(ArrayLike):
    """A TF1-style variable handle living in one Graph."""

    __slots__ = ("_graph", "_op_name", "_shape", "_dtype", "trainable", "_value",
                 "created_at", "sharding", "__weakref__")

    def __init__(self, graph: Any, op_name: str, shape: tuple[int, ...], dtype: Any,
                 trainable: bool, value: Any) -> None:
        self._graph = graph
        self._op_name = op_name
        self._shape = TensorShape(shape)
        self._dtype = dtype if type(dtype) is np.dtype or isinstance(dtype, np.dtype) \
            else jnp.dtype(dtype)
        self.trainable = trainable
        self._value = value
        self.created_at = user_site()
        self.sharding = None  # layout annotation (minitf.sharding), set by get_variable

    # -- identity ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self._op_name + ":0"

    @property
    def op(self) -> _Op:
        return _Op(self._op_name)

    @property
    def graph(self) -> Any:
        return self._graph

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        return int(np.prod(self._shape, dtype=np.int64))

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self._shape} "
                f"dtype={self._dtype.name}>")

    # -- value --------------------------------------------------------------
    def value(self) -> jax.Array:
        """The variable's current value in its graph (after any assign)."""
        reads = self._graph.read_log
        if reads is not None:
            reads[self._op_name] = reads.get(self._op_name, 0) + 1
        value = self._value
        if isinstance(value, Placeholder):
            value = self._value = value.materialize()
        return value

    read_value = value

    def initialized_value(self) -> jax.Array:
        return self.value()

    # -- assignment ---------------------------------------------------------
    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Any:
        """Set the value; inside `apply`, collected as an update (see transform)."""
        from minitf.core.assign import assign

        return assign(self, value)

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        from minitf.core.assign import assign_add

        return assign_add(self, delta)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        from minitf.core.assign import assign_sub

        return assign_sub(self, delta)

    def __len__(self) -> int:
        return self._shape[0]

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> Any:  # TF1 variables compare by identity
        return self is other

    def __ne__(self, other: Any) -> Any:
        return self is not other


