"""TF1's `tf.train.ExponentialMovingAverage`: shadow copies of variables, moved toward
them by an update op.

`apply(var_list)` makes, per variable, a non-trainable shadow named as TF names its
slot (`<var>/ExponentialMovingAverage`, under the current variable scope) that
starts at the variable's initial value, adds the variable to
`MOVING_AVERAGE_VARIABLES`, and returns one op assigning

    shadow -= (shadow - var) * (1 - decay)

(with `num_updates`, decay is min(decay, (1 + n) / (10 + n))). In a TF1 graph it
runs when fetched (typically under `control_dependencies([train_op])`); in
`transform` the new shadows come back from `apply_with_updates`.
`variables_to_restore()` maps the shadows' names to the variables, so a Saver loads
the averages into the model's own variables for evaluation, as TF1 programs do.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minitf import ops as _ops
from minitf.core import (
    GraphKeys,
    Variable,
    add_to_collection,
    assign_sub,
    control_dependencies,
    get_collection,
    get_variable,
    global_variables,
    name_scope,
    trainable_variables,
    variable_scope,
)
from minitf.core.dtypes import tf_dtype
from minitf.graph.control import group

__all__ = ["ExponentialMovingAverage"]


class ExponentialMovingAverage:
    """Moving averages of variables, kept in shadow variables (TF1's API and names).

    `apply` takes variables only (TF also averages plain tensors, which is what its
    `zero_debias` is for: accepted here, and without effect on variables, as in TF)."""

    def __init__(self, decay: float, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict[str, Variable] = {}

    @property
    def name(self) -> str:
        return self._name

    def apply(self, var_list: Sequence[Variable] | None = None) -> Any:
        """Create the shadows (once per variable) and return the op that updates them."""
        var_list = list(trainable_variables() if var_list is None else var_list)
        for var in var_list:
            if not tf_dtype(var.dtype).is_floating:
                raise TypeError("The variables must be half, float, or double: "
                                f"{var.op.name}")
            if var.op.name in self._averages:
                raise ValueError(f"Moving average already computed for: {var.op.name}")
            # (made outside any control dependencies, as TF's init_scope does: the usual
            # call sits under `control_dependencies([train_op])`)
            with control_dependencies(None), variable_scope(
                    None, default_name=f"{var.op.name}/{self._name}"):
                shadow = get_variable("", initializer=var.initialized_value(),
                                      trainable=False)
            self._averages[var.op.name] = shadow
            add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
        with name_scope(self._name) as scope:
            decay = self._decay
            if self._num_updates is not None:
                n = _ops.cast(self._num_updates, "float32")
                decay = _ops.minimum(decay, (1.0 + n) / (10.0 + n))
            updates = []
            for var in var_list:
                shadow = self._averages[var.op.name]
                updates.append(assign_sub(shadow, (shadow - var) * (1.0 - decay)))
            return group(*updates, name=scope)

    def average(self, var: Variable) -> Variable | None:
        """The shadow of `var` (None if `apply` never saw it)."""
        return self._averages.get(var.op.name)

    def average_name(self, var: Variable) -> str:
        """The shadow's name (a checkpoint key), whether or not it exists yet."""
        shadow = self._averages.get(var.op.name)
        return shadow.op.name if shadow is not None else f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables: Sequence[Variable] | None = None
                             ) -> dict[str, Variable]:
        """`{name: variable}` for a Saver that restores the averages into the variables:
        averaged variables by their shadow's name, every other global variable (not a
        shadow) by its own."""
        averaged = list(moving_avg_variables) if moving_avg_variables is not None else [
            *get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES), *trainable_variables()]
        names: dict[str, Variable] = {}
        for var in averaged:
            names[self.average_name(var)] = var
        averaged_names = {v.op.name for v in averaged}
        for var in global_variables():
            if var.op.name not in averaged_names and var.op.name not in names:
                names[var.op.name] = var
        return names
