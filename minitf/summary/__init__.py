"""TensorBoard summaries for minitf, written without TensorFlow.

`FileWriter(logdir)` (or `create_file_writer`) appends scalars, histograms,
images and graphs to an event file that TensorBoard reads. The `*_pb`
builders make TF1-style `Summary` protos for `FileWriter.add_summary`.

In a TF1 graph, `scalar` / `histogram` / `image` without a `step`, `merge` of
summary tensors and `merge_all` are TF1's summary ops (`graph_ops`): graph
tensors whose `Session.run` value is the serialized `Summary`, for
`FileWriter(logdir, sess.graph).add_summary(value, step)`.
"""

from typing import Any as _Any

from . import protos as _protos
from .graph_ops import graph_def, merge_all
from .graph_ops import merge_op as _merge_op
from .protos import histogram_pb, image_pb, scalar_pb, to_uint8_images
from .writer import FileWriter, create_file_writer, get_default_writer, histogram, image, scalar

__all__ = [
    "FileWriter",
    "create_file_writer",
    "get_default_writer",
    "graph_def",
    "histogram",
    "histogram_pb",
    "image",
    "image_pb",
    "merge",
    "merge_all",
    "scalar",
    "scalar_pb",
    "to_uint8_images",
]


def merge(inputs: _Any, collections: _Any = None, name: str | None = None) -> _Any:
    """TF1's `tf.summary.merge` of summary tensors (a graph op), or of `Summary` protos."""
    inputs = list(inputs)
    if all(isinstance(s, _protos.Summary) for s in inputs):
        return _protos.merge(inputs)
    return _merge_op(inputs, collections, name)
