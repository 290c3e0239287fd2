"""Run a TF1 model program (with `tf.contrib.*`) under real TF1 and under minitf.

TF 2.21 has no `tf.contrib`: on the TF side `tf` is `tensorflow.compat.v1` plus a
`contrib` namespace made of the real thing where it still exists — tf-slim
(`slim`, `layers`, `framework`; three shims make tf-slim 1.1 run on TF 2.21)
and TF1's own RNN cells and drivers — and, for the pieces that left with contrib
(`sequence_loss`, `stack_bidirectional_dynamic_rnn`, `embed_sequence`,
`LSTMBlockCell`), reference definitions written here from TF1's documented
semantics with TF ops (LSTMBlockCell runs TF's own `LSTMBlockCell` kernel).

`compare_model` builds the program under both, fills TF's variables with seeded
values suited to deep nets (He-scaled weights, non-trivial biases and moving
statistics), copies them into minitf's params by name and checks: the same
variable names in creation order, shapes, trainable flags, variable collections
(global, trainable, model, and any custom one), outputs (and update values) to `tol`.
"""
from __future__ import annotations

import importlib
import os
import sys
import types

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import jax
import numpy as np
import tensorflow.compat.v1 as tf1
import tf_keras.src.legacy_tf_layers as _legacy_layers
from tensorflow.python.framework import ops as _tf_ops
from tensorflow.python.framework import tensor as _tf_tensor
from tensorflow.python.ops import control_flow_ops as _control_flow_ops

import minitf

tf1.disable_v2_behavior()

# tf-slim 1.1 uses `tf_keras.legacy_tf_layers.*` (now under tf_keras.src), `ops.Tensor`
# and `control_flow_ops.cond`, gone from TF 2.21.
sys.modules.setdefault("tf_keras.legacy_tf_layers", _legacy_layers)
for _name in ("base", "core", "convolutional", "normalization", "pooling"):
    sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{_name}",
                           importlib.import_module(f"tf_keras.src.legacy_tf_layers.{_name}"))
if not hasattr(_tf_ops, "Tensor"):
    _tf_ops.Tensor = _tf_tensor.Tensor
if not hasattr(_control_flow_ops, "cond"):  # tf-slim's smart_cond on a tensor predicate
    _control_flow_ops.cond = tf1.cond

import tf_slim  # noqa: E402


def _sequence_loss(logits, targets, weights, average_across_timesteps=True,
                   average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                   softmax_loss_function=None, name=None):
    """TF1 contrib's sequence_loss, as documented, in TF ops."""
    num_classes = tf1.shape(logits)[2]
    crossent = tf1.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf1.reshape(targets, [-1]), logits=tf1.reshape(logits, [-1, num_classes]))
    crossent *= tf1.reshape(weights, [-1])
    if average_across_timesteps and average_across_batch:
        return tf1.math.divide_no_nan(tf1.reduce_sum(crossent), tf1.reduce_sum(weights))
    if sum_over_timesteps and sum_over_batch:
        return tf1.math.divide_no_nan(tf1.reduce_sum(crossent),
                                      tf1.cast(tf1.count_nonzero(weights), crossent.dtype))
    crossent = tf1.reshape(crossent, tf1.shape(logits)[0:2])
    if average_across_timesteps or average_across_batch:
        axis = [0] if average_across_batch else [1]
        return tf1.math.divide_no_nan(tf1.reduce_sum(crossent, axis),
                                      tf1.reduce_sum(weights, axis))
    if sum_over_timesteps or sum_over_batch:
        axis = [0] if sum_over_batch else [1]
        return tf1.math.divide_no_nan(
            tf1.reduce_sum(crossent, axis),
            tf1.cast(tf1.count_nonzero(weights, axis), crossent.dtype))
    return crossent


