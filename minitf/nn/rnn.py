"""TF1's `dynamic_rnn`, `static_rnn` and `bidirectional_dynamic_rnn` over minitf cells.

`dynamic_rnn` runs the cell with the lifted `minitf.control_flow.scan` (one compiled loop body;
the cell's variables are created once, at the outer level, in scope `rnn` or
`scope`). With `sequence_length`, steps past a sequence's end give zero outputs
and copy the state through, exactly as TF's `_rnn_step`, so the final state is
the state at each sequence's last valid step.
"""
from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from minitf import ops as _ops
from minitf.core import as_jax_array, name_scope, scan, unwrap, variable_scope
from minitf.nn.cells import assert_like_rnncell
from minitf.ops import tf_op


def _leaves(tree: Any) -> list[Any]:
    return jax.tree_util.tree_leaves(jax.tree_util.tree_map(unwrap, tree))


def _initial_state(cell: Any, initial_state: Any, dtype: Any, batch_size: int) -> Any:
    if initial_state is not None:
        return jax.tree_util.tree_map(unwrap, initial_state)
    if not dtype:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
    return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)


def _zero_output(cell: Any, batch_size: Any, dtype: Any) -> Any:
    def zeros(size: Any) -> jax.Array:
        dims = [size] if isinstance(size, int) else list(size)
        return _ops.zeros([batch_size, *dims], dtype)

    return jax.tree_util.tree_map(zeros, cell.output_size)


def _repack(structure: Any, tree: Any) -> Any:
    """`tree`'s leaves in `structure`'s container types (TF compares structures loosely)."""
    leaves = _leaves(tree)
    treedef = jax.tree_util.tree_structure(structure)
    if treedef.num_leaves != len(leaves):
        raise ValueError(f"The cell returned a state with {len(leaves)} tensors, but the "
                         f"state fed to it has {treedef.num_leaves}.")
    return jax.tree_util.tree_unflatten(treedef, leaves)


def _copy_through(done: jax.Array, old: Any, new: Any) -> Any:
    """Where `done` (per batch row), keep `old`; else take `new` (TF's where on rows)."""
    def pick(o: jax.Array, n: jax.Array) -> jax.Array:
        rows = _ops.reshape(done, [-1] + [1] * (n.ndim - 1))
        return _ops.where(_ops.logical_or(rows, _ops.zeros_like(n, dtype=bool)), o, n)

    return jax.tree_util.tree_map(pick, old, new)


def _swap_batch_and_time(x: Any) -> Any:
    return _ops.transpose(x, [1, 0, *range(2, x.ndim)])


def _dim(x: Any, axis: int) -> Any:
    """A static size if known, else (in a graph) the size at run time, as TF's rnn does."""
    size = x.shape[axis]
    size = getattr(size, "value", size)
    return size if size is not None else _ops.shape(x)[axis]


def _sequence_length(sequence_length: Any) -> jax.Array | None:
    if sequence_length is None:
        return None
    lengths = _ops.cast(sequence_length, jnp.int32)
    if lengths.ndim != 1:
        raise ValueError("Argument sequence_length must be a vector of length batch_size. "
                         f"Received sequence_length of shape: {lengths.shape}")
    return lengths


def dynamic_rnn(cell: Any, inputs: Any, sequence_length: Any = None, initial_state: Any = None,
                dtype: Any = None, parallel_iterations: int | None = None,
                swap_memory: bool = False, time_major: bool = False,
                scope: Any = None) -> tuple[Any, Any]:
    """Run `cell` over time: (outputs [batch, time, out] (or time-major), final state).

    >>> cell = BasicLSTMCell(8)
    >>> outputs, state = dynamic_rnn(cell, x, dtype=tf.float32)  # doctest: +SKIP
    ... # creates rnn/basic_lstm_cell/kernel [depth + 8, 32] and rnn/basic_lstm_cell/bias [32]
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn"):
        inputs = jax.tree_util.tree_map(lambda x: as_jax_array(x), inputs)
        if not time_major:
            inputs = jax.tree_util.tree_map(_swap_batch_and_time, inputs)
        first = jax.tree_util.tree_leaves(inputs)[0]
        steps, batch_size = _dim(first, 0), _dim(first, 1)
        lengths = _sequence_length(sequence_length)
        state = _initial_state(cell, initial_state, dtype, batch_size)
        out_dtype = _leaves(state)[0].dtype
        zero_output = _zero_output(cell, batch_size, out_dtype) if lengths is not None else None

        def step(carry: Any, xs: Any) -> tuple[Any, Any]:
            time, x_t = xs
            output, new_state = cell(x_t, carry)
            new_state = _repack(carry, new_state)
            output = jax.tree_util.tree_map(unwrap, output)
            if lengths is not None:
                done = time >= lengths
                output = _copy_through(done, zero_output, output)
                new_state = _copy_through(done, carry, new_state)
            return new_state, output

        with name_scope("while"):
            final_state, outputs = scan(step, state, (_ops.range(steps), inputs))
        if not time_major:
            outputs = jax.tree_util.tree_map(_swap_batch_and_time, outputs)
        # A state_size that is not a plain structure of sizes: keep the fed structure.
        with contextlib.suppress(ValueError):
            final_state = _repack(cell.state_size, final_state)
        return outputs, final_state


def static_rnn(cell: Any, inputs: Sequence[Any], initial_state: Any = None, dtype: Any = None,
               sequence_length: Any = None, scope: Any = None) -> tuple[list[Any], Any]:
    """Unrolled RNN over a Python list of [batch, depth] inputs: (list of outputs, state).

    As TF, the scope is told to reuse variables from the second step on.
    """
    assert_like_rnncell("cell", cell)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        batch_size = _dim(_leaves(inputs[0])[0], 0)
        state = _initial_state(cell, initial_state, dtype, batch_size)
        lengths = _sequence_length(sequence_length)
        zero_output = (_zero_output(cell, batch_size, _leaves(state)[0].dtype)
                       if lengths is not None else None)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(input_, state)
            if lengths is not None:
                done = time >= lengths
                output = _copy_through(done, zero_output, jax.tree_util.tree_map(unwrap, output))
                new_state = _copy_through(done, state, _repack(state, new_state))
            state = new_state
            outputs.append(output)
        return outputs, state


def _reverse_sequences(x: Any, lengths: Any, time_axis: int) -> Any:
    """TF's reverse_sequence (or a plain reverse without lengths) along `time_axis`."""
    if lengths is None:
        return _ops.reverse(x, [time_axis])
    return reverse_sequence(x, lengths, seq_axis=time_axis, batch_axis=1 - time_axis)


