"""The convolution family, xw_plus_b, lrn and static_bidirectional_rnn against real TF1.

One build per family, run under `tensorflow.compat.v1` and minitf with TF's
weights copied by name (tf_reference.compare): names, shapes, outputs to 1e-5.
"""
import numpy as np
import pytest

from tf_reference import compare

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning")
RNG = np.random.default_rng(1)
IMAGES = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)
SEQ = RNG.standard_normal((2, 9, 3)).astype(np.float32)
VOL = RNG.standard_normal((1, 5, 6, 4, 2)).astype(np.float32)


def nn_ops(tf, x, seq, vol):
    k = tf.get_variable("k", [3, 3, 3, 4])
    kt = tf.get_variable("kt", [3, 3, 5, 3])
    outs = [tf.nn.conv2d_transpose(x, kt, [2, 14, 12, 5], [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_transpose(x, kt, [2, 15, 13, 5], [1, 2, 2, 1], "VALID"),
            tf.nn.conv2d_transpose(x, kt, [2, 13, 11, 5], [1, 2, 2, 1], "SAME"),
            tf.nn.atrous_conv2d(x, k, 2, "SAME"), tf.nn.atrous_conv2d(x, k, 2, "VALID"),
            tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME", dilations=[1, 2, 1, 1]),
            tf.nn.conv1d(seq, tf.get_variable("k1", [3, 3, 4]), 2, "SAME"),
            tf.nn.conv3d(vol, tf.get_variable("k3", [2, 3, 2, 2, 3]), [1, 1, 2, 1, 1], "SAME"),
            tf.nn.depthwise_conv2d(x, tf.get_variable("dw", [3, 3, 3, 2]), [1, 1, 1, 1], "SAME"),
            tf.nn.separable_conv2d(x, tf.get_variable("sd", [3, 3, 3, 2]),
                                   tf.get_variable("sp", [1, 1, 6, 4]), [1, 2, 2, 1], "VALID"),
            tf.nn.lrn(x, depth_radius=1, bias=2.0, alpha=0.3, beta=0.75),
            tf.nn.conv1d_transpose(seq, tf.get_variable("k1t", [3, 2, 3]), [2, 18, 2], 2),
            tf.nn.conv3d_transpose(vol, tf.get_variable("k3t", [2, 2, 2, 3, 2]), [1, 10, 12, 8, 3],
                                   [1, 2, 2, 2, 1], "VALID"),
            tf.nn.atrous_conv2d_transpose(x, kt, [2, 7, 6, 5], 2, "SAME"),
            tf.nn.xw_plus_b(tf.reshape(x, [2, -1]), tf.get_variable("w", [126, 3]),
                            tf.get_variable("b", [3]))]
    return outs


def test_nn_convolutions_xw_plus_b_lrn():
    compare(nn_ops, IMAGES, SEQ, VOL, tol=2e-5)


def conv_layers(tf, x, seq, vol):
    return [tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same"),
            tf.layers.conv2d_transpose(x, 4, (3, 2), strides=(2, 1), name="up"),
            tf.layers.conv2d(x, 4, 3, dilation_rate=2, padding="same"),
            tf.layers.conv1d(seq, 5, 3, strides=2, padding="same", activation=tf.nn.relu),
            tf.layers.conv3d(vol, 3, 2),
            tf.layers.separable_conv2d(x, 5, 3, depth_multiplier=2, padding="same"),
            tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="valid"),
            tf.layers.conv3d_transpose(vol, 2, 2, strides=(2, 1, 2), padding="same"),
            tf.layers.max_pooling1d(seq, 2, 2, padding="same"),
            tf.layers.average_pooling1d(seq, 3, 2),
            tf.layers.max_pooling3d(vol, 2, (1, 2, 2)),
            tf.layers.AveragePooling3D(2, 2, padding="same")(vol),
            tf.layers.MaxPooling1D(3, 1)(seq)]


def test_conv_layers():
    compare(conv_layers, IMAGES, SEQ, VOL, tol=2e-5)


def bidirectional(tf, seq, lengths):
    steps = tf.unstack(seq, axis=1)
    fw, bw = tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(3)
    outputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
        fw, bw, steps, dtype=tf.float32, sequence_length=lengths)
    outputs2, _, _ = tf.nn.static_bidirectional_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2), steps,
        dtype=tf.float32, scope="plain")
    return outputs, state_fw, state_bw, outputs2


def test_static_bidirectional_rnn():
    compare(bidirectional, SEQ, np.array([9, 5], np.int32))
