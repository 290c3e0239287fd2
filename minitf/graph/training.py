"""TF1's `Optimizer.minimize` / `compute_gradients` / `apply_gradients` on a graph.

The update math is the optimizer's own per-variable kernel (`_apply_dense`,
the one `transform`-style training uses); here it becomes one op per
variable (`Adam/update_w/ApplyAdam`) that writes the variable and its slots.
Slots and shared scalars are graph variables created exactly as TF1 creates
them: slots through `variable_scope(None, default_name="<var>/<Optimizer>")`
(so `w/Adam`, `w/Adam_1`, and TF's error inside a reused scope), the shared
scalars (`beta1_power`) as `tf.Variable`s in the current name scope.
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from minitf.core import dtypes as _dtypes
from minitf.core.frame import GraphKeys, get_default_graph
from minitf.core.scopes import get_variable, variable_scope
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Operation, Tensor, make_operation
from minitf.core.variables import Variable
from minitf.graph.control import group
from minitf.graph.gradients import gradients

__all__ = ["apply_gradients", "compute_gradients", "minimize"]

TRAIN_OP = "train_op"


def compute_gradients(optimizer: Any, loss: Tensor, var_list: Any = None,
                      grad_loss: Any = None) -> list[tuple[Tensor | None, Variable]]:
    """`[(gradient or None, variable)]` of `loss` for `var_list` (default: trainable)."""
    graph = get_default_graph()
    if var_list is None:
        var_list = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
    var_list = list(var_list)
    if not var_list:
        raise ValueError("No variables to optimize.")
    grads = gradients(loss, var_list, grad_ys=None if grad_loss is None else [grad_loss])
    return list(zip(grads, var_list, strict=True))


def minimize(optimizer: Any, loss: Tensor, global_step: Any = None, var_list: Any = None,
             name: str | None = None, grad_loss: Any = None) -> Operation:
    """TF1's minimize: compute_gradients, then apply_gradients."""
    grads_and_vars = compute_gradients(optimizer, loss, var_list, grad_loss)
    if all(g is None for g, _ in grads_and_vars):
        raise ValueError(
            "No gradients provided for any variable, check your graph for ops that do not "
            "support gradients, between variables "
            f"{[str(v) for _, v in grads_and_vars]} and loss {loss}.")
    return apply_gradients(optimizer, grads_and_vars, global_step, name)


def _lr_input(optimizer: Any) -> Any:
    lr = optimizer._learning_rate
    tensor = graph_tensor(lr)
    if tensor is not None:
        return tensor
    if callable(lr):
        raise NotImplementedError(
            "In a TF1 graph, give the learning rate as a number or a tensor (e.g. "
            "tf.train.exponential_decay(...)); a schedule function is for minitf.transform.")
    return np.float32(lr)


def apply_gradients(optimizer: Any, grads_and_vars: Any, global_step: Any = None,
                    name: str | None = None) -> Operation:
    """Ops that apply the gradients with the optimizer's TF1 kernel, then bump `global_step`."""
    pairs = [(g, v) for g, v in grads_and_vars if g is not None]
    if not pairs:
        raise ValueError(f"No gradients provided for any variable: "
                         f"{[str(v) for _, v in grads_and_vars]}.")
    graph = get_default_graph()
    var_list = [v for _, v in pairs]
    non_slot = _non_slot_variables(optimizer, var_list)
    slots = {v.op.name: _slot_variables(optimizer, v) for v in var_list}
    lr = _lr_input(optimizer)
    with graph.name_scope(name or optimizer.get_name()) as scope:
        updates: list[Operation] = []
        for grad, var in pairs:
            with graph.name_scope("update_" + var.op.name):
                updates.append(_update_op(optimizer, graph, grad, var, slots[var.op.name],
                                          non_slot, lr))
        if non_slot:
            with graph.control_dependencies(updates):
                finish = _finish_op(optimizer, graph, non_slot)
            done: list[Operation] = [*updates, finish]
        else:
            done = updates
        if global_step is None:
            # TF names the train op exactly as its name scope ("Adam", "train/Adam").
            train_op: Operation = make_operation(graph, scope[:-1], "NoOp", [], None, [],
                                                 kind="noop", control_inputs=done)
        else:
            with graph.control_dependencies([group(*done, name="update")]):
                train_op = global_step.assign_add(1, name=scope).op
    graph.add_to_collection(TRAIN_OP, train_op)
    return train_op


