"""RNN train step: input layer -> LSTM over time -> output layer, MSE loss, one Adam step (lr 0.01).

Two sizes: the seed program's (batch 20, 20 time steps, input 10, LSTM 11,
output 2: tiny, so framework overhead in the compiled step shows) and a large
one (batch 64, 100 steps, input 64, LSTM 512, output 64: compute-bound). The
LSTM is TF1's BasicLSTMCell (gates i, j, f, o from one fused kernel on
[x, h], forget bias 1.0); Haiku's `hk.LSTM` is the same cell, Flax's
`OptimizedLSTMCell` the same up to the forget bias (added to its bias when
the params are converted for `--check`).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
import optax

import minitf as tf
import minitf.nn  # noqa: F401 - tf.nn.rnn_cell, tf.nn.dynamic_rnn
from minitf import train as tftrain
from timing import HAND, Table, compiled_ops, interleaved, print_table, tf1

LR = 0.01


@dataclasses.dataclass(frozen=True)
class Config:
    name: str
    batch: int
    steps: int
    inputs: int
    cell: int
    outputs: int


SEED = Config("seed config", batch=20, steps=20, inputs=10, cell=11, outputs=2)
LARGE = Config("large config", batch=64, steps=100, inputs=64, cell=512, outputs=64)


def batch(cfg: Config, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"x": rng.standard_normal((cfg.batch, cfg.steps, cfg.inputs), np.float32),
            "y": rng.standard_normal((cfg.batch, cfg.steps, cfg.outputs), np.float32)}


# -- the optax implementations share one step ----------------------------------------------

class OptaxRnn:
    """`loss(params, x, y)` minimized by one jitted optax Adam step."""

    name = ""

    def __init__(self, loss: Callable, params: Any) -> None:
        self.loss, self.params = loss, params
        self.opt = opt = optax.adam(LR)

        @jax.jit
        def step(params, opt_state, x, y):
            loss_value, grads = jax.value_and_grad(loss)(params, x, y)
            updates, opt_state = opt.update(grads, opt_state, params)
            return optax.apply_updates(params, updates), opt_state, loss_value

        self._step = step

    def convert(self, params: dict) -> Any:
        """This implementation's params from the minitf params (for `--check`)."""
        raise NotImplementedError

    def stepper(self, data: dict, params: dict | None = None) -> Callable[[], Any]:
        """One train step per call; from `params` (minitf layout) if given, else our own."""
        start = self.params if params is None else self.convert(params)
        state = [start, self.opt.init(start)]
        x, y = jnp.asarray(data["x"]), jnp.asarray(data["y"])

        def run():
            out = self._step(*state, x, y)
            state[:] = out[:2]
            return out

        return run

    def loss_from(self, params: dict, data: dict) -> float:
        return float(self.loss(self.convert(params), data["x"], data["y"]))

    def compiled_ops(self, data: dict) -> dict[str, int]:
        return compiled_ops(self._step, self.params, self.opt.init(self.params),
                            jnp.asarray(data["x"]), jnp.asarray(data["y"]))


# -- minitf ------------------------------------------------------------------------------

def minitf_model(cfg: Config) -> tf.Transformed:
    """The seed program's RNN, TF1 style: tf.nn.rnn_cell.BasicLSTMCell + tf.nn.dynamic_rnn."""

    def rnn(x, y):
        with tf.variable_scope("input_layer"):
            w_in = tf.get_variable("weights", [cfg.inputs, cfg.cell])
            b_in = tf.get_variable("biases", [cfg.cell], initializer=tf.constant_initializer(0.1))
            h = tf.reshape(tf.reshape(x, [-1, cfg.inputs]) @ w_in + b_in, [-1, cfg.steps, cfg.cell])
        with tf.variable_scope("cell"):
            cell = tf.nn.rnn_cell.BasicLSTMCell(cfg.cell, forget_bias=1.0)
            outputs, _ = tf.nn.dynamic_rnn(cell, h, dtype=tf.float32)
        with tf.variable_scope("output_layer"):
            w_out = tf.get_variable("weights", [cfg.cell, cfg.outputs])
            b_out = tf.get_variable("biases", [cfg.outputs],
                                    initializer=tf.constant_initializer(0.1))
            pred = tf.reshape(outputs, [-1, cfg.cell]) @ w_out + b_out
        return tf.reduce_mean(tf.square(pred - tf.reshape(y, [-1, cfg.outputs])))

    return tf.transform(rnn)


