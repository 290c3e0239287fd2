"""Run one model-building function under real TF1 and under minitf, side by side.

The same `build(tf, *inputs)` is called with `tensorflow.compat.v1` (graph mode,
legacy Keras layers) and with minitf inside `minitf.transform`. TF's variables
are initialized, then overwritten with seeded random values (so biases and
moving statistics are exercised too), and given to minitf's `apply` as its
params dict, by name, with no mapping: `apply` reads every variable by name and
refuses unused ones, so any naming difference fails there; then creation order,
shapes and trainable flags are compared too.
"""
from __future__ import annotations

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # before TF is imported: tf.layers = tf_keras' legacy

import jax
import numpy as np
import tensorflow.compat.v1 as tf1

import minitf
import minitf.layers
import minitf.losses
import minitf.nn

tf1.disable_v2_behavior()


class TFRun:
    """What TF built: variable names/shapes/trainable, values, outputs (and after updates)."""

    def __init__(self, names, shapes, trainable, params, outputs, updated):
        self.names, self.shapes, self.trainable = names, shapes, trainable
        self.params, self.outputs, self.updated = params, outputs, updated


def _random_like(rng, name, value):
    if not np.issubdtype(value.dtype, np.floating):
        return value
    draw = rng.standard_normal(value.shape).astype(value.dtype) * 0.5
    return np.abs(draw) + 0.5 if "variance" in name else draw


def run_tf(build, inputs, randomize=True, run_update_ops=False, seed=0):
    """Build with TF1, set random weights, run; returns a TFRun (values as NumPy)."""
    graph = tf1.Graph()
    with graph.as_default():
        tf1.set_random_seed(seed)
        placeholders = [tf1.placeholder(tf1.as_dtype(x.dtype), x.shape) for x in inputs]
        out = build(tf1, *placeholders)
        variables = tf1.global_variables()
        trainable = {v.op.name for v in tf1.trainable_variables()}
        feed = dict(zip(placeholders, inputs, strict=True))
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            if randomize:
                rng = np.random.default_rng(seed)
                for v in variables:
                    v.load(_random_like(rng, v.op.name, sess.run(v)), sess)
            params = {v.op.name: sess.run(v) for v in variables}
            # Outputs first, then the updates (in one run, TF's reads race with them).
            outputs = sess.run(out, feed)
            if run_update_ops:
                sess.run(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS), feed)
            updated = {v.op.name: sess.run(v) for v in variables}
    return TFRun([v.op.name for v in variables], {v.op.name: tuple(v.shape.as_list())
                                                  for v in variables},
                 trainable, params, outputs, updated)


def minitf_model(build):
    """`build` with minitf, as a transformed model."""
    return minitf.transform(lambda *xs: build(minitf, *xs))


def assert_same_variables(tf_run, model):
    """Same names in the same creation order, same shapes, same trainable flags."""
    assert list(model.variables) == tf_run.names
    assert {k: tuple(v.shape) for k, v in model.variables.items()} == tf_run.shapes
    assert set(model.trainable_names()) == tf_run.trainable


def assert_close(actual, expected, tol=1e-5):
    actual_leaves = jax.tree_util.tree_leaves(actual)
    expected_leaves = jax.tree_util.tree_leaves(expected)
    assert len(actual_leaves) == len(expected_leaves)
    for a, e in zip(actual_leaves, expected_leaves, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=tol, atol=tol)


def compare(build, *inputs, run_update_ops=False, tol=1e-5):
    """Build under both; check variables and outputs (and updates); returns both sides."""
    tf_run = run_tf(build, inputs, run_update_ops=run_update_ops)
    model = minitf_model(build)
    try:  # apply reads every variable by name: a missing or unused name fails here
        outputs, updates = jax.jit(model.apply_with_updates)(tf_run.params, *inputs)
    except (KeyError, ValueError) as e:
        raise AssertionError(f"minitf's variables differ from TF's {tf_run.names}: {e}") from e
    assert_same_variables(tf_run, model)
    assert_close(outputs, tf_run.outputs, tol)
    if run_update_ops:
        after = {**tf_run.params, **updates}
        assert_close(after, {k: tf_run.updated[k] for k in after}, tol)
    return tf_run, outputs, updates
