"""TF1's `tf.scan`, `tf.foldl`, `tf.foldr` and `tf.map_fn`, under real TF and minitf.

TF's signatures (`fn(acc, x)`; no `initializer`: the first element starts and is the
first output), nested accumulators and elements, `reverse`, nested `map_fn` outputs,
a layer inside `map_fn` (its variables created once) trained through the loop; and
the same graph-building function inside `transform`.
"""
import numpy as np
from harness import assert_same_run, run_tf

import minitf

X = np.random.RandomState(0).normal(size=(3, 5)).astype(np.float32)


def functional_ops(tf, x):
    elems = tf.constant([1.0, 2.0, 3.0, 4.0])
    pairs = (tf.constant([1.0, 2.0, 3.0]), tf.constant([-1.0, 1.0, -1.0]))
    with tf.variable_scope("mapped"):
        dense = tf.map_fn(lambda row: tf.layers.dense(row[None], 2, name="d")[0], x)
    return [
        tf.scan(lambda a, e: a + e, elems),
        tf.scan(lambda a, e: a + e, elems, reverse=True),
        *tf.scan(lambda a, _: (a[1], a[0] + a[1]), elems,
                 initializer=(tf.constant(0.0), tf.constant(1.0))),
        tf.scan(lambda a, e: a + e[0] * e[1], pairs, initializer=tf.constant(0.0)),
        tf.scan(lambda a, row: a * 0.5 + row, x, reverse=True),
        tf.foldl(lambda a, e: a * 2.0 + e, elems),
        tf.foldr(lambda a, e: a * 2.0 + e, elems),
        tf.foldl(lambda a, e: a - e, elems, initializer=tf.constant(10.0)),
        tf.foldr(lambda a, e: a * e, pairs[0], initializer=tf.constant(2.0)),
        tf.map_fn(lambda row: tf.reduce_sum(row * row), x),
        *tf.map_fn(lambda row: (row * 2.0, tf.reduce_max(row)), x,
                   dtype=(tf.float32, tf.float32)),
        dense,
    ]


def program(tf, start):
    x = tf.placeholder(tf.float32, [None, 5])
    outputs = functional_ops(tf, x)
    loss = tf.reduce_sum(tf.square(outputs[-1] - 1.0))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    fetched = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        fetched += sess.run(outputs, {x: X})
        for _ in range(5):
            fetched.append(sess.run([train, loss], {x: X})[1])
    return fetched


def test_scan_fold_and_map_fn_match_tf_and_train_through_the_loop():
    assert_same_run(program)


def test_the_same_functions_inside_transform_match_tf():
    want, initial = run_tf(program)
    model = minitf.transform(lambda x: functional_ops(minitf, x))
    assert set(model.init(0, X)) == set(initial)
    got = model.apply(initial, X)
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6, err_msg=f"output {i}")
