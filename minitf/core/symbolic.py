"""Graph mode's op builder: a call of a jnp implementation on symbolic inputs
becomes an `Operation` whose `compute` is that same implementation.

This is how one op definition serves eager use, `transform` and graph mode:
`minitf.ops.tf_op` calls the implementation directly on arrays and tracers,
and hands calls with graph tensors here. The implementation's arguments are
flattened; graph tensors (and graph variables) become the op's inputs and
everything else is closed over. Output shapes come from the two probe
evaluations (`tensor.PROBES`).

Every evaluation of an implementation (probes here, runs in the session's
interpreter) happens in a scratch frame (`evaluation_frame`), so ops it calls
internally never claim names in the user's graph.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import jax
import numpy as np

from minitf.core.arraylike import ArrayLike
from minitf.core.dtypes import tf_dtype
from minitf.core.frame import Graph, get_default_graph
from minitf.core.sources import EagerSource
from minitf.core.tensor import PROBES, Aval, Tensor, is_symbolic, make_aval, make_operation

__all__ = ["any_symbolic", "build_op", "evaluation_frame", "graph_tensor", "placeholder",
           "placeholder_with_default", "probe_avals"]

#: Tensors this small with integer or bool dtype keep their probe values (shape arithmetic).
_PROBE_VALUE_LIMIT = 64


def graph_tensor(x: Any) -> Tensor | None:
    """The graph tensor `x` stands for (itself, or a graph variable's read), else None."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, ArrayLike) and is_symbolic(x):
        value = x.value()
        return value if isinstance(value, Tensor) else None
    return None


def any_symbolic(args: Any, kwargs: Any = None) -> bool:
    """Whether a call's arguments hold a graph tensor (in lists, tuples, dicts too)."""
    stack: list[Any] = [args, kwargs] if kwargs else [args]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif is_symbolic(item):
            return True
    return False


def _is_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, ArrayLike))


@contextlib.contextmanager
def evaluation_frame(key: jax.Array | None = None) -> Iterator[Graph]:
    """A scratch default graph for running op implementations (random ops draw from `key`)."""
    frame = Graph(EagerSource())
    with frame.as_default(), frame.rng_scope(key if key is not None else jax.random.PRNGKey(0)):
        yield frame


def probe_avals(shape: Any, dtype: Any) -> tuple[Aval, Aval]:
    """The two probe avals of a TF static shape (None dims take the probe sizes)."""
    dims = list(shape)
    return tuple(  # type: ignore[return-value]
        make_aval(tuple(p if d is None else int(d) for d in dims), np.dtype(dtype)) for p in PROBES)


def build_op(graph: Graph, name: str, op_type: str, impl: Callable[..., Any],
             args: tuple[Any, ...], kwargs: dict[str, Any], kind: str = "op",
             shape_only: bool = False) -> Any:
    """Add `impl(*args, **kwargs)` to `graph` as op `name`; its outputs, as graph tensors
    in `impl`'s output structure."""
    leaves, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_leaf)
    consts: list[Any] = list(leaves)
    positions: list[int] = []
    inputs: list[Tensor] = []
    for i, leaf in enumerate(leaves):
        tensor = graph_tensor(leaf)
        if tensor is not None and tensor.dtype == np.dtype(object):
            raise TypeError(f"{tensor.name} is a string tensor (a summary), and minitf has no "
                            f"string ops: fetch it with Session.run (op {name!r}).")
        if tensor is not None:
            positions.append(i)
            inputs.append(tensor)
            consts[i] = None
        elif isinstance(leaf, ArrayLike):
            consts[i] = leaf.value()

    def compute(*values: Any) -> Any:
        full = list(consts)
        for position, value in zip(positions, values, strict=True):
            full[position] = value
        call_args, call_kwargs = jax.tree_util.tree_unflatten(treedef, full)
        return impl(*call_args, **call_kwargs)

    const_shapes = [tuple(np.shape(c)) for c in consts
                    if isinstance(c, (np.ndarray, jax.Array)) and np.ndim(c) > 0]
    out_tree, out_avals, out_values = _infer(compute, inputs, kind, shape_only, const_shapes)
    op = make_operation(graph, name, op_type, inputs, compute, out_avals, kind=kind,
                        probe_values=out_values)
    return jax.tree_util.tree_unflatten(out_tree, op.outputs)


