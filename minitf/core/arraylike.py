"""Array behaviour for objects that stand for a value: variables and lazy tensors.

Subclasses define `value()`. The mixin gives them arithmetic (`x @ w + b`),
`np.asarray`, indexing, and pytree registration with the value as the only
leaf, so `jnp` functions accept them and, under `jit`, they are just the array.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core.tensor import Tensor


class ArrayLike:
    """Mixin: behave like the array returned by `self.value()`."""

    __slots__ = ()

    def value(self) -> jax.Array:
        raise NotImplementedError

    def __jax_array__(self) -> jax.Array:
        return self.value()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self.value(), dtype=dtype)

    def numpy(self) -> np.ndarray:
        return np.asarray(self.value())

    def eval(self, session: Any = None) -> np.ndarray:
        return self.numpy()

    def __getitem__(self, idx: Any) -> jax.Array:
        return self.value()[idx]

    def __len__(self) -> int:
        return len(self.value())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.value())

    def __bool__(self) -> bool:
        return bool(self.value())

    def __float__(self) -> float:
        return float(self.value())

    def __int__(self) -> int:
        return int(self.value())

    @property
    def T(self) -> jax.Array:
        return self.value().T

    def astype(self, dtype: Any) -> jax.Array:
        return self.value().astype(dtype)

    def reshape(self, *shape: Any) -> jax.Array:
        return self.value().reshape(*shape)

    def __neg__(self) -> jax.Array:
        return -self.value()

    def __pos__(self) -> jax.Array:
        return self.value()

    def __abs__(self) -> jax.Array:
        return abs(self.value())

    def __invert__(self) -> jax.Array:
        return ~self.value()

    if TYPE_CHECKING:  # attached below, from the operator and method tables
        def __add__(self, other: Any) -> jax.Array: ...
        def __radd__(self, other: Any) -> jax.Array: ...
        def __sub__(self, other: Any) -> jax.Array: ...
        def __rsub__(self, other: Any) -> jax.Array: ...
        def __mul__(self, other: Any) -> jax.Array: ...
        def __rmul__(self, other: Any) -> jax.Array: ...
        def __truediv__(self, other: Any) -> jax.Array: ...
        def __rtruediv__(self, other: Any) -> jax.Array: ...
        def __floordiv__(self, other: Any) -> jax.Array: ...
        def __rfloordiv__(self, other: Any) -> jax.Array: ...
        def __mod__(self, other: Any) -> jax.Array: ...
        def __rmod__(self, other: Any) -> jax.Array: ...
        def __pow__(self, other: Any) -> jax.Array: ...
        def __rpow__(self, other: Any) -> jax.Array: ...
        def __matmul__(self, other: Any) -> jax.Array: ...
        def __rmatmul__(self, other: Any) -> jax.Array: ...
        def __and__(self, other: Any) -> jax.Array: ...
        def __rand__(self, other: Any) -> jax.Array: ...
        def __or__(self, other: Any) -> jax.Array: ...
        def __ror__(self, other: Any) -> jax.Array: ...
        def __xor__(self, other: Any) -> jax.Array: ...
        def __rxor__(self, other: Any) -> jax.Array: ...
        def __lt__(self, other: Any) -> jax.Array: ...
        def __le__(self, other: Any) -> jax.Array: ...
        def __gt__(self, other: Any) -> jax.Array: ...
        def __ge__(self, other: Any) -> jax.Array: ...

        def sum(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def mean(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def max(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def min(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def prod(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def std(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def var(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def argmax(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def argmin(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def transpose(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def flatten(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def ravel(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def squeeze(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def clip(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def dot(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def round(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def any(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def all(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def cumsum(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def swapaxes(self, *args: Any, **kwargs: Any) -> jax.Array: ...
        def item(self, *args: Any, **kwargs: Any) -> Any: ...  # a Python scalar
        def tolist(self, *args: Any, **kwargs: Any) -> Any: ...  # nested Python lists


def unwrap(x: Any) -> Any:
    """The value behind an ArrayLike, else `x` itself."""
    return x.value() if isinstance(x, ArrayLike) else x


_Binary = Callable[[ArrayLike, Any], jax.Array]


def _binary(op: Callable[[Any, Any], jax.Array]) -> tuple[_Binary, _Binary]:
    def forward(self: ArrayLike, other: Any) -> jax.Array:
        return op(self.value(), unwrap(other))

    def reflected(self: ArrayLike, other: Any) -> jax.Array:
        return op(unwrap(other), self.value())

    return forward, reflected


# Python's operators, so a value that is a graph tensor takes its own (TF's ops).
_ARITHMETIC: dict[str, Callable[[Any, Any], jax.Array]] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
    "pow": operator.pow, "matmul": operator.matmul, "and": operator.and_,
    "or": operator.or_, "xor": operator.xor,
}
_COMPARISONS: dict[str, Callable[[Any, Any], jax.Array]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}

for _name, _op in _ARITHMETIC.items():
    _fwd, _ref = _binary(_op)
    setattr(ArrayLike, f"__{_name}__", _fwd)
    setattr(ArrayLike, f"__r{_name}__", _ref)

for _name, _op in _COMPARISONS.items():
    setattr(ArrayLike, f"__{_name}__", _binary(_op)[0])


def _method(name: str) -> Callable[..., Any]:
    def method(self: ArrayLike, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.value(), name)(*args, **kwargs)

    method.__name__ = name
    return method


# The jax.Array methods model code calls on variables (explicit: no __getattr__
# magic, which JAX's own attribute probes could trip over).
for _name in ("sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin",
              "transpose", "flatten", "ravel", "squeeze", "clip", "dot", "round", "any",
              "all", "cumsum", "swapaxes", "item", "tolist"):
    setattr(ArrayLike, _name, _method(_name))


def register_value_pytree(cls: type) -> type:
    """Register `cls` as a pytree whose one leaf is its value; it unflattens to the value."""
    jax.tree_util.register_pytree_node(
        cls, lambda obj: ((obj.value(),), None), lambda aux, children: children[0])
    return cls


@register_value_pytree
class LazyTensor(ArrayLike):
    """A value computed when read, in whichever trace reads it (TF's _LazyEvalTensor).

    Regularization losses are kept this way, so a loss registered by a variable
    first seen inside a scan body is still evaluated at the outer level.
    """

    __slots__ = ("_thunk", "name")

    def __init__(self, thunk: Callable[[], Any], name: str = "") -> None:
        self._thunk = thunk
        self.name = name

    def value(self) -> Any:  # an array, or a graph tensor in a TF1 graph
        value = unwrap(self._thunk())
        return value if isinstance(value, Tensor) else jnp.asarray(value)

    def __repr__(self) -> str:
        return f"<LazyTensor '{self.name}'>"


def as_jax_array(x: Any) -> Any:
    """An input as a JAX array: values of variables and lazy tensors, anything else
    through `jnp.asarray` (JAX arrays, tracers and graph tensors pass through untouched)."""
    x = x.value() if isinstance(x, ArrayLike) else x
    return x if isinstance(x, (jax.Array, Tensor)) else jnp.asarray(x)


def as_array(x: Any) -> Any:
    """An op input as an array: variables and lazy tensors give their value, lists become
    arrays (TF's convert_to_tensor for op inputs); arrays pass through untouched."""
    x = x.value() if isinstance(x, ArrayLike) else x
    return jnp.asarray(x) if isinstance(x, (list, tuple)) else x