class Minitf(OptaxRnn):
    name = "minitf"

    def __init__(self, cfg: Config, data: dict) -> None:
        self.model = minitf_model(cfg)
        super().__init__(self.model.apply, self.model.init(0, data["x"], data["y"]))

    def convert(self, params: dict) -> dict:
        return params


class MinitfTrain(Minitf):
    """TF1's training API: `tf.train.AdamOptimizer(0.01).minimize(loss)`."""

    name = "minitf (tf.train.AdamOptimizer)"

    def __init__(self, cfg: Config, data: dict) -> None:
        super().__init__(cfg, data)
        self.train = tftrain.AdamOptimizer(LR).minimize(self.model.apply, model=self.model)

    def stepper(self, data: dict, params: dict | None = None) -> Callable[[], Any]:
        start = self.params if params is None else params
        state = [start, self.train.init(start)]
        x, y = jnp.asarray(data["x"]), jnp.asarray(data["y"])

        def run():
            out = self.train(*state, x, y)
            state[:] = out[:2]
            return out

        return run


# -- hand-written JAX --------------------------------------------------------------------

def lstm(kernel: jax.Array, bias: jax.Array, xs: jax.Array) -> jax.Array:
    """BasicLSTMCell over time-major `xs` [time, batch, depth] with `lax.scan`; all outputs."""
    batch_size, units = xs.shape[1], bias.shape[0] // 4

    def step(carry, x):
        c, h = carry
        i, j, f, o = jnp.split(jnp.concatenate([x, h], 1) @ kernel + bias, 4, axis=1)
        c = c * jax.nn.sigmoid(f + 1.0) + jax.nn.sigmoid(i) * jnp.tanh(j)
        h = jnp.tanh(c) * jax.nn.sigmoid(o)
        return (c, h), h

    zeros = jnp.zeros((batch_size, units), xs.dtype)
    return jax.lax.scan(step, (zeros, zeros), xs)[1]


class HandJax(OptaxRnn):
    name = HAND

    def __init__(self, cfg: Config) -> None:
        def loss(p, x, y):  # the seed program's reshapes, so the math matches op for op
            h = x.reshape(-1, cfg.inputs) @ p["w_in"] + p["b_in"]
            h = h.reshape(-1, cfg.steps, cfg.cell)
            outputs = jnp.swapaxes(lstm(p["kernel"], p["bias"], jnp.swapaxes(h, 0, 1)), 0, 1)
            pred = outputs.reshape(-1, cfg.cell) @ p["w_out"] + p["b_out"]
            return jnp.mean((pred - y.reshape(-1, cfg.outputs)) ** 2)

        k1, k2, k3 = jax.random.split(jax.random.PRNGKey(0), 3)
        glorot = jax.nn.initializers.glorot_uniform()
        n = cfg.cell
        params = {"w_in": glorot(k1, (cfg.inputs, n)), "b_in": jnp.full((n,), 0.1, jnp.float32),
                  "kernel": glorot(k2, (2 * n, 4 * n)),
                  "bias": jnp.zeros((4 * n,)),
                  "w_out": glorot(k3, (n, cfg.outputs)),
                  "b_out": jnp.full((cfg.outputs,), 0.1, jnp.float32)}
        super().__init__(loss, params)

    def convert(self, params: dict) -> dict:
        return {"w_in": params["input_layer/weights"], "b_in": params["input_layer/biases"],
                "kernel": params["cell/rnn/basic_lstm_cell/kernel"],
                "bias": params["cell/rnn/basic_lstm_cell/bias"],
                "w_out": params["output_layer/weights"], "b_out": params["output_layer/biases"]}


# -- Haiku ---------------------------------------------------------------------------------

