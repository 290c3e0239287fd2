"""TF1 programs built from tf.layers, tf.losses and tf.contrib.layers, run unchanged under
TensorFlow and minitf in graph mode (see harness.py): same initial weights, same feeds,
every fetched value compared."""
import numpy as np
import pytest
from harness import assert_same_run

import minitf

RNG = np.random.RandomState(0)
IMAGES = RNG.rand(32, 8, 8, 1).astype(np.float32)
IMAGE_LABELS = ((IMAGES[:, :4].mean((1, 2, 3)) > IMAGES[:, 4:].mean((1, 2, 3))).astype(np.int64)
                + (IMAGES[:, :, :4].mean((1, 2, 3)) > 0.5).astype(np.int64))
X = RNG.randn(48, 6).astype(np.float32)
LABELS = (X[:, :3].sum(1) > 0).astype(np.int64) + (X[:, 3] > 0.5).astype(np.int64)
Z = RNG.uniform(-1, 1, (16, 8)).astype(np.float32)
TARGET = np.tanh(RNG.randn(16, 16, 16, 1)).astype(np.float32)
TOKENS = RNG.randint(0, 10, (24, 5)).astype(np.int32)
TOKEN_LABELS = (TOKENS.sum(1) % 3).astype(np.int64)


def conv_net(tf, start):
    """conv2d + max_pooling2d + flatten (get_shape and tf.layers.flatten) + dense + dropout
    (a training flag and a keep_prob placeholder), Adam; compared with dropout off."""
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    training = tf.placeholder(tf.bool, [], name="training")
    keep_prob = tf.placeholder(tf.float32, [], name="keep_prob")
    h = tf.layers.conv2d(x, 8, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 8, 3, padding="same", activation=tf.nn.relu, name="conv_b")
    flat_a = tf.reshape(h, [-1, int(np.prod(h.get_shape().as_list()[1:]))])
    flat_b = tf.layers.flatten(h)
    h = tf.layers.dense(flat_a, 16, activation=tf.nn.relu) + tf.layers.dense(flat_b, 16)
    h = tf.layers.dropout(h, rate=0.4, training=training)
    h = tf.nn.dropout(h, keep_prob=keep_prob)
    logits = tf.layers.dense(h, 3)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    off = {x: IMAGES, labels: IMAGE_LABELS, training: False, keep_prob: 1.0}
    out = [np.asarray(flat_a.get_shape().as_list()[1:]),
           np.asarray(flat_b.get_shape().as_list()[1:])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(20):
            loss_value, _ = sess.run([loss, train_op], off)
            out.append(loss_value)
        out.append(sess.run(logits, off))
    return out


def test_conv_net_trains_like_tf():
    assert_same_run(conv_net)


def test_conv_net_dropout_on_differs():
    """With the flags on, dropout masks (minitf's own random stream) change the output."""
    with minitf.Graph().as_default():
        tf = minitf
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        training = tf.placeholder(tf.bool, [])
        keep_prob = tf.placeholder(tf.float32, [])
        h = tf.layers.flatten(tf.layers.conv2d(x, 4, 3, padding="same"))
        dropped = tf.layers.dropout(h, rate=0.5, training=training)
        kept = tf.nn.dropout(h, keep_prob=keep_prob)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: IMAGES, training: False, keep_prob: 1.0}
            plain, d_off, k_off = sess.run([h, dropped, kept], feed)
            np.testing.assert_array_equal(d_off, plain)
            np.testing.assert_allclose(k_off, plain, rtol=1e-6)
            on = {x: IMAGES, training: True, keep_prob: 0.5}
            d1, k1 = sess.run([dropped, kept], on)
            d2, k2 = sess.run([dropped, kept], on)
    for value in (d1, k1):
        zero = value == 0
        assert 0.3 < zero.mean() < 0.7
        np.testing.assert_allclose(value[~zero], 2 * plain[~zero], rtol=1e-5)
    assert not np.array_equal(d1, d2) and not np.array_equal(k1, k2)


