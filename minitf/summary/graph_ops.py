"""TF1's summary ops in a graph: `tf.summary.scalar(name, tensor)` and friends.

A summary op's value is a serialized `Summary` protobuf (TF's string tensor),
which no JAX computation can produce. So each summary op is a *host* op: its
attrs carry a `host` function, and `Session.run` fetches the op's numeric
inputs from the compiled run and returns `host(*their values)` - the same
`protos.*_pb` builders the TF2-style writer uses, serialized, except where
TF1's ops differ: histograms use TF's default buckets (`tf_histogram_pb`)
and float images TF's per-image normalization (`_tf_normalize`), so the
protos match TF's. `merge` is a host op over other summary tensors. Summary
tensors cannot feed other ops.

`graph_def(graph)` describes a minitf graph as a `GraphDef` for TensorBoard's
Graphs tab: node names, op types, inputs (data and `^control`), `dtype` and
`_output_shapes` attributes. Op attributes beyond those are not recorded.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from tensorboard.compat.proto import (
    attr_value_pb2,
    graph_pb2,
    node_def_pb2,
    tensor_shape_pb2,
    types_pb2,
)

from minitf.core.frame import GraphKeys, get_default_graph
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Tensor, make_aval, make_operation

from . import protos

__all__ = ["graph_def", "histogram_op", "image_op", "is_summary_tensor", "merge_all",
           "merge_op", "scalar_op", "tf_histogram_pb"]

_STRING = make_aval((), np.dtype(object))  # TF's tf.string: numpy object, as TF reports it


def is_summary_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) and "host" in x.op.attrs


def _summary_op(name: str, op_type: str, inputs: Sequence[Tensor],
                make_host: Callable[[str], Callable[..., bytes]], collections: Any,
                family: str | None = None, merge: bool = False) -> Tensor:
    """A host op whose value is `make_host(tag)(*input values)`, named and tagged as
    TF's summary_scope does: op `<scope>/<family>/<name>` made unique, tag the op name
    (`<family>/` in front with a family), invalid tag characters replaced by `_`.
    A merge is op `MergeSummary` (or `name`) in a unique name scope `Merge`."""
    graph = get_default_graph()
    if merge:
        with graph.name_scope(name or "Merge"):
            op_name = graph.unique_name(name or "MergeSummary")
        tag = op_name
    else:
        name, family = _clean_tag(name), _clean_tag(family) if family else None
        op_name = graph.unique_name(name if family is None else f"{family}/{name}")
        tag = op_name if family is None else f"{family}/{op_name}"
    host = make_host(tag)

    def compute(*_: Any) -> Any:
        # Runs only as a control input (`control_dependencies([summary])`): the value
        # is made on the host when the summary is fetched. (No op can take it as an
        # input: its dtype, TF's string, has no JAX array.)
        return np.zeros((), np.int32)

    op = make_operation(graph, op_name, op_type, list(inputs), compute, [(_STRING, _STRING)],
                        attrs={"host": host, "tag": tag})
    tensor = op.outputs[0]
    for key in (GraphKeys.SUMMARIES,) if collections is None else collections:
        graph.add_to_collection(key, tensor)
    return tensor


def _input(value: Any) -> tuple[list[Tensor], Callable[[list[Any]], Any]]:
    """A summary's data as op inputs, and how the host function gets its value back."""
    tensor = graph_tensor(value)
    if tensor is not None:
        return [tensor], lambda args: args[0]
    constant = np.asarray(value)
    return [], lambda args: constant


_INVALID_TAG = re.compile(r"[^-/\w.]")


def _clean_tag(name: str) -> str:
    """TF's clean_tag: characters other than letters, digits, `_-/.` become `_`."""
    return _INVALID_TAG.sub("_", name).lstrip("/") if name else name


