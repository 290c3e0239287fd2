"""Every `tf.losses.*` against real TF1: weights, each Reduction, label smoothing, LOSSES.

One TF graph computes all cases (and the LOSSES collection's contents); minitf
computes the same inside `transform`; values agree to 1e-6.
"""
import numpy as np
import pytest

import minitf
from tf_reference import run_tf

RNG = np.random.default_rng(2)
PRED = RNG.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
LABELS = (RNG.uniform(size=(4, 3)) > 0.5).astype(np.float32)
SPARSE = np.array([0, 2, 1, 2], np.int32)
WEIGHTS = np.array([[1.0], [0.0], [2.0], [0.5]], np.float32)
REDUCTIONS = ["NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS"]


def all_losses(tf, pred, labels, sparse, weights):
    L = tf.losses
    outs = []
    for r in REDUCTIONS:
        red = getattr(L.Reduction, r)
        outs += [L.mean_squared_error(labels, pred, weights, reduction=red),
                 L.absolute_difference(labels, pred, weights * 0.0, reduction=red),
                 L.log_loss(labels, pred, weights, reduction=red),
                 L.hinge_loss(labels, pred - 0.5, weights, reduction=red),
                 L.huber_loss(labels, pred * 3, weights, delta=0.7, reduction=red),
                 L.sigmoid_cross_entropy(labels, pred, weights, label_smoothing=0.2,
                                         reduction=red),
                 L.softmax_cross_entropy(labels, pred, weights[:, 0], label_smoothing=0.1,
                                         reduction=red),
                 L.sparse_softmax_cross_entropy(sparse, pred, weights, reduction=red),
                 L.cosine_distance(tf.nn.l2_normalize(labels + 0.1, 1),
                                   tf.nn.l2_normalize(pred, 1), axis=1, weights=weights,
                                   reduction=red)]
    outs.append(L.mean_squared_error(labels, pred))
    outs += [L.mean_pairwise_squared_error(labels, pred),
             L.mean_pairwise_squared_error(labels, pred, weights),
             L.mean_pairwise_squared_error(labels, pred, tf.constant([1.0, 0.0, 2.0, 3.0])[:, None]
                                           * tf.constant([[1.0, 0.0, 1.0]]))]
    outs.append(L.sparse_softmax_cross_entropy(sparse[:, None], pred, loss_collection=None))
    outs.append(tf.add_n([tf.reduce_sum(loss) for loss in L.get_losses()]))
    outs.append(tf.constant(len(L.get_losses())))
    return outs


def test_all_losses_every_reduction_and_the_losses_collection():
    tf_run = run_tf(all_losses, [PRED, LABELS, SPARSE, WEIGHTS])
    ours = minitf.transform(lambda *xs: all_losses(minitf, *xs)).apply(
        {}, PRED, LABELS, SPARSE, WEIGHTS)
    assert len(ours) == len(tf_run.outputs)
    for a, e in zip(ours, tf_run.outputs, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=1e-5, atol=1e-6)


def test_reduction_enum_and_unknown_key():
    import tensorflow.compat.v1 as tf1
    for key in [*REDUCTIONS, "SUM_OVER_NONZERO_WEIGHTS"]:
        assert getattr(minitf.losses.Reduction, key) == getattr(tf1.losses.Reduction, key)
    with pytest.raises(ValueError, match="Invalid Reduction Key"):
        minitf.losses.mean_squared_error(LABELS, PRED, reduction="bogus")


def global_step_program(tf, x):
    with tf.variable_scope("outer"):
        step = tf.train.get_or_create_global_step()
    same = tf.train.get_or_create_global_step() is step
    tf.losses.add_loss(tf.reduce_sum(x))
    total = tf.losses.get_total_loss(add_regularization_losses=False)
    with tf.device("/cpu:0"):
        y = x * 2.0
    return tf.constant(tf.train.get_global_step() is step), tf.constant(same), y, total


def test_global_step_name_dtype_collections_match_tf():
    import tensorflow.compat.v1 as tf1
    tf_run = run_tf(global_step_program, [PRED], randomize=False)
    model = minitf.transform(lambda x: global_step_program(minitf, x))
    params = model.init(0, PRED)
    assert list(params) == tf_run.names == ["outer/global_step"]
    assert model.trainable_names() == [] and params["outer/global_step"].shape == ()
    assert [bool(v) for v in model.apply(params, PRED)[:2]] == [True, True]
    g = tf1.Graph()
    with g.as_default():
        tf_step = tf1.train.create_global_step()
        with pytest.raises(ValueError) as tf_err:
            tf1.train.create_global_step()
    with minitf.Graph().as_default():
        step = minitf.train.create_global_step()
        assert step.name == tf_step.name == "global_step:0"
        assert step.dtype == minitf.int64 or str(step.dtype).startswith("int")
        assert minitf.get_collection(minitf.GraphKeys.GLOBAL_STEP) == [step]
        assert minitf.global_variables() == [step] and minitf.trainable_variables() == []
        with pytest.raises(ValueError) as our_err:
            minitf.train.create_global_step()
    assert str(our_err.value) == str(tf_err.value)
