"""`tf.contrib.seq2seq.sequence_loss`: weighted cross-entropy of [batch, time, classes] logits.

By default the loss is the weighted sum over all steps and rows divided by the
sum of the weights; `average_across_*=False` keeps those axes, and `sum_over_*`
divides by the count of non-zero weights instead (TF1's rules, 0 where the
divisor is 0).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from minitf.core import as_jax_array, name_scope, unwrap
from minitf.nn.cross_entropy import sparse_softmax_cross_entropy_with_logits

__all__ = ["sequence_loss"]


def _div_no_nan(x: jax.Array, y: jax.Array) -> jax.Array:
    return jnp.where(y == 0, jnp.zeros_like(x), x / jnp.where(y == 0, 1, y))


def sequence_loss(logits: Any, targets: Any, weights: Any,
                  average_across_timesteps: bool = True, average_across_batch: bool = True,
                  sum_over_timesteps: bool = False, sum_over_batch: bool = False,
                  softmax_loss_function: Callable | None = None,
                  name: str | None = None) -> jax.Array:
    """TF1's `sequence_loss` (a scalar by default; [time] / [batch] / [batch, time] otherwise)."""
    logits, targets, weights = (as_jax_array(t) for t in (logits, targets, weights))
    if logits.ndim != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.ndim != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.ndim != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to "
                         "True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at "
                         "same time.")
    with name_scope(name, "sequence_loss"):
        flat_logits = logits.reshape(-1, logits.shape[-1])
        flat_targets = targets.reshape(-1)
        if softmax_loss_function is None:
            crossent = sparse_softmax_cross_entropy_with_logits.__wrapped__(
                labels=flat_targets, logits=flat_logits)
        else:
            crossent = jnp.asarray(unwrap(softmax_loss_function(labels=flat_targets,
                                                                logits=flat_logits)))
        crossent = crossent * weights.reshape(-1)
        nonzero = (weights != 0).astype(crossent.dtype)
        if average_across_timesteps and average_across_batch:
            return _div_no_nan(jnp.sum(crossent), jnp.sum(weights))
        if sum_over_timesteps and sum_over_batch:
            return _div_no_nan(jnp.sum(crossent), jnp.sum(nonzero))
        crossent = crossent.reshape(logits.shape[:2])
        if average_across_timesteps or average_across_batch:
            axis = 0 if average_across_batch else 1
            return _div_no_nan(jnp.sum(crossent, axis), jnp.sum(weights, axis))
        if sum_over_timesteps or sum_over_batch:
            axis = 0 if sum_over_batch else 1
            return _div_no_nan(jnp.sum(crossent, axis), jnp.sum(nonzero, axis))
        return crossent
