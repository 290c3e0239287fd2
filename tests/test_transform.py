"""transform: pure init/apply, fresh graph per call, order-independent init, errors."""
import re
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf


def mlp(x, sizes=(16, 16, 4)):
    for i, n in enumerate(sizes):
        with tf.variable_scope(f"layer{i}"):
            w = tf.get_variable("w", [x.shape[-1], n])
            b = tf.get_variable("b", [n], initializer=tf.zeros_initializer())
            x = x @ w + b
            if i < len(sizes) - 1:
                x = jnp.tanh(x)
    return x


def hand_mlp(p, x):
    for i in range(3):
        x = x @ p[f"layer{i}/w"] + p[f"layer{i}/b"]
        if i < 2:
            x = jnp.tanh(x)
    return x


X = jnp.ones((2, 8))


def test_init_returns_flat_dict_of_checkpoint_names():
    params = tf.transform(mlp).init(jax.random.PRNGKey(0), X)
    assert list(params) == ["layer0/w", "layer0/b", "layer1/w", "layer1/b", "layer2/w", "layer2/b"]
    assert params["layer0/w"].shape == (8, 16)
    assert all(isinstance(v, jax.Array) for v in params.values())


def test_jitted_apply_has_the_same_equations_as_hand_written_jax():
    model = tf.transform(mlp)
    params = model.init(0, X)
    ours = jax.make_jaxpr(model.apply)(params, X)
    hand = jax.make_jaxpr(hand_mlp)(params, X)
    assert str(ours) == str(hand)
    assert [e.primitive.name for e in ours.eqns] == [e.primitive.name for e in hand.eqns]


def test_apply_matches_hand_written_values_and_grads():
    model = tf.transform(mlp)
    params = model.init(0, X)
    np.testing.assert_allclose(jax.jit(model.apply)(params, X), hand_mlp(params, X), rtol=1e-6)
    g1 = jax.grad(lambda p: model.apply(p, X).sum())(params)
    g2 = jax.grad(lambda p: hand_mlp(p, X).sum())(params)
    for k in params:
        np.testing.assert_allclose(g1[k], g2[k], rtol=1e-6)


def test_apply_vmaps_over_inputs():
    model = tf.transform(mlp)
    params = model.init(0, X)
    batched = jax.vmap(model.apply, in_axes=(None, 0))(params, jnp.ones((5, 2, 8)))
    assert batched.shape == (5, 2, 4)


def test_each_call_traces_in_a_fresh_graph():
    model = tf.transform(mlp)
    p1 = model.init(0, X)
    p2 = model.init(0, X)  # would be "already exists" in one shared graph
    assert list(p1) == list(p2)
    for k in p1:
        np.testing.assert_array_equal(p1[k], p2[k])


def test_init_is_order_independent():
    def two(x):
        tf.get_variable("a", [3, 3])
        tf.get_variable("b", [3, 3])
        return x

    def three_reordered(x):
        tf.get_variable("c", [3, 3])
        tf.get_variable("b", [3, 3])
        tf.get_variable("a", [3, 3])
        return x

    p2 = tf.transform(two).init(1, X)
    p3 = tf.transform(three_reordered).init(1, X)
    np.testing.assert_array_equal(p2["a"], p3["a"])
    np.testing.assert_array_equal(p2["b"], p3["b"])
    assert not np.array_equal(p2["a"], p2["b"])


def test_batched_init_equals_one_by_one_sampling():
    def many(x):
        return [tf.get_variable(f"v{i}", [4, 4]) for i in range(5)]

    params = tf.transform(many).init(3, X)
    key = jax.random.PRNGKey(3)
    from minitf.core.sources import name_key

    for name, value in params.items():
        single = tf.glorot_uniform_initializer().sample(name_key(key, name), (4, 4))
        np.testing.assert_array_equal(value, single)


