"""A TF1 training program with batch renormalization (a `training` placeholder, clipped
corrections, the updates run under `control_dependencies(UPDATE_OPS)`), under real TF
and minitf from TF's initial weights: every loss and variable over four steps, and the
inference output, to 1e-5."""
import numpy as np
from harness import assert_same_run

X = (np.random.RandomState(0).normal(size=(6, 3)) * 2 + 1).astype(np.float32)


def renorm_program(tf, start):
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder(tf.bool, [])
    h = tf.layers.dense(x, 4, name="fc")
    y = tf.layers.batch_normalization(h, training=training, renorm=True, renorm_momentum=0.8,
                                      renorm_clipping={"rmax": 1.5, "rmin": 0.5, "dmax": 0.7},
                                      momentum=0.9, name="bn")
    z = tf.layers.batch_normalization(h, training=True, renorm=True, scale=False, name="bn2")
    loss = tf.reduce_mean(tf.square(y)) + tf.reduce_mean(z)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(updates):
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    out = [len(updates)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for i in range(4):
            out.append(sess.run(loss, {x: X, training: True}))
            sess.run(train, {x: X * (i + 1), training: True})
            out += sess.run(tf.global_variables())
        out.append(sess.run(y, {x: X, training: False}))
    return out


def test_renorm_training_program_matches_tf():
    got, _ = assert_same_run(renorm_program, rtol=1e-5, atol=1e-5)
    assert got[0] == 4  # two update ops per layer, as TF (the renorm ones run with them)
