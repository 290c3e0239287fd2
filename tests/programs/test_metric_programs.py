"""tf.metrics streaming metrics and tf.placeholder_with_default, against TF."""
import numpy as np
import pytest
from harness import tf1

import minitf

RNG = np.random.RandomState(4)
BATCHES = [(RNG.randint(0, 3, size=8), RNG.randint(0, 3, size=8), RNG.rand(8))
           for _ in range(4)]


def metrics_program(tf):
    labels = tf.placeholder(tf.int64, [None], name="labels")
    predictions = tf.placeholder(tf.int64, [None], name="predictions")
    weights = tf.placeholder(tf.float32, [None], name="weights")
    values = tf.placeholder(tf.float32, [None], name="values")
    acc, acc_update = tf.metrics.accuracy(labels, predictions)
    wacc, wacc_update = tf.metrics.accuracy(labels, predictions, weights=weights,
                                            name="weighted")
    mean, mean_update = tf.metrics.mean(values)
    names = sorted(v.op.name for v in tf.local_variables())
    out = []
    with tf.Session() as sess:
        for _ in range(2):  # the second pass checks the reset
            sess.run(tf.local_variables_initializer())
            out.append(sess.run([acc, wacc, mean]))
            for y, p, w in BATCHES:
                feed = {labels: y, predictions: p, weights: w, values: w * 3}
                out.append(sess.run([acc_update, wacc_update, mean_update], feed))
                out.append(sess.run([acc, wacc, mean]))
    return names, out, [acc.op.name, acc_update.op.name, mean.op.name]


def test_streaming_metrics_match_tf():
    with tf1.Graph().as_default():
        want_names, want, want_ops = metrics_program(tf1)
    with minitf.Graph().as_default():
        names, got, ops = metrics_program(minitf)
    assert names == want_names == ["accuracy/count", "accuracy/total", "mean/count",
                                   "mean/total", "weighted/count", "weighted/total"]
    assert ops == want_ops
    np.testing.assert_allclose(np.array(got, np.float64), np.array(want, np.float64),
                               rtol=1e-6)


def default_program(tf):
    x = tf.placeholder_with_default(np.float32([[1, 2, 3]]), [None, 3], name="x")
    scale = tf.placeholder_with_default(2.0, [], name="scale")
    y = tf.reduce_sum(x * scale, axis=1)
    with tf.Session() as sess:
        return [x.shape.as_list(), scale.dtype,
                sess.run(y), sess.run(y, {x: np.ones([2, 3], np.float32)}),
                sess.run(y, {scale: 10.0}), sess.run(x)]


def test_placeholder_with_default_matches_tf():
    with tf1.Graph().as_default():
        want = default_program(tf1)
    with minitf.Graph().as_default():
        got = default_program(minitf)
    assert got[0] == want[0] == [None, 3]
    assert np.dtype(got[1]) == want[1].as_numpy_dtype
    for g, w in zip(got[2:], want[2:], strict=True):
        np.testing.assert_allclose(g, w)
    with minitf.Graph().as_default():
        x = minitf.placeholder_with_default(np.float32([1, 2]), [2])
        with minitf.Session() as sess, pytest.raises(ValueError, match="shape"):
            sess.run(x, {x: np.ones(3, np.float32)})