def test_each_value_is_its_initializer_sampled_from_fold_in_of_the_name_hash():
    """The definition of a value: sample(fold_in(rng, crc32(name) & 0x7fffffff), shape, dtype)."""
    import zlib

    inits = {"a/w": (tf.glorot_uniform_initializer(), [5, 3]),
             "a/b": (tf.zeros_initializer(), [3]),
             "t": (tf.truncated_normal_initializer(stddev=0.5), [2, 7]),
             "u": (tf.random_uniform_initializer(-1.0, 1.0), [4]),
             "w2": (tf.glorot_uniform_initializer(), [5, 3])}

    def model(x):
        for name, (init, shape) in inits.items():
            tf.get_variable(name, shape, initializer=init)
        return x

    rng = jax.random.PRNGKey(11)
    params = tf.transform(model).init(rng, X)
    for name, (init, shape) in inits.items():
        key = jax.random.fold_in(rng, zlib.crc32(name.encode()) & 0x7FFFFFFF)
        np.testing.assert_array_equal(params[name], init.sample(key, shape, jnp.float32))
    jitted = jax.jit(tf.transform(model).init)(rng, X)
    for name in inits:
        np.testing.assert_allclose(jitted[name], params[name], rtol=1e-6, atol=1e-7)


def test_graph_session_and_init_agree_for_the_same_seed():
    params = tf.transform(mlp).init(jax.random.PRNGKey(7), X)
    with tf.Graph().as_default():
        tf.set_random_seed(7)
        with tf.variable_scope("layer0"):
            w = tf.get_variable("w", [8, 16])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(w), params["layer0/w"])


def test_eager_default_graph_and_init_agree_for_the_same_seed(eager):
    params = tf.transform(mlp).init(jax.random.PRNGKey(7), X)
    tf.set_random_seed(7)
    with tf.variable_scope("layer0"):
        w = tf.get_variable("w", [8, 16])
    np.testing.assert_array_equal(np.asarray(w), params["layer0/w"])


