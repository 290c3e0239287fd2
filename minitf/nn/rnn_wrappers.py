"""TF1's RNN cell wrappers: `DropoutWrapper`, `ResidualWrapper`, `DeviceWrapper`.

A wrapper adds no variable scope of its own (as TF1's `_RNNCellWrapperV1`): it
calls the wrapped cell directly, so `MultiRNNCell([DropoutWrapper(LSTMCell(n))])`
still names `cell_0/lstm_cell/kernel`. Dropout draws from the trace's rng
(`apply(..., rng=key)`); keep probabilities of 1.0 add nothing to the graph.
With `variational_recurrent=True` the noise is drawn once, when the wrapper is
built, with batch dim 1 (one mask for the whole batch and every step), as TF1.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax

from minitf import ops as _ops
from minitf.core import name_scope, unwrap
from minitf.core.shapes import TensorShape
from minitf.nn import ops as _nn_ops
from minitf.nn.cells import LSTMStateTuple, RNNCell, assert_like_rnncell

__all__ = ["DeviceWrapper", "DropoutWrapper", "ResidualWrapper"]


class _Wrapper(RNNCell):
    """Delegates sizes and zero_state to `cell`; `__call__` calls it with no scope of its own."""

    def __init__(self, cell: Any) -> None:
        super().__init__()
        assert_like_rnncell("cell", cell)
        self._cell = cell

    @property
    def wrapped_cell(self) -> Any:
        return self._cell

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    @property
    def output_size(self) -> Any:
        return self._cell.output_size

    def zero_state(self, batch_size: int, dtype: Any) -> Any:
        with name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        return self._wrapped_call(inputs, state, scope)

    def _wrapped_call(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        return self._cell(inputs, state, scope=scope)


def _keeps_everything(keep_prob: Any) -> bool:
    return isinstance(keep_prob, (int, float)) and keep_prob >= 1


def _default_state_filter(substate: Any) -> Any:
    """TF's default: drop out every state tensor except an LSTM's memory `c`."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _map_sizes(fn: Callable[[list[int]], Any], sizes: Any) -> Any:
    """`fn(dims)` for each size in a (nested) cell-size structure: ints, `TensorShape`s."""
    def dims(size: Any) -> list[int]:
        return [int(size)] if isinstance(size, int) else [int(d) for d in size]

    return jax.tree_util.tree_map(lambda s: fn(dims(s)), sizes,
                                  is_leaf=lambda s: isinstance(s, (int, TensorShape)))


def _parts(noise: Any, state: tuple[Any, ...]) -> Any:
    """The noise of each part of `state` (all None without variational noise)."""
    return (None,) * len(state) if noise is None else noise


class DropoutWrapper(_Wrapper):
    """Dropout on the cell's inputs, outputs and (filtered) new state, with keep probabilities."""

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False,
                 input_size: Any = None, dtype: Any = None, seed: Any = None,
                 dropout_state_filter_visitor: Callable | None = None) -> None:
        super().__init__(cell)
        for attr, prob in (("input_keep_prob", input_keep_prob),
                           ("state_keep_prob", state_keep_prob),
                           ("output_keep_prob", output_keep_prob)):
            if isinstance(prob, (int, float)) and not 0 <= prob <= 1:
                raise ValueError(f"Parameter {attr} must be between 0 and 1: {prob:g}")
        self._input_keep_prob = input_keep_prob
        self._output_keep_prob = output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._seed = seed
        self._state_filter = dropout_state_filter_visitor or _default_state_filter
        self._noise: dict[str, Any] = {}
        if variational_recurrent:
            self._draw_variational_noise(input_size, dtype)

    def _draw_variational_noise(self, input_size: Any, dtype: Any) -> None:
        """TF1's variational dropout: one uniform noise tensor per input/state/output
        component, of shape [1, size], drawn once and reused at every step."""
        if dtype is None:
            raise ValueError("When variational_recurrent=True, dtype must be provided")

        def noise(dims: list[int]) -> Any:
            return _ops.random_uniform([1, *dims], dtype=dtype, seed=self._seed)

        with name_scope("DropoutWrapperInit"):
            if not _keeps_everything(self._input_keep_prob):
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 "
                                     "or is unknown, input_size must be provided")
                self._noise["input"] = _map_sizes(noise, input_size)
            self._noise["state"] = _map_sizes(noise, self._cell.state_size)
            self._noise["output"] = _map_sizes(noise, self._cell.output_size)

    def _dropout(self, values: Any, keep_prob: Any, noise: Any = None) -> Any:
        if noise is None:
            return jax.tree_util.tree_map(
                lambda v: _nn_ops.dropout(unwrap(v), keep_prob=keep_prob, seed=self._seed),
                values)
        # floor(keep_prob + U[0, 1)) is 1 with probability keep_prob: the same mask each step.
        return jax.tree_util.tree_map(
            lambda v, n: _ops.divide(unwrap(v), keep_prob) * _ops.floor(keep_prob + n),
            values, noise)

    def _dropout_state(self, state: Any) -> Any:
        def visit(substate: Any, noise: Any) -> Any:
            keep = self._state_filter(substate)
            if keep is True:
                return self._dropout(substate, self._state_keep_prob, noise)
            if keep is False:
                return substate
            if isinstance(substate, LSTMStateTuple):
                return LSTMStateTuple(*(
                    self._dropout(s, self._state_keep_prob, n) if k else s
                    for s, k, n in zip(substate, keep, _parts(noise, substate), strict=False)))
            raise TypeError(f"dropout_state_filter_visitor returned {keep!r}")

        noise = self._noise.get("state")
        if isinstance(state, tuple) and not isinstance(state, LSTMStateTuple):
            return type(state)(visit(s, n)
                               for s, n in zip(state, _parts(noise, state), strict=True))
        return visit(state, noise)

    def _wrapped_call(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        if not _keeps_everything(self._input_keep_prob):
            inputs = self._dropout(inputs, self._input_keep_prob, self._noise.get("input"))
        output, new_state = self._cell(inputs, state, scope=scope)
        if not _keeps_everything(self._state_keep_prob):
            new_state = self._dropout_state(new_state)
        if not _keeps_everything(self._output_keep_prob):
            output = self._dropout(output, self._output_keep_prob, self._noise.get("output"))
        return output, new_state


class ResidualWrapper(_Wrapper):
    """output = inputs + cell output (or `residual_fn(inputs, output)`); state: the cell's."""

    def __init__(self, cell: Any, residual_fn: Callable | None = None) -> None:
        super().__init__(cell)
        self._residual_fn = residual_fn

    def _wrapped_call(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        return jax.tree_util.tree_map(lambda i, o: unwrap(i) + unwrap(o), inputs,
                                      output), new_state


class DeviceWrapper(_Wrapper):
    """TF1's device placement wrapper: the cell as is (placement is JAX's)."""

    def __init__(self, cell: Any, device: Any) -> None:
        super().__init__(cell)
        self._device = device
