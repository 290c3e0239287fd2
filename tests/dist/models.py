"""Small minitf models and train steps shared by the distributed checks.

Each `make_*` returns `(model, init_args, step_fn, opt_init, batches)`: a
transformed model, the arguments `init` traces with, a train step
`(params, opt_state, *batch) -> (params, opt_state, metrics)` whose losses are
means over the batch (so SPMD averages gradients across the data axis), the
optimizer-state constructor and a few deterministic global batches.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.sharding import PartitionSpec as P

import minitf as tf
from minitf import nn  # not (yet) re-exported as tf.nn

Z, X, H = 8, 16, 32   # GAN: noise, data and hidden sizes
D_IN, H_RNN, T, CLASSES = 6, 16, 5, 4   # RNN: input size, LSTM units, steps, classes


def _dense(x: Any, name: str, units: int, act: Any = None, w_sharding: Any = None,
           b_sharding: Any = None) -> Any:
    with tf.variable_scope(name):
        w = tf.get_variable("w", [x.shape[-1], units], sharding=w_sharding)
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer(), sharding=b_sharding)
    y = x @ w + b
    return act(y) if act else y


def make_gan(sharded: bool = False, batch: int = 16, steps: int = 3):
    """An MLP GAN. `sharded`: hidden layers split on a "model" mesh axis.

    The generator's first weight is annotated on `get_variable` directly; the
    discriminator gets a scope default `(None, "model")` with explicit overrides
    where that default does not fit (`P()` = explicitly replicated).
    """
    s = (lambda spec: spec) if sharded else (lambda spec: None)

    def generator(z):
        with tf.variable_scope("generator"):
            h = _dense(z, "hidden", H, jnp.tanh, w_sharding=s((None, "model")),
                       b_sharding=s(("model",)))
            return _dense(h, "out", X, w_sharding=s(P("model", None)))

    def discriminator(x):
        with tf.variable_scope("discriminator", reuse=tf.AUTO_REUSE, sharding=s((None, "model"))):
            h = _dense(x, "hidden", H, jax.nn.leaky_relu, b_sharding=s(("model",)))
            return _dense(h, "out", 1, w_sharding=s(P("model", None)), b_sharding=s(P()))

    def gan(z, real):
        return discriminator(real), discriminator(generator(z))

    model = tf.transform(gan)
    opt = optax.adam(1e-2)

    def d_loss_fn(d_params, params, z, real):
        logits_real, logits_fake = model.apply({**params, **d_params}, z, real)
        return jnp.mean(jax.nn.softplus(-logits_real)) + jnp.mean(jax.nn.softplus(logits_fake))

    def g_loss_fn(g_params, params, z, real):
        _, logits_fake = model.apply({**params, **g_params}, z, real)
        return jnp.mean(jax.nn.softplus(-logits_fake))

    def step(params, opt_state, z, real):
        d_state, g_state = opt_state
        d_params = tf.params_in_scope(params, "discriminator")
        d_loss, grads = jax.value_and_grad(d_loss_fn)(d_params, params, z, real)
        updates, d_state = opt.update(grads, d_state, d_params)
        params = {**params, **optax.apply_updates(d_params, updates)}
        g_params = tf.params_in_scope(params, "generator")
        g_loss, grads = jax.value_and_grad(g_loss_fn)(g_params, params, z, real)
        updates, g_state = opt.update(grads, g_state, g_params)
        params = {**params, **optax.apply_updates(g_params, updates)}
        return params, (d_state, g_state), {"d_loss": d_loss, "g_loss": g_loss}

    def opt_init(params):
        return (opt.init(tf.params_in_scope(params, "discriminator")),
                opt.init(tf.params_in_scope(params, "generator")))

    rs = np.random.RandomState(0)
    centers = rs.randn(4, X).astype(np.float32)
    batches = [(rs.randn(batch, Z).astype(np.float32),
                (centers[rs.randint(0, 4, batch)] + 0.1 * rs.randn(batch, X)).astype(np.float32))
               for _ in range(steps)]
    return model, batches[0], step, opt_init, batches


def make_rnn(batch: int = 16, steps: int = 3):
    """An LSTM sequence classifier: `tf.nn.dynamic_rnn` over `tf.nn.rnn_cell.BasicLSTMCell`."""

    def classifier(xs):
        cell = nn.rnn_cell.BasicLSTMCell(H_RNN)
        _, state = nn.dynamic_rnn(cell, xs, dtype=tf.float32)
        return _dense(state.h, "logits", CLASSES)

    model = tf.transform(classifier)
    opt = optax.adam(1e-2)

    def loss_fn(params, xs, labels):
        logits = model.apply(params, xs)
        return jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits, labels))

    def step(params, opt_state, xs, labels):
        loss, grads = jax.value_and_grad(loss_fn)(params, xs, labels)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, {"loss": loss}

    rs = np.random.RandomState(1)
    batches = [(rs.randn(batch, T, D_IN).astype(np.float32),
                rs.randint(0, CLASSES, batch).astype(np.int32)) for _ in range(steps)]
    return model, batches[0][:1], step, opt.init, batches


def run_single_device(model, init_args, step, opt_init, batches, rng: int = 0):
    """The reference: plain `jax.jit(step)` on the default device."""
    params = model.init(jax.random.PRNGKey(rng), *init_args)
    opt_state = opt_init(params)
    jstep = jax.jit(step)
    for batch in batches:
        params, opt_state, metrics = jstep(params, opt_state, *batch)
    return params, metrics


def max_diff(a: Any, b: Any) -> float:
    """Largest absolute difference between two equally-structured pytrees."""
    diffs = jax.tree.map(lambda x, y: float(np.max(np.abs(np.asarray(x, np.float64)
                                                         - np.asarray(y, np.float64)))), a, b)
    return max(jax.tree.leaves(diffs))
