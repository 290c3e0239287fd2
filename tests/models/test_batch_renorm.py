"""Batch renormalization (`tf.layers.batch_normalization(renorm=True)`, slim's
`batch_norm(renorm=True)`) under real TF1 and minitf: TF's extra variables
(`moving_stddev`, `renorm_mean`, `renorm_stddev`), outputs with clipped r/d
corrections, and every update to 1e-5; TF's errors for bad arguments."""
import re

import numpy as np
import pytest
from contrib_reference import compare_model

import minitf
from tf_reference import tf1

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
X = (np.random.default_rng(7).standard_normal((4, 2, 2, 3)) * 2 + 1).astype(np.float32)
CLIP = {"rmax": 1.2, "rmin": 0.8, "dmax": 0.3}


def renorm_layers(tf, x):
    a = tf.layers.batch_normalization(x, training=True, renorm=True, renorm_momentum=0.9,
                                      renorm_clipping=CLIP, momentum=0.8, name="bn")
    b = tf.layers.batch_normalization(tf.reshape(x, [4, -1]), training=True, renorm=True,
                                      center=False, scale=False, name="flat")
    c = tf.contrib.layers.batch_norm(x, is_training=True, renorm=True, renorm_decay=0.7,
                                     renorm_clipping={"dmax": 0.1}, scale=True,
                                     scope="slim_bn")
    inference = tf.layers.batch_normalization(x, training=False, renorm=True, name="bn",
                                              reuse=True)
    return a, b, c, inference


def test_renorm_layers_match_tf_with_updates():
    compare_model(renorm_layers, X, run_update_ops=True)


def test_renorm_errors_are_tfs():
    def message(tf, call):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [4, 3])
            try:
                call(tf, x)
            except ValueError as err:
                return str(err)
        return None

    bad_keys = lambda tf, x: tf.layers.batch_normalization(  # noqa: E731
        x, training=True, renorm=True, renorm_clipping={"rmaxx": 2.0})
    assert message(minitf, bad_keys) == message(tf1, bad_keys) is not None
    with pytest.raises(ValueError, match=re.escape("renorm is not supported with batch_weights, "
                                                   "updates_collections or zero_debias")):
        with minitf.Graph().as_default():
            minitf.contrib.layers.batch_norm(minitf.placeholder(minitf.float32, [4, 3]),
                                             renorm=True, updates_collections=None)
