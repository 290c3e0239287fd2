"""TF1 programs training with more optimizers, run unchanged under TF and minitf
(see harness.py): losses, slot values and weights must agree step by step."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from harness import assert_same_run

import minitf
from tf_reference import tf1

RNG = np.random.RandomState(1)
X = RNG.randn(32, 5).astype(np.float32)
LABELS = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 0.5).astype(np.int64)


def _adagrad_mlp_graph(tf):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [5, 8])
        b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer())
        h = tf.nn.tanh(tf.matmul(x, w1) + b1)
        w2 = tf.get_variable("w2", [8, 3])
        logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    with tf.name_scope("train"):
        global_step = tf.train.get_or_create_global_step()
        optimizer = tf.train.AdagradOptimizer(0.3)
        train_op = optimizer.minimize(loss, global_step=global_step)
    return x, labels, loss, train_op, global_step, w2


def adagrad_mlp(tf, start):
    """An MLP trained by Adagrad under a name scope with a global step; fetches the
    slot variables by their TF names."""
    x, labels, loss, train_op, global_step, w2 = _adagrad_mlp_graph(tf)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for i in range(12):
            batch = slice((i * 8) % 32, (i * 8) % 32 + 8)
            loss_value, _ = sess.run([loss, train_op], {x: X[batch], labels: LABELS[batch]})
            out.append(loss_value)
        graph = tf.get_default_graph()
        out.append(sess.run(global_step))
        out.append(sess.run(graph.get_tensor_by_name("mlp/w1/Adagrad:0")))
        out.append(sess.run(graph.get_tensor_by_name("mlp/b1/Adagrad:0")))
        out.append(sess.run(w2))
    return out


def adagrad_initial_accumulator(tf, start):
    """tf.Variable weights, a large initial accumulator, var_list, a decayed rate."""
    w = tf.Variable(tf.ones([5, 1]) * 0.1, name="w")
    b = tf.Variable(0.0, name="b")
    frozen = tf.Variable(tf.ones([1]), name="frozen")
    x = tf.constant(X)
    target = tf.constant(X[:, :1] * 2.0 - X[:, 1:2])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - target)) + tf.reduce_sum(frozen)
    step = tf.Variable(0, trainable=False, name="step")
    rate = tf.train.exponential_decay(0.5, step, 5, 0.5)
    train = tf.train.AdagradOptimizer(rate, initial_accumulator_value=2.5).minimize(
        loss, var_list=[w, b], global_step=step)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(10):
            out.append(sess.run([loss, train])[0])
        out += sess.run([w, b, frozen])
        out.append(sess.run(tf.get_default_graph().get_tensor_by_name("b/Adagrad:0")))
    return out


def test_adagrad_mlp():
    got, _ = assert_same_run(adagrad_mlp)
    assert got[12] == 12
    assert got[0] > got[11]


def test_adagrad_slot_variables_are_tfs():
    names = []
    for tf in (tf1, minitf):
        with tf.Graph().as_default():
            _adagrad_mlp_graph(tf)
            names.append([(v.op.name, v.shape.as_list(), v in tf.trainable_variables())
                          for v in tf.global_variables()])
    assert names[0] == names[1]
    assert [n for n, _, _ in names[1]][-3:] == ["mlp/w1/Adagrad", "mlp/b1/Adagrad",
                                                  "mlp/w2/Adagrad"]


def test_adagrad_initial_accumulator_and_var_list():
    got, _ = assert_same_run(adagrad_initial_accumulator)
    np.testing.assert_array_equal(got[-2], [1.0])  # not in var_list: untouched
    assert got[-1] > 2.5


def test_adagrad_kernel_functionally():
    """Outside a graph: the optax form of the same kernel, against TF1's formula by hand."""
    opt = minitf.train.AdagradOptimizer(0.2, initial_accumulator_value=0.3)
    assert opt.get_slot_names() == ["accumulator"]
    params = {"w": jnp.array([1.0, -2.0])}
    tx = opt.as_optax()
    state = tx.init(params)
    w, accum = np.array([1.0, -2.0], np.float32), np.full(2, 0.3, np.float32)
    for _ in range(3):
        grads = jax.grad(lambda p: jnp.sum(p["w"] ** 3))(params)
        g = 3 * w ** 2
        accum = accum + g * g
        w = w - 0.2 * g / np.sqrt(accum)
        updates, state = tx.update(grads, state, params)
        params = jax.tree_util.tree_map(lambda p, u: p + u, params, updates)
    np.testing.assert_allclose(params["w"], w, rtol=1e-6)
    np.testing.assert_allclose(opt.get_slot(state, "w", "accumulator"), accum, rtol=1e-6)
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        minitf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