def test_computed_initial_values():
    def model(x):
        v = tf.Variable(jnp.arange(3.0) * 2, name="v")
        c = tf.get_variable("c", initializer=tf.constant([1.0, 2.0]))
        w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
        d = tf.Variable(w.initialized_value() + 1.0, name="d")
        return x.sum() + v.sum() + c[0] + d.sum()

    params = tf.transform(model).init(0, X)
    np.testing.assert_array_equal(params["v"], [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(params["c"], [1.0, 2.0])
    np.testing.assert_array_equal(params["d"], [2.0, 2.0, 2.0])


def test_missing_param_is_named_with_near_names():
    model = tf.transform(mlp)
    params = model.init(0, X)
    del params["layer1/w"]
    with pytest.raises(KeyError) as err:
        model.apply(params, X)
    assert "'layer1/w' is missing" in str(err.value)
    assert "layer0/w" in str(err.value) or "layer2/w" in str(err.value)


def test_unexpected_param_is_named():
    model = tf.transform(mlp)
    params = model.init(0, X)
    params["layer9/w"] = jnp.zeros(1)
    with pytest.raises(ValueError, match=r"never asked for: \['layer9/w'\]"):
        model.apply(params, X)


def test_wrong_param_shape_is_an_error():
    model = tf.transform(mlp)
    params = model.init(0, X)
    params["layer0/b"] = jnp.zeros(3)
    with pytest.raises(ValueError, match=r"'layer0/b' has shape \(3,\).*asks for shape \(16,\)"):
        model.apply(params, X)


def test_non_trainable_variables_share_the_dict_and_split():
    def model(x):
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        n = tf.get_variable("count", [], initializer=tf.zeros_initializer(), trainable=False)
        return w.sum() + n

    model = tf.transform(model)
    params = model.init(0, X)
    trainable, frozen = model.split_trainable(params)
    assert list(trainable) == ["w"] and list(frozen) == ["count"]


def test_assign_in_apply_is_an_update_reads_see_the_starting_value():
    """TF1's graph rule: an assignment runs when fetched; other reads in the same run
    see the value the variable had when the run began."""
    def model(x):
        count = tf.get_variable("count", [], initializer=tf.zeros_initializer(), trainable=False)
        new = count.assign(count + 1.0)
        return count * 10.0, new

    model = tf.transform(model)
    params = model.init(0, X)
    (out, new), updates = jax.jit(model.apply_with_updates)(params, X)
    assert float(out) == 0.0 and float(new) == 1.0
    assert set(updates) == {"count"} and float(updates["count"]) == 1.0
    params = tf.merge_params(params, updates)
    (out, _), _ = model.apply_with_updates(params, X)
    assert float(out) == 10.0


def test_control_dependencies_on_an_assignment_make_reads_see_it():
    def model(x):
        count = tf.get_variable("count", [], initializer=tf.zeros_initializer(), trainable=False)
        new = count.assign(count + 1.0)
        before = count * 10.0
        with tf.control_dependencies([new]):
            after = count * 10.0
        return before, after

    model = tf.transform(model)
    params = model.init(0, X)
    before, after = jax.jit(model.apply)(params, X)
    assert float(before) == 0.0 and float(after) == 10.0


def test_apply_rng_feeds_random_ops_and_is_required():
    def model(x):
        return x + tf.random_normal(x.shape)

    model = tf.transform(model)
    params = model.init(0, X)
    a = model.apply(params, X, rng=jax.random.PRNGKey(1))
    b = model.apply(params, X, rng=jax.random.PRNGKey(2))
    assert not np.allclose(a, b)
    with pytest.raises(ValueError, match="no rng was given"):
        model.apply(params, X)


def test_static_python_arguments_stay_static():
    def model(x, training):
        w = tf.get_variable("w", [8, 2])
        y = x @ w
        return y * 2 if training else y

    model = tf.transform(model)
    params = model.init(0, X, True)
    assert model.apply(params, X, training=False).shape == (2, 2)


def test_threads_tracing_at_once_do_not_see_each_others_scopes():
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def model(x, tag):
        with tf.variable_scope(tag):
            barrier.wait(timeout=10)
            w = tf.get_variable("w", [8, 2])
            barrier.wait(timeout=10)
            return x @ w

    def run(tag):
        try:
            results[tag] = list(tf.transform(model).init(0, X, tag))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == {"a": ["a/w"], "b": ["b/w"]}


def test_raw_scan_creating_variables_in_init_is_a_clear_error():
    def model(xs):
        def body(c, x):
            w = tf.get_variable("w", [8, 2])
            return c, x @ w

        return jax.lax.scan(body, 0.0, xs)[1]

    with pytest.raises(RuntimeError, match=re.escape("minitf.scan")):
        tf.transform(model).init(0, jnp.ones((3, 2, 8)))


def test_raw_vmap_creating_variables_in_init_is_a_clear_error():
    def model(x):
        return jax.vmap(lambda r: r @ tf.get_variable("w", [8, 2]))(x)

    with pytest.raises(RuntimeError, match=re.escape("minitf.vmap")):
        tf.transform(model).init(0, X)


def test_raw_checkpoint_creating_variables_in_init_is_a_clear_error():
    def model(x):
        return jax.checkpoint(lambda r: r @ tf.get_variable("w", [8, 2]))(x)

    with pytest.raises(RuntimeError, match=re.escape("minitf.remat")):
        tf.transform(model).init(0, X)


def test_raw_transforms_reading_existing_variables_work_in_apply():
    def model(xs):
        w = tf.get_variable("w", [8, 2])

        def body(c, x):
            with tf.variable_scope("", reuse=True):
                v = tf.get_variable("w", [8, 2])
            return c, x @ v

        ys = jax.lax.scan(body, 0.0, xs)[1]
        zs = jax.vmap(lambda x: x @ w)(xs)
        return ys, zs

    model = tf.transform(model)
    xs = jnp.ones((3, 2, 8))
    params = model.init(0, xs)
    ys, zs = jax.jit(model.apply)(params, xs)
    np.testing.assert_allclose(ys, zs)
    np.testing.assert_allclose(ys[0], xs[0] @ params["w"], rtol=1e-6)


def test_assign_inside_raw_scan_is_a_clear_error():
    def model(xs):
        count = tf.get_variable("count", [], initializer=tf.zeros_initializer())

        def body(c, x):
            count.assign(c)
            return c, x

        return jax.lax.scan(body, 0.0, xs)[1]

    model = tf.transform(model)
    xs = jnp.ones((3,))
    with pytest.raises(RuntimeError, match="inside a raw JAX transformation"):
        model.init(0, xs)
    with pytest.raises(RuntimeError, match="inside a raw JAX transformation"):
        model.apply({"count": jnp.zeros(())}, xs)


def test_init_itself_can_be_jitted_and_eval_shaped():
    model = tf.transform(mlp)
    params = jax.jit(model.init)(jax.random.PRNGKey(0), X)
    eager = model.init(jax.random.PRNGKey(0), X)
    for k in eager:
        np.testing.assert_allclose(params[k], eager[k], rtol=1e-6)
    shapes = jax.eval_shape(model.init, jax.random.PRNGKey(0), X)
    assert shapes["layer0/w"].shape == (8, 16)
