"""A character-level language model: the tutorials' train/test RNN pair, on minitf.

The model is the scope tutorial's `RNN` class (input layer, BasicLSTMCell,
output layer, weights made with `tf.get_variable`), built twice the way the
tutorial does it:

    with tf.variable_scope('rnn') as scope:
        train_rnn = RNN(train_config)   # time_steps = 20: creates every weight
        scope.reuse_variables()
        test_rnn = RNN(test_config)     # time_steps = 1: reuses them by name

inside one `tf.transform`ed function, so both RNNs read one params dict. The
train RNN is trained with optax Adam (truncated backprop over 20 parallel
streams of text, carrying the LSTM state between batches); the test RNN then
steps through the held-out text one character at a time, carrying its state,
which is how a TF1 program would evaluate and sample.

Data: the source of a few standard-library modules (`inspect.getsource`; it
ships with Python, so no download), about 360 KB; the last 10% is held out.
The held-out loss is compared with a unigram and a bigram character model
estimated on the training text.

    python examples/rnn.py              # default: 5000 steps, about 20 s on 2 CPU cores
    python examples/rnn.py --steps 500  # quicker

Writes runs/rnn/loss.png, a checkpoint under runs/rnn/ckpt/ and TensorBoard
events under runs/rnn/tb/.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

import minitf as tf
import minitf.nn

CORPUS_MODULES = ("argparse", "difflib", "textwrap", "calendar", "pprint", "shlex",
                  "fractions", "heapq", "statistics")
HELD_OUT_FRACTION = 0.1


# ----------------------------------------------------------------------------
# Data.

def load_corpus(modules: tuple[str, ...] = CORPUS_MODULES) -> str:
    """The concatenated source of `modules` (deterministic for a given Python version)."""
    return "\n\n".join(inspect.getsource(importlib.import_module(m)) for m in modules)


class Vocabulary:
    """Characters <-> ids. Built from the whole corpus, so held-out text has no unknowns."""

    def __init__(self, text: str) -> None:
        self.chars = sorted(set(text))
        self._index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self._index[c] for c in text], dtype=np.int32)

    def decode(self, ids: Any) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def split_streams(ids: np.ndarray, streams: int) -> np.ndarray:
    """[streams, length]: the text cut into `streams` contiguous pieces, read in parallel."""
    length = len(ids) // streams
    return ids[:streams * length].reshape(streams, length)


# ----------------------------------------------------------------------------
# The tutorial's configurations and RNN class.

class TrainConfig:
    batch_size = 20
    time_steps = 20
    input_size = 10
    output_size = 2
    cell_size = 11
    learning_rate = 0.01


class TestConfig(TrainConfig):
    time_steps = 1


def make_configs(vocab_size: int) -> tuple[TrainConfig, TestConfig]:
    """The tutorial's configs, with input_size and output_size set from the data.

    The tutorial's input_size=10 / output_size=2 belong to its toy regression;
    here both are fixed by the data: one-hot characters in, a distribution over
    the same characters out. Everything else is the tutorial's.
    """
    train_config, test_config = TrainConfig(), TestConfig()
    for config in (train_config, test_config):
        config.input_size = config.output_size = vocab_size
    return train_config, test_config


class RNN:
    """The tutorial's RNN: input layer -> BasicLSTMCell (dynamic_rnn) -> output layer.

    `inputs`: [batch_size, time_steps, input_size]; `initial_state`: an
    LSTMStateTuple (zeros when None). Exposes `logits` [batch, time, output]
    and `cell_final_state`.
    """

    def __init__(self, config: TrainConfig, inputs: Any, initial_state: Any = None) -> None:
        self._batch_size = config.batch_size
        self._time_steps = config.time_steps
        self._input_size = config.input_size
        self._output_size = config.output_size
        self._cell_size = config.cell_size
        self._lr = config.learning_rate
        self._build_rnn(inputs, initial_state)

    def _build_rnn(self, inputs: Any, initial_state: Any) -> None:
        with tf.name_scope("RNN"):
            with tf.variable_scope("input_layer"):
                l_in_x = tf.reshape(inputs, [-1, self._input_size], name="2_2D")
                w_in = self._weight_variable([self._input_size, self._cell_size])
                b_in = self._bias_variable([self._cell_size])
                with tf.name_scope("Wx_plus_b"):
                    l_in_y = tf.matmul(l_in_x, w_in) + b_in
                l_in_y = tf.reshape(l_in_y, [-1, self._time_steps, self._cell_size], name="2_3D")
            with tf.variable_scope("cell"):
                cell = tf.nn.rnn_cell.BasicLSTMCell(self._cell_size)
                with tf.name_scope("initial_state"):
                    if initial_state is None:
                        initial_state = cell.zero_state(self._batch_size, dtype=tf.float32)
                    self.cell_initial_state = initial_state
                self.cell_outputs, self.cell_final_state = tf.nn.dynamic_rnn(
                    cell, l_in_y, initial_state=self.cell_initial_state, time_major=False)
            with tf.variable_scope("output_layer"):
                outputs = tf.reshape(self.cell_outputs, [-1, self._cell_size], name="2_2D")
                w_out = self._weight_variable([self._cell_size, self._output_size])
                b_out = self._bias_variable([self._output_size])
                with tf.name_scope("Wx_plus_b"):
                    logits = tf.matmul(outputs, w_out) + b_out
                self.logits = tf.reshape(
                    logits, [self._batch_size, self._time_steps, self._output_size])

    @staticmethod
    def _weight_variable(shape: list[int], name: str = "weights") -> Any:
        initializer = tf.random_normal_initializer(mean=0., stddev=0.5)
        return tf.get_variable(shape=shape, initializer=initializer, name=name)

    @staticmethod
    def _bias_variable(shape: list[int], name: str = "biases") -> Any:
        initializer = tf.constant_initializer(0.1)
        return tf.get_variable(name=name, shape=shape, initializer=initializer)


def build_models(train_config: TrainConfig, test_config: TestConfig, train_ids: Any,
                 train_state: Any, test_ids: Any, test_state: Any) -> tuple[RNN, RNN]:
    """The tutorial's pair: one `rnn` scope, reuse_variables() between the two."""
    with tf.variable_scope("rnn") as scope:
        train_rnn = RNN(train_config, tf.one_hot(train_ids, train_config.input_size),
                        train_state)
        scope.reuse_variables()
        test_rnn = RNN(test_config, tf.one_hot(test_ids, test_config.input_size), test_state)
    return train_rnn, test_rnn