@tf_op("ReverseSequence")
def reverse_sequence(x: Any, lengths: Any, seq_axis: int, batch_axis: int = 0) -> jax.Array:
    """TF's `tf.reverse_sequence` (time and batch axes 0/1 in either order)."""
    x, lengths = as_jax_array(x), as_jax_array(lengths)
    time_axis = seq_axis
    steps = x.shape[time_axis]
    t = jnp.arange(steps)
    batch_axis = 1 - time_axis
    lengths_b = jnp.expand_dims(lengths, time_axis)
    t_b = jnp.expand_dims(t, batch_axis)
    source = jnp.where(t_b < lengths_b, lengths_b - 1 - t_b, t_b)
    source = source.reshape(source.shape + (1,) * (x.ndim - 2))
    return jnp.take_along_axis(x, jnp.broadcast_to(source, x.shape), axis=time_axis)


def bidirectional_dynamic_rnn(cell_fw: Any, cell_bw: Any, inputs: Any,
                              sequence_length: Any = None, initial_state_fw: Any = None,
                              initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: int | None = None, swap_memory: bool = False,
                              time_major: bool = False,
                              scope: Any = None) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """((outputs_fw, outputs_bw), (state_fw, state_bw)) in scopes `bidirectional_rnn/fw|bw`."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    lengths = _sequence_length(sequence_length)
    time_axis = 0 if time_major else 1

    def reverse(x: Any) -> jax.Array:
        return _reverse_sequences(as_jax_array(x), lengths, time_axis)

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length=lengths,
                                              initial_state=initial_state_fw, dtype=dtype,
                                              time_major=time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            output_bw, state_bw = dynamic_rnn(cell_bw, jax.tree_util.tree_map(reverse, inputs),
                                              sequence_length=lengths,
                                              initial_state=initial_state_bw, dtype=dtype,
                                              time_major=time_major, scope=bw_scope)
    output_bw = jax.tree_util.tree_map(reverse, output_bw)
    return (output_fw, output_bw), (state_fw, state_bw)


def static_bidirectional_rnn(cell_fw: Any, cell_bw: Any, inputs: Sequence[Any],
                             initial_state_fw: Any = None, initial_state_bw: Any = None,
                             dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> tuple[list[Any], Any, Any]:
    """(outputs, state_fw, state_bw): each output is concat([fw_t, bw_t], 1), as TF1.

    The backward cell runs `static_rnn` on the reversed list (each sequence
    reversed within its length when `sequence_length` is given), in scope
    `bidirectional_rnn/bw`; the forward one in `bidirectional_rnn/fw`.
    """
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    lengths = _sequence_length(sequence_length)

    def reverse(steps: Sequence[Any]) -> list[Any]:
        stacked = _ops.stack(list(steps), 0)
        return list(_ops.unstack(_reverse_sequences(stacked, lengths, 0), len(steps)))

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             lengths, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_bw, state_bw = static_rnn(cell_bw, reverse(inputs), initial_state_bw,
                                               dtype, lengths, scope=bw_scope)
    output_bw = reverse(reversed_bw)
    outputs = [_ops.concat([f, b], 1) for f, b in zip(output_fw, output_bw, strict=True)]
    return outputs, state_fw, state_bw
