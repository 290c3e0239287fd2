"""`TrainStep`: what `opt.minimize(loss_fn, var_list=...)` returns, as a pure JAX step.

TF1's `train_op = opt.minimize(loss, var_list=d_vars)` becomes

    step = opt.minimize(loss_fn, var_list="discriminator", model=model)
    state = step.init(params)
    params, state, loss = step(params, state, *args)    # jit-compiled

with `loss_fn(params, *args) -> scalar` (or `(scalar, aux)` with `has_aux=True`;
then `loss` is that pair). Gradients are taken with respect to the selected
variables only, and only those are replaced in the returned dict: every other
leaf is the very same array object that came in (not `x + 0`, which would not
even be bit-exact for -0.0), with its dtype.

The variables chosen are fixed at `init` and stored in the state (as static
pytree metadata), so a compiled step never depends on what was traced last.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import jax

from minitf.train.selection import Trainable, VarList, resolve_var_list, variable_name

if TYPE_CHECKING:
    from minitf.train.optimizers import Optimizer


@jax.tree_util.register_pytree_node_class
class TrainState:
    """The optimizer state of one `TrainStep`: the variable names it updates (static) and slots."""

    def __init__(self, names: Sequence[str], opt_state: Any) -> None:
        self.names = tuple(names)
        self.opt_state = opt_state

    def tree_flatten(self) -> tuple[tuple[Any], tuple[str, ...]]:
        return (self.opt_state,), self.names

    @classmethod
    def tree_unflatten(cls, names: tuple[str, ...], children: Sequence[Any]) -> TrainState:
        return cls(names, children[0])

    @property
    def count(self) -> Any:
        """Steps applied so far."""
        return self.opt_state.count

    def __repr__(self) -> str:
        shown = ", ".join(self.names[:4]) + (", ..." if len(self.names) > 4 else "")
        return f"TrainState({len(self.names)} variables: {shown})"


def gradients(loss_fn: Callable[..., Any], params: Mapping[str, Any], names: Sequence[str],
              args: tuple, has_aux: bool) -> tuple[dict[str, Any], Any]:
    """`({name: d loss / d name}, loss_fn output)`, differentiating the `names` leaves only."""
    selected = {n: params[n] for n in names}

    def partial_loss(sel: dict[str, Any]) -> Any:
        return loss_fn({**params, **sel}, *args)

    out, grads = jax.value_and_grad(partial_loss, has_aux=has_aux)(selected)
    return grads, out


def _as_grad_dict(grads_and_vars: Any) -> dict[str, Any]:
    if isinstance(grads_and_vars, Mapping):
        return {variable_name(k): g for k, g in grads_and_vars.items()}
    out: dict[str, Any] = {}
    for pair in grads_and_vars:
        grad, var = pair
        if grad is not None:
            out[variable_name(var)] = grad
    return out


def _check_names(params: Mapping[str, Any], state: TrainState) -> None:
    if not isinstance(state, TrainState):
        raise TypeError(
            f"expected the TrainState from step.init(params), got {type(state).__name__}")
    missing = [n for n in state.names if n not in params]
    if missing:
        raise KeyError(f"the state was created for variables that are not in params: {missing}")


def new_values(optimizer: Optimizer, grads: Mapping[str, Any], params: Mapping[str, Any],
               state: TrainState, constraints: Mapping[str, Callable[[Any], Any]] | None = None,
               ) -> tuple[dict[str, Any], TrainState]:
    """`({name: updated value}, new_state)` for the state's variables only; a variable's
    `constraint` is applied to its updated value, as TF1's `apply_gradients` does."""
    missing = [n for n in state.names if n not in grads]
    extra = [n for n in grads if n not in state.names]
    if missing or extra:
        raise ValueError("gradients must cover exactly the variables the state was created for; "
                         f"missing {missing}, unexpected {extra}")
    delta, opt_state = optimizer.deltas({n: grads[n] for n in state.names}, state.opt_state)
    updated = {n: (params[n] - delta[n]).astype(params[n].dtype) for n in state.names}
    for name, constraint in (constraints or {}).items():
        if name in updated:
            updated[name] = constraint(updated[name])
    return updated, TrainState(state.names, opt_state)


def merge_untouched(params: Mapping[str, Any], updated: Mapping[str, Any]) -> dict[str, Any]:
    """`params` in its order with `updated` values; every other entry is the same object."""
    return {k: updated.get(k, v) for k, v in params.items()}


def apply_deltas(optimizer: Optimizer, grads_and_vars: Any, params: Mapping[str, Any],
                 state: TrainState) -> tuple[dict[str, Any], TrainState]:
    """TF1's `apply_gradients` on a params dict: `(new_params, new_state)`."""
    _check_names(params, state)
    updated, state = new_values(optimizer, _as_grad_dict(grads_and_vars), params, state)
    return merge_untouched(params, updated), state