def _generator(tf, z, training, reuse):
    """DCGAN's generator: dense -> reshape -> [BN, relu, conv2d_transpose] x 2 -> tanh.

    The layers feeding a batch norm have no bias: the norm cancels it, so its gradient is
    rounding noise that Adam would turn into arbitrary (implementation-dependent) steps."""
    with tf.variable_scope("generator", reuse=reuse):
        h = tf.layers.dense(z, 4 * 4 * 16, use_bias=False, name="g_h0_lin")
        h = tf.reshape(h, [-1, 4, 4, 16])
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn0"))
        h = tf.layers.conv2d_transpose(h, 8, 5, strides=2, padding="same", use_bias=False,
                                       name="g_h1")
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, momentum=0.9,
                                                     name="g_bn1"))
        h = tf.layers.conv2d_transpose(h, 1, 5, strides=2, padding="same", name="g_h2")
        return tf.nn.tanh(h)


def dcgan_generator(tf, start):
    """Train a batch-normalized generator (UPDATE_OPS under control_dependencies), then
    sample from the same variables with training=False in the same graph."""
    z = tf.placeholder(tf.float32, [None, 8], name="z")
    target = tf.placeholder(tf.float32, [None, 16, 16, 1], name="target")
    generated = _generator(tf, z, training=True, reuse=False)
    sampler = _generator(tf, z, training=False, reuse=True)
    loss = tf.reduce_mean(tf.square(generated - target))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer(0.002, beta1=0.5).minimize(loss)
    moving = sorted((v for v in tf.global_variables() if "moving_" in v.op.name),
                    key=lambda v: v.op.name)
    out = [np.asarray(len(update_ops)), np.asarray(generated.get_shape().as_list()[1:]),
           np.asarray(sampler.get_shape().as_list()[1:])]
    feed = {z: Z, target: TARGET}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        out.extend(sess.run(moving))
        for _ in range(20):
            loss_value, _ = sess.run([loss, train_op], feed)
            out.append(loss_value)
        out.extend(sess.run(moving))
        out.append(sess.run(sampler, {z: Z}))
        out.extend(sess.run(moving))  # sampling moves nothing
    return out


def test_dcgan_generator_batch_norm_updates_like_tf():
    got, _ = assert_same_run(dcgan_generator, atol=2e-5)
    assert got[0] == 4
    initial_moving, trained_moving = got[3:7], got[27:31]
    for a, b in zip(initial_moving, trained_moving, strict=False):
        assert not np.allclose(a, b)
    for a, b in zip(trained_moving, got[32:36], strict=False):
        np.testing.assert_array_equal(a, b)


def test_batch_norm_moving_stats_move_only_when_update_ops_run():
    with minitf.Graph().as_default():
        tf = minitf
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.layers.batch_normalization(x, training=True)
        mean = next(v for v in tf.global_variables() if "moving_mean" in v.op.name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(y, {x: X[:, :3]})
            np.testing.assert_array_equal(sess.run(mean), np.zeros(3))
            sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: X[:, :3]})
            np.testing.assert_allclose(sess.run(mean), 0.01 * X[:, :3].mean(0), rtol=1e-5)


def batch_norm_training_placeholder(tf, start):
    """tf.layers.batch_normalization with a boolean placeholder `training`."""
    x = tf.placeholder(tf.float32, [None, 4, 4, 2], name="x")
    training = tf.placeholder(tf.bool, [], name="training")
    y = tf.layers.batch_normalization(tf.layers.conv2d(x, 2, 1), training=training)
    loss = tf.reduce_mean(tf.square(y - 0.5))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    moving = sorted((v for v in tf.global_variables() if "moving_" in v.op.name),
                    key=lambda v: v.op.name)
    data = IMAGES[:, :4, :4, :1].repeat(2, axis=3) * np.float32([1.0, -2.0]) + 0.3
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for step in range(6):
            flag = step % 2 == 0
            out.extend(sess.run([loss, train_op], {x: data, training: flag})[:1])
            out.extend(sess.run(moving))
        out.append(sess.run(y, {x: data[:4], training: False}))
    return out


