"""The scope tutorial's train/test RNN pair written as a TF1 *program*, run on minitf.

The tutorial's `RNN` class builds its own placeholders (inside
`variable_scope('inputs')`), an input layer, a BasicLSTMCell driven by
`tf.nn.dynamic_rnn`, an output layer, its cost and (for the training RNN) its
`AdamOptimizer(...).minimize(cost)` train op inside `name_scope('train')`.
Exactly as in the tutorial:

    with tf.variable_scope('rnn') as scope:
        train_rnn = RNN(train_config)     # time_steps = 20
        scope.reuse_variables()
        test_rnn = RNN(test_config)       # time_steps = 1, same weights

then `sess.run(tf.global_variables_initializer())` and a `sess.run` loop that
feeds the LSTM state back through `feed_dict`. (The tutorial's test RNN also
builds an optimizer under `reuse=True`; real TensorFlow refuses that, and so
does minitf, so here the test RNN is built without one.) The only change from
a TensorFlow 1.x program is `import minitf as tf`.

Data and quality figures are those of examples/rnn.py: a character model of
stdlib source, held-out nats/char against unigram and bigram baselines.

    python examples/rnn_tf1.py              # 5000 steps
    python examples/rnn_tf1.py --steps 500
"""
from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np
from rnn import (
    HELD_OUT_FRACTION,
    TestConfig,
    TrainConfig,
    Vocabulary,
    load_corpus,
    ngram_baselines,
    split_streams,
)

import minitf as tf


class RNN:
    """The tutorial's RNN, with its placeholders, cost and train op."""

    def __init__(self, config: TrainConfig, train: bool = True) -> None:
        self.batch_size, self.time_steps = config.batch_size, config.time_steps
        self.input_size, self.output_size = config.input_size, config.output_size
        self.cell_size = config.cell_size
        with tf.variable_scope("inputs"):
            self.xs = tf.placeholder(tf.int32, [self.batch_size, self.time_steps], name="xs")
            self.ys = tf.placeholder(tf.int32, [self.batch_size, self.time_steps], name="ys")
        with tf.variable_scope("in_hidden"):
            self.add_input_layer()
        with tf.variable_scope("LSTM_cell"):
            self.add_cell()
        with tf.variable_scope("out_hidden"):
            self.add_output_layer()
        with tf.name_scope("cost"):
            self.compute_cost()
        if train:
            with tf.name_scope("train"):
                self.train_op = tf.train.AdamOptimizer(config.learning_rate).minimize(self.cost)

    def add_input_layer(self) -> None:
        one_hot = tf.one_hot(self.xs, self.input_size)
        l_in_x = tf.reshape(one_hot, [-1, self.input_size], name="2_2D")
        w_in = self._weight_variable([self.input_size, self.cell_size])
        b_in = self._bias_variable([self.cell_size])
        with tf.name_scope("Wx_plus_b"):
            l_in_y = tf.matmul(l_in_x, w_in) + b_in
        self.l_in_y = tf.reshape(l_in_y, [-1, self.time_steps, self.cell_size], name="2_3D")

    def add_cell(self) -> None:
        cell = tf.nn.rnn_cell.BasicLSTMCell(self.cell_size, forget_bias=1.0)
        with tf.name_scope("initial_state"):
            self.cell_init_state = cell.zero_state(self.batch_size, dtype=tf.float32)
        self.cell_outputs, self.cell_final_state = tf.nn.dynamic_rnn(
            cell, self.l_in_y, initial_state=self.cell_init_state, time_major=False)

    def add_output_layer(self) -> None:
        l_out_x = tf.reshape(self.cell_outputs, [-1, self.cell_size], name="2_2D")
        w_out = self._weight_variable([self.cell_size, self.output_size])
        b_out = self._bias_variable([self.output_size])
        with tf.name_scope("Wx_plus_b"):
            self.logits = tf.matmul(l_out_x, w_out) + b_out
        self.log_probs = tf.nn.log_softmax(self.logits)

    def compute_cost(self) -> None:
        labels = tf.reshape(self.ys, [-1])
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                logits=self.logits)
        self.cost = tf.reduce_mean(losses, name="average_cost")

    @staticmethod
    def _weight_variable(shape: list[int], name: str = "weights") -> Any:
        return tf.get_variable(name, shape, initializer=tf.random_normal_initializer(0.0, 0.5))

    @staticmethod
    def _bias_variable(shape: list[int], name: str = "biases") -> Any:
        return tf.get_variable(name, shape, initializer=tf.constant_initializer(0.1))


