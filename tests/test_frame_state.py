"""Per-trace state lives in the frame: module-level templates and cells, the one rng,
atomic create-or-reuse, and apply's checks on the params it is given."""
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf

X = jnp.ones((2, 3))


def _linear(x):
    w = tf.get_variable("w", [3, 4])
    return x @ w


LINEAR = tf.make_template("lin", _linear)  # TF's documented idiom: a module-level template


def test_module_level_template_works_in_init_apply_jit_and_other_transforms():
    def model(x):
        return LINEAR(x) + LINEAR(x)

    first = tf.transform(model)
    params = first.init(0, X)
    assert list(params) == ["lin/w"]
    out = first.apply(params, X)
    np.testing.assert_allclose(jax.jit(first.apply)(params, X), out, rtol=1e-6)
    np.testing.assert_allclose(out, 2 * X @ params["lin/w"], rtol=1e-5)
    second = tf.transform(lambda x: LINEAR(x))
    assert list(second.init(1, X)) == ["lin/w"]


def test_module_level_template_with_create_scope_now():
    template = tf.make_template("now", _linear, create_scope_now_=True)
    model = tf.transform(lambda x: template(x) + template(x))
    params = model.init(0, X)
    assert list(params) == ["now/w"]
    assert model.apply(params, X).shape == (2, 4)


def test_two_draws_inside_one_initializer_differ_and_stay_name_keyed():
    def init(shape, dtype=None, partition_info=None):
        return tf.random_normal(shape) - tf.random_normal(shape)

    def model(x, extra):
        if extra:
            tf.get_variable("first", [5], initializer=init)
        return tf.get_variable("r", [5], initializer=init)

    params = tf.transform(model).init(0, X, False)
    assert np.abs(np.asarray(params["r"])).min() > 0  # not a - a
    with_extra = tf.transform(model).init(0, X, True)
    np.testing.assert_array_equal(with_extra["r"], params["r"])  # independent of order


def test_random_ops_in_apply_draw_fresh_keys():
    model = tf.transform(lambda x: (tf.random_normal([4]), tf.random_normal([4])))
    params = model.init(0, X)
    a, b = model.apply(params, X, rng=jax.random.PRNGKey(3))
    assert not np.allclose(a, b)


def test_concurrent_auto_reuse_yields_one_variable_per_name():
    graph = tf.Graph()
    results, barrier = [], threading.Barrier(16)

    def worker():
        with graph.as_default():
            barrier.wait()
            with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
                results.append(tf.get_variable("v", [2]))

    for _ in range(20):
        results.clear()
        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len({id(v) for v in results}) == 1
        graph = tf.Graph()


@pytest.mark.parametrize("bad, error, text", [
    (np.zeros((3, 4), np.int32), TypeError, "has dtype int32"),
    ([[0.0] * 4] * 3, TypeError, "is a list"),
    (np.zeros((3, 4), np.float64), TypeError, "has dtype float64"),
    (np.zeros((4, 3), np.float32), ValueError, "has shape (4, 3)"),
])
def test_apply_refuses_params_of_another_kind_dtype_or_shape(bad, error, text):
    model = tf.transform(_linear)
    model.init(0, X)
    with pytest.raises(error, match=r"Parameter 'w' ") as info:
        model.apply({"w": bad}, X)
    assert text in str(info.value)


def test_apply_refuses_non_string_param_keys():
    model = tf.transform(_linear)
    params = model.init(0, X)
    with pytest.raises(TypeError, match="keyed by variable names"):
        model.apply({**params, 3: jnp.zeros(1)}, X)


def test_init_accepts_numpy_integer_seeds():
    params = tf.transform(_linear).init(np.int64(5), X)
    np.testing.assert_array_equal(params["w"], tf.transform(_linear).init(5, X)["w"])