def _stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                     initial_states_bw=None, dtype=None, sequence_length=None,
                                     parallel_iterations=None, time_major=False, scope=None):
    """TF1 contrib's stacked bidirectional RNN, as documented, over tf.nn."""
    states_fw, states_bw, layer = [], [], inputs
    with tf1.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            with tf1.variable_scope("cell_%d" % i):
                outputs, (state_fw, state_bw) = tf1.nn.bidirectional_dynamic_rnn(
                    fw, bw, layer, sequence_length=sequence_length, dtype=dtype,
                    time_major=time_major)
                layer = tf1.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer, tuple(states_fw), tuple(states_bw)


def _embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                    regularizer=None, trainable=True, scope=None, reuse=None):
    """TF1 contrib's embed_sequence, as documented: a model variable `embeddings`."""
    with tf1.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = tf_slim.model_variable("embeddings", shape=[vocab_size, embed_dim],
                                            initializer=initializer, regularizer=regularizer,
                                            trainable=trainable)
        return tf1.nn.embedding_lookup(embeddings, ids)


class _LSTMBlockCell(tf1.nn.rnn_cell.LSTMCell):
    """TF1 contrib's LSTMBlockCell: its variables, computed by TF's LSTMBlockCell kernel."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name="lstm_cell"):
        super().__init__(num_units, use_peepholes=use_peephole, forget_bias=forget_bias,
                         reuse=reuse, name=name, dtype=dtype)
        self._block_forget_bias, self._block_clip = forget_bias, cell_clip

    def call(self, inputs, state):
        c, h = state
        n = self._num_units
        zeros = tf1.zeros([n], inputs.dtype)
        peep = ([self._w_i_diag, self._w_f_diag, self._w_o_diag] if self._use_peepholes
                else [zeros, zeros, zeros])
        out = tf1.raw_ops.LSTMBlockCell(
            x=inputs, cs_prev=c, h_prev=h, w=self._kernel, wci=peep[0], wcf=peep[1],
            wco=peep[2], b=self._bias, forget_bias=self._block_forget_bias,
            cell_clip=self._block_clip if self._block_clip is not None else -1.0,
            use_peephole=self._use_peepholes)
        return out.h, tf1.nn.rnn_cell.LSTMStateTuple(out.cs, out.h)


def _namespace(module, **extra):
    names = {k: getattr(module, k) for k in dir(module) if not k.startswith("_")}
    return types.SimpleNamespace(**{**names, **extra})


_rnn_cell = tf1.nn.rnn_cell
TF_CONTRIB = types.SimpleNamespace(
    slim=tf_slim,
    layers=_namespace(tf_slim, embed_sequence=_embed_sequence),
    framework=tf_slim,
    seq2seq=types.SimpleNamespace(sequence_loss=_sequence_loss),
    rnn=_namespace(_rnn_cell, LSTMBlockCell=_LSTMBlockCell, static_rnn=tf1.nn.static_rnn,
                   static_bidirectional_rnn=tf1.nn.static_bidirectional_rnn,
                   stack_bidirectional_dynamic_rnn=_stack_bidirectional_dynamic_rnn))


class _TFWithContrib:
    """`tensorflow.compat.v1` with `.contrib`."""

    contrib = TF_CONTRIB

    def __getattr__(self, name):
        return getattr(tf1, name)


TF = _TFWithContrib()


def _values_for(rng, name, value):
    """Seeded values that keep deep nets' activations of order one."""
    if not np.issubdtype(value.dtype, np.floating):
        return value
    short = name.split("/")[-1]
    shape = value.shape
    if short in ("moving_variance",):
        return rng.uniform(0.5, 1.5, shape).astype(value.dtype)
    if short in ("gamma",):
        return (1 + 0.1 * rng.standard_normal(shape)).astype(value.dtype)
    if len(shape) <= 1:
        return (0.1 * rng.standard_normal(shape)).astype(value.dtype)
    fan_in = int(np.prod(shape[:-1]))
    return (rng.standard_normal(shape) * np.sqrt(1.0 / fan_in)).astype(value.dtype)


