"""TF1's optimizers (`tf.train.*Optimizer`) with TF1's exact update formulas, on JAX.

Each optimizer is defined by the per-variable kernel TF1 runs
(`training_ops.cc`: ApplyGradientDescent, ApplyMomentum, ApplyAdam, ApplyAdagrad,
ApplyRMSProp / ApplyCenteredRMSProp), its slot variables and their initial
values, so a model ported from TF1 trains the same way. Where optax differs:

* Adam: TF1 adds `epsilon` to the *uncorrected* `sqrt(v)` and folds the bias
  corrections into the step size, `lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`,
  `var -= lr_t * m / (sqrt(v) + epsilon)` ("epsilon hat"); `optax.adam`
  adds `eps` to `sqrt(v_hat)`. The powers `beta^t` are float32 accumulators
  multiplied once per step, as in TF1.
* RMSProp: TF1 starts the mean square slot "rms" at **ones** (optax and Keras
  at zeros), puts epsilon inside the square root, and applies the learning
  rate before the momentum accumulation: `mom = momentum * mom + lr * g / sqrt(ms + eps)`.
* Momentum: `accum = momentum * accum + g; var -= lr * accum` (Nesterov:
  `var -= lr * g + lr * momentum * accum`), as `optax.sgd` up to rounding.

Use them through `opt.minimize(loss_fn, var_list=...)` (a `TrainStep`, see
`minitf.train.train_step`), or as a plain optax transformation via
`opt.as_optax()` (for `optax.multi_transform`, `optax.chain`, ...).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from minitf.core.tensor import is_symbolic
from minitf.graph import training as graph_training
from minitf.train.selection import Trainable, VarList, resolve_var_list
from minitf.train.train_step import TrainState, TrainStep, apply_deltas, gradients

#: A learning rate: a number, or a schedule `count -> lr` (count = steps already applied).
LearningRate = float | Callable[[jax.Array], Any]


class OptimizerState(NamedTuple):
    """An optimizer's state: step count, slots `{slot: tree like params}`, non-slot scalars."""

    count: jax.Array
    slots: dict[str, Any]
    non_slot: dict[str, jax.Array]


