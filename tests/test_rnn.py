"""RNN cells and drivers in minitf alone: sharing, jit/grad, cells reused across traces.

The TF-equivalence of names and numbers is in test_rnn_tf.py; these check what
minitf adds: dynamic_rnn (one lifted scan) and a Python loop over the cell give
the same outputs from the same params, everything composes with jit and grad,
and a cell object works in init, in apply and eagerly.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf
import minitf.nn

rnn_cell = tf.nn.rnn_cell
X = jnp.asarray(np.random.default_rng(0).standard_normal((3, 5, 4)), jnp.float32)


def scanned(x):
    return tf.nn.dynamic_rnn(rnn_cell.BasicLSTMCell(6, forget_bias=0.5), x, dtype=tf.float32)


def unrolled(x):
    """The tutorials' loop: one cell, reuse_variables() after the first step."""
    outputs = []
    with tf.variable_scope("rnn"):
        cell = rnn_cell.BasicLSTMCell(6, forget_bias=0.5)
        state = cell.zero_state(x.shape[0], tf.float32)
        for t in range(x.shape[1]):
            if t > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(x[:, t, :], state)
            outputs.append(output)
    return tf.stack(outputs, axis=1), state


def test_dynamic_rnn_and_a_python_loop_share_names_and_outputs():
    scan_model, loop_model = tf.transform(scanned), tf.transform(unrolled)
    params = scan_model.init(jax.random.PRNGKey(0), X)
    assert list(params) == ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"]
    assert list(loop_model.init(jax.random.PRNGKey(0), X)) == list(params)
    np.testing.assert_array_equal(params["rnn/basic_lstm_cell/kernel"],
                                  loop_model.init(jax.random.PRNGKey(0), X)
                                  ["rnn/basic_lstm_cell/kernel"])
    params = {**params, "rnn/basic_lstm_cell/bias": jnp.linspace(-1, 1, 24)}
    (out_a, state_a), (out_b, state_b) = scan_model.apply(params, X), loop_model.apply(params, X)
    assert isinstance(state_a, rnn_cell.LSTMStateTuple)
    np.testing.assert_allclose(out_a, out_b, atol=1e-6)
    np.testing.assert_allclose(state_a.h, state_b.h, atol=1e-6)
    np.testing.assert_allclose(state_a.c, state_b.c, atol=1e-6)


def test_jit_and_grad_through_dynamic_rnn_match_the_unrolled_loop():
    scan_model, loop_model = tf.transform(scanned), tf.transform(unrolled)
    params = scan_model.init(1, X)

    def loss(model):
        return lambda p: jnp.sum(model.apply(p, X)[0] ** 2)

    grads_scan = jax.jit(jax.grad(loss(scan_model)))(params)
    grads_loop = jax.grad(loss(loop_model))(params)
    for name in params:
        assert np.all(np.isfinite(grads_scan[name]))
        np.testing.assert_allclose(grads_scan[name], grads_loop[name], atol=1e-5)
    assert float(jnp.abs(grads_scan["rnn/basic_lstm_cell/kernel"]).sum()) > 0


def test_one_cell_object_serves_init_apply_and_two_models():
    cell = rnn_cell.MultiRNNCell([rnn_cell.GRUCell(3), rnn_cell.BasicRNNCell(2)])

    def model(x):
        return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)

    first, second = tf.transform(model), tf.transform(model)
    params = first.init(0, X)
    assert list(params) == list(second.init(0, X))
    assert all(name.startswith("rnn/multi_rnn_cell/cell_") for name in params)
    out_1, _ = first.apply(params, X)
    out_2, _ = jax.jit(second.apply)(params, X)
    np.testing.assert_allclose(out_1, out_2, atol=1e-6)


def test_cell_called_twice_in_one_model_reuses_its_variables():
    def model(x):
        cell = rnn_cell.GRUCell(3)
        a, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="enc")
        b, _ = cell(x[:, 0], state)  # the cell remembers rnn scope 'enc/gru_cell'
        return a, b

    params = tf.transform(model).init(0, X)
    assert sorted(params) == ["enc/gru_cell/candidate/bias", "enc/gru_cell/candidate/kernel",
                              "enc/gru_cell/gates/bias", "enc/gru_cell/gates/kernel"]
    np.testing.assert_array_equal(params["enc/gru_cell/gates/bias"], np.ones(6))


def test_sequence_length_copies_the_state_and_zeroes_outputs():
    lengths = jnp.array([5, 2, 0])

    def model(x, n):
        return tf.nn.dynamic_rnn(rnn_cell.BasicLSTMCell(4), x, sequence_length=n,
                                 dtype=tf.float32)

    m = tf.transform(model)
    params = m.init(0, X, lengths)
    outputs, state = jax.jit(m.apply)(params, X, lengths)
    short, short_state = m.apply(params, X[:, :2], jnp.array([2, 2, 2]))
    np.testing.assert_allclose(outputs[1, :2], short[1], atol=1e-6)
    np.testing.assert_array_equal(outputs[1, 2:], 0)
    np.testing.assert_allclose(state.h[1], short_state.h[1], atol=1e-6)
    np.testing.assert_array_equal(state.c[2], 0)
    np.testing.assert_array_equal(outputs[2], 0)


def test_cells_work_eagerly(eager):
    outputs, state = tf.nn.dynamic_rnn(rnn_cell.LSTMCell(3, num_proj=2), X, dtype=tf.float32)
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["rnn/lstm_cell/kernel", "rnn/lstm_cell/bias",
                     "rnn/lstm_cell/projection/kernel"]
    assert outputs.shape == (3, 5, 2) and state.c.shape == (3, 3)


def test_state_structures_and_sizes():
    lstm = rnn_cell.BasicLSTMCell(4)
    multi = rnn_cell.MultiRNNCell([lstm, rnn_cell.GRUCell(2)])
    assert lstm.state_size == rnn_cell.LSTMStateTuple(4, 4) and lstm.output_size == 4
    assert multi.state_size == (rnn_cell.LSTMStateTuple(4, 4), 2) and multi.output_size == 2
    zero = multi.zero_state(7, tf.float32)
    assert isinstance(zero[0], rnn_cell.LSTMStateTuple) and zero[1].shape == (7, 2)
    assert rnn_cell.LSTMCell(5, num_proj=3).state_size == (5, 3)


def test_dynamic_rnn_needs_a_dtype_or_initial_state():
    model = tf.transform(lambda x: tf.nn.dynamic_rnn(rnn_cell.GRUCell(2), x))
    with pytest.raises(ValueError, match="argument `dtype` must be specified"):
        model.init(0, X)


def test_multi_rnn_cell_argument_errors():
    with pytest.raises(ValueError, match="at least one cell"):
        rnn_cell.MultiRNNCell([])
    with pytest.raises(TypeError, match="list or tuple"):
        rnn_cell.MultiRNNCell(rnn_cell.GRUCell(2))
    with pytest.raises(TypeError, match="is not an RNNCell"):
        tf.transform(lambda x: tf.nn.dynamic_rnn(lambda *a: a, x, dtype=tf.float32)).init(0, X)