def held_out_loss(sess: Any, rnn: RNN, streams: np.ndarray) -> float:
    """Mean -log p(next char) in nats, stepping the one-step test RNN along each stream."""
    state, total = sess.run(rnn.cell_init_state), 0.0
    rows = np.arange(streams.shape[0])
    for t in range(streams.shape[1] - 1):
        log_probs, state = sess.run([rnn.log_probs, rnn.cell_final_state],
                                    {rnn.xs: streams[:, t:t + 1], rnn.cell_init_state: state})
        total -= float(np.sum(log_probs[rows, streams[:, t + 1]]))
    return total / (streams.shape[0] * (streams.shape[1] - 1))


def train(steps: int = 5000, seed: int = 0, outdir: str = "runs/rnn_tf1") -> dict[str, Any]:
    text = load_corpus()
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    cut = int(len(ids) * (1 - HELD_OUT_FRACTION))
    train_ids, held_ids = ids[:cut], ids[cut:]
    train_config, test_config = TrainConfig(), TestConfig()
    for config in (train_config, test_config):
        config.input_size = config.output_size = len(vocab)

    tf.reset_default_graph()
    tf.set_random_seed(seed)
    with tf.variable_scope("rnn") as scope:
        train_rnn = RNN(train_config)
        scope.reuse_variables()
        test_rnn = RNN(test_config, train=False)
    saver = tf.train.Saver()

    streams = split_streams(train_ids, train_config.batch_size)
    window = train_config.time_steps
    batches_per_epoch = (streams.shape[1] - 1) // window
    losses: list[float] = []
    results: dict[str, Any] = {"steps": steps}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = time.perf_counter()
        state = None
        for step in range(steps):
            b = step % batches_per_epoch
            feed = {train_rnn.xs: streams[:, b * window:(b + 1) * window],
                    train_rnn.ys: streams[:, b * window + 1:(b + 1) * window + 1]}
            if b > 0:  # carry the state along the streams; a new pass starts from zeros
                feed[train_rnn.cell_init_state] = state
            _, cost, state = sess.run([train_rnn.train_op, train_rnn.cost,
                                       train_rnn.cell_final_state], feed_dict=feed)
            losses.append(float(cost))
        results["train_seconds"] = time.perf_counter() - start
        results["compiles"] = sess.compile_count
        held = split_streams(held_ids, test_config.batch_size)
        results["held_out"] = held_out_loss(sess, test_rnn, held)
        os.makedirs(outdir, exist_ok=True)
        results["checkpoint"] = saver.save(sess, os.path.join(outdir, "ckpt", "rnn"),
                                           global_step=steps)
    results.update(ngram_baselines(train_ids, held_ids, len(vocab)))
    results["final_train"] = float(np.mean(losses[-100:]))
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--outdir", default="runs/rnn_tf1")
    args = parser.parse_args(argv)
    results = train(steps=args.steps, seed=args.seed, outdir=args.outdir)
    print(f"trained {results['steps']} steps in {results['train_seconds']:.1f} s "
          f"({results['compiles']} compilations); final train loss "
          f"{results['final_train']:.3f} nats/char")
    print(f"held-out: {results['held_out']:.3f} nats/char (unigram {results['unigram']:.3f}, "
          f"bigram {results['bigram']:.3f}); checkpoint {results['checkpoint']}")
    return results


if __name__ == "__main__":
    main()
