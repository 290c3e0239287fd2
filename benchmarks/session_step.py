"""TF1 programs on minitf's Session against hand-written JAX and TF1's own Session.

Two programs, each written once against the TF1 API and run with `tf` = minitf
and `tf` = tensorflow.compat.v1, and a hand-written JAX step of the same math
(same layers, same losses, TF1's Adam formula), jitted with donated buffers:

* gan: the digits GAN of examples/gan_tf1.py (G: 64 -> 256 -> 256 -> 64, D: 64 -> 256 -> 1,
  batch 64); one step = `sess.run([d_train, d_loss], feed)` then
  `sess.run([g_train, g_loss], feed)`;
* rnn: the scope tutorial's RNN with the seed config (batch 20, 20 time steps,
  input 10, LSTM 11, output 2, MSE, Adam 0.01), the LSTM state fed back
  through `feed_dict` every step: `sess.run([train_op, cost, final_state], feed)`.

Every step feeds NumPy arrays and fetches the loss to the host, as a training
loop does. Reported: steady time per step (median of interleaved repeats),
the first `run` of the train op (trace + compile) against the hand-written
function's first call, and resident memory over 10,000 minitf steps.

    python benchmarks/session_step.py            # prints the figures (gan and rnn)
    python benchmarks/session_step.py rnn        # one program
"""
from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # TF1's BasicLSTMCell

import jax
import jax.numpy as jnp
import numpy as np

import minitf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))

Z, HIDDEN, IMAGE, GAN_BATCH = 64, 256, 64, 64
BATCH, STEPS, INPUT, CELL, OUTPUT = 20, 20, 10, 11, 2


# -- the programs, written once against the TF1 API ----------------------------------
def gan_program(tf: Any) -> dict[str, Any]:
    def dense(x, units, name):
        with tf.variable_scope(name):
            kernel = tf.get_variable("kernel", [x.get_shape()[-1].value, units])
            bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        return tf.matmul(x, kernel) + bias

    def discriminator(x, reuse=None):
        with tf.variable_scope("discriminator", reuse=reuse):
            return dense(tf.nn.leaky_relu(dense(x, HIDDEN, "hidden"), 0.2), 1, "out")

    z = tf.placeholder(tf.float32, [None, Z])
    real = tf.placeholder(tf.float32, [None, IMAGE])
    with tf.variable_scope("generator"):
        h = tf.nn.leaky_relu(dense(z, HIDDEN, "hidden1"), 0.2)
        h = tf.nn.leaky_relu(dense(h, HIDDEN, "hidden2"), 0.2)
        fake = tf.tanh(dense(h, IMAGE, "out"))
    d_real, d_fake = discriminator(real), discriminator(fake, reuse=True)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(xent(logits=d_real, labels=tf.ones_like(d_real) * 0.9)) + \
        tf.reduce_mean(xent(logits=d_fake, labels=tf.zeros_like(d_fake)))
    g_loss = tf.reduce_mean(xent(logits=d_fake, labels=tf.ones_like(d_fake)))
    coll = tf.GraphKeys.TRAINABLE_VARIABLES
    d_train = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(
        d_loss, var_list=tf.get_collection(coll, scope="discriminator"))
    g_train = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(
        g_loss, var_list=tf.get_collection(coll, scope="generator"))
    return {"z": z, "real": real, "d": [d_train, d_loss], "g": [g_train, g_loss]}


def rnn_program(tf: Any) -> dict[str, Any]:
    xs = tf.placeholder(tf.float32, [BATCH, STEPS, INPUT])
    ys = tf.placeholder(tf.float32, [BATCH, STEPS, OUTPUT])
    w_in = tf.get_variable("in/weights", [INPUT, CELL])
    b_in = tf.get_variable("in/biases", [CELL], initializer=tf.constant_initializer(0.1))
    hidden = tf.reshape(tf.matmul(tf.reshape(xs, [-1, INPUT]), w_in) + b_in,
                        [BATCH, STEPS, CELL])
    cell = tf.nn.rnn_cell.BasicLSTMCell(CELL)
    init_state = cell.zero_state(BATCH, tf.float32)
    outputs, final = tf.nn.dynamic_rnn(cell, hidden, initial_state=init_state)
    w_out = tf.get_variable("out/weights", [CELL, OUTPUT])
    b_out = tf.get_variable("out/biases", [OUTPUT], initializer=tf.constant_initializer(0.1))
    pred = tf.matmul(tf.reshape(outputs, [-1, CELL]), w_out) + b_out
    cost = tf.reduce_mean(tf.square(pred - tf.reshape(ys, [-1, OUTPUT])))
    train = tf.train.AdamOptimizer(0.01).minimize(cost)
    return {"xs": xs, "ys": ys, "init": init_state, "fetch": [train, cost, final]}