def test_batch_norm_with_training_placeholder_like_tf():
    assert_same_run(batch_norm_training_placeholder)


def tf_losses(tf, start):
    """tf.losses.* with weights, the LOSSES collection and get_total_loss (with a
    regularization loss), trained with GradientDescent."""
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    weights = tf.placeholder(tf.float32, [None, 1], name="weights")
    logits = tf.layers.dense(x, 3, kernel_regularizer=lambda w: 0.01 * tf.nn.l2_loss(w))
    onehot = tf.one_hot(labels, 3)
    probs = tf.nn.sigmoid(logits)
    losses = [
        tf.losses.mean_squared_error(onehot, probs),
        tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.1),
        tf.losses.sigmoid_cross_entropy(onehot, logits, weights=weights),
        tf.losses.huber_loss(onehot, logits, weights=weights, delta=0.5),
        tf.losses.absolute_difference(onehot, probs, weights=2.0),
        tf.losses.sparse_softmax_cross_entropy(labels, logits,
                                               reduction=tf.losses.Reduction.MEAN),
    ]
    collected = tf.get_collection(tf.GraphKeys.LOSSES)
    total = tf.losses.get_total_loss()
    regularization = tf.losses.get_regularization_loss()
    train_op = tf.train.GradientDescentOptimizer(0.2).minimize(total)
    out = [np.asarray(len(collected)), np.asarray(total.get_shape().as_list())]
    w = (np.arange(48) % 3).astype(np.float32)[:, None]
    feed = {x: X, labels: LABELS, weights: w}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(20):
            out.extend(sess.run([total, regularization, *losses, train_op], feed)[:-1])
        out.append(sess.run(tf.add_n(collected), feed))
        top_values, top_indices = tf.nn.top_k(logits, 2)
        in_top = tf.nn.in_top_k(logits, labels, 2)
        out.extend(sess.run([top_values, top_indices, in_top], feed))
    return out


def test_tf_losses_like_tf():
    got, _ = assert_same_run(tf_losses)
    assert got[0] == 6


def _tf_with_contrib():
    from models.contrib_reference import TF  # tf.compat.v1 + tf-slim as tf.contrib
    return TF


def contrib_layers(tf, start):
    """tf.contrib.layers: fully_connected with an l2 regularizer, batch_norm with an
    is_training placeholder (UPDATE_OPS, and updates_collections=None), flatten,
    regularization loss; Adam."""
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    is_training = tf.placeholder(tf.bool, [], name="is_training")
    h = layers.conv2d(x, 4, 3, stride=2, normalizer_fn=layers.batch_norm,
                      normalizer_params={"is_training": is_training,
                                         "updates_collections": None},
                      weights_regularizer=layers.l2_regularizer(0.01))
    h = layers.flatten(h)
    h = layers.fully_connected(h, 16, weights_regularizer=layers.l2_regularizer(0.01))
    h = layers.batch_norm(h, is_training=is_training, decay=0.9)
    logits = layers.fully_connected(h, 3, activation_fn=None)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    total = loss + tf.losses.get_regularization_loss()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(0.01).minimize(total)
    moving = sorted((v for v in tf.global_variables() if "moving_" in v.op.name),
                    key=lambda v: v.op.name)
    out = [np.asarray(h.get_shape().as_list()[1:])]
    feed = {x: IMAGES, labels: IMAGE_LABELS, is_training: True}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(20):
            out.extend(sess.run([total, train_op], feed)[:1])
        out.extend(sess.run(moving))
        out.append(sess.run(logits, {x: IMAGES[:5], is_training: False}))
    return out


def test_contrib_layers_like_tf():
    assert_same_run(contrib_layers, tf=_tf_with_contrib())


