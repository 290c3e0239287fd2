"""RNN cells and drivers against real TF1: names, state structures and numbers.

Every case builds the same code under `tensorflow.compat.v1` (tf.nn.rnn_cell.*,
tf.nn.dynamic_rnn, ...) and minitf, copies TF's (randomized) weights by name and
compares outputs and final states to 1e-5 (see tf_reference.py).
"""
import numpy as np
import pytest

from tf_reference import compare, minitf_model, run_tf

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 6, 4)).astype(np.float32)  # batch 3, time 6, depth 4
LENGTHS = np.array([6, 2, 4], np.int32)

CELLS = {
    "basic_rnn": lambda tf: tf.nn.rnn_cell.BasicRNNCell(5),
    "basic_lstm_forget_bias": lambda tf: tf.nn.rnn_cell.BasicLSTMCell(5, forget_bias=0.7),
    "basic_lstm_concat_state": lambda tf: tf.nn.rnn_cell.BasicLSTMCell(5, state_is_tuple=False),
    "gru": lambda tf: tf.nn.rnn_cell.GRUCell(5),
    "lstm_proj_peepholes_clip": lambda tf: tf.nn.rnn_cell.LSTMCell(
        5, use_peepholes=True, cell_clip=0.8, num_proj=3, proj_clip=0.5, forget_bias=0.5),
    "lstm_named": lambda tf: tf.nn.rnn_cell.LSTMCell(5, name="my_lstm"),
    "multi_lstm_gru": lambda tf: tf.nn.rnn_cell.MultiRNNCell(
        [tf.nn.rnn_cell.BasicLSTMCell(5), tf.nn.rnn_cell.GRUCell(3)]),
    "multi_concat_state": lambda tf: tf.nn.rnn_cell.MultiRNNCell(
        [tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.GRUCell(3)], state_is_tuple=False),
}


@pytest.mark.parametrize("make_cell", CELLS.values(), ids=CELLS.keys())
def test_dynamic_rnn_cells(make_cell):
    def build(tf, x):
        return tf.nn.dynamic_rnn(make_cell(tf), x, dtype=tf.float32)

    compare(build, X)


def test_dynamic_rnn_with_sequence_length_zeroes_outputs_and_copies_state():
    def build(tf, x, lengths):
        cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                           tf.nn.rnn_cell.BasicLSTMCell(3)])
        return tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32,
                                 scope="encoder")

    _, (outputs, _), _ = compare(build, X, LENGTHS)
    assert np.all(np.asarray(outputs)[1, 2:] == 0)


def test_dynamic_rnn_time_major_and_initial_state():
    def build(tf, x):
        cell = tf.nn.rnn_cell.GRUCell(4)
        with tf.variable_scope("model", initializer=tf.random_uniform_initializer(-0.1, 0.1)):
            h0 = tf.tanh(tf.reduce_mean(x, axis=1)[:, :1] * tf.ones([1, 4]))
            return tf.nn.dynamic_rnn(cell, tf.transpose(x, [1, 0, 2]), initial_state=h0,
                                     time_major=True)

    compare(build, X)


def test_static_rnn_with_and_without_sequence_length():
    def build(tf, x, lengths):
        steps = tf.unstack(x, axis=1)
        a = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), steps, dtype=tf.float32)
        b = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(3), steps, dtype=tf.float32,
                             sequence_length=lengths, scope="masked")
        return a, b

    compare(build, X, LENGTHS)


def test_bidirectional_dynamic_rnn():
    def build(tf, x, lengths):
        return tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.GRUCell(2), x,
            sequence_length=lengths, dtype=tf.float32)

    compare(build, X, LENGTHS)


def test_python_loop_with_reuse_variables_as_the_tutorials_do():
    """One cell called per step in a Python loop; reuse_variables() after step 0."""
    def build(tf, x):
        outputs = []
        with tf.variable_scope("cell"):
            cell = tf.nn.rnn_cell.BasicLSTMCell(5)
            state = cell.zero_state(3, dtype=tf.float32)
            for t in range(6):
                if t > 0:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(x[:, t, :], state)
                outputs.append(output)
        return tf.stack(outputs, axis=1), state

    compare(build, X)


def test_two_dynamic_rnns_share_weights_with_scope_reuse():
    def build(tf, x):
        with tf.variable_scope("rnn_model") as scope:
            train = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32)
            scope.reuse_variables()
            test = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x[:, :1], dtype=tf.float32)
        return train, test

    compare(build, X)


def test_layers_and_cells_inside_make_template_share_on_the_second_call():
    def build(tf, x):
        def encoder(inputs):
            h = tf.layers.dense(inputs, 4, activation=tf.nn.tanh)
            return tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(3), h, dtype=tf.float32)

        encode = tf.make_template("encoder", encoder)
        return encode(x), encode(x[:, ::-1])

    compare(build, X)


def _first_error_line(fn):
    with pytest.raises(ValueError) as info:
        fn()
    return str(info.value).splitlines()[0]


@pytest.mark.parametrize("case", ["second_cell_in_reused_scope", "same_scope_twice", "no_dtype",
                                  "second_multi_rnn_cell"])
def test_errors_match_tf(case):
    def build(tf, x):
        if case == "second_cell_in_reused_scope":
            with tf.variable_scope("loop"):
                cell = tf.nn.rnn_cell.BasicLSTMCell(4)
                state = cell.zero_state(3, tf.float32)
                _, state = cell(x[:, 0], state)
                tf.get_variable_scope().reuse_variables()
                return tf.nn.rnn_cell.BasicLSTMCell(4)(x[:, 1], state)
        if case == "same_scope_twice":
            tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
            return tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
        if case == "second_multi_rnn_cell":  # TF quirk: the first one's scope count is undone
            for _ in range(2):
                cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(3)])
                cell(x[:, 0], cell.zero_state(3, tf.float32))
        return tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x)

    expected = _first_error_line(lambda: run_tf(build, [X]))
    assert _first_error_line(lambda: minitf_model(build).init(0, X)) == expected
