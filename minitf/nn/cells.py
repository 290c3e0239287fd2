"""TF1's RNN cells (`tf.nn.rnn_cell.*`): TF's variable names, gate order, state structures.

A cell is called as `output, new_state = cell(inputs, state)`. Like TF1's legacy
cells, the first call captures a variable scope (`scope`, else a unique
`<snake_case class name>` under the current scope: `rnn/basic_lstm_cell`) and
creates the weights there; every later call reuses them, so a Python loop over
time steps, `dynamic_rnn` and `static_rnn` share one set of weights.

What the cell remembers (captured scope, built or not) is kept per Graph, so one
cell object works in `init`, in `apply` and eagerly. If lifted control flow
(`minitf.control_flow.scan`) rolls the graph back past the cell's first call, the cell notices
that its variables are gone from the store and starts afresh, as a re-trace would.

Weights are read with `get_variable` on every call (the store returns the same
variable), so inside `apply` they are the params' arrays.
"""
from __future__ import annotations

import collections
import re
from collections.abc import Callable
from typing import Any

import jax

from minitf import ops as _ops
from minitf.core import (
    as_jax_array,
    fixed_size_partitioner,
    get_default_graph,
    get_variable,
    get_variable_scope,
    initializers,
    name_scope,
    unwrap,
    variable_scope,
)
from minitf.core import dtypes as _dtypes
from minitf.core.tensor import is_symbolic
from minitf.nn import activations as _activations
from minitf.nn.ops import bias_add

Constant, Zeros = initializers.Constant, initializers.Zeros

_WEIGHTS_VARIABLE_NAME = "kernel"
_BIAS_VARIABLE_NAME = "bias"

_LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


class LSTMStateTuple(_LSTMStateTuple):
    """`(c, h)`: an LSTM's cell state and output, as TF1's (a pytree, being a namedtuple)."""

    __slots__ = ()

    @property
    def dtype(self) -> Any:
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError("Inconsistent dtypes for internal state: %s vs %s"
                            % (c.dtype, h.dtype))
        return c.dtype


