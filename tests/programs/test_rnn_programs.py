"""The flagship RNN programs, run unchanged under TensorFlow and minitf (see harness.py).

A model class that builds its own placeholders (inside `variable_scope('inputs')`),
LSTM, cost and train op; a training RNN and, after `scope.reuse_variables()`, a
test RNN with a different number of time steps sharing its weights; the LSTM
state fed back through `feed_dict` between batches.
"""
import numpy as np
import pytest
from harness import assert_same_run, run_minitf, run_tf


class Config:
    batch_size, time_steps, input_size, output_size, cell_size, lr = 4, 6, 1, 1, 8, 0.02


class OneStep(Config):
    time_steps = 1


def sine_batches(start, config):
    """Sine input, cosine target; consecutive windows (so state carries over)."""
    steps = np.arange(start, start + config.batch_size * config.time_steps)
    xs = steps.reshape(config.batch_size, config.time_steps) / (2 * np.pi)
    return (np.sin(xs)[:, :, None].astype(np.float32),
            np.cos(xs)[:, :, None].astype(np.float32))


def make_rnn_class(tf):
    class SeqRNN:
        def __init__(self, config, train=True):
            self.config = config
            with tf.variable_scope("inputs"):
                self.xs = tf.placeholder(tf.float32, [None, config.time_steps,
                                                      config.input_size], name="xs")
                self.ys = tf.placeholder(tf.float32, [None, config.time_steps,
                                                      config.output_size], name="ys")
            with tf.variable_scope("in_hidden"):
                x2d = tf.reshape(self.xs, [-1, config.input_size])
                w = tf.get_variable("weights", [config.input_size, config.cell_size],
                                    initializer=tf.random_normal_initializer(0.0, 1.0))
                b = tf.get_variable("biases", [config.cell_size],
                                    initializer=tf.constant_initializer(0.1))
                hidden = tf.reshape(tf.matmul(x2d, w) + b,
                                    [-1, config.time_steps, config.cell_size])
            with tf.variable_scope("lstm_cell"):
                cell = tf.nn.rnn_cell.BasicLSTMCell(config.cell_size, forget_bias=1.0)
                self.cell_init_state = cell.zero_state(config.batch_size, dtype=tf.float32)
                outputs, self.cell_final_state = tf.nn.dynamic_rnn(
                    cell, hidden, initial_state=self.cell_init_state, time_major=False)
            with tf.variable_scope("out_hidden"):
                out2d = tf.reshape(outputs, [-1, config.cell_size])
                w_out = tf.get_variable("weights", [config.cell_size, config.output_size],
                                        initializer=tf.random_normal_initializer(0.0, 1.0))
                b_out = tf.get_variable("biases", [config.output_size],
                                        initializer=tf.constant_initializer(0.1))
                self.pred = tf.matmul(out2d, w_out) + b_out
            with tf.name_scope("cost"):
                target = tf.reshape(self.ys, [-1, config.output_size])
                self.cost = tf.reduce_mean(tf.square(self.pred - target), name="mse")
            if train:
                with tf.name_scope("train"):
                    self.train_op = tf.train.AdamOptimizer(config.lr).minimize(self.cost)
    return SeqRNN


def tutorial_rnn(tf, start):
    SeqRNN = make_rnn_class(tf)
    with tf.variable_scope("rnn") as scope:
        train_rnn = SeqRNN(Config)
        scope.reuse_variables()
        test_rnn = SeqRNN(OneStep, train=False)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        state = None
        for step in range(20):
            xs, ys = sine_batches(step * Config.time_steps, Config)
            feed = {train_rnn.xs: xs, train_rnn.ys: ys}
            if state is not None:
                feed[train_rnn.cell_init_state] = state  # the state carries over
            _, cost, state, pred = sess.run([train_rnn.train_op, train_rnn.cost,
                                             train_rnn.cell_final_state, train_rnn.pred],
                                            feed_dict=feed)
            out += [cost, pred, state.c, state.h]
        xs, ys = sine_batches(0, OneStep)
        out.append(sess.run(test_rnn.pred, {test_rnn.xs: xs}))
    return out


def test_tutorial_train_and_test_rnn_share_weights():
    assert_same_run(tutorial_rnn)


def test_variable_names_of_the_tutorial_rnn():
    """TF's own quirks, which the harness checks minitf reproduces name for name: the
    slots of variables in scope 'rnn' are created inside scope 'rnn' again."""
    _, initial = run_tf(tutorial_rnn)
    assert "rnn/lstm_cell/rnn/basic_lstm_cell/kernel" in initial
    assert "rnn/rnn/in_hidden/weights/Adam" in initial
    assert "rnn/train/beta1_power" in initial


def optimizer_in_reused_scope(tf, start):
    SeqRNN = make_rnn_class(tf)
    with tf.variable_scope("rnn") as scope:
        SeqRNN(Config)
        scope.reuse_variables()
        SeqRNN(OneStep)  # builds an optimizer under reuse=True: TF raises
    return []


def test_optimizer_under_reuse_raises_as_tf():
    with pytest.raises(ValueError) as tf_error:
        run_tf(optimizer_in_reused_scope)
    with pytest.raises(ValueError) as our_error:
        run_minitf(optimizer_in_reused_scope, {})
    assert str(our_error.value).startswith(str(tf_error.value).split("\n")[0])


def rnn_zoo(tf, start):
    """Every RNN driver and cell family on placeholders with an unknown batch:
    bidirectional_dynamic_rnn with sequence lengths, static_rnn over unstacked steps,
    GRU and stacked LSTM cells; trained together for 20 steps."""
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    (fw, bw), (fw_state, bw_state) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True), x,
        sequence_length=lengths, dtype=tf.float32)
    stacked = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    outs, _ = tf.nn.static_rnn(stacked, tf.unstack(x, axis=1), dtype=tf.float32,
                               scope="static")
    features = tf.concat([fw[:, -1], bw[:, 0], fw_state, bw_state.h, outs[-1]], 1)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(features, 1) - 1.0))
    train = tf.train.RMSPropOptimizer(0.01).minimize(loss)
    rng = np.random.RandomState(5)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for step in range(20):
            batch = 3 + step % 2  # the batch size changes between runs
            feed = {x: rng.randn(batch, 5, 3), lengths: rng.randint(1, 6, batch)}
            out.append(sess.run([loss, train], feed)[0])
        feed = {x: rng.randn(2, 5, 3), lengths: [5, 2]}
        out += sess.run([fw, bw, fw_state, bw_state.c], feed)
    return out


def test_rnn_drivers_and_cells_in_a_graph():
    assert_same_run(rnn_zoo)
