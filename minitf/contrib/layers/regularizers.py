"""`tf.contrib.layers` regularizers and `apply_regularization`.

A regularizer maps a weight to a scalar penalty (or None when its scale is 0);
`apply_regularization` sums the penalties of a list of weights and adds the sum
to REGULARIZATION_LOSSES, as TF1 does.
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import jax.numpy as jnp
import numpy as np

from minitf.core import GraphKeys, add_to_collection, get_collection, name_scope
from minitf.nn.cross_entropy import l2_loss
from minitf.ops import math_ops as _math

__all__ = [
    "apply_regularization",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "sum_regularizer",
]

WEIGHTS = "weights"  # TF1's GraphKeys.WEIGHTS


def _check_scale(scale: Any) -> bool:
    """TF's validation; True when the scale is zero (no regularization)."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}")
        return scale == 0.0
    return False


def l1_regularizer(scale: float, scope: str | None = None) -> Callable:
    """weights -> scale * sum(|weights|)."""
    if _check_scale(scale):
        return lambda _: None

    def l1(weights: Any) -> Any:
        with name_scope(scope, "l1_regularizer"):
            return _math.multiply(np.float32(scale), _math.reduce_sum(_math.abs_(weights)),
                                 name="value")

    return l1


def l2_regularizer(scale: float, scope: str | None = None) -> Callable:
    """weights -> scale * sum(weights ** 2) / 2 (TF's l2_loss)."""
    if _check_scale(scale):
        return lambda _: None

    def l2(weights: Any) -> Any:
        with name_scope(scope, "l2_regularizer"):
            return _math.multiply(np.float32(scale), l2_loss(weights), name="value")

    return l2


def sum_regularizer(regularizer_list: Sequence[Callable], scope: str | None = None) -> Callable:
    """The sum of several regularizers' penalties (None when all give None)."""
    active = [r for r in regularizer_list if r]
    if not active:
        return lambda _: None

    def regularize(weights: Any) -> Any:
        with name_scope(scope, "sum_regularizer"):
            penalties = [p for p in (r(weights) for r in active) if p is not None]
            return sum(penalties[1:], penalties[0]) if penalties else None

    return regularize


def l1_l2_regularizer(scale_l1: float = 1.0, scale_l2: float = 1.0,
                      scope: str | None = None) -> Callable:
    if isinstance(scale_l1, numbers.Real) and isinstance(scale_l2, numbers.Real) and \
            scale_l1 == 0.0 and scale_l2 == 0.0:
        return lambda _: None
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope)


def apply_regularization(regularizer: Callable, weights_list: Sequence[Any] | None = None) -> Any:
    """Sum of `regularizer` over `weights_list` (default: the WEIGHTS collection), as a loss."""
    if not weights_list:
        weights_list = get_collection(WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty"):
        penalties = [p for p in (regularizer(w) for w in weights_list) if p is not None]
        summed = sum(penalties[1:], penalties[0]) if penalties else jnp.zeros((), jnp.float32)
    add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
    return summed