def gan_data(step: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(step)
    return (rng.randn(GAN_BATCH, Z).astype(np.float32),
            rng.uniform(-1, 1, (GAN_BATCH, IMAGE)).astype(np.float32))


def rnn_data(step: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(step * STEPS, step * STEPS + BATCH * STEPS).reshape(BATCH, STEPS) / 10.0
    x = np.repeat(np.sin(t)[:, :, None], INPUT, 2).astype(np.float32)
    return x, np.repeat(np.cos(t)[:, :, None], OUTPUT, 2).astype(np.float32)


# -- session loops (minitf or TF1) -----------------------------------------------------
def session_stepper(tf: Any, which: str) -> tuple[Callable[[int], Any], Callable[[], None]]:
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        model = gan_program(tf) if which == "gan" else rnn_program(tf)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    state: list[Any] = [None]

    def gan_step(i: int) -> Any:
        z, real = gan_data(i)
        sess.run(model["d"], {model["z"]: z, model["real"]: real})
        return sess.run(model["g"], {model["z"]: z})[1]

    def rnn_step(i: int) -> Any:
        x, y = rnn_data(i)
        feed = {model["xs"]: x, model["ys"]: y}
        if state[0] is not None:
            feed[model["init"]] = state[0]
        _, cost, state[0] = sess.run(model["fetch"], feed)
        return cost

    return (gan_step if which == "gan" else rnn_step), sess.close


# -- the hand-written JAX steps ------------------------------------------------------------
def adam(params: dict, grads: dict, m: dict, v: dict, t: jax.Array, lr: float, b1: float,
         b2: float = 0.999, eps: float = 1e-8) -> tuple[dict, dict, dict]:
    """TF1's Adam (epsilon outside the uncorrected sqrt(v), corrections in the step size)."""
    lr_t = lr * jnp.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    m = {k: m[k] + (grads[k] - m[k]) * (1 - b1) for k in params}
    v = {k: v[k] + (grads[k] ** 2 - v[k]) * (1 - b2) for k in params}
    return {k: params[k] - lr_t * m[k] / (jnp.sqrt(v[k]) + eps) for k in params}, m, v


def glorot(key: jax.Array, shape: tuple[int, int]) -> jax.Array:
    limit = np.sqrt(6.0 / sum(shape))
    return jax.random.uniform(key, shape, jnp.float32, -limit, limit)


def hand_gan() -> Callable[[int], Any]:
    keys = iter(jax.random.split(jax.random.PRNGKey(0), 8))
    sizes = {"g1": (Z, HIDDEN), "g2": (HIDDEN, HIDDEN), "g3": (HIDDEN, IMAGE),
             "d1": (IMAGE, HIDDEN), "d2": (HIDDEN, 1)}
    g = {k: (glorot(next(keys), s), jnp.zeros(s[1])) for k, s in sizes.items() if k[0] == "g"}
    d = {k: (glorot(next(keys), s), jnp.zeros(s[1])) for k, s in sizes.items() if k[0] == "d"}
    lrelu = lambda x: jnp.maximum(0.2 * x, x)  # noqa: E731

    def gen(g, z):
        h = lrelu(z @ g["g1"][0] + g["g1"][1])
        h = lrelu(h @ g["g2"][0] + g["g2"][1])
        return jnp.tanh(h @ g["g3"][0] + g["g3"][1])

    def disc(d, x):
        return lrelu(x @ d["d1"][0] + d["d1"][1]) @ d["d2"][0] + d["d2"][1]

    def bce(logits, label):
        return jnp.mean(jnp.maximum(logits, 0) - logits * label + jnp.log1p(jnp.exp(-abs(logits))))

    def d_loss(d, g, z, real):
        return bce(disc(d, real), 0.9) + bce(disc(d, gen(g, z)), 0.0)

    def g_loss(g, d, z):
        return bce(disc(d, gen(g, z)), 1.0)

    def make(loss):
        @jax.jit
        def step(own, other, m, v, t, *data):
            value, grads = jax.value_and_grad(loss)(own, other, *data)
            flat, tree = jax.tree_util.tree_flatten(own)
            named = dict(enumerate(flat))
            new, m, v = adam(named, dict(enumerate(jax.tree_util.tree_leaves(grads))), m, v,
                             t, 2e-4, 0.5)
            return jax.tree_util.tree_unflatten(tree, [new[i] for i in range(len(flat))]), \
                m, v, t + 1, value
        return step

    d_step, g_step = make(d_loss), make(g_loss)
    zeros = lambda p: {i: jnp.zeros_like(x) for i, x in enumerate(jax.tree_util.tree_leaves(p))}  # noqa: E731
    state = {"d": d, "g": g, "dm": zeros(d), "dv": zeros(d), "gm": zeros(g), "gv": zeros(g),
             "dt": jnp.float32(1), "gt": jnp.float32(1)}

    def step(i: int) -> Any:
        z, real = gan_data(i)
        s = state
        s["d"], s["dm"], s["dv"], s["dt"], _ = d_step(s["d"], s["g"], s["dm"], s["dv"], s["dt"],
                                                      z, real)
        s["g"], s["gm"], s["gv"], s["gt"], loss = g_step(s["g"], s["d"], s["gm"], s["gv"],
                                                         s["gt"], z)
        return float(loss)

    return step


def hand_rnn() -> Callable[[int], Any]:
    keys = iter(jax.random.split(jax.random.PRNGKey(0), 4))
    p = {"w_in": glorot(next(keys), (INPUT, CELL)), "b_in": jnp.full((CELL,), 0.1),
         "kernel": glorot(next(keys), (2 * CELL, 4 * CELL)),  # [x_t, h] -> i, j, f, o
         "bias": jnp.zeros(4 * CELL),
         "w_out": glorot(next(keys), (CELL, OUTPUT)), "b_out": jnp.full((OUTPUT,), 0.1)}

    def loss(p, x, y, c, h):
        hidden = (x.reshape(-1, INPUT) @ p["w_in"] + p["b_in"]).reshape(BATCH, STEPS, CELL)

        def cell(carry, x_t):
            c, h = carry
            i, j, f, o = jnp.split(jnp.concatenate([x_t, h], 1) @ p["kernel"] + p["bias"], 4, 1)
            c = c * jax.nn.sigmoid(f + 1.0) + jax.nn.sigmoid(i) * jnp.tanh(j)
            h = jnp.tanh(c) * jax.nn.sigmoid(o)
            return (c, h), h

        (c, h), outs = jax.lax.scan(cell, (c, h), jnp.swapaxes(hidden, 0, 1))
        pred = jnp.swapaxes(outs, 0, 1).reshape(-1, CELL) @ p["w_out"] + p["b_out"]
        return jnp.mean((pred - y.reshape(-1, OUTPUT)) ** 2), (c, h)

    @jax.jit
    def train(p, m, v, t, x, y, c, h):
        (value, (c, h)), grads = jax.value_and_grad(loss, has_aux=True)(p, x, y, c, h)
        p, m, v = adam(p, grads, m, v, t, 0.01, 0.9)
        return p, m, v, t + 1, value, c, h

    zeros = {k: jnp.zeros_like(x) for k, x in p.items()}
    s = {"p": p, "m": zeros, "v": dict(zeros), "t": jnp.float32(1),
         "c": np.zeros((BATCH, CELL), np.float32), "h": np.zeros((BATCH, CELL), np.float32)}

    def step(i: int) -> Any:
        x, y = rnn_data(i)
        s["p"], s["m"], s["v"], s["t"], value, c, h = train(s["p"], s["m"], s["v"], s["t"], x,
                                                            y, s["c"], s["h"])
        s["c"], s["h"] = np.asarray(c), np.asarray(h)  # fetched, as a session run returns it
        return float(value)

    return step


# -- measurement ------------------------------------------------------------------------------
def first_call(step: Callable[[int], Any]) -> float:
    start = time.perf_counter()
    step(0)
    return time.perf_counter() - start


def steady(steppers: dict[str, Callable[[int], Any]], rounds: int = 7,
           steps: int = 200) -> dict[str, float]:
    """Median seconds per step, round-robin over implementations."""
    times: dict[str, list[float]] = {k: [] for k in steppers}
    for r in range(rounds):
        for name, step in steppers.items():
            gc.collect()
            start = time.perf_counter()
            for i in range(steps):
                step(r * steps + i + 1)
            times[name].append((time.perf_counter() - start) / steps)
    return {k: statistics.median(v) for k, v in times.items()}


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20


def memory_over(step: Callable[[int], Any], steps: int = 10_000) -> list[tuple[int, float]]:
    samples = []
    for i in range(1, steps + 1):
        step(i)
        if i % 2000 == 0:
            samples.append((i, rss_mib()))
    return samples


def main(programs: list[str]) -> None:
    import tensorflow.compat.v1 as tf1

    tf1.disable_v2_behavior()
    print(f"JAX {jax.__version__} on {jax.devices()[0]}; {os.cpu_count()} CPUs")
    for which, hand in (("gan", hand_gan), ("rnn", hand_rnn)):
        if which not in programs:
            continue
        ours, close_ours = session_stepper(minitf, which)
        theirs, close_tf = session_stepper(tf1, which)
        written = hand()
        first = {"minitf Session": first_call(ours), "hand-written JAX": first_call(written),
                 "TF1 Session": first_call(theirs)}
        times = steady({"minitf Session": ours, "hand-written JAX": written,
                        "TF1 Session": theirs})
        base = times["hand-written JAX"]
        print(f"\n{which}: steady time per step (median of 7 x 200 steps, interleaved)")
        for name, t in times.items():
            print(f"  {name:17s} {t * 1e3:8.3f} ms   {t / base:5.2f}x hand-written")
        speedup = times["TF1 Session"] / times["minitf Session"]
        print(f"  TF1 Session / minitf Session: {speedup:.2f}x")
        print(f"{which}: first run of the train step (trace + compile + run)")
        for name, t in first.items():
            print(f"  {name:17s} {t:8.3f} s    {t / first['hand-written JAX']:5.2f}x hand-written")
        close_tf()
        samples = memory_over(ours)
        growth = samples[-1][1] - samples[0][1]
        print(f"{which}: minitf RSS over 10,000 steps (MiB at steps 2k..10k): "
              f"{[round(m, 1) for _, m in samples]}  growth {growth:+.1f} MiB")
        close_ours()


if __name__ == "__main__":
    main(sys.argv[1:] or ["gan", "rnn"])
