"""`tf.metrics`: TF1's streaming metrics, as graph ops over local variables.

Each metric makes its accumulators as TF does - local, non-trainable
variables `total` and `count` under a variable scope named after the metric
(`mean/total`, `accuracy/count`), in the LOCAL_VARIABLES and
`metric_variables` collections - and returns `(value, update_op)`: `value`
reads the accumulators, `update_op` adds a batch and returns the updated
value. `tf.local_variables_initializer()` resets them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitf.core.frame import GraphKeys, get_default_graph
from minitf.core.scopes import variable_scope
from minitf.core.variables import Variable
from minitf.ops import array_ops, math_ops

__all__ = ["accuracy", "mean"]

METRIC_VARIABLES = GraphKeys.METRIC_VARIABLES


def _metric_variable(shape: list[int], dtype: Any, name: str) -> Variable:
    return Variable(np.zeros(shape, dtype), trainable=False, name=name,
                    collections=[GraphKeys.LOCAL_VARIABLES, METRIC_VARIABLES])


def _add(collections: Any, value: Any) -> None:
    if collections:
        get_default_graph().add_to_collections(collections, value)


def _dtype(x: Any) -> np.dtype:
    return np.dtype(x.dtype) if hasattr(x, "dtype") else np.asarray(x).dtype


def _dims(x: Any) -> list[Any]:
    shape = getattr(x, "shape", None)
    if shape is None:
        return list(np.shape(x))
    return shape.as_list() if hasattr(shape, "as_list") else list(shape)


def _squeeze_last(x: Any, like: Any) -> Any:
    """TF's remove_squeezable_dimensions: drop a trailing 1 making ranks differ by one."""
    dims, like_dims = _dims(x), _dims(like)
    if len(dims) == len(like_dims) + 1 and dims[-1] == 1:
        return array_ops.squeeze(x, [-1])
    return x


def mean(values: Any, weights: Any = None, metrics_collections: Any = None,
         updates_collections: Any = None, name: str | None = None) -> tuple[Any, Any]:
    """The (weighted) mean of every value seen: `(total / count, update_op)`."""
    with variable_scope(name, "mean", (values, weights)):
        values = array_ops.cast(values, np.float32)
        total = _metric_variable([], np.float32, "total")
        count = _metric_variable([], np.float32, "count")
        if weights is None:
            num_values = array_ops.cast(array_ops.size(values), np.float32)
        else:
            weights = math_ops.multiply(array_ops.cast(weights, np.float32),
                                        array_ops.ones_like(values))
            values = math_ops.multiply(values, weights)
            num_values = math_ops.reduce_sum(weights)
        update_total = total.assign_add(math_ops.reduce_sum(values))
        with get_default_graph().control_dependencies([values]):
            update_count = count.assign_add(num_values)
        value = math_ops.div_no_nan(total, count, name="value")
        update_op = math_ops.div_no_nan(update_total, update_count, name="update_op")
    _add(metrics_collections, value)
    _add(updates_collections, update_op)
    return value, update_op


def accuracy(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
             updates_collections: Any = None, name: str | None = None) -> tuple[Any, Any]:
    """How often `predictions` equals `labels`: `(accuracy, update_op)`."""
    predictions = _squeeze_last(predictions, labels)
    labels = _squeeze_last(labels, predictions)
    labels_dtype = _dtype(labels)
    if labels_dtype != _dtype(predictions):
        predictions = array_ops.cast(predictions, labels_dtype)
    is_correct = array_ops.cast(math_ops.equal(predictions, labels), np.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")