def contrib_sequence_model(tf, start):
    """embed_sequence + layer_norm + fully_connected + dropout (is_training placeholder,
    compared off) + tf.contrib.layers.softmax; GradientDescent."""
    layers = tf.contrib.layers
    ids = tf.placeholder(tf.int32, [None, 5], name="ids")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    is_training = tf.placeholder(tf.bool, [], name="is_training")
    embedded = layers.embed_sequence(ids, vocab_size=10, embed_dim=4)
    h = layers.layer_norm(tf.reshape(embedded, [-1, 20]))
    h = layers.fully_connected(h, 8, weights_regularizer=layers.l1_regularizer(0.001))
    h = layers.dropout(h, keep_prob=0.7, is_training=is_training)
    logits = layers.fully_connected(h, 3, activation_fn=None)
    probs = layers.softmax(logits)
    loss = tf.losses.log_loss(tf.one_hot(labels, 3), probs)
    total = tf.losses.get_total_loss()
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(total)
    feed = {ids: TOKENS, labels: TOKEN_LABELS, is_training: False}
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(20):
            out.extend(sess.run([total, loss, train_op], feed)[:2])
        out.append(sess.run(probs, feed))
    return out


def test_contrib_sequence_model_like_tf():
    assert_same_run(contrib_sequence_model, tf=_tf_with_contrib())


def conv_family(tf, start):
    """The rest of the convolution family (layers and tf.nn) on unknown batch sizes
    (forward only: their gradients are JAX's of the same definitions, which the
    transform-mode tests compare with TF's; compiling them here would be slow)."""
    img = tf.placeholder(tf.float32, [None, 8, 8, 3], name="img")
    seq = tf.placeholder(tf.float32, [None, 9, 2], name="seq")
    vol = tf.placeholder(tf.float32, [None, 4, 4, 4, 2], name="vol")
    kernels = np.random.RandomState(3)  # numpy initial values: cheap to initialize

    def kernel(name, shape):
        return tf.Variable(kernels.randn(*shape).astype(np.float32) * 0.3, name=name)

    def init(*shape):
        return tf.constant_initializer(kernels.randn(*shape).astype(np.float32) * 0.3)

    depthwise = kernel("depthwise", [3, 3, 3, 2])
    pointwise = kernel("pointwise", [1, 1, 6, 4])
    atrous = kernel("atrous", [3, 3, 3, 4])
    back = kernel("back", [3, 3, 5, 3])
    outputs = [
        tf.layers.conv1d(seq, 3, 3, strides=2, padding="same", kernel_initializer=init(3, 2, 3)),
        tf.layers.conv3d(vol, 2, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=init(3, 3, 3, 2, 2)),
        tf.layers.conv2d_transpose(img, 2, 3, strides=2, kernel_initializer=init(3, 3, 2, 3)),
        tf.layers.conv3d_transpose(vol, 2, 2, strides=2, padding="same",
                                   kernel_initializer=init(2, 2, 2, 2, 2)),
        tf.layers.separable_conv2d(img, 4, 3, depth_multiplier=2, padding="same",
                                   depthwise_initializer=init(3, 3, 3, 2),
                                   pointwise_initializer=init(1, 1, 6, 4)),
        tf.layers.conv2d(img, 3, 3, dilation_rate=2, kernel_initializer=init(3, 3, 3, 3)),
        tf.layers.average_pooling2d(img, 3, 2, padding="same"),
        tf.nn.depthwise_conv2d(img, depthwise, [1, 1, 1, 1], "VALID"),
        tf.nn.separable_conv2d(img, depthwise, pointwise, [1, 1, 1, 1], "SAME"),
        tf.nn.atrous_conv2d(img, atrous, 2, "SAME"),
        tf.nn.conv2d_transpose(img, back, [tf.shape(img)[0], 16, 16, 5], [1, 2, 2, 1], "SAME"),
        tf.nn.conv2d_transpose(img, back, tf.stack([tf.shape(img)[0], 17, 17, 5]),
                               [1, 2, 2, 1], "VALID"),
    ]
    rng = np.random.RandomState(2)
    feed = {img: rng.randn(3, 8, 8, 3).astype(np.float32),
            seq: rng.randn(3, 9, 2).astype(np.float32),
            vol: rng.randn(3, 4, 4, 4, 2).astype(np.float32)}
    out = [np.asarray([d if d is not None else -1 for d in o.get_shape().as_list()])
           for o in outputs]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        out.extend(sess.run(outputs, feed))
    return out


