"""Graph mode's own rules: static shapes, sessions, feeds, errors, compile counts,
control flow, gradients and `graph_function` (programs against TF: tests/programs)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf


@pytest.fixture
def g():
    with tf.Graph().as_default() as graph:
        yield graph


def test_tensors_have_tf_names_shapes_and_ops(g):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("layer"):
        w = tf.get_variable("w", [3, 2])
        y = tf.matmul(x, w)
        z = y + 1.0
    assert x.name == "x:0" and x.shape.as_list() == [None, 3]
    assert y.name == "layer/MatMul:0" and y.op.type == "MatMul"
    assert [t.name for t in y.op.inputs] == ["x:0", "w/read:0"]
    assert z.op.name == "layer/add" and z.get_shape().as_list() == [None, 2]
    assert z.shape[0].value is None and z.shape[1].value == 2
    assert g.get_tensor_by_name("layer/MatMul:0") is y
    r = tf.reshape(x, [tf.shape(x)[0], -1, 1])
    assert r.shape.as_list() == [None, 3, 1]


def test_unknown_dim_merges_with_a_known_one(g):
    a = tf.placeholder(tf.float32, [None, 8])
    b = tf.zeros([4, 8])
    assert tf.concat([a, b], 1).shape.as_list() == [4, 16]


def test_unknown_dim_merges_with_a_constant_arguments_known_one(g):
    """NumPy constants are arguments, not graph inputs, and still merge as TF's Const
    tensors do (shapes recorded from TF: (8, 1), (8, 2), (?, 3))."""
    x = tf.placeholder(tf.float32, [None, 1])
    column, row = np.ones((8, 1), np.float32), np.ones((1, 3), np.float32)
    assert (x - column).shape.as_list() == [8, 1]
    assert tf.concat([x, column], 1).shape.as_list() == [8, 2]
    assert (x * row).shape.as_list() == [None, 3]


def test_run_feeds_nested_fetches_and_compiles_once(g):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    v = tf.Variable([1.0, 2.0], name="v")
    s = tf.reduce_sum(x * v, axis=1)
    inc = tf.assign_add(v, [1.0, 1.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        compiles = sess.compile_count
        for i in range(3):
            out = sess.run({"s": s, "pair": (v, [s])}, feed_dict={x: np.ones((2, 2)) * i})
            np.testing.assert_allclose(out["s"], [3.0 * i, 3.0 * i])
        assert sess.compile_count == compiles + 1
        sess.run(inc)
        np.testing.assert_allclose(sess.run(v), [2.0, 3.0])
        np.testing.assert_allclose(sess.run("v:0"), [2.0, 3.0])
        # another batch size is another signature (compiled once, then reused)
        before = sess.compile_count
        for _ in range(2):
            sess.run(s, {x: np.ones((5, 2))})
        assert sess.compile_count == before + 1


def test_tf_errors_for_bad_feeds_and_uninitialized_reads(g):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    v = tf.Variable(1.0, name="v")
    y = x * v
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(y, {x: np.ones((1, 2))})
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="must feed a value for placeholder tensor 'x'"):
            sess.run(y)
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor "
                                             r"'x:0', which has shape '\(\?, 2\)'"):
            sess.run(y, {x: np.ones(3)})


def test_reads_see_the_start_value_unless_ordered_after_an_assignment(g):
    v = tf.Variable(1.0, name="v")
    new = tf.assign(v, 5.0)
    plain = v * 1.0
    with tf.control_dependencies([new]):
        after = v.read_value() * 1.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([plain, new]) == [1.0, 5.0]
        sess.run(tf.assign(v, 1.0))
        assert sess.run(after) == 5.0


def test_cond_while_and_scan_lower_to_lax(g):
    x = tf.placeholder(tf.float32, [2], name="x")
    flag = tf.placeholder(tf.bool, [], name="flag")
    w = tf.Variable([2.0, 3.0], name="w")
    picked = tf.cond(flag, lambda: x * w, lambda: x - w)
    count, total = tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t * 2.0),
                                 [tf.constant(0), tf.reduce_sum(x)])
    _, ys = tf.control_flow.scan(lambda c, e: (c + e * w, c + e * w), tf.zeros([2]),
                                 tf.stack([x, x, x]))
    grad = tf.gradients(tf.reduce_sum(ys), w)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        X = np.array([1.0, 1.0], np.float32)
        np.testing.assert_allclose(sess.run(picked, {x: X, flag: True}), [2.0, 3.0])
        np.testing.assert_allclose(sess.run(picked, {x: X, flag: False}), [-1.0, -2.0])
        assert sess.run([count, total], {x: X}) == [4, 32.0]
        np.testing.assert_allclose(sess.run(grad, {x: X}), [6.0, 6.0])  # 1 + 2 + 3


def test_random_ops_draw_fresh_values_each_run(g):
    r = tf.random_normal([3])
    with tf.Session() as sess:
        a, b = sess.run(r), sess.run(r)
    assert not np.allclose(a, b)


def test_graph_function_gives_a_pure_jax_function(g):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("m"):
        w = tf.get_variable("w", [3, 1])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    grad = tf.gradients(loss, w)[0]
    X = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want_loss, want_grad = sess.run([loss, grad], {x: X})
        fn, params = tf.graph_function(loss, [x], session=sess)
    assert list(params) == ["m/w"]
    got_loss, got_grad = jax.value_and_grad(fn)(params, X)
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-6)
    np.testing.assert_allclose(got_grad["m/w"], want_grad, rtol=1e-5)
    per_row = jax.vmap(lambda row: fn(params, row[None]))(jnp.asarray(X))
    np.testing.assert_allclose(per_row.mean(), want_loss, rtol=1e-5)


def test_ops_inside_a_raw_jax_jit_compute_directly(g):
    out = jax.jit(lambda a: tf.reduce_sum(tf.square(a)))(jnp.arange(3.0))
    assert float(out) == 5.0


def test_placeholder_of_unknown_rank_takes_any_value(g):
    keep_prob = tf.placeholder(tf.float32)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.nn.dropout(x, keep_prob)
    assert str(keep_prob.shape) == "<unknown>" and keep_prob.shape.ndims is None
    assert y.shape.as_list() == [None, 4]
    with tf.Session() as sess:
        out = sess.run(y, {x: np.ones((3, 4)), keep_prob: 1.0})
        np.testing.assert_allclose(out, np.ones((3, 4)))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"with dtype float32$"):
            sess.run(y, {x: np.ones((3, 4))})


def test_case_picks_the_first_true_branch(g):
    x = tf.placeholder(tf.int32, [])
    out = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)),
                   (tf.equal(x, 0), lambda: tf.constant(0))], default=lambda: tf.constant(1))
    with tf.Session() as sess:
        assert [sess.run(out, {x: v}) for v in (-5, 0, 7)] == [-1, 0, 1]


def test_convert_to_tensor(g):
    x = tf.placeholder(tf.float32, [2])
    assert tf.convert_to_tensor(x) is x
    c = tf.convert_to_tensor([1, 2], name="c")
    assert c.name == "c:0" and c.dtype == np.int32
    with pytest.raises(ValueError, match="requested dtype int32"):
        tf.convert_to_tensor(x, dtype=tf.int32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(c), [1, 2])


def test_make_callable_runs_the_fetches_with_positional_feeds(g):
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:
        add = sess.make_callable([x + y, tf.reduce_sum(x)], [x, y])
        total, s = add(np.ones(3), np.arange(3.0))
        np.testing.assert_allclose(total, [1.0, 2.0, 3.0])
        assert s == 3.0 and sess.compile_count == 1
        add(np.zeros(3), np.zeros(3))
        assert sess.compile_count == 1


def test_while_loop_with_maximum_iterations_has_gradients(g):
    w = tf.Variable(1.5, name="w")
    _, y = tf.while_loop(lambda i, y: y < 10.0, lambda i, y: (i + 1, y * w),
                         [tf.constant(0), tf.constant(1.0)], maximum_iterations=20)
    grad = tf.gradients(y, w)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, dw = sess.run([y, grad])
    # 1.5^6 = 11.39 is the first power >= 10; d(w^6)/dw = 6 w^5
    np.testing.assert_allclose([value, dw], [1.5 ** 6, 6 * 1.5 ** 5], rtol=1e-5)