def _owning_model(loss_fn: Callable[..., Any]) -> Any:
    """The `tf.transform` model when `loss_fn` is its bound `apply`, so trainability is known."""
    from minitf.core import Transformed

    owner = getattr(loss_fn, "__self__", None)
    return owner if isinstance(owner, Transformed) else None


class TrainStep:
    """`loss_fn` minimized by one optimizer over a chosen set of variables.

    * `init(params) -> TrainState` resolves `var_list` (see `resolve_var_list`)
      and creates the optimizer's slots for those variables. Trainability comes
      from `model=` / `trainable=`, or from the model itself when `loss_fn` is
      a `tf.transform(...).apply`.
    * `step(params, state, *args) -> (params, state, loss)`: one update,
      jit-compiled unless `jit=False`; also fine inside your own `jax.jit`.
    * `compute_gradients(params, state, *args)` / `apply_gradients(params, state, grads)`:
      the same step in two halves, to clip or inspect gradients in between.
    """

    def __init__(self, optimizer: Optimizer, loss_fn: Callable[..., Any], var_list: VarList = None,
                 *, model: Any = None, trainable: Trainable = None, has_aux: bool = False,
                 jit: bool = True) -> None:
        if not callable(loss_fn):
            raise TypeError("minimize() takes a loss function loss_fn(params, *args) -> scalar, "
                            f"got {type(loss_fn).__name__} (JAX has no graph tensor to minimize)")
        if model is None and trainable is None:
            model = _owning_model(loss_fn)
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.var_list = var_list
        self.model = model
        self.trainable = trainable
        self.has_aux = has_aux
        self._jitted = jax.jit(self._step) if jit else self._step
        self._jitted_grads = jax.jit(self._grads) if jit else self._grads
        self._jitted_apply = jax.jit(self._apply) if jit else self._apply

    def __repr__(self) -> str:
        return (f"TrainStep({self.optimizer!r}, loss_fn={getattr(self.loss_fn, '__name__', '?')}, "
                f"var_list={self.var_list!r})")

    def var_names(self, params: Mapping[str, Any]) -> list[str]:
        """The names this step would update in `params` (what `init` stores)."""
        return resolve_var_list(params, self.var_list, trainable=self.trainable, model=self.model)

    def init(self, params: Mapping[str, Any]) -> TrainState:
        """Optimizer slots for the selected variables of `params`."""
        names = self.var_names(params)
        if not names:
            raise ValueError(f"No variables to optimize. (var_list={self.var_list!r} selects none "
                             f"of the trainable variables in params: {list(params)[:8]})")
        return TrainState(names, self.optimizer.init_state({n: params[n] for n in names}))

    # -- the step ---------------------------------------------------------------
    def constraints(self) -> dict[str, Callable[[Any], Any]]:
        """The model's variable constraints (`get_variable(constraint=...)`), by name."""
        variables = getattr(self.model, "variables", None) or {}
        return {name: info.constraint for name, info in variables.items()
                if getattr(info, "constraint", None) is not None}

    def _step(self, params: Mapping[str, Any], state: TrainState, *args: Any) -> tuple:
        grads, loss = gradients(self.loss_fn, params, state.names, args, self.has_aux)
        updated, state = new_values(self.optimizer, grads, params, state, self.constraints())
        return updated, state, loss

    def _grads(self, params: Mapping[str, Any], state: TrainState, *args: Any) -> tuple:
        return gradients(self.loss_fn, params, state.names, args, self.has_aux)

    def _apply(self, params: Mapping[str, Any], state: TrainState, grads: dict[str, Any]) -> tuple:
        return new_values(self.optimizer, grads, params, state, self.constraints())

    def __call__(self, params: Mapping[str, Any], state: TrainState,
                 *args: Any) -> tuple[dict[str, Any], TrainState, Any]:
        """One step: `(new_params, new_state, loss)`; unselected leaves are returned as is."""
        _check_names(params, state)
        updated, state, loss = self._jitted(dict(params), state, *args)
        return merge_untouched(params, updated), state, loss

    def compute_gradients(self, params: Mapping[str, Any], state: TrainState,
                          *args: Any) -> tuple[dict[str, Any], Any]:
        """`({name: grad}, loss)` for the state's variables."""
        _check_names(params, state)
        return self._jitted_grads(dict(params), state, *args)

    def apply_gradients(self, params: Mapping[str, Any], state: TrainState,
                        grads: Any) -> tuple[dict[str, Any], TrainState]:
        """Apply `{name: grad}` (or `[(grad, name), ...]`) to the state's variables."""
        _check_names(params, state)
        updated, state = self._jitted_apply(dict(params), state, _as_grad_dict(grads))
        return merge_untouched(params, updated), state