def make_model(train_config: TrainConfig, test_config: TestConfig) -> tf.Transformed:
    """Both RNNs as one transformed function (one params dict, shared by name)."""

    def both(train_ids: Any, train_state: Any, test_ids: Any, test_state: Any) -> dict:
        train_rnn, test_rnn = build_models(train_config, test_config, train_ids, train_state,
                                           test_ids, test_state)
        return {"train_logits": train_rnn.logits, "train_state": train_rnn.cell_final_state,
                "test_logits": test_rnn.logits, "test_state": test_rnn.cell_final_state}

    return tf.transform(both)


def zero_state(config: TrainConfig) -> Any:
    zeros = jnp.zeros((config.batch_size, config.cell_size), jnp.float32)
    return tf.nn.rnn_cell.LSTMStateTuple(zeros, zeros)


def zero_ids(config: TrainConfig) -> jax.Array:
    return jnp.zeros((config.batch_size, config.time_steps), jnp.int32)


def run_train_rnn(model: tf.Transformed, train_config: TrainConfig, test_config: TestConfig,
                  params: dict, ids: Any, state: Any) -> tuple[jax.Array, Any]:
    """The train RNN's (logits, final state). The test RNN gets placeholder inputs whose
    results are unused: under jit XLA drops that half, as a TF1 session runs only
    what is fetched."""
    out = model.apply(params, ids, state, zero_ids(test_config), zero_state(test_config))
    return out["train_logits"], out["train_state"]


def run_test_rnn(model: tf.Transformed, train_config: TrainConfig, test_config: TestConfig,
                 params: dict, ids: Any, state: Any) -> tuple[jax.Array, Any]:
    """The test RNN's (logits [batch, 1, vocab], new state) for one step."""
    out = model.apply(params, zero_ids(train_config), zero_state(train_config), ids, state)
    return out["test_logits"], out["test_state"]


def cross_entropy(logits: jax.Array, targets: jax.Array) -> jax.Array:
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=targets, logits=logits))


# ----------------------------------------------------------------------------
# Training and evaluation.

def make_train_step(model: tf.Transformed, train_config: TrainConfig,
                    test_config: TestConfig) -> tuple[optax.GradientTransformation, Callable]:
    """Adam at the config's learning rate; one jitted step of truncated backprop."""
    optimizer = optax.adam(train_config.learning_rate)

    def loss_fn(params: dict, ids: jax.Array, targets: jax.Array, state: Any) -> tuple:
        logits, final_state = run_train_rnn(model, train_config, test_config, params, ids, state)
        return cross_entropy(logits, targets), final_state

    @jax.jit
    def step(params: dict, opt_state: Any, ids: jax.Array, targets: jax.Array,
             state: Any) -> tuple[dict, Any, jax.Array, Any]:
        (loss, final_state), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            params, ids, targets, state)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss, final_state

    return optimizer, step