class Optimizer:
    """Base class: a TF1 optimizer = slot initializers + a dense per-variable kernel.

    Subclasses define `_slot_init` (slot name -> initial value from the
    variable), `_non_slot_init` (shared scalars such as Adam's beta powers),
    `_apply_dense` (one variable's delta: the step is `var - delta`, exactly as
    TF's `var -= ...`) and `_finish` (update of the shared scalars).
    """

    _slot_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: LearningRate, use_locking: bool = False,
                 name: str = "Optimizer") -> None:
        if not callable(learning_rate) and not isinstance(learning_rate, (int, float)) \
                and not hasattr(learning_rate, "dtype"):
            raise TypeError(f"learning_rate must be a number or a schedule, got {learning_rate!r}")
        self._learning_rate = learning_rate
        self._name = name
        del use_locking  # TF1 argument; JAX updates are functional

    def get_name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self._learning_rate!r})"

    # -- the TF1 kernel (subclasses) -----------------------------------------
    def _slot_init(self, slot: str, var: jax.Array) -> jax.Array:
        return jnp.zeros_like(var)

    def _non_slot_init(self) -> dict[str, jax.Array]:
        return {}

    def _apply_dense(self, grad: jax.Array, slots: dict[str, jax.Array],
                     non_slot: dict[str, jax.Array], lr: jax.Array
                     ) -> tuple[jax.Array, dict[str, jax.Array]]:
        raise NotImplementedError

    def _finish(self, non_slot: dict[str, jax.Array]) -> dict[str, jax.Array]:
        return non_slot

    # -- state and deltas on any pytree --------------------------------------
    def _lr(self, count: jax.Array) -> jax.Array:
        lr = self._learning_rate(count) if callable(self._learning_rate) else self._learning_rate
        return jnp.asarray(lr, jnp.float32)  # TF1: a float32 tensor, cast per variable

    def init_state(self, tree: Any) -> OptimizerState:
        """Slots for every leaf of `tree` (TF1's `_create_slots`) and the shared scalars."""
        slots = {s: jax.tree_util.tree_map(lambda v, s=s: self._slot_init(s, jnp.asarray(v)), tree)
                 for s in self._slot_names}
        return OptimizerState(jnp.zeros([], jnp.int32), slots, self._non_slot_init())

    def deltas(self, grads: Any, state: OptimizerState) -> tuple[Any, OptimizerState]:
        """`(delta, new_state)`: the step for every leaf of `grads` is `var - delta`
        (TF1's kernel)."""
        leaves, treedef = jax.tree_util.tree_flatten(grads)
        slot_leaves = {s: treedef.flatten_up_to(state.slots[s]) for s in self._slot_names}
        lr = self._lr(state.count)
        out, new_slot_leaves = [], {s: [] for s in self._slot_names}
        for i, g in enumerate(leaves):
            g = jnp.asarray(g)
            delta, new = self._apply_dense(g, {s: slot_leaves[s][i] for s in self._slot_names},
                                           state.non_slot, lr.astype(g.dtype))
            out.append(delta.astype(g.dtype))
            for s in self._slot_names:
                new_slot_leaves[s].append(new[s])
        slots = {s: jax.tree_util.tree_unflatten(treedef, new_slot_leaves[s])
                 for s in self._slot_names}
        new_state = OptimizerState(state.count + 1, slots, self._finish(state.non_slot))
        return jax.tree_util.tree_unflatten(treedef, out), new_state

    def get_slot(self, state: Any, var_name: str, slot_name: str) -> jax.Array:
        """TF1's `get_slot(var, name)`: one slot value of one variable from a state."""
        opt_state = getattr(state, "opt_state", state)
        if slot_name not in opt_state.slots:
            raise KeyError(f"{type(self).__name__} has slots {list(self._slot_names)}, "
                           f"not {slot_name!r}")
        return opt_state.slots[slot_name][var_name]

    def get_slot_names(self) -> list[str]:
        return list(self._slot_names)

    def as_optax(self) -> optax.GradientTransformation:
        """This optimizer as an optax transformation (updates = -delta, so `p + u == p - delta`)."""

        def init(params: Any) -> OptimizerState:
            return self.init_state(params)

        def update(grads: Any, state: OptimizerState,
                   params: Any = None) -> tuple[Any, OptimizerState]:

            del params
            delta, state = self.deltas(grads, state)
            return jax.tree_util.tree_map(jnp.negative, delta), state

        return optax.GradientTransformation(init, update)

    # -- TF1's training API ---------------------------------------------------
    def minimize(self, loss_fn: Any, *args: Any, **kwargs: Any) -> Any:
        """A `TrainStep` that minimizes `loss_fn(params, *args)` over the `var_list` variables:
        `minimize(loss_fn, var_list=None, *, model=None, trainable=None, has_aux=False,
        jit=True)`; `state = step.init(params)`, then
        `params, state, loss = step(params, state, *args)`.
        See `resolve_var_list` for `var_list`, `model=` and `trainable=`.

        In a TF1 graph, `minimize(loss_tensor, global_step=None, var_list=None, ...)`
        is TF1's: it returns the train op (see `minitf.graph.training`).
        """
        if is_symbolic(loss_fn):
            return graph_training.minimize(self, loss_fn, *_graph_args(args, kwargs))
        return self._train_step(loss_fn, *args, **kwargs)

    def _train_step(self, loss_fn: Callable[..., Any], var_list: VarList = None, *,
                    model: Any = None, trainable: Trainable = None, has_aux: bool = False,
                    jit: bool = True) -> TrainStep:
        return TrainStep(self, loss_fn, var_list, model=model, trainable=trainable,
                         has_aux=has_aux, jit=jit)

    def init(self, params: Mapping[str, Any], var_list: VarList = None, *, model: Any = None,
             trainable: Trainable = None) -> TrainState:
        """The state for `apply_gradients` on the `var_list` variables of `params`."""
        names = tuple(resolve_var_list(params, var_list, trainable=trainable, model=model))
        if not names:
            raise ValueError("No variables to optimize.")
        return TrainState(names, self.init_state({n: params[n] for n in names}))

    def compute_gradients(self, loss_fn: Any, params: Any = None, *args: Any,
                          var_list: VarList = None, model: Any = None,
                          trainable: Trainable = None, has_aux: bool = False) -> list[tuple]:
        """TF1's `compute_gradients`: `[(grad, name), ...]` of `loss_fn(params, *args)`.

        In a TF1 graph: `compute_gradients(loss_tensor, var_list=None)`, `[(grad, var)]`.
        """
        if is_symbolic(loss_fn):
            return graph_training.compute_gradients(self, loss_fn, var_list or
                                                    (params if params else None))
        names = resolve_var_list(params, var_list, trainable=trainable, model=model)
        if not names:
            raise ValueError("No variables to optimize.")
        grads, _ = gradients(loss_fn, params, names, args, has_aux)
        return [(grads[n], n) for n in names]

    def apply_gradients(self, grads_and_vars: Any, params: Any = None,
                        state: Any = None, name: str | None = None,
                        global_step: Any = None) -> Any:
        """TF1's `apply_gradients`: `(new_params, new_state)`; other leaves stay untouched.

        `grads_and_vars`: `[(grad, name_or_variable), ...]` or `{name: grad}`,
        covering exactly the variables `state` was created for. In a TF1 graph:
        `apply_gradients(grads_and_vars, global_step=None, name=None)` -> the train op.
        """
        if not isinstance(grads_and_vars, Mapping):  # a list, or TF1's zip(grads, vars)
            grads_and_vars = list(grads_and_vars)
            if any(isinstance(p, tuple) and len(p) == 2 and (is_symbolic(p[0]) or
                                                          is_symbolic(p[1]))
                   for p in grads_and_vars):
                step = global_step if global_step is not None else params
                return graph_training.apply_gradients(self, grads_and_vars, step,
                                                      name or state)
        return apply_deltas(self, grads_and_vars, params, state)