def scalar_op(name: str, tensor: Any, collections: Any = None, family: str | None = None) -> Tensor:
    inputs, get = _input(tensor)
    shape = inputs[0].shape if inputs else np.shape(get([]))
    if len(shape) != 0:
        raise ValueError(f"tf.summary.scalar({name!r}) needs a scalar tensor; got shape {shape}.")

    def make_host(tag: str) -> Callable[..., bytes]:
        return lambda *args: protos.scalar_pb(tag, get(list(args))).SerializeToString()

    return _summary_op(name, "ScalarSummary", inputs, make_host, collections, family)


def histogram_op(name: str, values: Any, collections: Any = None,
                 family: str | None = None) -> Tensor:
    inputs, get = _input(values)

    def make_host(tag: str) -> Callable[..., bytes]:
        return lambda *args: tf_histogram_pb(tag, get(list(args))).SerializeToString()

    return _summary_op(name, "HistogramSummary", inputs, make_host, collections, family)


def _tf_bucket_limits() -> np.ndarray:
    """TF's default histogram buckets: +-1e-12 * 1.1**k up to 1e20, 0 and +-DBL_MAX."""
    positive = []
    v = 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


_TF_LIMITS = _tf_bucket_limits()


def tf_histogram_pb(tag: str, values: Any) -> Any:
    """TF1's HistogramSummary: TF's default buckets, runs of empty buckets collapsed
    into one (as TF's EncodeToProto), NaN or inf an error."""
    data = np.asarray(protos.to_host(values), np.float64).ravel()
    if not np.isfinite(data).all():
        raise ValueError(f"Nan in summary histogram for: {tag}")
    counts = np.bincount(np.searchsorted(_TF_LIMITS, data, side="right"),
                         minlength=len(_TF_LIMITS))[:len(_TF_LIMITS)]
    histo = protos.summary_pb2.HistogramProto(
        min=float(data.min()) if data.size else np.finfo(np.float64).max,
        max=float(data.max()) if data.size else -np.finfo(np.float64).max,
        num=float(data.size), sum=float(data.sum()), sum_squares=float(np.dot(data, data)))
    i = 0
    while i < len(counts):
        end, count = _TF_LIMITS[i], counts[i]
        i += 1
        if count <= 0:
            while i < len(counts) and counts[i] <= 0:
                end, count = _TF_LIMITS[i], counts[i]
                i += 1
        histo.bucket_limit.append(float(end))
        histo.bucket.append(float(count))
    return protos.Summary(value=[protos.Summary.Value(tag=tag, histo=histo)])


def image_op(name: str, tensor: Any, max_outputs: int = 3, collections: Any = None,
             family: str | None = None) -> Tensor:
    """TF1's tags: `<name>/image` when max_outputs is 1, else `<name>/image/<i>`."""
    inputs, get = _input(tensor)
    shape = inputs[0].shape if inputs else np.shape(get([]))
    if len(shape) != 4:
        raise ValueError(f"tf.summary.image({name!r}) needs a 4-D [batch, height, width, "
                         f"channels] tensor; got shape {shape}.")

    def make_host(tag: str) -> Callable[..., bytes]:
        def host(*args: Any) -> bytes:
            batch = np.asarray(get(list(args)))
            merged = protos.Summary()
            for i in range(min(batch.shape[0], max_outputs)):
                tag_i = f"{tag}/image" if max_outputs == 1 else f"{tag}/image/{i}"
                image = batch[i:i + 1]
                if np.issubdtype(image.dtype, np.floating):
                    image = _tf_normalize(image[0])[None]
                merged.value.extend(protos.image_pb(tag_i, image).value)
            return merged.SerializeToString()
        return host

    return _summary_op(name, "ImageSummary", inputs, make_host, collections, family)