def _variable_collections(graph):
    """{variable name: sorted collection keys holding it}, for keys that hold variables."""
    membership = {}
    for key in graph.get_all_collection_keys():
        for item in graph.get_collection(key):
            if isinstance(item, tf1.Variable):
                membership.setdefault(item.op.name, set()).add(key)
    return {name: sorted(keys) for name, keys in membership.items()}


def run_tf(build, inputs, run_update_ops=False, seed=0, feed_values=True, checkpoint=None):
    """Build under TF1 (with contrib), set seeded values, run; a dict of what TF built.

    With `checkpoint` (a path prefix), TF's `Saver` also writes the seeded values there.
    """
    graph = tf1.Graph()
    with graph.as_default():
        tf1.set_random_seed(seed)
        placeholders = [tf1.placeholder(tf1.as_dtype(x.dtype), x.shape) for x in inputs]
        out = build(TF, *placeholders)
        variables = tf1.global_variables()
        result = {"names": [v.op.name for v in variables],
                  "shapes": {v.op.name: tuple(v.shape.as_list()) for v in variables},
                  "trainable": {v.op.name for v in tf1.trainable_variables()},
                  "collections": _variable_collections(graph)}
        if not feed_values:
            return result
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            rng = np.random.default_rng(seed)
            for v in variables:
                v.load(_values_for(rng, v.op.name, sess.run(v)), sess)
            params = {v.op.name: sess.run(v) for v in variables}
            if checkpoint is not None:
                tf1.train.Saver().save(sess, checkpoint)
            feed = dict(zip(placeholders, inputs, strict=True))
            # Outputs first, then the updates: fetched in one run, an inference-mode read
            # of a moving statistic races with its update in TF (a nondeterministic value).
            outputs = sess.run(out, feed)
            if run_update_ops:
                sess.run(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS), feed)
            updated = {v.op.name: sess.run(v) for v in variables}
    return {**result, "params": params, "outputs": outputs, "updated": updated}


def minitf_model(build):
    return minitf.transform(lambda *xs: build(minitf, *xs))


def assert_same_variables(tf_run, model):
    """Names in creation order, shapes, trainable flags and variable collections."""
    assert list(model.variables) == tf_run["names"]
    assert {k: tuple(v.shape) for k, v in model.variables.items()} == tf_run["shapes"]
    assert set(model.trainable_names()) == tf_run["trainable"]
    ours = {name: sorted(info.collections) for name, info in model.variables.items()}
    assert ours == tf_run["collections"]


def assert_close(actual, expected, tol):
    actual_leaves = jax.tree_util.tree_leaves(actual)
    expected_leaves = jax.tree_util.tree_leaves(expected)
    assert len(actual_leaves) == len(expected_leaves)
    for a, e in zip(actual_leaves, expected_leaves, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=tol, atol=tol)


def compare_model(build, *inputs, run_update_ops=False, tol=1e-5, rng=None):
    """Build under both, check variables, outputs (and updates); returns (tf_run, ours)."""
    tf_run = run_tf(build, inputs, run_update_ops=run_update_ops)
    model = minitf_model(build)
    kwargs = {} if rng is None else {"rng": rng}
    outputs, updates = jax.jit(model.apply_with_updates)(tf_run["params"], *inputs, **kwargs)
    assert_same_variables(tf_run, model)
    assert_close(outputs, tf_run["outputs"], tol)
    if run_update_ops:
        after = {**tf_run["params"], **updates}
        assert_close(after, {k: tf_run["updated"][k] for k in after}, tol)
    return tf_run, outputs


def compare_structure(build, *inputs):
    """Names, shapes, trainable flags and collections only (no values: big nets, dropout)."""
    tf_run = run_tf(build, inputs, feed_values=False)
    model = minitf_model(build)
    jax.eval_shape(model.init, jax.random.PRNGKey(0), *inputs)
    assert_same_variables(tf_run, model)
    return tf_run, model