def _to_snake_case(name: str) -> str:
    """Keras' layer-name rule: `BasicLSTMCell` -> `basic_lstm_cell`."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


_ACTIVATIONS_BY_NAME = {"tanh": _ops.tanh, "sigmoid": _ops.sigmoid, "relu": _activations.relu,
                        "elu": _activations.elu, "selu": _activations.selu,
                        "softsign": _activations.softsign, "softplus": _activations.softplus,
                        "linear": lambda x: x}


def _activation(activation: Any) -> Callable:
    if not activation:
        return _ops.tanh
    if isinstance(activation, str):
        try:
            return _ACTIVATIONS_BY_NAME[activation]
        except KeyError:
            raise ValueError(f"Unknown activation function: {activation!r}. Known: "
                             f"{sorted(_ACTIVATIONS_BY_NAME)}") from None
    return activation


class _GraphState:
    """What a cell remembers in one graph (TF keeps it on the layer object)."""

    __slots__ = ("built", "created", "outer_scope", "scope")

    def __init__(self) -> None:
        self.scope: Any = None          # the captured VariableScope
        self.built = False
        self.created: frozenset[str] = frozenset()  # store names its first call created
        self.outer_scope: Any = None    # RNNCell.__call__'s cached variable_scope


def _batch(batch_size: Any) -> Any:
    """A batch size: an int, or a graph tensor when the batch is only known at run time."""
    return batch_size if is_symbolic(batch_size) else int(batch_size)


def _zero_state_tensors(state_size: Any, batch_size: int, dtype: Any) -> Any:
    def zeros(size: Any) -> jax.Array:
        dims = [size] if isinstance(size, int) else list(size)
        return _ops.zeros([batch_size, *dims], dtype=dtype)

    return jax.tree_util.tree_map(zeros, state_size)


class RNNCell:
    """Base class: TF1's `RNNCell` calling convention, scoping and `zero_state`.

    Subclasses define `state_size`, `output_size` and `call(inputs, state)`,
    getting their weights with `self.add_weight(name, shape, ...)` inside `call`.
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 _reuse: Any = None) -> None:
        self.trainable = trainable
        self._name = name
        self._base_name = name or _to_snake_case(type(self).__name__)
        self._reuse = _reuse
        self._dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        self._call_dtype: Any = None

    # -- the TF1 interface -----------------------------------------------------
    @property
    def name(self) -> str:
        return self._base_name

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def state_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        raise NotImplementedError("Abstract method")

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size: int, dtype: Any) -> Any:
        """Zeros shaped like `state_size` with a leading `batch_size` (tuples stay tuples)."""
        with name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, _batch(batch_size), dtype)

    def get_initial_state(self, inputs: Any = None, batch_size: int | None = None,
                          dtype: Any = None) -> Any:
        if inputs is not None:
            inputs = as_jax_array(inputs)
            if batch_size is not None and inputs.shape[0] != batch_size:
                raise ValueError("batch size from input tensor is different from the input "
                                 f"param. Input tensor batch: {inputs.shape[0]}, "
                                 f"batch_size: {batch_size}")
            batch_size, dtype = inputs.shape[0], inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial "
                             f"state: batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        """Run one step. Plain RNNCells (e.g. MultiRNNCell) first re-enter the scope
        current at their first call, as TF1's RNNCell.__call__ does."""
        if scope is not None:
            with variable_scope(scope) as entered:
                return self._layer_call(inputs, state, entered)
        st = self._graph_state()
        if st.outer_scope is None:
            st.outer_scope = variable_scope(get_variable_scope())
        with st.outer_scope:
            return self._layer_call(inputs, state, None)

    # -- weights -----------------------------------------------------------------
    def add_weight(self, name: str, shape: Any, initializer: Any = None,
                   partitioner: Any = None, dtype: Any = None) -> Any:
        """The weight `name` in the cell's scope: created on the first call, then reused."""
        dtype = dtype or self._dtype or self._call_dtype or _dtypes.float32
        return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                            trainable=self.trainable, partitioner=partitioner)

    add_variable = add_weight

    # -- TF's legacy Layer.__call__ scoping ------------------------------------------
    def _graph_state(self) -> _GraphState:
        graph = get_default_graph()
        slot = graph.state_for(self)  # per-trace state lives in the frame
        st = slot.get("cell")
        if st is None or (st.created and not st.created.issubset(graph.store.keys())):
            st = slot["cell"] = _GraphState()
        return st

    def _layer_call(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        graph = get_default_graph()
        st = self._graph_state()
        if st.scope is None:  # Layer._set_scope: capture once
            if self._reuse:
                cm = variable_scope(scope if scope is not None else self._base_name)
            else:
                cm = variable_scope(scope, default_name=self._base_name)
            with cm as captured:
                st.scope = captured
        before = None if st.built else set(graph.store.keys())
        reuse = True if st.built else self._reuse
        inputs_dtype = getattr(unwrap(inputs), "dtype", None)
        self._call_dtype = inputs_dtype if inputs_dtype is not None else self._call_dtype
        with variable_scope(st.scope, reuse=reuse, auxiliary_name_scope=False):
            with name_scope(st.scope.original_name_scope):
                output, new_state = self.call(inputs, state)
        if before is not None:
            st.created = frozenset(set(graph.store.keys()) - before)
            st.built = True
        return output, new_state


class LayerRNNCell(RNNCell):
    """Cells that scope like plain layers (no outer re-entered scope), as TF1's."""

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        return self._layer_call(inputs, state, scope)


def _input_depth(inputs: Any) -> int:
    shape = unwrap(inputs).shape
    if len(shape) != 2:
        raise ValueError(f"Input should be a rank-2 [batch, depth] tensor; received shape "
                         f"{tuple(shape)}")
    return int(shape[-1])


class BasicRNNCell(LayerRNNCell):
    """output = new_state = activation(concat([inputs, state]) @ kernel + bias)."""

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, trainable: bool = True) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, _reuse=reuse)
        self._num_units = num_units
        self._activation = _activation(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        depth = _input_depth(inputs)
        kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + self._num_units, self._num_units])
        bias = self.add_weight(_BIAS_VARIABLE_NAME, [self._num_units], initializer=Zeros())
        gate_inputs = _ops.matmul(_ops.concat([inputs, state], 1), kernel)
        output = self._activation(bias_add(gate_inputs, bias))
        return output, output