class Haiku(OptaxRnn):
    """`hk.Linear` -> `hk.LSTM` unrolled with `hk.dynamic_unroll` -> `hk.Linear`."""

    name = "Haiku"

    def __init__(self, cfg: Config, data: dict) -> None:
        import haiku as hk

        def forward(x):
            h = hk.Linear(cfg.cell, name="input_layer")(x)
            core = hk.LSTM(cfg.cell)
            outputs, _ = hk.dynamic_unroll(core, h, core.initial_state(x.shape[0]),
                                           time_major=False)
            return hk.Linear(cfg.outputs, name="output_layer")(outputs)

        self.net = net = hk.without_apply_rng(hk.transform(forward))
        loss = lambda p, x, y: jnp.mean((net.apply(p, x) - y) ** 2)  # noqa: E731
        super().__init__(loss, net.init(jax.random.PRNGKey(0), data["x"]))

    def convert(self, params: dict) -> dict:
        return {"input_layer": {"w": params["input_layer/weights"],
                                "b": params["input_layer/biases"]},
                "lstm/linear": {"w": params["cell/rnn/basic_lstm_cell/kernel"],
                                "b": params["cell/rnn/basic_lstm_cell/bias"]},
                "output_layer": {"w": params["output_layer/weights"],
                                 "b": params["output_layer/biases"]}}


# -- Flax linen ----------------------------------------------------------------------------

class Flax(OptaxRnn):
    """`nn.Dense` -> `nn.RNN(nn.OptimizedLSTMCell)` -> `nn.Dense`."""

    name = "Flax"

    def __init__(self, cfg: Config, data: dict) -> None:
        import flax.linen as nn

        class Model(nn.Module):
            @nn.compact
            def __call__(self, x):
                h = nn.Dense(cfg.cell)(x)
                h = nn.RNN(nn.OptimizedLSTMCell(cfg.cell))(h)
                return nn.Dense(cfg.outputs)(h)

        self.net = net = Model()
        self.cfg = cfg
        loss = lambda p, x, y: jnp.mean((net.apply(p, x) - y) ** 2)  # noqa: E731
        super().__init__(loss, net.init(jax.random.PRNGKey(0), data["x"]))

    def convert(self, params: dict) -> dict:
        n, d = self.cfg.cell, self.cfg.cell
        kernel = params["cell/rnn/basic_lstm_cell/kernel"]
        bias = params["cell/rnn/basic_lstm_cell/bias"]
        gates = {g: k for k, g in enumerate("igfo")}  # TF's i, j, f, o = Flax's i, g, f, o
        cell = {}
        for g, k in gates.items():
            cols = slice(k * n, (k + 1) * n)
            cell[f"i{g}"] = {"kernel": kernel[:d, cols]}
            cell[f"h{g}"] = {"kernel": kernel[d:, cols],
                             "bias": bias[cols] + (1.0 if g == "f" else 0.0)}
        return {"params": {
            "Dense_0": {"kernel": params["input_layer/weights"],
                        "bias": params["input_layer/biases"]},
            "OptimizedLSTMCell_0": cell,
            "Dense_1": {"kernel": params["output_layer/weights"],
                        "bias": params["output_layer/biases"]}}}


# -- TF1 graph mode --------------------------------------------------------------------------

class TF1:
    """TF1's `BasicLSTMCell` + `dynamic_rnn` in a graph; `sess.run([train_op, loss])`."""

    name = "TF1 (Session)"

    def __init__(self, cfg: Config) -> None:
        tf_ = tf1()
        self.graph = tf_.Graph()
        with self.graph.as_default():
            self.x = tf_.placeholder(tf_.float32, [cfg.batch, cfg.steps, cfg.inputs])
            self.y = tf_.placeholder(tf_.float32, [cfg.batch, cfg.steps, cfg.outputs])
            with tf_.variable_scope("input_layer"):
                w_in = tf_.get_variable("weights", [cfg.inputs, cfg.cell])
                b_in = tf_.get_variable("biases", [cfg.cell],
                                        initializer=tf_.constant_initializer(0.1))
                h = tf_.reshape(tf_.matmul(tf_.reshape(self.x, [-1, cfg.inputs]), w_in) + b_in,
                                [-1, cfg.steps, cfg.cell])
            with tf_.variable_scope("cell"):
                cell = tf_.nn.rnn_cell.BasicLSTMCell(cfg.cell, forget_bias=1.0)
                outputs, _ = tf_.nn.dynamic_rnn(cell, h, dtype=tf_.float32)
            with tf_.variable_scope("output_layer"):
                w_out = tf_.get_variable("weights", [cfg.cell, cfg.outputs])
                b_out = tf_.get_variable("biases", [cfg.outputs],
                                         initializer=tf_.constant_initializer(0.1))
                pred = tf_.matmul(tf_.reshape(outputs, [-1, cfg.cell]), w_out) + b_out
            self.loss = tf_.reduce_mean(tf_.square(pred - tf_.reshape(self.y, [-1, cfg.outputs])))
            self.train_op = tf_.train.AdamOptimizer(LR).minimize(self.loss)
            self.variables = {v.op.name: v for v in tf_.trainable_variables()}
            init = tf_.global_variables_initializer()
        self.sess = tf_.Session(graph=self.graph)
        self.sess.run(init)

    def load(self, params: dict) -> None:
        with self.graph.as_default():
            for name, var in self.variables.items():
                var.load(np.asarray(params[name]), self.sess)

    def stepper(self, data: dict, params: dict | None = None) -> Callable[[], Any]:
        if params is not None:
            self.load(params)
        feed = {self.x: data["x"], self.y: data["y"]}
        return lambda: self.sess.run([self.train_op, self.loss], feed)

    def loss_from(self, params: dict, data: dict) -> float:
        self.load(params)
        return float(self.sess.run(self.loss, {self.x: data["x"], self.y: data["y"]}))


