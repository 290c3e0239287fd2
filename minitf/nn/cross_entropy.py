"""TF1's logits losses and `l2_loss`, with TF's signatures, op names and formulas.

Signatures are `tf.compat.v1`'s (labels first, then logits; TF 2.x dropped the
old keyword-only sentinel). Formulas are TF's numerically stable ones, so
values agree with TF to float rounding.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import as_jax_array
from minitf.ops import tf_op


def _check_given(labels: Any, logits: Any) -> None:
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


@tf_op("logistic_loss")
def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None) -> jax.Array:
    """max(x, 0) - x * z + log(1 + exp(-|x|)), elementwise (TF's stable form)."""
    _check_given(labels, logits)
    x, z = as_jax_array(logits), as_jax_array(labels).astype(as_jax_array(logits).dtype)
    if x.shape != z.shape:
        raise ValueError(f"logits and labels must have the same shape ({x.shape} vs {z.shape})")
    return jax.nn.relu(x) - x * z + jnp.log1p(jnp.exp(-jnp.abs(x)))


@tf_op("softmax_cross_entropy_with_logits")
def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: int | None = None,
                                         dim: int | None = None) -> jax.Array:
    """-sum(labels * log_softmax(logits)) over `axis`; gradients flow into labels too."""
    _check_given(labels, logits)
    axis = dim if dim is not None else (-1 if axis is None else axis)
    logits = as_jax_array(logits)
    return -jnp.sum(as_jax_array(labels) * jax.nn.log_softmax(logits, axis=axis), axis=axis)


@tf_op("softmax_cross_entropy_with_logits_sg")
def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, dim: int = -1,
                                      axis: int | None = None) -> jax.Array:
    """TF1's deprecated v1 op: like _v2 but no gradient flows into `labels`."""
    _check_given(labels, logits)
    axis = dim if axis is None else axis
    labels = jax.lax.stop_gradient(as_jax_array(labels))
    return -jnp.sum(labels * jax.nn.log_softmax(as_jax_array(logits), axis=axis), axis=axis)


@tf_op("SparseSoftmaxCrossEntropyWithLogits")
def sparse_softmax_cross_entropy_with_logits(labels: Any = None,
                                             logits: Any = None) -> jax.Array:
    """-log_softmax(logits)[label] over the last axis; labels are int class indices."""
    _check_given(labels, logits)
    logits, labels = as_jax_array(logits), as_jax_array(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError("Shape mismatch: The shape of labels (received %s) should equal the "
                         "shape of logits except for the last dimension (received %s)."
                         % (labels.shape, logits.shape))
    logp = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.take_along_axis(logp, labels[..., None].astype(jnp.int32), axis=-1)[..., 0]


@tf_op("L2Loss")
def l2_loss(t: Any) -> jax.Array:
    """sum(t ** 2) / 2, as TF's L2Loss."""
    return jnp.sum(jnp.square(as_jax_array(t))) / 2


@tf_op("logistic_loss")
def weighted_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                       pos_weight: Any = None, targets: Any = None) -> jax.Array:
    """Sigmoid cross-entropy with the positive term weighted by `pos_weight`
    (`targets` is TF1's older name of `labels`), in TF's stable form."""
    if labels is not None and targets is not None:
        raise ValueError("Can not specify both 'labels' and 'targets'.")
    labels = targets if labels is None else labels
    _check_given(labels, logits)
    if pos_weight is None:
        raise ValueError("pos_weight must be provided.")
    x = as_jax_array(logits)
    z = as_jax_array(labels).astype(x.dtype)
    if x.shape != z.shape:
        raise ValueError(f"logits and labels must have the same shape ({x.shape} vs {z.shape})")
    log_weight = 1 + (as_jax_array(pos_weight).astype(x.dtype) - 1) * z
    return (1 - z) * x + log_weight * (jnp.log1p(jnp.exp(-jnp.abs(x))) + jax.nn.relu(-x))