_TF1_MINIMIZE_ARGS = ("global_step", "var_list", "gate_gradients", "aggregation_method",
                      "colocate_gradients_with_ops", "name", "grad_loss")


def _graph_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    """(global_step, var_list, name, grad_loss) from TF1's minimize arguments."""
    if len(args) > len(_TF1_MINIMIZE_ARGS):
        raise TypeError("minimize() takes at most 8 positional arguments")
    given = dict(zip(_TF1_MINIMIZE_ARGS, args, strict=False))
    for key, value in kwargs.items():
        if key not in _TF1_MINIMIZE_ARGS:
            raise TypeError(f"minimize() got an unexpected keyword argument {key!r}")
        if key in given:
            raise TypeError(f"minimize() got multiple values for argument {key!r}")
        given[key] = value
    return (given.get("global_step"), given.get("var_list"), given.get("name"),
            given.get("grad_loss"))


class GradientDescentOptimizer(Optimizer):
    """`var -= lr * grad` (TF1 ApplyGradientDescent)."""

    def __init__(self, learning_rate: LearningRate, use_locking: bool = False,
                 name: str = "GradientDescent") -> None:
        super().__init__(learning_rate, use_locking, name)

    def _apply_dense(self, grad, slots, non_slot, lr):
        return grad * lr, {}


class MomentumOptimizer(Optimizer):
    """`accum = momentum * accum + grad; var -= lr * accum` (TF1 ApplyMomentum; slot "momentum")."""

    _slot_names = ("momentum",)

    def __init__(self, learning_rate: LearningRate, momentum: float, use_locking: bool = False,
                 name: str = "Momentum", use_nesterov: bool = False) -> None:
        super().__init__(learning_rate, use_locking, name)
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _apply_dense(self, grad, slots, non_slot, lr):
        momentum = jnp.asarray(self._momentum, jnp.float32).astype(grad.dtype)
        accum = slots["momentum"] * momentum + grad
        if self._use_nesterov:
            delta = grad * lr + accum * momentum * lr
        else:
            delta = accum * lr
        return delta, {"momentum": accum}