class GRUCell(LayerRNNCell):
    """TF1's GRU: gates r, u = sigmoid([x, h] @ gates/kernel + gates/bias) (bias init 1),
    candidate c = act([x, r * h] @ candidate/kernel + candidate/bias), h' = u*h + (1-u)*c."""

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 name: str | None = None, dtype: Any = None, trainable: bool = True) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, _reuse=reuse)
        self._num_units = num_units
        self._activation = _activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        depth, n = _input_depth(inputs), self._num_units
        gate_kernel = self.add_weight(f"gates/{_WEIGHTS_VARIABLE_NAME}", [depth + n, 2 * n],
                                      initializer=self._kernel_initializer)
        gate_bias = self.add_weight(f"gates/{_BIAS_VARIABLE_NAME}", [2 * n],
                                    initializer=self._bias_initializer or Constant(1.0))
        candidate_kernel = self.add_weight(f"candidate/{_WEIGHTS_VARIABLE_NAME}", [depth + n, n],
                                           initializer=self._kernel_initializer)
        candidate_bias = self.add_weight(f"candidate/{_BIAS_VARIABLE_NAME}", [n],
                                         initializer=self._bias_initializer or Zeros())
        state = unwrap(state)
        gate_inputs = bias_add(_ops.matmul(_ops.concat([inputs, state], 1), gate_kernel),
                               gate_bias)
        value = _ops.sigmoid(gate_inputs)
        r, u = _ops.split(value, 2, axis=1)
        candidate = _ops.matmul(_ops.concat([inputs, r * state], 1), candidate_kernel)
        c = self._activation(bias_add(candidate, candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class BasicLSTMCell(LayerRNNCell):
    """TF1's basic LSTM: one fused kernel on concat([inputs, h]) split as i, j, f, o;
    c' = c * sigmoid(f + forget_bias) + sigmoid(i) * act(j); h' = act(c') * sigmoid(o)."""

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Any = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, trainable: bool = True) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, _reuse=reuse)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        depth, n = _input_depth(inputs), self._num_units
        kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + n, 4 * n])
        bias = self.add_weight(_BIAS_VARIABLE_NAME, [4 * n], initializer=Zeros())
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = _ops.split(state, 2, axis=1)
        gate_inputs = bias_add(_ops.matmul(_ops.concat([inputs, h], 1), kernel), bias)
        i, j, f, o = _ops.split(gate_inputs, 4, axis=1)
        sigmoid, act = _ops.sigmoid, self._activation
        new_c = _ops.add(_ops.multiply(c, sigmoid(_ops.add(f, self._forget_bias))),
                         _ops.multiply(sigmoid(i), act(j)))
        new_h = _ops.multiply(act(new_c), sigmoid(o))
        new_state = (LSTMStateTuple(new_c, new_h) if self._state_is_tuple
                     else _ops.concat([new_c, new_h], 1))
        return new_h, new_state