def _tf_normalize(image: np.ndarray) -> np.ndarray:
    """TF1's ImageSummary for a float HxWxC image: all non-negative values scaled so
    the largest is 255, else scaled by the largest magnitude around 128 (truncated
    to uint8); pixels with a non-finite channel are TF's bad color (red)."""
    image = image.astype(np.float32)
    finite = np.isfinite(image).all(axis=-1)
    values = image[finite]
    lo = float(values.min()) if values.size else np.inf
    hi = float(values.max()) if values.size else -np.inf
    if lo < 0:
        top = max(abs(lo), abs(hi))
        scale, offset = (0.0 if top < 1e-6 else 127.0 / top), 128.0
    else:
        scale, offset = (0.0 if hi < 1e-6 else 255.0 / hi), 0.0
    with np.errstate(invalid="ignore"):
        out = (np.where(finite[..., None], image, 0) * np.float32(scale)
               + np.float32(offset)).astype(np.uint8)
    out[~finite] = np.array([255, 0, 0, 255], np.uint8)[:image.shape[-1]]
    return out


def merge_op(inputs: Sequence[Any], collections: Any = None, name: str | None = None) -> Tensor:
    tensors = [graph_tensor(t) for t in inputs]
    if not tensors or any(t is None or not is_summary_tensor(t) for t in tensors):
        raise TypeError("tf.summary.merge takes a list of summary tensors "
                        "(from tf.summary.scalar/histogram/image/merge).")

    def host(*serialized: bytes) -> bytes:
        return protos.merge(protos.Summary.FromString(s) for s in serialized).SerializeToString()

    return _summary_op(name or "", "MergeSummary", [t for t in tensors if t is not None],
                       lambda tag: host, () if collections is None else collections,
                       merge=True)


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """All summaries of the collection `key` merged, or None if there are none (as TF)."""
    summaries = get_default_graph().get_collection(key, scope)
    return merge_op(summaries, name=name) if summaries else None


# -- GraphDef ---------------------------------------------------------------------
_DTYPES = {
    "float16": types_pb2.DT_HALF, "float32": types_pb2.DT_FLOAT,
    "float64": types_pb2.DT_DOUBLE, "bfloat16": types_pb2.DT_BFLOAT16,
    "int8": types_pb2.DT_INT8, "int16": types_pb2.DT_INT16, "int32": types_pb2.DT_INT32,
    "int64": types_pb2.DT_INT64, "uint8": types_pb2.DT_UINT8, "uint16": types_pb2.DT_UINT16,
    "uint32": types_pb2.DT_UINT32, "uint64": types_pb2.DT_UINT64, "bool": types_pb2.DT_BOOL,
    "complex64": types_pb2.DT_COMPLEX64, "complex128": types_pb2.DT_COMPLEX128,
    "object": types_pb2.DT_STRING,
}


def _input_name(tensor: Tensor) -> str:
    return tensor.op.name if tensor.value_index == 0 else tensor.name


def graph_def(graph: Any) -> graph_pb2.GraphDef:
    """A `GraphDef` of a minitf graph (structure, dtypes and shapes) for TensorBoard."""
    out = graph_pb2.GraphDef()
    for op in graph.get_operations():
        node = node_def_pb2.NodeDef(name=op.name, op=op.type)
        node.input.extend(_input_name(t) for t in op.inputs)
        node.input.extend("^" + c.name for c in op.control_inputs)
        if op.outputs:
            dtype = _DTYPES.get(np.dtype(op.outputs[0].dtype).name)
            if dtype is not None:
                node.attr["dtype" if op.kind in ("placeholder", "variable") else "T"].CopyFrom(
                    attr_value_pb2.AttrValue(type=dtype))
            shapes = attr_value_pb2.AttrValue.ListValue()
            for t in op.outputs:
                shape = tensor_shape_pb2.TensorShapeProto()
                for d in t.shape.as_list():
                    shape.dim.add(size=-1 if d is None else d)
                shapes.shape.append(shape)
            node.attr["_output_shapes"].CopyFrom(attr_value_pb2.AttrValue(list=shapes))
        out.node.append(node)
    return out