# -- the family ----------------------------------------------------------------------------------

def implementations(cfg: Config, data: dict) -> list:
    return [HandJax(cfg), Minitf(cfg, data), MinitfTrain(cfg, data), Haiku(cfg, data),
            Flax(cfg, data), TF1(cfg)]


def check() -> None:
    """Same params and data -> the same loss everywhere, and the same loss after one Adam step.

    (TF1's Adam, used by TF1 and by minitf's `tf.train.AdamOptimizer`, puts
    epsilon outside the bias correction: equal to optax's up to ~1e-4 here.)
    """
    cfg = SEED
    data = batch(cfg, 1)
    impls = implementations(cfg, data)
    params = impls[1].params
    params = {k: v + 0.05 * jnp.sign(v + 0.5) for k, v in params.items()}
    for c in (SEED, LARGE):
        same = HandJax(c).compiled_ops(batch(c)) == Minitf(c, batch(c)).compiled_ops(batch(c))
        assert same, f"minitf's compiled RNN step ({c.name}) differs from hand JAX's"
    print(f"  rnn: minitf's jitted step compiles to the same HLO instructions as {HAND}'s "
          "(both configs)")
    ref = impls[0].loss_from(params, data)
    ref_next = _second_loss(impls[0], data, params)
    for impl in impls[1:]:
        got = impl.loss_from(params, data)
        np.testing.assert_allclose(got, ref, rtol=2e-5, err_msg=impl.name)
        after = _second_loss(impl, data, params)
        np.testing.assert_allclose(after, ref_next, rtol=1e-4, err_msg=f"{impl.name}: step")
        print(f"  rnn: {impl.name:34s} loss {got:.6f}, after one step {after:.6f}  == {HAND}")


def _second_loss(impl: Any, data: dict, params: dict) -> float:
    step = impl.stepper(data, params)
    step()
    return float(step()[-1])


def run(quick: bool = False) -> list[Table]:
    tables = []
    for cfg, repeats, min_s in ((SEED, 3 if quick else 60, 0.01 if quick else 0.05),
                                (LARGE, 2 if quick else 10, 0.0)):
        if quick and cfg is LARGE:
            cfg = dataclasses.replace(cfg, name="large config, --quick: 10 steps", steps=10)
        data = batch(cfg)
        impls = implementations(cfg, data)
        times = interleaved({impl.name: impl.stepper(data) for impl in impls},
                            repeats=repeats, min_sample_s=min_s, warmup=2)
        table = Table(f"RNN train step, {cfg.name} (batch {cfg.batch}, {cfg.steps} steps, "
                      f"input {cfg.inputs}, LSTM {cfg.cell}, output {cfg.outputs})",
                      target=1.03,
                      note="Per step (forward, backward, Adam), chained on the previous "
                           "step's params. TF1 runs `sess.run([train_op, loss], feed_dict)`.")
        table.add_all(times)
        print_table(table)
        tables.append(table)
    return tables
