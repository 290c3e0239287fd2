"""tf.layers against real TF1: the same model code, the same names, the same numbers.

Each case is one build function run under `tensorflow.compat.v1` (legacy Keras
layers) and under minitf; TF's weights are copied by name into minitf's params
and the outputs must agree to 1e-5 (see tf_reference.py).
"""
import jax
import numpy as np
import pytest

import minitf
from tf_reference import compare, minitf_model, run_tf, tf1

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning")
RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3)).astype(np.float32)
IMAGES = RNG.standard_normal((2, 8, 8, 3)).astype(np.float32)


def dense_naming(tf, x):
    """Unnamed layers count up; a name is used as is; reuse=True + name shares."""
    outs = [tf.layers.dense(x, 4), tf.layers.dense(x, 4, activation=tf.nn.relu),
            tf.layers.dense(x, 4, name="foo"), tf.layers.dense(x, 4, name="foo", reuse=True)]
    with tf.variable_scope("s"):
        outs += [tf.layers.dense(x, 4), tf.layers.dense(x, 4)]
    with tf.variable_scope("s"):  # re-entered: the counts restart, so reuse by name
        outs.append(tf.layers.dense(x, 4, name="dense_1", reuse=True))
    outs.append(tf.layers.dense(x, 4, use_bias=False))
    with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
        outs += [tf.layers.dense(x, 2, name="d"), tf.layers.dense(x, 2, name="d")]
    return outs


def test_dense_names_reuse_and_outputs():
    compare(dense_naming, X)


def test_dense_on_rank3_inputs_and_scope_initializer():
    def build(tf, x):
        with tf.variable_scope("net", initializer=tf.constant_initializer(0.5)):
            return tf.layers.dense(tf.reshape(x, [2, 2, 3]), 5, activation=tf.nn.tanh)

    compare(build, X)


def test_second_unnamed_layer_in_reentered_scope_already_exists_in_both():
    def build(tf, x):
        with tf.variable_scope("s"):
            tf.layers.dense(x, 4)
        with tf.variable_scope("s"):
            return tf.layers.dense(x, 4)

    with pytest.raises(ValueError) as tf_error:
        run_tf(build, [X])
    with pytest.raises(ValueError) as our_error:
        minitf_model(build).init(0, X)
    first_line = str(tf_error.value).splitlines()[0]
    assert "s/dense/kernel already exists" in first_line
    assert str(our_error.value).splitlines()[0] == first_line


def conv_net(tf, images):
    h = tf.layers.conv2d(images, 5, 3, activation=tf.nn.relu)
    h = tf.layers.conv2d(h, 4, (3, 2), strides=2, padding="same")
    h = tf.layers.max_pooling2d(h, 2, 1, padding="same")
    h = tf.layers.average_pooling2d(h, 2, 1)
    h = tf.layers.conv2d(h, 3, 2, dilation_rate=(1, 1), name="last", use_bias=False)
    return tf.layers.dense(tf.layers.flatten(h), 2)


def test_conv2d_pooling_flatten_dense():
    compare(conv_net, IMAGES)


def test_conv2d_channels_first_flatten():
    def build(tf, images):
        nchw = tf.transpose(images, [0, 3, 1, 2])
        if tf is tf1:  # TF's CPU kernels lack NCHW Conv2D: run NHWC, compare the NCHW result
            h = tf.layers.conv2d(images, 4, 3, padding="same")
            return tf.layers.flatten(tf.transpose(h, [0, 3, 1, 2]), data_format="channels_first")
        h = tf.layers.conv2d(nchw, 4, 3, padding="same", data_format="channels_first")
        return tf.layers.flatten(h, data_format="channels_first")

    compare(build, IMAGES)


def batch_norm_2d(tf, x):
    return tf.layers.batch_normalization(x, training=True, momentum=0.9)


def batch_norm_4d(tf, images):  # TF takes the fused kernel here
    h = tf.layers.conv2d(images, 4, 3)
    return tf.layers.batch_normalization(h, training=True, name="bn")


