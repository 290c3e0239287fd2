"""`tf.train.ExponentialMovingAverage` under real TF and minitf: shadow names, initial
values, updates after each train step (with and without `num_updates`), and the
evaluation idiom that restores the averages into the model through a Saver."""
import os

import numpy as np
from harness import assert_same_run, run_tf

import minitf

X = np.random.RandomState(0).normal(size=(8, 3)).astype(np.float32)
Y = np.random.RandomState(1).normal(size=(8, 1)).astype(np.float32)


def ema_program(tf, start, with_step=False):
    x = tf.placeholder(tf.float32, [None, 3])
    pred = tf.layers.dense(x, 1, name="fc")
    loss = tf.reduce_mean(tf.square(pred - Y))
    step = tf.train.get_or_create_global_step() if with_step else None
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    with tf.control_dependencies([train]):
        train_op = tf.group(ema.apply(tf.trainable_variables()))
    shadows = [ema.average(v) for v in tf.trainable_variables()]
    fetched = [[s.op.name for s in shadows], sorted(ema.variables_to_restore()),
               [v.op.name for v in tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES)],
               ema.average_name(tf.trainable_variables()[0])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(4):
            sess.run(train_op, {x: X})
            fetched += sess.run(shadows)
    return fetched


def _names_then_values(program):
    want, initial = run_tf(program)
    got = None
    from harness import run_minitf

    got = run_minitf(program, initial)
    assert got[:4] == want[:4]  # shadow names, restore map keys, collection, average_name
    for g, w in zip(got[4:], want[4:], strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_moving_averages_match_tf():
    _names_then_values(ema_program)


def test_moving_averages_with_num_updates_match_tf():
    _names_then_values(lambda tf, start: ema_program(tf, start, with_step=True))


def restore_averages_program(tf, start, directory):
    """Train, save; then restore the averages into the model's variables and evaluate."""
    x = tf.placeholder(tf.float32, [None, 3])
    pred = tf.layers.dense(x, 1, name="fc")
    loss = tf.reduce_mean(tf.square(pred - Y))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    ema = tf.train.ExponentialMovingAverage(0.5)
    with tf.control_dependencies([train]):
        train_op = tf.group(ema.apply())
    path = os.path.join(directory, "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(3):
            sess.run(train_op, {x: X})
        averaged = sess.run([ema.average(v) for v in tf.trainable_variables()])
        tf.train.Saver().save(sess, path)
    with tf.Session() as sess:
        tf.train.Saver(ema.variables_to_restore()).restore(sess, path)
        restored = sess.run(tf.trainable_variables())
        evaluated = sess.run(pred, {x: X})
    for a, r in zip(averaged, restored, strict=True):
        np.testing.assert_array_equal(a, r)
    return [evaluated]


def test_restoring_the_averages_for_evaluation_matches_tf(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "minitf").mkdir()

    def program(tf, start):
        return restore_averages_program(tf, start, str(tmp_path / (
            "minitf" if tf is minitf else "tf")))

    assert_same_run(program)


def test_moving_averages_inside_transform_are_updates():
    """In `transform`, `apply` returns no op (as TF's eager `tf.group`): the new shadow
    values come back from `apply_with_updates`, read from the values the call began with."""
    import jax.numpy as jnp

    def model(x):
        w = minitf.get_variable("w", [2], initializer=minitf.ones_initializer())
        ema = minitf.train.ExponentialMovingAverage(0.75)
        assert ema.apply([w]) is None and ema.average_name(w) == "w/ExponentialMovingAverage"
        return x * w

    transformed = minitf.transform(model)
    params = transformed.init(0, jnp.ones(2))
    np.testing.assert_array_equal(params["w/ExponentialMovingAverage"], [1.0, 1.0])
    params = {**params, "w": jnp.array([3.0, 5.0])}
    _, updates = transformed.apply_with_updates(params, jnp.ones(2))
    np.testing.assert_allclose(updates["w/ExponentialMovingAverage"], [1.5, 2.0])
