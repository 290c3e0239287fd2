"""`tf.losses`: TF1's weighted losses, their `Reduction`s and the loss collections.

Every loss computes per-element values, multiplies by `weights` (broadcast) and
reduces them by `reduction` exactly as TF1's `compute_weighted_loss`; the default,
`SUM_BY_NONZERO_WEIGHTS`, divides the weighted sum by the number of non-zero
weights (0 when there are none). The result is added to `loss_collection`
(LOSSES), so `get_total_loss()` sums it. `get_regularization_losses()` reads
REGULARIZATION_LOSSES, filled by `get_variable(..., regularizer=)` and the layers.
Collections live in the current trace's graph: call these inside the model.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import (
    GraphKeys,
    add_to_collection,
    as_jax_array,
    get_collection,
    name_scope,
)
from minitf.nn.cross_entropy import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
)
from minitf.ops import tf_op
from minitf.ops.array_ops import squeeze

__all__ = [
    "Reduction",
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_loss",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "huber_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]


class Reduction:
    """TF1's `tf.losses.Reduction`: how a weighted loss tensor becomes the returned loss."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: str) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _div_no_nan(x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.where(y == 0, jnp.zeros_like(x), x / jnp.where(y == 0, 1, y))


@tf_op("value")
def _reduce_weighted(losses: Any, weights: Any, reduction: str) -> jax.Array:
    """TF1's weighting and reduction (in float32, returned in the losses' dtype)."""
    losses = as_jax_array(losses)
    input_dtype = losses.dtype
    losses = losses.astype(jnp.float32)  # TF computes the reduction in float32
    weights = as_jax_array(weights).astype(losses.dtype)
    weighted = losses * weights
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        loss = jnp.sum(weighted)
        if reduction == Reduction.MEAN:
            loss = _div_no_nan(loss, jnp.sum(weights * jnp.ones_like(losses)))
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = _div_no_nan(loss, jnp.asarray(losses.size, losses.dtype))
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            present = jnp.where(weights == 0, 0.0, 1.0) * jnp.ones_like(losses)
            loss = _div_no_nan(loss, jnp.sum(present))
    return loss.astype(input_dtype)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """losses * weights, reduced by `reduction` (TF1's formulas), added to `loss_collection`."""
    Reduction.validate(reduction)
    with name_scope(scope or "weighted_loss"):
        loss = _reduce_weighted(losses, weights, reduction)
        add_loss(loss, loss_collection)
        return loss


def _check_given(labels: Any, predictions: Any) -> None:
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")


def _pair(labels: Any, predictions: Any) -> tuple[jax.Array, jax.Array]:
    """Inside an op: predictions as float32, labels in their dtype, shapes equal."""
    predictions = as_jax_array(predictions).astype(jnp.float32)
    labels = as_jax_array(labels).astype(predictions.dtype)
    if labels.shape != predictions.shape:
        raise ValueError(f"Shapes {labels.shape} and {predictions.shape} are incompatible")
    return labels, predictions


@tf_op("Abs")
def _absolute_difference(labels: Any, predictions: Any) -> jax.Array:
    labels, predictions = _pair(labels, predictions)
    return jnp.abs(predictions - labels)


@tf_op("SquaredDifference")
def _squared_difference(labels: Any, predictions: Any) -> jax.Array:
    labels, predictions = _pair(labels, predictions)
    return jnp.square(predictions - labels)


@tf_op("log_loss")
def _log_loss(labels: Any, predictions: Any, epsilon: float) -> jax.Array:
    labels, predictions = _pair(labels, predictions)
    return (-labels * jnp.log(predictions + epsilon)
            - (1 - labels) * jnp.log(1 - predictions + epsilon))


@tf_op("hinge_loss")
def _hinge_loss(labels: Any, logits: Any) -> jax.Array:
    labels, logits = _pair(labels, logits)
    return jax.nn.relu(1.0 - (2.0 * labels - 1.0) * logits)


