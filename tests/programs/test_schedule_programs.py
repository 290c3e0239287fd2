"""tf.train learning-rate schedules as graph ops on a global step, against TF."""
import numpy as np
import pytest
from harness import tf1

import minitf

STEPS = [0, 1, 7, 10, 25, 99, 100, 150, 400]  # (no multiple of a cycle: XLA divides by
# a constant as a multiply, so ceil(150 / 30) is 6 in TF and jit, 5 op by op)

SCHEDULES = {
    "exponential": lambda tf, s: tf.train.exponential_decay(0.1, s, 10, 0.5),
    "exponential_staircase": lambda tf, s: tf.train.exponential_decay(
        0.1, s, 10, 0.5, staircase=True),
    "natural_exp": lambda tf, s: tf.train.natural_exp_decay(0.1, s, 20, 0.3),
    "natural_exp_staircase": lambda tf, s: tf.train.natural_exp_decay(
        0.1, s, 20, 0.3, staircase=True),
    "inverse_time": lambda tf, s: tf.train.inverse_time_decay(0.1, s, 10, 0.5),
    "inverse_time_staircase": lambda tf, s: tf.train.inverse_time_decay(
        0.1, s, 10, 0.5, staircase=True),
    "polynomial": lambda tf, s: tf.train.polynomial_decay(0.1, s, 100, 0.01, power=2.0),
    "polynomial_cycle": lambda tf, s: tf.train.polynomial_decay(0.1, s, 45, cycle=True),
    "cosine": lambda tf, s: tf.train.cosine_decay(0.1, s, 100),
    "cosine_alpha": lambda tf, s: tf.train.cosine_decay(0.1, s, 100, alpha=0.2),
    "piecewise": lambda tf, s: tf.train.piecewise_constant(s, [10, 100], [1.0, 0.5, 0.1]),
}


def values(tf, schedule):
    step = tf.placeholder(tf.int64, [], name="step")
    lr = schedule(tf, step)
    with tf.Session() as sess:
        return [sess.run(lr, {step: s}) for s in STEPS], lr


@pytest.mark.parametrize("key", sorted(SCHEDULES))
def test_schedule_matches_tf(key, eager):
    with tf1.Graph().as_default():
        want, tf_lr = values(tf1, SCHEDULES[key])
    with minitf.Graph().as_default():
        got, lr = values(minitf, SCHEDULES[key])
    assert lr.dtype == tf_lr.dtype.as_numpy_dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
    # the same definition on plain numbers (TF1's opt-in eager mode; transform below)
    eager = [np.asarray(SCHEDULES[key](minitf, np.int64(s))) for s in STEPS]
    np.testing.assert_allclose(eager, want, rtol=1e-6)


def test_decayed_rate_drives_graph_optimizer():
    def program(tf):
        w = tf.Variable(np.float32(3.0), name="w")
        step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.5, step, 2, 0.5, staircase=True)
        train = tf.train.GradientDescentOptimizer(lr).minimize(w * w, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for _ in range(6):
                out.append(sess.run(lr))
                sess.run(train)
                out.append(sess.run(w))
            return out

    with tf1.Graph().as_default():
        want = program(tf1)
    with minitf.Graph().as_default():
        got = program(minitf)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_same_definitions_inside_transform_and_jit():
    """The schedule and placeholder_with_default also run in transform mode, under jit."""
    import jax

    def model(step, x):
        w = minitf.get_variable("w", [], initializer=minitf.ones_initializer())
        lr = minitf.train.cosine_decay(0.1, step, 100, alpha=0.2)
        scale = minitf.placeholder_with_default(x, [None], name="scale")
        return lr * w * minitf.reduce_sum(scale)

    model_t = minitf.transform(model)
    params = model_t.init(jax.random.PRNGKey(0), 0, np.ones(3, np.float32))
    got = jax.jit(model_t.apply)(params, np.int32(40), np.ones(3, np.float32))
    with tf1.Graph().as_default():
        want = tf1.Session().run(tf1.train.cosine_decay(0.1, 40, 100, alpha=0.2)) * 3
    np.testing.assert_allclose(got, want, rtol=1e-6)
