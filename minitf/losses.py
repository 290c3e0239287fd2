"""`tf.losses`: the loss collections TF1 code reads (regularization, added losses).

`get_regularization_loss()` sums the REGULARIZATION_LOSSES collection, which
`get_variable(..., regularizer=)` and the layers' `*_regularizer` arguments fill.
Collections live in the current trace's graph, so call these inside the model
function (or eagerly, for the default graph).
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from minitf.core.arraylike import unwrap
from minitf.core.frame import GraphKeys, add_to_collection, get_collection
from minitf.ops import tf_op


def _values(items: list[Any]) -> list[jax.Array]:
    return [jnp.asarray(unwrap(item)) for item in items]


def get_regularization_losses(scope: str | None = None) -> list[jax.Array]:
    """The values in REGULARIZATION_LOSSES (filtered by `scope`, a regex on their names)."""
    return _values(get_collection(GraphKeys.REGULARIZATION_LOSSES, scope))


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> jax.Array:
    """Their sum, or 0.0 when there are none (as TF)."""
    losses = get_regularization_losses(scope)
    if not losses:
        return jnp.zeros((), jnp.float32)
    return tf_op("AddN")(lambda xs: sum(xs[1:], xs[0]))(losses, name=name)


def add_loss(loss: Any, loss_collection: str = GraphKeys.LOSSES) -> None:
    """Add `loss` to a loss collection (LOSSES by default), as `tf.losses.add_loss`."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None,
               loss_collection: str = GraphKeys.LOSSES) -> list[jax.Array]:
    return _values(get_collection(loss_collection, scope))


def get_total_loss(add_regularization_losses: bool = True,
                   name: str = "total_loss", scope: str | None = None) -> jax.Array:
    """Sum of LOSSES (and REGULARIZATION_LOSSES): an error when both are empty, as TF."""
    losses = get_losses(scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found; add some with tf.losses.add_loss or a regularizer.")
    return tf_op("AddN")(lambda xs: sum(xs[1:], xs[0]))(losses, name=name)
