"""TF1's learning-rate schedules: functions of the global step.

Each is defined once, as a jnp implementation made a TF op by `tf_op`: given a
graph tensor (a global-step variable) it adds one op to the graph, whose value
`Session.run` computes at the step the run starts with; given numbers or
arrays (eager, `minitf.transform`, inside `jit`) it computes the value.
TF's formulas and dtypes: the rate is float32 unless given as another float
dtype, and the step is cast to it.
"""
from __future__ import annotations

import math
from typing import Any

import jax.numpy as jnp

from minitf.ops.op import tf_op

__all__ = ["cosine_decay", "exponential_decay", "inverse_time_decay", "natural_exp_decay",
           "piecewise_constant", "polynomial_decay"]


def _rate(learning_rate: Any) -> Any:
    rate = jnp.asarray(learning_rate)
    return rate if jnp.issubdtype(rate.dtype, jnp.floating) else rate.astype(jnp.float32)


def _require_step(global_step: Any, what: str) -> None:
    if global_step is None:
        raise ValueError(f"global_step is required for {what}.")


def _progress(rate: Any, global_step: Any, decay_steps: Any, staircase: bool) -> Any:
    p = jnp.asarray(global_step).astype(rate.dtype) / jnp.asarray(decay_steps, rate.dtype)
    return jnp.floor(p) if staircase else p


@tf_op("ExponentialDecay")
def _exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False) -> Any:
    rate = _rate(learning_rate)
    return rate * jnp.power(jnp.asarray(decay_rate, rate.dtype),
                            _progress(rate, global_step, decay_steps, staircase))


@tf_op("NaturalExpDecay")
def _natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False) -> Any:
    rate = _rate(learning_rate)
    p = _progress(rate, global_step, decay_steps, staircase)
    return rate * jnp.exp(-jnp.asarray(decay_rate, rate.dtype) * p)


@tf_op("InverseTimeDecay")
def _inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                        staircase: bool = False) -> Any:
    rate = _rate(learning_rate)
    p = _progress(rate, global_step, decay_steps, staircase)
    return rate / (1 + jnp.asarray(decay_rate, rate.dtype) * p)


@tf_op("PolynomialDecay")
def _polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                      end_learning_rate: Any = 0.0001, power: Any = 1.0,
                      cycle: bool = False) -> Any:
    rate = _rate(learning_rate)
    step = jnp.asarray(global_step).astype(rate.dtype)
    steps = jnp.asarray(decay_steps, rate.dtype)
    if cycle:
        steps = steps * jnp.where(step == 0, jnp.ones_like(step), jnp.ceil(step / steps))
    else:
        step = jnp.minimum(step, steps)
    end = jnp.asarray(end_learning_rate, rate.dtype)
    return (rate - end) * jnp.power(1 - step / steps, jnp.asarray(power, rate.dtype)) + end


@tf_op("CosineDecay")
def _cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                  alpha: Any = 0.0) -> Any:
    rate = _rate(learning_rate)
    steps = jnp.asarray(decay_steps, rate.dtype)
    step = jnp.minimum(jnp.asarray(global_step).astype(rate.dtype), steps)
    cosine = 0.5 * (1 + jnp.cos(jnp.asarray(math.pi, rate.dtype) * step / steps))
    alpha = jnp.asarray(alpha, rate.dtype)
    return rate * ((1 - alpha) * cosine + alpha)


@tf_op("PiecewiseConstant")
def _piecewise_constant(x: Any, boundaries: Any, values: Any) -> Any:
    table = jnp.stack([jnp.asarray(v) for v in values])
    if all(isinstance(v, float) for v in values):  # TF: Python floats are float32
        table = table.astype(jnp.float32)
    x = jnp.asarray(x)
    index = sum((x > jnp.asarray(b, x.dtype)).astype(jnp.int32) for b in boundaries)
    return table[index]


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Any:
    """`learning_rate * decay_rate ** (global_step / decay_steps)` (floored if staircase)."""
    _require_step(global_step, "exponential_decay")
    return _exponential_decay(learning_rate, global_step, decay_steps, decay_rate,
                              staircase, name=name)


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Any:
    """`learning_rate * exp(-decay_rate * global_step / decay_steps)`."""
    _require_step(global_step, "natural_exp_decay")
    return _natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase,
                              name=name)


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False, name: str | None = None) -> Any:
    """`learning_rate / (1 + decay_rate * global_step / decay_steps)`."""
    _require_step(global_step, "inverse_time_decay")
    return _inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase,
                               name=name)


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                     end_learning_rate: Any = 0.0001, power: Any = 1.0, cycle: bool = False,
                     name: str | None = None) -> Any:
    """From `learning_rate` to `end_learning_rate` along `(1 - step/decay_steps) ** power`."""
    _require_step(global_step, "polynomial_decay")
    return _polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate, power,
                             cycle, name=name)


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: Any = 0.0,
                 name: str | None = None) -> Any:
    """Cosine from `learning_rate` to `alpha * learning_rate` over `decay_steps`."""
    _require_step(global_step, "cosine_decay")
    return _cosine_decay(learning_rate, global_step, decay_steps, alpha, name=name)


def piecewise_constant(x: Any, boundaries: Any, values: Any, name: str | None = None) -> Any:
    """`values[i]` where `boundaries[i-1] < x <= boundaries[i]` (TF's intervals)."""
    boundaries, values = list(boundaries), list(values)
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    return _piecewise_constant(x, boundaries, values, name=name)