@tf_op("huber_loss")
def _huber_loss(labels: Any, predictions: Any, delta: float) -> jax.Array:
    labels, predictions = _pair(labels, predictions)
    error = jnp.abs(predictions - labels)
    quadratic = jnp.minimum(error, delta)
    return 0.5 * quadratic * quadratic + delta * (error - quadratic)


@tf_op("sigmoid_cross_entropy_loss")
def _sigmoid_cross_entropy(labels: Any, logits: Any, label_smoothing: float) -> jax.Array:
    labels, logits = _pair(labels, logits)
    if label_smoothing > 0:
        labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
    return sigmoid_cross_entropy_with_logits.__wrapped__(labels=labels, logits=logits)


@tf_op("softmax_cross_entropy_loss")
def _softmax_cross_entropy(labels: Any, logits: Any, label_smoothing: float) -> jax.Array:
    labels, logits = _pair(labels, logits)
    if label_smoothing > 0:
        labels = labels * (1 - label_smoothing) + label_smoothing / labels.shape[-1]
    return softmax_cross_entropy_with_logits_v2.__wrapped__(
        labels=jax.lax.stop_gradient(labels), logits=logits)


@tf_op("cosine_distance_loss")
def _cosine_distance(labels: Any, predictions: Any, axis: int) -> jax.Array:
    labels, predictions = _pair(labels, predictions)
    return 1 - jnp.sum(labels * predictions, axis=axis, keepdims=True)