class AdamOptimizer(Optimizer):
    """TF1 Adam (ApplyAdam): bias corrections folded into the step size, epsilon outside sqrt(v).

    `lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power)`,
    `m += (g - m) * (1 - beta1)`, `v += (g^2 - v) * (1 - beta2)`,
    `var -= m * lr_t / (sqrt(v) + epsilon)`; then `beta_power *= beta`.
    Slots "m" and "v"; non-slot "beta1_power", "beta2_power".
    """

    _slot_names = ("m", "v")

    def __init__(self, learning_rate: LearningRate = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, epsilon: float = 1e-8, use_locking: bool = False,
                 name: str = "Adam") -> None:
        super().__init__(learning_rate, use_locking, name)
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon

    def _non_slot_init(self):
        return {"beta1_power": jnp.asarray(self._beta1, jnp.float32),
                "beta2_power": jnp.asarray(self._beta2, jnp.float32)}

    def _apply_dense(self, grad, slots, non_slot, lr):
        dt = grad.dtype
        cast = lambda x: jnp.asarray(x, jnp.float32).astype(dt)  # noqa: E731
        b1p, b2p = non_slot["beta1_power"].astype(dt), non_slot["beta2_power"].astype(dt)
        beta1, beta2, eps = cast(self._beta1), cast(self._beta2), cast(self._epsilon)
        one = jnp.ones([], dt)
        lr_t = lr * jnp.sqrt(one - b2p) / (one - b1p)
        m = slots["m"] + (grad - slots["m"]) * (one - beta1)
        v = slots["v"] + (jnp.square(grad) - slots["v"]) * (one - beta2)
        return (m * lr_t) / (jnp.sqrt(v) + eps), {"m": m, "v": v}

    def _finish(self, non_slot):
        return {"beta1_power": non_slot["beta1_power"] * jnp.float32(self._beta1),
                "beta2_power": non_slot["beta2_power"] * jnp.float32(self._beta2)}


class AdagradOptimizer(Optimizer):
    """`accum += grad^2; var -= lr * grad / sqrt(accum)` (TF1 ApplyAdagrad); slot
    "accumulator" (the variable `<var>/Adagrad`) starts at `initial_accumulator_value`."""

    _slot_names = ("accumulator",)

    def __init__(self, learning_rate: LearningRate, initial_accumulator_value: float = 0.1,
                 use_locking: bool = False, name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(learning_rate, use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _slot_init(self, slot, var):
        return jnp.full_like(var, self._initial_accumulator_value)

    def _apply_dense(self, grad, slots, non_slot, lr):
        accum = slots["accumulator"] + jnp.square(grad)
        return grad * lr * jax.lax.rsqrt(accum), {"accumulator": accum}


class RMSPropOptimizer(Optimizer):
    """TF1 RMSProp (ApplyRMSProp / ApplyCenteredRMSProp); slot "rms" starts at ones.

    `ms += (g^2 - ms) * (1 - decay)`; centered also `mg += (g - mg) * (1 - decay)`
    and uses `ms - mg^2`; `mom = momentum * mom + lr * g / sqrt(ms + epsilon)`;
    `var -= mom`. Slots "rms", "momentum" (and "mg" when centered).
    """

    def __init__(self, learning_rate: LearningRate, decay: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-10, use_locking: bool = False, centered: bool = False,
                 name: str = "RMSProp") -> None:
        super().__init__(learning_rate, use_locking, name)
        self._decay, self._momentum, self._epsilon = decay, momentum, epsilon
        self._centered = centered
        self._slot_names = ("rms", "mg", "momentum") if centered else ("rms", "momentum")

    def _slot_init(self, slot, var):
        return jnp.ones_like(var) if slot == "rms" else jnp.zeros_like(var)

    def _apply_dense(self, grad, slots, non_slot, lr):
        dt = grad.dtype
        cast = lambda x: jnp.asarray(x, jnp.float32).astype(dt)  # noqa: E731
        one_minus_rho = jnp.ones([], dt) - cast(self._decay)
        ms = slots["rms"] + (jnp.square(grad) - slots["rms"]) * one_minus_rho
        new = {"rms": ms}
        if self._centered:
            mg = slots["mg"] + (grad - slots["mg"]) * one_minus_rho
            denom = (ms - jnp.square(mg)) + cast(self._epsilon)
            new["mg"] = mg
        else:
            denom = ms + cast(self._epsilon)
        mom = slots["momentum"] * cast(self._momentum) + (grad * lr) / jnp.sqrt(denom)
        new["momentum"] = mom
        return mom, new


__all__ = [
    "AdagradOptimizer",
    "AdamOptimizer",
    "GradientDescentOptimizer",
    "LearningRate",
    "MomentumOptimizer",
    "Optimizer",
    "OptimizerState",
    "RMSPropOptimizer",
]