def _infer(compute: Callable[..., Any], inputs: list[Tensor], kind: str, shape_only: bool,
           const_shapes: Sequence[tuple[int, ...]] = ()
           ) -> tuple[Any, list[tuple[Aval, Aval]], list[tuple[Any, Any] | None]]:
    """Output structure, (probe A, probe B) avals and small probe values of an op
    (`const_shapes`: the shapes of its constant array arguments)."""
    per_probe: list[list[Any]] = []
    out_tree = None
    same_inputs = all(t.probe_aval(0) == t.probe_aval(1) and t.probe_value(0) is None
                      for t in inputs)
    with evaluation_frame():
        for i in range(2):
            if i == 1 and same_inputs:
                per_probe.append(per_probe[0])
                break
            try:
                out = _probe(compute, inputs, i, kind, shape_only)
            except Exception as err:
                if i == 0 and same_inputs:  # the op's own error (TF raises it at build time)
                    _drop_jax_traceback_note(err)
                    raise
                # TF merges an unknown dim with a known one (concat, broadcasting): retry
                # with unknown dims set to the known sizes other inputs have there.
                try:
                    out = _probe(compute, inputs, i, kind, shape_only,
                                 _unified(inputs, i, const_shapes))
                except Exception:
                    out = None
                if out is not None:
                    leaves, out_tree = jax.tree_util.tree_flatten(out)
                    per_probe.append(leaves)
                    continue
                raise ValueError(
                    f"{err}\n(minitf infers static shapes with unknown dimensions set to "
                    f"{PROBES[i]}; inputs: {[str(t.shape) for t in inputs]}. If an unknown "
                    "dimension must equal a known one here, give it statically: a "
                    "placeholder shape, or tensor.set_shape(...).)") from err
            leaves, out_tree = jax.tree_util.tree_flatten(out)
            per_probe.append(leaves)
    avals: list[tuple[Aval, Aval]] = []
    values: list[tuple[Any, Any] | None] = []
    for a, b in zip(per_probe[0], per_probe[1], strict=True):
        pair = (_aval_of(a), _aval_of(b))
        avals.append(pair)
        concrete = not isinstance(a, (jax.ShapeDtypeStruct, jax.core.Tracer))
        values.append((np.asarray(a), np.asarray(b))
                      if concrete and _is_small_int(pair[0]) and _is_small_int(pair[1])
                      else None)
    return out_tree, avals, values


def _drop_jax_traceback_note(err: BaseException) -> None:
    """JAX notes on errors raised inside its tracing that it hid its frames; an op's own
    argument errors are TF's errors, and read exactly as TF's."""
    notes = getattr(err, "__notes__", None)
    if notes:
        err.__notes__ = [n for n in notes if "JAX has removed its internal frames" not in n]


def _unified(inputs: list[Tensor], i: int,
             const_shapes: Sequence[tuple[int, ...]] = ()) -> list[Aval]:
    """Probe `i` avals with each unknown dim set to a known size another input (or a
    constant argument) of the same rank has on that axis (TF's merge of an unknown and a
    known dimension)."""
    known: dict[tuple[int, int], int] = {}
    for dims in [*(t.shape.as_list() for t in inputs), *const_shapes]:
        for axis, dim in enumerate(dims):
            if dim is not None and dim != 1:
                known.setdefault((len(dims), axis), dim)
    avals = []
    for t in inputs:
        aval = t.probe_aval(i)
        sizes = tuple(known.get((t.ndim, axis), size) if dim is None else size
                      for axis, (dim, size) in enumerate(zip(t.shape.as_list(), aval.shape,
                                                             strict=True)))
        avals.append(make_aval(sizes, aval.dtype))
    return avals