def make_test_step(model: tf.Transformed, train_config: TrainConfig,
                   test_config: TestConfig) -> Callable:
    """Jitted single step of the test RNN: (log-probabilities [batch, vocab], new state)."""

    @jax.jit
    def step(params: dict, ids: jax.Array, state: Any) -> tuple[jax.Array, Any]:
        logits, state = run_test_rnn(model, train_config, test_config, params, ids[:, None],
                                     state)
        return jax.nn.log_softmax(logits[:, 0]), state

    return step


def held_out_loss(test_step: Callable, params: dict, streams: np.ndarray,
                  config: TestConfig) -> float:
    """Mean -log p(next char) in nats, stepping the test RNN along each stream."""
    state, total = zero_state(config), 0.0
    rows = jnp.arange(streams.shape[0])
    for t in range(streams.shape[1] - 1):
        logp, state = test_step(params, jnp.asarray(streams[:, t]), state)
        total = total - jnp.sum(logp[rows, streams[:, t + 1]])
    return float(total) / (streams.shape[0] * (streams.shape[1] - 1))


def ngram_baselines(train: np.ndarray, held_out: np.ndarray, vocab_size: int) -> dict:
    """Held-out nats/char of add-one-smoothed unigram and bigram models of the training text."""
    unigram = np.bincount(train, minlength=vocab_size) + 1.0
    unigram /= unigram.sum()
    pairs = np.zeros((vocab_size, vocab_size))
    np.add.at(pairs, (train[:-1], train[1:]), 1.0)
    bigram = (pairs + 1.0) / (pairs + 1.0).sum(axis=1, keepdims=True)
    return {"unigram": float(-np.mean(np.log(unigram[held_out[1:]]))),
            "bigram": float(-np.mean(np.log(bigram[held_out[:-1], held_out[1:]])))}


def sample_text(test_step: Callable, params: dict, vocab: Vocabulary, config: TestConfig,
                prime: str, length: int, key: jax.Array, temperature: float = 0.8) -> str:
    """Feed `prime`, then sample `length` characters (stream 0 of the test batch)."""
    state = zero_state(config)
    for char in prime[:-1]:
        _, state = test_step(params, jnp.full((config.batch_size,), vocab.encode(char)[0]), state)
    current = jnp.full((config.batch_size,), vocab.encode(prime[-1])[0])
    out = []
    for _ in range(length):
        logp, state = test_step(params, current, state)
        key, sub = jax.random.split(key)
        current = jax.random.categorical(sub, logp / temperature).astype(jnp.int32)
        out.append(int(current[0]))
    return prime + vocab.decode(out)


# ----------------------------------------------------------------------------
# Outputs: plot, checkpoint, TensorBoard.

def save_plot(path: str, losses: list[float], results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color="0.75", lw=0.8, label="train batch loss")
    if len(losses) >= 50:
        smooth = np.convolve(losses, np.ones(50) / 50, mode="valid")
        ax.plot(steps[49:], smooth, color="C0", label="train (50-step mean)")
    for key, color, label in (("held_out", "C3", "held-out: LSTM (test RNN)"),
                              ("unigram", "C2", "held-out: unigram baseline"),
                              ("bigram", "C1", "held-out: bigram baseline")):
        ax.axhline(results[key], color=color, ls="--",
                   label=f"{label}: {results[key]:.3f}")
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy (nats / char)")
    ax.set_title("char-level LSTM (cell_size 11) on stdlib source")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plt_image(path: str) -> np.ndarray:
    """A PNG on disk as an HxWxC float image (for the TensorBoard image tab)."""
    import matplotlib.image

    return matplotlib.image.imread(path)[..., :3]


def save_checkpoint(params: dict, outdir: str, step: int) -> str:
    from minitf.train import Saver

    return Saver(max_to_keep=1).save(params, os.path.join(outdir, "ckpt", "model"),
                                     global_step=step)


def summary_writer(logdir: str, model: tf.Transformed, params: dict, inputs: tuple) -> Any:
    """A TensorBoard writer whose event file starts with both RNNs' graph, one box per scope."""
    from minitf.summary import FileWriter
    from minitf.viz.graph_export import graph_def_from_function

    writer = FileWriter(logdir)
    writer.add_graph(graph_def_from_function(lambda p, *a: model.apply(p, *a), params, *inputs))
    return writer


def print_model_report(model: tf.Transformed, params: dict, inputs: tuple) -> None:
    """Parameter table, and the sharing report: the train and test RNN use one set of weights."""
    from minitf.viz import param_table
    from minitf.viz.sharing import sharing_report

    print(param_table(params, trainable=model.trainable_names()))
    report = sharing_report(model, params, *inputs)
    shared = report.shared()
    print(f"sharing: {len(shared)} of {len(report.uses)} variables are asked for by both RNNs:")
    for name in list(shared)[:2]:
        for (_vscope, nscope, site), n in shared[name].items():
            print(f"    {name}: x{n} from name scope {nscope!r} ({site})")


# ----------------------------------------------------------------------------