class LSTMCell(LayerRNNCell):
    """TF1's full LSTM: BasicLSTMCell's gates plus optional peepholes (w_f_diag, w_i_diag,
    w_o_diag), cell clipping and an output projection (`projection/kernel`)."""

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: float | None = None,
                 initializer: Any = None, num_proj: int | None = None,
                 proj_clip: float | None = None, num_unit_shards: int | None = None,
                 num_proj_shards: int | None = None, forget_bias: float = 1.0,
                 state_is_tuple: bool = True, activation: Any = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, trainable: bool = True) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, _reuse=reuse)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)
        h = num_proj if num_proj else num_units
        self._state_size = (LSTMStateTuple(num_units, h) if state_is_tuple else num_units + h)
        self._output_size = h

    @property
    def state_size(self) -> Any:
        return self._state_size

    @property
    def output_size(self) -> int:
        return self._output_size

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        n = self._num_units
        num_proj = n if self._num_proj is None else self._num_proj
        depth = _input_depth(inputs)
        shards = (None if self._num_unit_shards is None
                  else fixed_size_partitioner(self._num_unit_shards))
        kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + num_proj, 4 * n],
                                 initializer=self._initializer, partitioner=shards)
        bias = self.add_weight(_BIAS_VARIABLE_NAME, [4 * n], initializer=Zeros())
        if self._use_peepholes:
            w_f_diag = self.add_weight("w_f_diag", [n], initializer=self._initializer)
            w_i_diag = self.add_weight("w_i_diag", [n], initializer=self._initializer)
            w_o_diag = self.add_weight("w_o_diag", [n], initializer=self._initializer)
        if self._num_proj is not None:
            proj_shards = (None if self._num_proj_shards is None
                           else fixed_size_partitioner(self._num_proj_shards))
            proj_kernel = self.add_weight(f"projection/{_WEIGHTS_VARIABLE_NAME}", [n, num_proj],
                                          initializer=self._initializer,
                                          partitioner=proj_shards)
        if self._state_is_tuple:
            c_prev, m_prev = (unwrap(s) for s in state)
        else:
            state = unwrap(state)
            c_prev, m_prev = state[:, :n], state[:, n:n + num_proj]
        lstm_matrix = bias_add(_ops.matmul(_ops.concat([inputs, m_prev], 1), kernel), bias)
        i, j, f, o = _ops.split(lstm_matrix, 4, axis=1)
        sigmoid, act = _ops.sigmoid, self._activation
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + w_f_diag * c_prev) * c_prev
                 + sigmoid(i + w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = _ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + w_o_diag * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = _ops.matmul(m, proj_kernel)
            if self._proj_clip is not None:
                m = _ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else _ops.concat([c, m], 1)
        return m, new_state


class MultiRNNCell(RNNCell):
    """Cells stacked in sequence, each in scope `cell_<i>`; the state is a tuple of theirs."""

    def __init__(self, cells: Any, state_is_tuple: bool = True) -> None:
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not isinstance(cells, (list, tuple)):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(isinstance(c.state_size, tuple) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple "
                             "is not set. State sizes are: %s"
                             % [c.state_size for c in self._cells])

    @property
    def state_size(self) -> Any:
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    def zero_state(self, batch_size: int, dtype: Any) -> Any:
        with name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return _zero_state_tensors(self.state_size, _batch(batch_size), dtype)

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        position, current, new_states = 0, inputs, []
        for i, cell in enumerate(self._cells):
            with variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not isinstance(state, (tuple, list)):
                        raise ValueError("Expected state to be a tuple of length %d, but "
                                         "received: %s" % (len(self.state_size), state))
                    cell_state = state[i]
                else:
                    cell_state = unwrap(state)[:, position:position + cell.state_size]
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return current, tuple(new_states)
        return current, _ops.concat(new_states, 1)


def assert_like_rnncell(cell_name: str, cell: Any) -> None:
    """TF's check that `cell` quacks like an RNNCell (output_size, state_size, callable)."""
    problems = [msg for ok, msg in [
        (hasattr(cell, "output_size"), "'output_size' property is missing"),
        (hasattr(cell, "state_size"), "'state_size' property is missing"),
        (callable(cell), "is not callable"),
    ] if not ok]
    if problems:
        raise TypeError("The argument {!r} ({}) is not an RNNCell: {}.".format(
            cell_name, cell, ", ".join(problems)))