@pytest.mark.parametrize("build,data", [(batch_norm_2d, X), (batch_norm_4d, IMAGES)],
                         ids=["2d", "4d-fused"])
def test_batch_norm_training_outputs_and_moving_average_updates(build, data):
    _, _, updates = compare(build, data, run_update_ops=True)
    assert sorted(updates) == sorted(n for n in updates if "moving_" in n)
    assert len(updates) == 2


def test_batch_norm_inference_uses_moving_statistics():
    def build(tf, x):
        return tf.layers.batch_normalization(x, axis=1, training=False, center=False,
                                             epsilon=1e-2)

    _, _, updates = compare(build, X)
    assert updates == {}


def test_batch_norm_collections_match_tf():
    def build(tf, x):
        tf.layers.batch_normalization(x, training=True)
        return [len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
                [v.op.name for v in tf.trainable_variables()],
                [v.op.name for v in tf.global_variables()]]

    graph = tf1.Graph()
    with graph.as_default():
        expected = build(tf1, tf1.placeholder(tf1.float32, X.shape))
    got = []
    minitf_model(lambda tf, x: got.append(build(tf, x)) or 0).init(0, X)
    assert got[0] == expected


def test_regularizers_fill_the_collection_and_total_loss():
    def build(tf, x):
        l2 = lambda w: 0.1 * tf.nn.l2_loss(w)  # noqa: E731
        h = tf.layers.dense(x, 4, kernel_regularizer=l2, bias_regularizer=l2)
        h = tf.layers.conv2d(tf.reshape(h, [4, 2, 2, 1]), 2, 1, kernel_regularizer=l2)
        return [tf.losses.get_regularization_loss(), tf.losses.get_regularization_loss("zzz"),
                tf.add_n(tf.losses.get_regularization_losses())]

    compare(build, X)


def test_trainable_false_layers():
    def build(tf, x):
        h = tf.layers.dense(x, 3, trainable=False)
        return tf.layers.batch_normalization(h, training=True, trainable=False)

    compare(build, X, run_update_ops=True)


def test_training_flag_may_be_a_traced_boolean():
    model = minitf_model(lambda tf, x, training: tf.layers.batch_normalization(
        x, training=training))
    params = model.init(0, X, True)
    step = jax.jit(model.apply_with_updates)
    out_train, up_train = step(params, X, True)
    out_eval, up_eval = step(params, X, False)
    ref_train, ref_up = minitf_model(batch_norm_2d_default).apply_with_updates(params, X)
    np.testing.assert_allclose(out_train, ref_train, atol=1e-6)
    for name in ref_up:
        np.testing.assert_allclose(up_train[name], ref_up[name], atol=1e-6)
        np.testing.assert_array_equal(up_eval[name], params[name])
    np.testing.assert_allclose(out_eval, X / np.sqrt(1 + 1e-3), atol=1e-6)


def batch_norm_2d_default(tf, x):
    return tf.layers.batch_normalization(x, training=True)


def test_minitf_layers_are_importable_as_tf_attributes():
    assert minitf.layers.dense is not None and minitf.nn.rnn_cell is not None


def test_batch_norm_inference_call_after_training_call_reads_the_stored_statistics():
    """TF1 runs update ops only when fetched: an inference-mode call built after a
    training-mode call of the same layer reads the moving averages as they were."""
    def build(tf, x):
        y = tf.layers.batch_normalization(x, training=True, name="bn")
        z = tf.layers.batch_normalization(x, training=False, name="bn", reuse=True)
        return y, z

    x = np.random.RandomState(0).normal(size=(4, 3)).astype(np.float32) + 5
    # Outputs only: fetching the update ops in the same run would race TF's own read.
    compare(build, x)
    z = minitf_model(build).apply(run_tf(build, [x], randomize=False).params, x)[1]
    np.testing.assert_allclose(z[0], [6.76067, 5.39746, 5.97575], rtol=1e-5)  # TF1's figures
