"""Slim VGG-16, ResNet-v1-50 and an Inception-style block: minitf vs tf-slim under TF1.

Our slim-style definitions (slim_nets.py) build, under minitf, exactly the
variables of tf-slim's own `nets.vgg.vgg_16` and `nets.resnet_v1.resnet_v1_50`
(names in order, shapes, trainable flags, collections incl. MODEL_VARIABLES and
the end points); given TF's weights by name, their logits equal TF's.
"""
import jax
import numpy as np
import pytest
from contrib_reference import (
    TF,
    assert_close,
    assert_same_variables,
    compare_model,
    minitf_model,
    run_tf,
)
from slim_nets import make_nets

import minitf

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
RNG = np.random.default_rng(3)


def tf_slim_net(name):
    from tf_slim.nets import resnet_v1, vgg

    def build(tf, images):
        if name == "vgg_16":
            with TF.contrib.slim.arg_scope(vgg.vgg_arg_scope()):
                logits, end_points = vgg.vgg_16(images, num_classes=10, is_training=False)
        else:
            with TF.contrib.slim.arg_scope(resnet_v1.resnet_arg_scope()):
                logits, end_points = resnet_v1.resnet_v1_50(images, num_classes=10,
                                                            is_training=False)
        return logits, [end_points[k] for k in sorted(end_points)], sorted(end_points)

    return build


def ours(name):
    def build(tf, images):
        nets = make_nets(tf)
        if name == "vgg_16":
            with tf.contrib.slim.arg_scope(nets.vgg_arg_scope()):
                logits, end_points = nets.vgg_16(images, num_classes=10)
        else:
            with tf.contrib.slim.arg_scope(nets.resnet_arg_scope()):
                logits, end_points = nets.resnet_v1_50(images, num_classes=10)
        return logits, [end_points[k] for k in sorted(end_points)], sorted(end_points)

    return build


SIZES = {"vgg_16": 224, "resnet_v1_50": 64}


def logits_and_end_points(build, names):
    """The build's (logits, end point values); its sorted end point names land in `names`."""
    def run(tf, images):
        logits, values, keys = build(tf, images)
        names.append(keys)
        return logits, values

    return run


@pytest.mark.parametrize("name", ["vgg_16", "resnet_v1_50"])
def test_slim_net_matches_tf_slim_names_collections_and_logits(name, tmp_path):
    """tf-slim's real network under TF; our definition under minitf, given TF's weights
    (for ResNet, read by name from the checkpoint TF's Saver wrote: no name mapping)."""
    size = SIZES[name]
    images = RNG.uniform(-1, 1, (1, size, size, 3)).astype(np.float32)
    tf_names, our_names = [], []
    checkpoint = str(tmp_path / "model.ckpt") if name == "resnet_v1_50" else None
    tf_run = run_tf(logits_and_end_points(tf_slim_net(name), tf_names), [images],
                    checkpoint=checkpoint)
    model = minitf_model(logits_and_end_points(ours(name), our_names))
    params = tf_run["params"]
    if checkpoint:
        reader = minitf.train.load_checkpoint(checkpoint)  # apply refuses missing/extra names
        params = {k: reader.get_tensor(k) for k, _ in minitf.train.list_variables(checkpoint)}
    logits, end_points = jax.jit(model.apply)(params, images)
    assert_same_variables(tf_run, model)
    model_vars = [n for n, i in model.variables.items() if "model_variables" in i.collections]
    assert model_vars == tf_run["names"]
    assert our_names[-1] == tf_names[-1]
    assert_close(logits, tf_run["outputs"][0], 1e-4)
    assert_close(end_points, tf_run["outputs"][1], 1e-4)


def test_inception_block_training_updates_and_our_definition_under_tf():
    """Our definition run under TF (tf-slim) and minitf: outputs and batch-norm updates."""
    def build(tf, x):
        nets = make_nets(tf)
        return nets.inception_block(x, is_training=True)

    x = RNG.standard_normal((2, 6, 6, 5)).astype(np.float32)
    compare_model(build, x, run_update_ops=True, tol=1e-4)
