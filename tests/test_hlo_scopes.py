"""TF1 scope paths (with TF's `_1` uniquification) reach the jaxpr and the compiled HLO."""
import re

import jax
import jax.numpy as jnp

import minitf as tf


def model(x):
    with tf.variable_scope("disc"):
        with tf.name_scope("inner"):
            y = x @ tf.get_variable("w", [3, 3])
    with tf.variable_scope("disc", reuse=True):
        z = tf.matmul(y, tf.get_variable("w", [3, 3]), name="mm")
    with tf.name_scope("top"):
        with tf.name_scope("disc/"):  # re-entering an absolute scope
            z = jnp.tanh(z)
    return z


def _op_names(text):
    return set(re.findall(r'op_name="([^"]*)"', text))


def test_compiled_hlo_carries_tf_scope_paths():
    m = tf.transform(model)
    x = jnp.ones((2, 3))
    params = m.init(0, x)
    names = _op_names(jax.jit(m.apply).lower(params, x).compile().as_text())
    assert "jit(apply)/disc/inner/dot_general" in names
    assert "jit(apply)/disc_1/mm/dot_general" in names
    assert "jit(apply)/disc/tanh" in names


def test_jaxpr_equations_carry_the_name_stack():
    m = tf.transform(model)
    x = jnp.ones((2, 3))
    params = m.init(0, x)
    jaxpr = jax.make_jaxpr(m.apply)(params, x)
    stacks = [str(e.source_info.name_stack) for e in jaxpr.eqns]
    assert stacks == ["disc/inner", "disc_1/mm", "disc"]