@tf_op("value")
def _mean_pairwise_squared_error(labels: Any, predictions: Any, weights: Any) -> jax.Array:
    """Mean over pairs (i, j) within each row of ((p_i - l_i) - (p_j - l_j)) ** 2, weighted."""
    labels, predictions = _pair(labels, predictions)
    diffs = predictions - labels
    axes = tuple(range(1, diffs.ndim))
    w = as_jax_array(weights).astype(jnp.float32)
    present = jnp.sum(jnp.where(w == 0, 0.0, 1.0) * jnp.ones_like(diffs), axis=axes,
                      keepdims=True)
    term1 = 2.0 * _div_no_nan(jnp.sum(jnp.square(diffs), axis=axes, keepdims=True),
                              jnp.maximum(present - 1, 0))
    term2 = 2.0 * _div_no_nan(jnp.square(jnp.sum(diffs, axis=axes, keepdims=True)),
                              jnp.maximum(present * (present - 1), 0))
    loss = jnp.sum((term1 - term2) * w)
    return jnp.where(jnp.sum(present) > 0, loss, jnp.zeros_like(loss))


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0,
                        scope: str | None = None, loss_collection: str = GraphKeys.LOSSES,
                        reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """|predictions - labels|, weighted and reduced."""
    _check_given(labels, predictions)
    return compute_weighted_loss(_absolute_difference(labels, predictions), weights,
                                 scope or "absolute_difference", loss_collection, reduction)


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                       scope: str | None = None, loss_collection: str = GraphKeys.LOSSES,
                       reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """(predictions - labels) ** 2, weighted and reduced."""
    _check_given(labels, predictions)
    return compute_weighted_loss(_squared_difference(labels, predictions), weights,
                                 scope or "mean_squared_error", loss_collection, reduction)


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: str | None = None, loss_collection: str = GraphKeys.LOSSES,
             reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """-labels * log(p + eps) - (1 - labels) * log(1 - p + eps)."""
    _check_given(labels, predictions)
    return compute_weighted_loss(_log_loss(labels, predictions, epsilon), weights,
                                 scope or "log_loss", loss_collection, reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
               loss_collection: str = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """relu(1 - (2 * labels - 1) * logits), labels in {0, 1}."""
    _check_given(labels, logits)
    return compute_weighted_loss(_hinge_loss(labels, logits), weights,
                                 scope or "hinge_loss", loss_collection, reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0,
               scope: str | None = None, loss_collection: str = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """0.5 * min(|e|, delta) ** 2 + delta * (|e| - min(|e|, delta)), e = predictions - labels."""
    _check_given(labels, predictions)
    return compute_weighted_loss(_huber_loss(labels, predictions, delta), weights,
                                 scope or "huber_loss", loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """Sigmoid cross-entropy; labels smoothed towards 1/2 by `label_smoothing`."""
    _check_given(multi_class_labels, logits)
    losses = _sigmoid_cross_entropy(multi_class_labels, logits, label_smoothing)
    return compute_weighted_loss(losses, weights, scope or "sigmoid_cross_entropy_loss",
                                 loss_collection, reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """Softmax cross-entropy per row; labels smoothed towards 1/num_classes."""
    _check_given(onehot_labels, logits)
    losses = _softmax_cross_entropy(onehot_labels, logits, label_smoothing)
    return compute_weighted_loss(losses, weights, scope or "softmax_cross_entropy_loss",
                                 loss_collection, reduction)


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0,
                                 scope: str | None = None,
                                 loss_collection: str = GraphKeys.LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> jax.Array:
    """Cross-entropy of integer class `labels`; labels [batch, 1] are squeezed, as TF."""
    labels, logits = as_jax_array(labels), as_jax_array(logits)
    if labels.ndim == logits.ndim and labels.shape[-1] == 1:
        labels = squeeze(labels, [-1])
    weights = as_jax_array(weights)
    if weights.ndim == labels.ndim + 1 and weights.shape[-1] == 1:
        weights = squeeze(weights, [-1])
    losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights, scope or "sparse_softmax_cross_entropy_loss",
                                 loss_collection, reduction)


def cosine_distance(labels: Any, predictions: Any, axis: int | None = None,
                    weights: Any = 1.0, scope: str | None = None,
                    loss_collection: str = GraphKeys.LOSSES,
                    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
                    dim: int | None = None) -> jax.Array:
    """1 - sum(labels * predictions, axis) (inputs assumed unit-normalized), kept dims."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    _check_given(labels, predictions)
    return compute_weighted_loss(_cosine_distance(labels, predictions, axis), weights,
                                 scope or "cosine_distance_loss", loss_collection, reduction)


def mean_pairwise_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                                scope: str | None = None,
                                loss_collection: str = GraphKeys.LOSSES) -> jax.Array:
    """Mean over pairs (i, j) within each row of ((p_i - l_i) - (p_j - l_j)) ** 2, weighted.

    A row's pairs are those of its elements with non-zero weight; the rows' values times
    the weights are summed (TF1's formula, computed from per-row sums of the differences).
    """
    _check_given(labels, predictions)
    with name_scope(scope or "mean_pairwise_squared_error"):
        loss = _mean_pairwise_squared_error(labels, predictions, weights)
        add_loss(loss, loss_collection)
        return loss


def _values(items: list[Any]) -> list[jax.Array]:
    return [as_jax_array(item) for item in items]


def get_regularization_losses(scope: str | None = None) -> list[jax.Array]:
    """The values in REGULARIZATION_LOSSES (filtered by `scope`, a regex on their names)."""
    return _values(get_collection(GraphKeys.REGULARIZATION_LOSSES, scope))


def _add_n(losses: list[jax.Array], name: str) -> jax.Array:
    return tf_op("AddN")(lambda xs: sum(xs[1:], xs[0]))(losses, name=name)


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> jax.Array:
    """Their sum, or 0.0 when there are none (as TF)."""
    losses = get_regularization_losses(scope)
    if not losses:
        return jnp.zeros((), jnp.float32)
    return _add_n(losses, name)


def add_loss(loss: Any, loss_collection: str | None = GraphKeys.LOSSES) -> None:
    """Add `loss` to a loss collection (LOSSES by default), as `tf.losses.add_loss`."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None,
               loss_collection: str = GraphKeys.LOSSES) -> list[jax.Array]:
    """The values in `loss_collection` (LOSSES by default)."""
    return _values(get_collection(loss_collection, scope))


def get_total_loss(add_regularization_losses: bool = True,
                   name: str = "total_loss", scope: str | None = None) -> jax.Array:
    """Sum of LOSSES (and REGULARIZATION_LOSSES): an error when both are empty, as TF."""
    losses = get_losses(scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found; add some with tf.losses.add_loss or a regularizer.")
    return _add_n(losses, name)
