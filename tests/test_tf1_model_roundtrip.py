"""A TF1 model trained in TensorFlow loads into the same code run by minitf, by name.

The model function is written once against a `tf` module. TF1 (graph mode)
builds it, trains a few SGD steps and saves with tf.train.Saver; minitf reads
the checkpoint with its own reader (no name mapping) and `apply` reproduces
TF's outputs.
"""
import numpy as np
import pytest

import minitf
from minitf.train import load_checkpoint


def model_fn(tf, x):
    """A TF1-style MLP with a shared block used twice (reuse) and a tf.Variable scale."""
    def block(h, reuse):
        with tf.variable_scope("block", reuse=reuse):
            w = tf.get_variable("w", [4, 4], initializer=tf.glorot_uniform_initializer())
            b = tf.get_variable("b", [4], initializer=tf.constant_initializer(0.1))
            return tf.tanh(tf.matmul(h, w) + b)

    with tf.variable_scope("mlp"):
        with tf.variable_scope("in"):
            w = tf.get_variable("w", [3, 4])
            h = tf.matmul(x, w)
        h = block(h, None)
        h = block(h, True)
        scale = tf.Variable(2.0, name="scale")
        with tf.variable_scope("out"):
            w = tf.get_variable("w", [4, 1])
        return tf.matmul(h, w) * scale


@pytest.fixture(scope="module")
def tf1():
    import tensorflow.compat.v1 as tf1

    tf1.disable_v2_behavior()
    return tf1


def test_tf1_trained_checkpoint_runs_in_minitf_unchanged(tf1, tmp_path):
    rng = np.random.RandomState(0)
    x = rng.randn(5, 3).astype(np.float32)
    y = rng.randn(5, 1).astype(np.float32)
    with tf1.Graph().as_default():
        out = model_fn(tf1, tf1.constant(x))
        loss = tf1.reduce_mean(tf1.square(out - y))
        train_op = tf1.train.GradientDescentOptimizer(0.1).minimize(loss)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op)
            expected = sess.run(out)
            prefix = saver.save(sess, str(tmp_path / "model"))
            tf_names = sorted(v.op.name for v in tf1.global_variables())

    model = minitf.transform(lambda x: model_fn(minitf, x))
    template = model.init(0, x)
    assert sorted(template) == tf_names
    reader = load_checkpoint(prefix)
    params = {name: reader.get_tensor(name) for name in template}
    np.testing.assert_allclose(model.apply(params, x), expected, rtol=1e-5, atol=1e-5)
