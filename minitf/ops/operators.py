"""Python operators on graph tensors (`x + y`, `-x`, `x[0]`, `x @ w`), as TF's ops.

TF installs its operator overloads from its math ops; so does minitf: each
operator calls the one op that defines it, under the name TF gives the op it
builds for that operator ("add", "mul", "strided_slice", ...).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minitf.core.tensor import Tensor
from minitf.ops import array_ops, math_ops

_BINARY: dict[str, tuple[Callable[..., Any], str]] = {
    "add": (math_ops.add, "add"), "sub": (math_ops.subtract, "sub"),
    "mul": (math_ops.multiply, "mul"), "truediv": (math_ops.truediv, "truediv"),
    "floordiv": (math_ops.floordiv, "floordiv"), "mod": (math_ops.mod, "mod"),
    "pow": (math_ops.pow_, "pow"), "matmul": (math_ops.matmul, "matmul"),
    "and": (math_ops.logical_and, "LogicalAnd"), "or": (math_ops.logical_or, "LogicalOr"),
}
_COMPARISONS: dict[str, tuple[Callable[..., Any], str]] = {
    "lt": (math_ops.less, "Less"), "le": (math_ops.less_equal, "LessEqual"),
    "gt": (math_ops.greater, "Greater"), "ge": (math_ops.greater_equal, "GreaterEqual"),
}


def _binary(op: Callable[..., Any], name: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def forward(self: Tensor, other: Any) -> Any:
        return op(self, other, name=name)

    def reflected(self: Tensor, other: Any) -> Any:
        return op(other, self, name=name)

    return forward, reflected


def install() -> None:
    """Give `Tensor` TF's operators (idempotent; done when `minitf.ops` is imported)."""
    for key, (op, name) in _BINARY.items():
        forward, reflected = _binary(op, name)
        setattr(Tensor, f"__{key}__", forward)
        setattr(Tensor, f"__r{key}__", reflected)
    for key, (op, name) in _COMPARISONS.items():
        setattr(Tensor, f"__{key}__", _binary(op, name)[0])
    Tensor.__neg__ = lambda self: math_ops.negative(self, name="Neg")  # type: ignore[attr-defined]
    Tensor.__abs__ = lambda self: math_ops.abs_(self, name="Abs")  # type: ignore[attr-defined]
    Tensor.__invert__ = (  # type: ignore[attr-defined]
        lambda self: math_ops.logical_not(self, name="LogicalNot"))
    Tensor.__getitem__ = (  # type: ignore[attr-defined]
        lambda self, index: array_ops.strided_slice(self, index, name="strided_slice"))
    Tensor.astype = lambda self, dtype: array_ops.cast(self, dtype)  # type: ignore[attr-defined]


install()
