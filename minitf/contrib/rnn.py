"""`tf.contrib.rnn`: the cells and drivers of `tf.nn` under their contrib names, plus
`LSTMBlockCell` and `stack_bidirectional_dynamic_rnn`.

`LSTMBlockCell` is TF1's fused LSTM kernel; its variables (`lstm_cell/kernel`
[in + units, 4 units], `bias`, optional `w_i_diag`/`w_f_diag`/`w_o_diag`) and
gate order (i, j, f, o) are `LSTMCell`'s, so it is `LSTMCell` with its
defaults. `stack_bidirectional_dynamic_rnn` stacks bidirectional layers in
scopes `stack_bidirectional_rnn/cell_<i>/bidirectional_rnn/{fw,bw}`, each layer
fed the concatenated outputs of the previous one.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax.numpy as jnp

from minitf.core import unwrap, variable_scope
from minitf.nn.cells import (
    BasicLSTMCell,
    BasicRNNCell,
    GRUCell,
    LayerRNNCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
)
from minitf.nn.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from minitf.nn.rnn_wrappers import DeviceWrapper, DropoutWrapper, ResidualWrapper

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMBlockCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "stack_bidirectional_dynamic_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
]


class LSTMBlockCell(LSTMCell):
    """TF1's `LSTMBlockCell`: `LSTMCell` math and variable names (scope `lstm_cell`)."""

    def __init__(self, num_units: int, forget_bias: float = 1.0, cell_clip: float | None = None,
                 use_peephole: bool = False, dtype: Any = None, reuse: Any = None,
                 name: str = "lstm_cell") -> None:
        clip = cell_clip if cell_clip is not None and cell_clip > 0 else None
        super().__init__(num_units, use_peepholes=use_peephole, cell_clip=clip,
                         forget_bias=forget_bias, reuse=reuse, name=name, dtype=dtype)


def stack_bidirectional_dynamic_rnn(cells_fw: Sequence[Any], cells_bw: Sequence[Any],
                                    inputs: Any, initial_states_fw: Any = None,
                                    initial_states_bw: Any = None, dtype: Any = None,
                                    sequence_length: Any = None,
                                    parallel_iterations: int | None = None,
                                    time_major: bool = False,
                                    scope: Any = None) -> tuple[Any, tuple, tuple]:
    """(outputs of the last layer [.., fw + bw units], fw states, bw states) per layer."""
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list) or not isinstance(cells_bw, list):
        raise ValueError("cells_fw and cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    states_fw, states_bw = [], []
    layer_input = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            state_fw = initial_states_fw[i] if initial_states_fw else None
            state_bw = initial_states_bw[i] if initial_states_bw else None
            with variable_scope("cell_%d" % i):
                (out_fw, out_bw), (final_fw, final_bw) = bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, layer_input, initial_state_fw=state_fw,
                    initial_state_bw=state_bw, sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations, dtype=dtype,
                    time_major=time_major)
                layer_input = jnp.concatenate([unwrap(out_fw), unwrap(out_bw)], 2)
            states_fw.append(final_fw)
            states_bw.append(final_bw)
    return layer_input, tuple(states_fw), tuple(states_bw)
