"""The variable handle: TF1 identity, JAX array behaviour, zero cost under jit."""
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_handle_metadata(graph):
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            w = tf.get_variable("w", [3, 2], trainable=False)
    assert w.name == "a/b/w:0"
    assert w.op.name == "a/b/w"
    assert tuple(w.shape) == (3, 2) and w.get_shape().as_list() == [3, 2]
    assert w.dtype == jnp.float32
    assert w.trainable is False
    assert repr(w) == "<tf.Variable 'a/b/w:0' shape=(3, 2) dtype=float32>"


def test_handle_in_jnp_calls_and_arithmetic(eager):
    w = tf.get_variable("w", [3, 3], initializer=tf.ones_initializer())
    b = tf.get_variable("b", [3], initializer=tf.constant_initializer(2.0))
    x = jnp.ones((2, 3))
    np.testing.assert_allclose(x @ w + b, np.full((2, 3), 5.0))
    np.testing.assert_allclose(jnp.tanh(w), np.tanh(np.ones((3, 3))))
    np.testing.assert_allclose(2 * b - 1, [3.0, 3.0, 3.0])
    np.testing.assert_allclose(w[0], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(np.asarray(b), [2.0, 2.0, 2.0])
    assert float(b.sum()) == 6.0


def test_reuse_gives_the_same_object(graph):
    with tf.variable_scope("s"):
        a = tf.get_variable("w", [1])
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("w") is a


def test_handle_is_a_pytree_of_its_value(eager):
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    leaves = jax.tree_util.tree_leaves({"w": w})
    assert len(leaves) == 1 and isinstance(leaves[0], jax.Array)
    out = jax.jit(lambda v: v * 2)(w)
    np.testing.assert_allclose(out, [2.0, 2.0])


def test_eager_assign_changes_the_value(eager):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    v.assign([1.0, 2.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_allclose(np.asarray(v), [2.0, 3.0])
    with pytest.raises(ValueError, match="incompatible"):
        tf.assign(v, [1.0, 2.0, 3.0])


def test_handles_compare_by_identity(graph):
    a = tf.get_variable("a", [1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    assert a == a and a != b
    assert len({a, b}) == 2


def test_initializers_have_tf1_statistics(graph):
    init = tf.initializers
    key = jax.random.PRNGKey(0)
    n = init.RandomNormal(1.0, 2.0).sample(key, (20000,))
    assert abs(float(n.mean()) - 1.0) < 0.05 and abs(float(n.std()) - 2.0) < 0.05
    t = init.TruncatedNormal(0.0, 1.0).sample(key, (20000,))
    assert float(jnp.abs(t).max()) <= 2.0
    u = init.RandomUniform(-1.0, 3.0).sample(key, (20000,))
    assert float(u.min()) >= -1.0 and float(u.max()) < 3.0
    g = init.GlorotUniform().sample(key, (300, 200))
    assert float(jnp.abs(g).max()) <= np.sqrt(6 / 500)
    v = init.VarianceScaling(2.0, "fan_in", "untruncated_normal").sample(key, (400, 300))
    assert abs(float(v.std()) - np.sqrt(2.0 / 400)) < 0.003
    o = init.Orthogonal().sample(key, (6, 4))
    np.testing.assert_allclose(o.T @ o, np.eye(4), atol=1e-5)
    c = init.Constant([1.0, 2.0, 3.0, 4.0]).sample(key, (2, 2))
    np.testing.assert_array_equal(c, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(init.Constant([1.0, 2.0]).sample(key, (4,)), [1, 2, 2, 2])
    with pytest.raises(ValueError,
                       match=re.escape("Too many elements provided. Takes at most 2, but got 3.")):
        init.Constant([1.0, 2.0, 3.0]).sample(key, (2,))


def test_conv_kernel_fans_count_receptive_field():
    assert tf.initializers.compute_fans((3, 3, 16, 32)) == (144.0, 288.0)
    assert tf.initializers.compute_fans((5,)) == (5.0, 5.0)


_SIXTY_FOUR = """
import warnings
import numpy as np
import minitf as tf
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    g = tf.Graph()
    with g.as_default():
        a = tf.get_variable("a", [2], dtype=tf.float64, initializer=tf.constant_initializer(0.1))
        b = tf.get_variable("b", [2], dtype=tf.int64)
        c = tf.Variable(np.float64(0.1), dtype=tf.float64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(a)[0]
print(len(caught), "|", caught[0].message if caught else "")
print(a.dtype.name, a.value().dtype.name, b.dtype.name, c.dtype.name, repr(float(first)))
"""


@pytest.mark.parametrize("x64", ["0", "1"])
def test_64bit_policy_exact_with_x64_one_clear_warning_without(x64):
    """64-bit variables: exact values under jax_enable_x64; otherwise TF's dtype in the
    metadata, 32-bit values and exactly one warning naming the fix (fresh process)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "JAX_ENABLE_X64": x64, "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", _SIXTY_FOUR], env=env, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    if x64 == "1":
        assert out[0] == "0 | "
        assert out[1] == "float64 float64 int64 float64 0.1"
    else:
        assert out[0].startswith("1 | A float64 variable was requested, but JAX's 64-bit mode")
        assert "jax_enable_x64" in out[0]
        assert out[1].startswith("float64 float32 int64 float64 0.10000000149")
