"""Graph mode's nodes: `tf.Tensor` and `tf.Operation`, as TF1 shows them.

An `Operation` records one op of a TF1 graph: its name, type, input tensors,
control inputs and a pure function `compute(*input_values)` that the session's
interpreter calls under `jax.jit`. A `Tensor` is one output of an operation:
TF's name (`"scope/MatMul:0"`), dtype and static shape.

Static shapes come from two *probe* evaluations: every unknown dimension of a
placeholder is given the size `PROBES[0]` in one and `PROBES[1]` in the other,
and each op's outputs are computed abstractly (`jax.eval_shape`) in both. A
dimension that comes out equal in both is known; one that differs depends on an
unknown size and is `None`, as in TF's shape inference. Small integer tensors
derived from shapes (`tf.shape(x)`) carry their probe values, so
`tf.reshape(y, [tf.shape(x)[0], -1])` infers like TF.

Operator overloads (`x + y`, `x[0]`, ...) are installed by `minitf.ops`, which
owns the one definition of each op; this module knows no op.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import jax
import numpy as np

from minitf.core.dtypes import DType, tf_dtype
from minitf.core.shapes import TensorShape, UnknownShape

if TYPE_CHECKING:
    from minitf.core.frame import Graph

__all__ = ["PROBES", "Aval", "Operation", "Tensor", "default_session", "get_default_session",
           "is_symbolic", "make_aval", "make_operation", "session_or_default"]

#: The sizes an unknown dimension takes in the two probe evaluations (many factors,
#: so reshapes that split an unknown batch still divide).
PROBES = (720720, 720720 * 17)

Aval = jax.ShapeDtypeStruct


def make_aval(shape: Sequence[int], dtype: Any) -> Aval:
    """An abstract value (JAX's ShapeDtypeStruct, which is untyped)."""
    return jax.ShapeDtypeStruct(tuple(shape), np.dtype(dtype))  # type: ignore[no-untyped-call]


class Operation:
    """TF1's `tf.Operation`: a node of a graph, run by a session.

    `kind` says how the interpreter treats it: "op" (pure function of its
    inputs), "placeholder" (must be fed), "variable" (reads a variable's
    state), "assign" (computes new values for `writes`), "random" (takes the
    run's rng key first), "stateful" (a pure function of its inputs that also has an
    effect, printing or a Python callback, so it is never folded at trace time),
    "noop" (only orders its control inputs), or
    "gradients" / "subgraph" for ops the interpreter expands itself.
    """

    __slots__ = ("_id", "attrs", "compute", "control_inputs", "graph", "inputs", "kind",
                 "name", "outputs", "type", "writes")

    def __init__(self, graph: Graph, name: str, op_type: str, inputs: Sequence[Tensor],
                 compute: Callable[..., Any] | None, kind: str = "op",
                 control_inputs: Sequence[Operation] = (), writes: Sequence[Any] = (),
                 attrs: dict[str, Any] | None = None) -> None:
        self.graph = graph
        self.name = name
        self.type = op_type
        self.inputs = list(inputs)
        self.compute = compute
        self.kind = kind
        self.control_inputs = list(control_inputs)
        self.writes = tuple(writes)  # the Variables an assign-kind op writes
        self.attrs = attrs or {}
        self.outputs: list[Tensor] = []
        self._id = graph.add_operation(self)

    @property
    def id(self) -> int:
        """Creation index in the graph: every input of an op has a smaller one."""
        return self._id

    def values(self) -> tuple[Tensor, ...]:
        return tuple(self.outputs)

    def get_attr(self, name: str) -> Any:
        return self.attrs[name]

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Run this op in `session` (or the default session)."""
        session_or_default(session).run(self, feed_dict=feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class Tensor:
    """TF1's symbolic `tf.Tensor`: an output of an `Operation`, valued only by a session."""

    __slots__ = ("_avals", "_probe_values", "op", "value_index")
    # numpy defers to our reflected operators instead of converting us to an array.
    __array_priority__ = 100
    __array_ufunc__ = None

    def __init__(self, op: Operation, value_index: int, avals: tuple[Aval, Aval],
                 probe_values: tuple[Any, Any] | None = None) -> None:
        self.op = op
        self.value_index = value_index
        self._avals = avals
        self._probe_values = probe_values

    # -- identity ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self) -> Graph:
        return self.op.graph

    @property
    def dtype(self) -> DType:
        return tf_dtype(self._avals[0].dtype)

    @property
    def shape(self) -> TensorShape:
        if self.op.attrs.get("unknown_rank"):
            return UnknownShape()  # type: ignore[return-value]
        a, b = self._avals
        return TensorShape(x if x == y else None for x, y in zip(a.shape, b.shape, strict=True))

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return len(self._avals[0].shape)

    def set_shape(self, shape: Any) -> None:
        """TF's `set_shape`: refine unknown dims (known dims must agree)."""
        new = list(shape.as_list() if hasattr(shape, "as_list") else shape)
        old = self.shape
        if len(new) != len(old) or any(
                n is not None and o is not None and int(n) != o
                for n, o in zip(new, old, strict=True)):
            raise ValueError(f"Tensor's shape {old} is not compatible with supplied shape "
                             f"{TensorShape(new)}.")
        avals = []
        for aval in self._avals:
            dims = tuple(int(n) if n is not None else d
                         for n, d in zip(new, aval.shape, strict=True))
            avals.append(make_aval(dims, aval.dtype))
        self._avals = (avals[0], avals[1])

    def consumers(self) -> list[Operation]:
        return [op for op in self.graph.get_operations() if any(t is self for t in op.inputs)]

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """Run this tensor in `session` (or the default session) and return its value."""
        return session_or_default(session).run(self, feed_dict=feed_dict)

    # -- probes (static shape inference) -------------------------------------------
    def probe_aval(self, i: int) -> Aval:
        return self._avals[i]

    def probe_value(self, i: int) -> Any:
        """The concrete value in probe `i`, for small tensors computed from shapes."""
        return None if self._probe_values is None else self._probe_values[i]

    # -- Python protocol -------------------------------------------------------------
    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:  # TF1 graph tensors compare by identity
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such "
            "as tf.cond to execute subgraphs conditioned on the value of a tensor.")

    def __iter__(self) -> Any:
        dims = self.shape
        if not dims or dims[0].value is None:
            raise TypeError("Tensor objects are only iterable when eager execution is "
                            "enabled. To iterate over this tensor use tf.map_fn.")
        return iter([self[i] for i in range(dims[0].value)])  # type: ignore[index]

    def __len__(self) -> int:
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) "
                        "Please call `x.shape` rather than `len(x)` for shape information.")

    def __jax_array__(self) -> Any:
        raise TypeError(
            f"{self} is a symbolic graph tensor (it has a value only inside "
            "Session.run), but it was passed to a JAX/NumPy function. Use the minitf "
            "op instead (tf.matmul, tf.reduce_sum, ...), or feed a value.")

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        self.__jax_array__()
        raise AssertionError("unreachable")