def train(steps: int = 5000, seed: int = 0, outdir: str = "runs/rnn",
          sample_chars: int = 200, progress: bool = True) -> dict[str, Any]:
    from tqdm import tqdm

    start = time.time()
    print(f"JAX device: {jax.devices()[0]} (backend {jax.default_backend()})")
    text = load_corpus()
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    cut = int(len(ids) * (1 - HELD_OUT_FRACTION))
    train_ids, held_ids = ids[:cut], ids[cut:]
    print(f"corpus: {len(text) / 1000:.0f} KB of stdlib source ({', '.join(CORPUS_MODULES)}); "
          f"vocabulary {len(vocab)}; train {len(train_ids)} chars, held out {len(held_ids)}")

    train_config, test_config = make_configs(len(vocab))
    model = make_model(train_config, test_config)
    inputs = (zero_ids(train_config), zero_state(train_config), zero_ids(test_config),
              zero_state(test_config))
    params = model.init(jax.random.PRNGKey(seed), *inputs)
    param_names = list(params)  # creation order (later dicts from jax/optax are key-sorted)
    print_model_report(model, params, inputs)

    optimizer, train_step = make_train_step(model, train_config, test_config)
    test_step = make_test_step(model, train_config, test_config)
    opt_state = optimizer.init(params)
    streams = split_streams(train_ids, train_config.batch_size)
    window = train_config.time_steps
    batches_per_epoch = (streams.shape[1] - 1) // window
    state = zero_state(train_config)
    writer = summary_writer(os.path.join(outdir, "tb"), model, params, inputs)

    losses: list[float] = []
    pending = []
    bar = tqdm(range(1, steps + 1), desc="train", disable=not progress, mininterval=0.5)
    for step in bar:
        b = (step - 1) % batches_per_epoch
        if b == 0:
            state = zero_state(train_config)  # a new pass over the streams
        x = jnp.asarray(streams[:, b * window:(b + 1) * window])
        y = jnp.asarray(streams[:, b * window + 1:(b + 1) * window + 1])
        params, opt_state, loss, state = train_step(params, opt_state, x, y, state)
        pending.append(loss)
        if step % 50 == 0 or step == steps:
            values = [float(v) for v in pending]
            losses += values
            pending = []
            bar.set_postfix(loss=f"{np.mean(values):.3f}")
            writer.scalar("train/loss", np.mean(values), step)
    train_seconds = time.time() - start

    held_streams = split_streams(held_ids, test_config.batch_size)
    results = {"held_out": held_out_loss(test_step, params, held_streams, test_config),
               **ngram_baselines(train_ids, held_ids, len(vocab))}
    results.update(steps=steps, final_train=float(np.mean(losses[-100:])),
                   device=str(jax.devices()[0]), vocab=len(vocab), param_names=param_names)
    results["sample"] = sample_text(test_step, params, vocab, test_config, "def ",
                                    sample_chars, jax.random.PRNGKey(seed + 1))
    os.makedirs(outdir, exist_ok=True)
    results["plot"] = os.path.join(outdir, "loss.png")
    save_plot(results["plot"], losses, results)
    results["checkpoint"] = save_checkpoint(params, outdir, steps)
    for key in ("held_out", "unigram", "bigram"):
        writer.scalar(f"held_out/{key}", results[key], steps)
    writer.image("loss_curve", plt_image(results["plot"]), steps)
    writer.close()
    results["train_seconds"] = train_seconds
    results["wall_seconds"] = time.time() - start
    return results


def report(results: dict[str, Any]) -> None:
    bits = 1 / math.log(2)
    print(f"\n{results['steps']} steps in {results['train_seconds']:.1f} s "
          f"(total {results['wall_seconds']:.1f} s) on {results['device']}")
    print("held-out cross-entropy per character (nats / bits):")
    for key, label in (("held_out", "LSTM, test RNN (time_steps=1)"),
                       ("unigram", "unigram baseline"), ("bigram", "bigram baseline")):
        print(f"  {label:31s} {results[key]:.3f} / {results[key] * bits:.3f}")
    print(f"  (train loss, last 100 steps: {results['final_train']:.3f} nats)")
    gain = results["unigram"] - results["held_out"]
    print(f"  the LSTM beats the unigram model by {gain:.3f} nats/char "
          f"({gain * bits:.3f} bits)")
    print(f"\nsample (temperature 0.8):\n{results['sample']}\n")
    print(f"wrote {results['plot']}" + (f", checkpoint {results['checkpoint']}"
                                        if results["checkpoint"] else ""))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000, help="training steps (default 5000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/rnn", help="output directory")
    parser.add_argument("--sample-chars", type=int, default=200)
    parser.add_argument("--no-progress", action="store_true", help="no tqdm bar")
    args = parser.parse_args(argv)
    results = train(args.steps, args.seed, args.out, args.sample_chars, not args.no_progress)
    report(results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
