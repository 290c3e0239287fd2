"""Lifted scan/vmap/remat/cond: variables created once outside the inner trace."""
import jax
import jax.numpy as jnp
import numpy as np

import minitf as tf


def cell(h, x):
    with tf.variable_scope("cell", reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", [x.shape[-1], 4])
        u = tf.get_variable("u", [4, 4])
    h = jnp.tanh(x @ w + h @ u)
    return h, h


def test_scan_creates_variables_once_and_matches_unrolled_loop():
    def scanned(xs):
        with tf.variable_scope("rnn"):
            return tf.control_flow.scan(cell, jnp.zeros((2, 4)), xs)[1]

    def unrolled(xs):
        h, outs = jnp.zeros((2, 4)), []
        with tf.variable_scope("rnn"):
            for t in range(xs.shape[0]):
                h, y = cell(h, xs[t])
                outs.append(y)
        return jnp.stack(outs)

    xs = jax.random.normal(jax.random.PRNGKey(0), (5, 2, 3))
    m1, m2 = tf.transform(scanned), tf.transform(unrolled)
    params = m1.init(0, xs)
    assert list(params) == ["rnn/cell/w", "rnn/cell/u"]
    np.testing.assert_allclose(jax.jit(m1.apply)(params, xs), m2.apply(params, xs), rtol=1e-5,
                               atol=1e-6)


def test_scan_in_the_eager_default_graph(eager):
    xs = jnp.ones((3, 2, 3))
    _, ys = tf.control_flow.scan(cell, jnp.zeros((2, 4)), xs)
    assert ys.shape == (3, 2, 4)
    assert [v.name for v in tf.global_variables()] == ["cell/w:0", "cell/u:0"]


def test_scan_gives_each_step_its_own_random_key():
    def noisy(xs):
        return tf.control_flow.scan(lambda c, x: (c, x + tf.random_normal(x.shape)), 0.0, xs)[1]

    model = tf.transform(noisy)
    xs = jnp.zeros((4, 3))
    out = model.apply(model.init(0, xs), xs, rng=jax.random.PRNGKey(0))
    assert not np.allclose(out[0], out[1])


def test_scan_regularizer_losses_stay_outside_the_scan():
    def model(xs):
        def body(h, x):
            w = tf.get_variable("w", [3, 3], regularizer=lambda v: jnp.sum(v ** 2))
            return h, x @ w

        with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
            ys = tf.control_flow.scan(body, 0.0, xs)[1]
        reg = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        return ys.sum(), sum(reg)

    model = tf.transform(model)
    xs = jnp.ones((2, 3))
    params = model.init(0, xs)
    _, reg = jax.jit(model.apply)(params, xs)
    np.testing.assert_allclose(reg, jnp.sum(params["s/w"] ** 2), rtol=1e-6)


def test_vmap_shares_weights_across_the_batch():
    def per_example(x):
        w = tf.get_variable("w", [3, 2])
        return x @ w

    model = tf.transform(lambda xs: tf.vmap(per_example)(xs))
    xs = jnp.ones((5, 3))
    params = model.init(0, xs)
    assert list(params) == ["w"] and params["w"].shape == (3, 2)
    np.testing.assert_allclose(model.apply(params, xs), xs @ params["w"], rtol=1e-6)


def test_remat_and_cond():
    def model(x, flag):
        y = tf.remat(lambda v: v @ tf.get_variable("w", [3, 3]))(x)
        return tf.cond(flag, lambda v: v @ tf.get_variable("a", [3, 1]),
                       lambda v: v @ tf.get_variable("b", [3, 1]), y)

    model = tf.transform(model)
    x = jnp.ones((2, 3))
    params = model.init(0, x, jnp.array(True))
    assert sorted(params) == ["a", "b", "w"]
    out = jax.jit(model.apply)(params, x, jnp.array(False))
    np.testing.assert_allclose(out, (x @ params["w"]) @ params["b"], rtol=1e-5)


def test_two_scans_in_one_trace_draw_different_keys():
    def noisy(xs):
        step = lambda c, x: (c, x + tf.random_normal(x.shape))  # noqa: E731
        return tf.control_flow.scan(step, 0.0, xs)[1], tf.control_flow.scan(step, 0.0, xs)[1]

    model = tf.transform(noisy)
    xs = jnp.zeros((3, 2))
    a, b = model.apply(model.init(0, xs), xs, rng=jax.random.PRNGKey(0))
    assert not np.allclose(a, b)