def _non_slot_variables(optimizer: Any, var_list: list[Variable]) -> dict[str, Variable]:
    """The optimizer's shared scalars, made once per graph (`beta1_power`, ...)."""
    graph = get_default_graph()
    state = graph.state_for(optimizer)
    made = state.get("non_slot")
    if made is None:
        made = state["non_slot"] = {
            key: Variable(np.asarray(value), name=key, trainable=False)
            for key, value in optimizer._non_slot_init().items()}
    return made


def _slot_variables(optimizer: Any, var: Variable) -> list[Variable]:
    """The variable's slots in TF1's order and names (`w/Adam`, `w/Adam_1`)."""
    graph = get_default_graph()
    state = graph.state_for(optimizer).setdefault("slots", {})
    made = state.get(var.op.name)
    if made is None:
        made = []
        zeros = jnp.zeros(tuple(var.shape), _dtypes.storage_dtype(var.dtype))
        for slot in optimizer.get_slot_names():
            initial = np.asarray(optimizer._slot_init(slot, zeros))
            with variable_scope(None, default_name=f"{var.op.name}/{optimizer.get_name()}"):
                made.append(get_variable("", initializer=initial, trainable=False))
        state[var.op.name] = made
    return made


def _update_op(optimizer: Any, graph: Any, grad: Any, var: Variable, slots: list[Variable],
               non_slot: dict[str, Variable], lr: Any) -> Operation:
    """One op writing `var` and its slots with the optimizer's kernel."""
    slot_names = optimizer.get_slot_names()
    non_slot_keys = list(non_slot)
    grad_t = graph_tensor(grad)
    inputs: list[Tensor] = [grad_t] if grad_t is not None else []
    lr_t = lr if isinstance(lr, Tensor) else None
    inputs += [lr_t] if lr_t is not None else []
    inputs += [non_slot[k].value() for k in non_slot_keys]
    constraint = var.constraint

    def compute(old: Any, *rest: Any) -> tuple[tuple[Any], tuple[Any, ...]]:
        slot_values = dict(zip(slot_names, rest[:len(slot_names)], strict=True))
        values = list(rest[len(slot_names):])
        g = values.pop(0) if grad_t is not None else jnp.asarray(grad)
        rate = values.pop(0) if lr_t is not None else lr
        shared = dict(zip(non_slot_keys, values, strict=True))
        delta, new_slots = optimizer._apply_dense(
            g, slot_values, shared, jnp.asarray(rate, jnp.float32).astype(g.dtype))
        new = (old - delta.astype(old.dtype))
        if constraint is not None:
            new = constraint(new)
        return (new,), (new, *(new_slots[s] for s in slot_names))

    kernel = "Apply" + type(optimizer).__name__.replace("Optimizer", "")
    return make_operation(graph, graph.unique_name(kernel), kernel, inputs, compute,
                          [var.value()._avals], kind="assign",
                          writes=(var.op.name, *(s.op.name for s in slots)))


def _finish_op(optimizer: Any, graph: Any, non_slot: dict[str, Variable]) -> Operation:
    """The op that updates the shared scalars after every variable's update."""
    keys = list(non_slot)

    def compute(*old: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        new = optimizer._finish(dict(zip(keys, old, strict=True)))
        values = tuple(new[k] for k in keys)
        return values, values

    return make_operation(graph, graph.unique_name("Assign"), "Assign", [], compute,
                          [non_slot[k].value()._avals for k in keys], kind="assign",
                          writes=tuple(non_slot[k].op.name for k in keys))