def _probe(compute: Callable[..., Any], inputs: list[Tensor], i: int, kind: str,
           shape_only: bool, avals: list[Aval] | None = None) -> Any:
    """Run `compute` on probe `i`: abstractly, with inputs that have probe values closed
    over; then concretely if every input has one and the result is small (shape math)."""
    if shape_only:
        with jax.ensure_compile_time_eval():
            return compute(*(t.probe_aval(i) for t in inputs))
    known = [t.probe_value(i) for t in inputs]
    abstract = [j for j, v in enumerate(known) if v is None]

    def partial(*avals: Any) -> Any:
        full = list(known)
        for j, value in zip(abstract, avals, strict=True):
            full[j] = value
        return compute(*full)

    shapes = jax.eval_shape(partial, *(inputs[j].probe_aval(i) if avals is None else avals[j]
                                       for j in abstract))
    if kind == "op" and not abstract and all(
            _is_small_int(x) for x in jax.tree_util.tree_leaves(shapes)):
        with jax.ensure_compile_time_eval():
            return compute(*known)
    return shapes


def _is_small_int(aval: Any) -> bool:
    """Small enough, and integer or bool: shape arithmetic, whose values probes keep."""
    dtype = np.dtype(aval.dtype)
    return (math.prod(aval.shape) <= _PROBE_VALUE_LIMIT
            and (np.issubdtype(dtype, np.integer) or dtype == np.bool_))


def _aval_of(x: Any) -> Aval:
    return make_aval(tuple(np.shape(x)), np.dtype(x.dtype if hasattr(x, "dtype") else
                                             np.asarray(x).dtype))


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """TF1's `tf.placeholder`: a graph input that each `Session.run` must feed."""
    graph = get_default_graph()
    if not graph.is_graph_mode:
        raise RuntimeError(
            "tf.placeholder() is not compatible with minitf.transform: the function's "
            "arguments are its inputs. Build placeholders in a TF1 graph (at top level "
            "or under `with tf.Graph().as_default():`).")
    # Unknown rank (TF1's `keep_prob = tf.placeholder(tf.float32)`): any value may be fed;
    # ops built on it infer their static shapes as if a scalar were fed.
    dims = [] if shape is None else shape.as_list() if hasattr(shape, "as_list") \
        else list(shape)
    op_name = graph.unique_name(name or "Placeholder")
    op = make_operation(graph, op_name, "Placeholder", [], None,
                        [probe_avals(dims, dtype)], kind="placeholder",
                        attrs={"dtype": np.dtype(dtype), "shape": dims,
                               "unknown_rank": shape is None})
    return op.outputs[0]


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Any:
    """TF's `tf.placeholder_with_default`: the fed value if fed, else `input`.

    In a TF1 graph, an op whose static shape is `shape` (None for unknown
    sizes); outside one (eager, `minitf.transform`), nothing can feed it and it
    is `input` itself.
    """
    graph = get_default_graph()
    if not graph.is_graph_mode:
        return input
    tensor = graph_tensor(input)
    if tensor is not None:
        default_shape = tuple(tensor.shape.as_list())
        dtype = tensor.dtype
        inputs = [tensor]

        def compute(*values: Any) -> Any:
            return values[0]
    else:
        value = np.asarray(input.value() if isinstance(input, ArrayLike) else input)
        if value.dtype == np.float64 and not isinstance(input, (np.ndarray, np.generic)):
            value = value.astype(np.float32)  # TF: Python floats are float32, ints int32
        elif value.dtype == np.int64 and not isinstance(input, (np.ndarray, np.generic)):
            value = value.astype(np.int32)
        default_shape, dtype, inputs = value.shape, tf_dtype(value.dtype), []

        def compute(*values: Any) -> Any:
            return jax.numpy.asarray(value)
    dims = (list(default_shape) if shape is None
            else shape.as_list() if hasattr(shape, "as_list") else list(shape))
    if len(dims) != len(default_shape) or any(
            d is not None and s is not None and int(d) != s
            for d, s in zip(dims, default_shape, strict=True)):
        raise ValueError(f"Shapes must be equal rank / compatible: the default value has "
                         f"shape {list(default_shape)}, the given shape is {dims}.")
    op_name = graph.unique_name(name or "PlaceholderWithDefault")
    op = make_operation(graph, op_name, "PlaceholderWithDefault", inputs, compute,
                        [probe_avals(dims, dtype)], attrs={"dtype": np.dtype(dtype),
                                                           "shape": dims})
    return op.outputs[0]