def is_symbolic(x: Any) -> bool:
    """Whether `x` is a graph tensor, or a variable whose value is one."""
    if isinstance(x, Tensor):
        return True
    value = getattr(x, "_value", None)
    return isinstance(value, Tensor)


def make_operation(graph: Graph, name: str, op_type: str, inputs: Sequence[Tensor],
                   compute: Callable[..., Any] | None, out_avals: Sequence[tuple[Aval, Aval]],
                   kind: str = "op", control_inputs: Sequence[Operation] = (),
                   writes: Sequence[Any] = (), attrs: dict[str, Any] | None = None,
                   probe_values: Sequence[tuple[Any, Any] | None] | None = None
                   ) -> Operation:
    """Add an op to `graph` with outputs of the given (probe A, probe B) avals."""
    op = Operation(graph, name, op_type, inputs, compute, kind, control_inputs, writes, attrs)
    probes = probe_values or [None] * len(out_avals)
    op.outputs = [Tensor(op, i, avals, probes[i]) for i, avals in enumerate(out_avals)]
    return op


class _DefaultSessions(threading.local):
    def __init__(self) -> None:
        self.stack: list[Any] = []


_default_sessions = _DefaultSessions()


def get_default_session() -> Any:
    """The innermost session made default on this thread (`with sess.as_default()`)."""
    return _default_sessions.stack[-1] if _default_sessions.stack else None


@contextlib.contextmanager
def default_session(session: Any) -> Iterator[Any]:
    _default_sessions.stack.append(session)
    try:
        yield session
    finally:
        _default_sessions.stack.remove(session)


def session_or_default(session: Any) -> Any:
    if session is not None:
        return session
    default = get_default_session()
    if default is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                         "registered. Use `with sess.as_default()` or pass an explicit "
                         "session to `eval(session=sess)`")
    return default