def test_conv_family_like_tf():
    assert_same_run(conv_family)


# -- static shapes of layer outputs, against TF's -------------------------------------------

def _shape_cases(tf):
    img = tf.placeholder(tf.float32, [None, 9, 9, 3])
    fixed = tf.placeholder(tf.float32, [4, 9, 9, 3])
    seq = tf.placeholder(tf.float32, [None, 7, 3])
    vol = tf.placeholder(tf.float32, [None, 5, 5, 5, 2])
    x = tf.placeholder(tf.float32, [None, 6])
    training = tf.placeholder(tf.bool, [])
    L = tf.layers
    return {
        "conv2d_same": L.conv2d(img, 4, 3, padding="same"),
        "conv2d_valid_s2": L.conv2d(img, 4, 3, strides=2),
        "conv2d_dilated": L.conv2d(img, 4, 3, dilation_rate=2),
        "conv2d_fixed": L.conv2d(fixed, 4, 3),
        "conv1d": L.conv1d(seq, 5, 2, padding="same"),
        "conv3d": L.conv3d(vol, 3, 2, strides=2),
        "conv2d_transpose": L.conv2d_transpose(img, 2, 3, strides=2, padding="same"),
        "conv2d_transpose_valid": L.conv2d_transpose(img, 2, 3, strides=2),
        "conv2d_transpose_fixed": L.conv2d_transpose(fixed, 2, 3, strides=2),
        "conv3d_transpose": L.conv3d_transpose(vol, 2, 2, strides=2),
        "separable_conv2d": L.separable_conv2d(img, 4, 3, depth_multiplier=2),
        "max_pool": L.max_pooling2d(img, 2, 2),
        "avg_pool_same": L.average_pooling2d(img, 2, 2, padding="same"),
        "flatten": L.flatten(img),
        "flatten_fixed": L.flatten(fixed),
        "dense": L.dense(x, 5),
        "dense_3d": L.dense(seq, 5),
        "dropout": L.dropout(x, training=training),
        "batch_norm": L.batch_normalization(img, training=training),
        "batch_norm_2d": L.batch_normalization(x, training=True),
        "Conv2D": L.Conv2D(3, 2)(img),
        "Flatten": L.Flatten()(img),
        "mse": tf.losses.mean_squared_error(x, x),
        "mse_none": tf.losses.mean_squared_error(x, x, reduction=tf.losses.Reduction.NONE),
        "xent": tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x),
    }


def test_layer_output_static_shapes_match_tf():
    import tensorflow.compat.v1 as tf1
    with tf1.Graph().as_default():
        want = {k: v.get_shape().as_list() for k, v in _shape_cases(tf1).items()}
    with minitf.Graph().as_default():
        got = {k: v.get_shape().as_list() for k, v in _shape_cases(minitf).items()}
    assert got == want


@pytest.mark.parametrize("what", ["flatten", "contrib_flatten"])
def test_flatten_of_unknown_dims(what):
    """Batch and a spatial dim unknown: flatten reshapes with tf.shape at run time."""
    with minitf.Graph().as_default():
        tf = minitf
        x = tf.placeholder(tf.float32, [None, None, 3])
        flat = (tf.layers.flatten(x) if what == "flatten"
                else tf.contrib.layers.flatten(x))
        assert flat.get_shape().as_list() == [None, None]
        with tf.Session() as sess:
            value = sess.run(flat, {x: np.ones((2, 5, 3), np.float32)})
        assert value.shape == (2, 15)
