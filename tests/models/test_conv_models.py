"""Convolutional model programs in classic TF1 styles, under real TF1 and minitf.

A DCGAN (generator with `conv2d_transpose` and batch norm, its inference-mode
sampler sharing the weights, a discriminator applied to real and fake batches),
a CIFAR-tutorial-style conv net (`get_variable` weights, `lrn`, separable and
atrous convs, `xw_plus_b`, `tf.losses` with LOSSES and regularization) and the
`tf.contrib.layers` layers: same variables and collections, outputs (and batch
norm updates) to 1e-5.
"""
import numpy as np
import pytest
from contrib_reference import compare_model

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
RNG = np.random.default_rng(5)
BATCH = 2


def dcgan(tf, z, images):
    def generator(z, training, reuse=False):
        with tf.variable_scope("generator", reuse=reuse):
            h = tf.layers.dense(z, 4 * 4 * 8, name="g_h0_lin")
            h = tf.reshape(h, [-1, 4, 4, 8])
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn0"))
            h = tf.layers.conv2d_transpose(h, 4, 5, strides=2, padding="same", name="g_h1")
            h = tf.nn.relu(tf.contrib.layers.batch_norm(h, decay=0.9, epsilon=1e-5, scale=True,
                                                        is_training=training, scope="g_bn1"))
            w = tf.get_variable("g_h2/w", [5, 5, 3, 4],
                                initializer=tf.random_normal_initializer(stddev=0.02))
            h = tf.nn.conv2d_transpose(h, w, output_shape=[BATCH, 16, 16, 3],
                                       strides=[1, 2, 2, 1])
            b = tf.get_variable("g_h2/b", [3], initializer=tf.constant_initializer(0.0))
            return tf.nn.tanh(tf.nn.bias_add(h, b))

    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            h = tf.nn.leaky_relu(tf.layers.conv2d(x, 4, 5, strides=2, padding="same",
                                                  name="d_h0_conv"))
            h = tf.layers.conv2d(h, 8, 5, strides=2, padding="same", name="d_h1_conv")
            h = tf.nn.leaky_relu(tf.contrib.layers.batch_norm(h, decay=0.9, epsilon=1e-5,
                                                              scale=True, is_training=True,
                                                              scope="d_bn1"))
            logits = tf.layers.dense(tf.reshape(h, [BATCH, -1]), 1, name="d_h2_lin")
            return tf.nn.sigmoid(logits), logits

    # The sampler is built after the training generator, as DCGAN does: its batch norms
    # read the stored moving averages, not the ones the training call updates.
    fake = generator(z, training=True)
    sampler = generator(z, training=False, reuse=True)
    d_real, d_real_logits = discriminator(images)
    d_fake, d_fake_logits = discriminator(fake, reuse=True)
    d_loss = (tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=d_real_logits, labels=tf.ones_like(d_real))) +
        tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
            logits=d_fake_logits, labels=tf.zeros_like(d_fake))))
    g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=d_fake_logits, labels=tf.ones_like(d_fake)))
    return sampler, fake, d_real, d_fake, d_loss, g_loss


def test_dcgan_generator_sampler_and_discriminator_match_tf():
    z = RNG.uniform(-1, 1, (BATCH, 10)).astype(np.float32)
    images = RNG.uniform(-1, 1, (BATCH, 16, 16, 3)).astype(np.float32)
    compare_model(dcgan, z, images, tol=2e-5)


def cifar_style_net(tf, images, labels):
    with tf.variable_scope("conv1") as scope:
        kernel = tf.get_variable("weights", [5, 5, 3, 8],
                                 initializer=tf.truncated_normal_initializer(stddev=5e-2))
        conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], padding="SAME")
        biases = tf.get_variable("biases", [8], initializer=tf.constant_initializer(0.0))
        conv1 = tf.nn.relu(tf.nn.bias_add(conv, biases), name=scope.name)
    pool1 = tf.nn.max_pool(conv1, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    norm1 = tf.nn.lrn(pool1, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
    h = tf.layers.separable_conv2d(norm1, 8, 3, padding="same", activation=tf.nn.relu,
                                   depthwise_regularizer=tf.contrib.layers.l2_regularizer(0.01))
    h = tf.layers.conv2d(h, 8, 3, dilation_rate=2, padding="same")
    h = tf.nn.atrous_conv2d(h, tf.get_variable("atrous", [3, 3, 8, 4]), rate=2, padding="SAME")
    flat = tf.layers.flatten(h)
    with tf.variable_scope("local3"):
        weights = tf.get_variable("weights", [int(flat.shape[1]), 16],
                                  regularizer=tf.contrib.layers.l2_regularizer(0.004))
        biases = tf.get_variable("biases", [16], initializer=tf.constant_initializer(0.1))
        local3 = tf.nn.relu(tf.nn.xw_plus_b(flat, weights, biases))
    logits = tf.layers.dense(local3, 10, name="softmax_linear")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    smooth = tf.losses.softmax_cross_entropy(tf.one_hot(labels, 10), logits,
                                             label_smoothing=0.1)
    total = tf.losses.get_total_loss()
    return logits, loss, smooth, total, tf.losses.get_regularization_loss()


def test_cifar_style_conv_net_and_losses_match_tf():
    images = RNG.standard_normal((BATCH, 12, 12, 3)).astype(np.float32)
    labels = np.array([3, 7], np.int32)
    compare_model(cifar_style_net, images, labels, tol=2e-5)


def contrib_layers_net(tf, images, ids, training):
    layers, framework = tf.contrib.layers, tf.contrib.framework
    with framework.arg_scope([layers.fully_connected],
                             weights_regularizer=layers.l2_regularizer(0.01)):
        h = layers.conv2d(images, 4, 3, normalizer_fn=layers.batch_norm,
                          normalizer_params={"is_training": False, "scale": True},
                          variables_collections=["convs"])
        h = layers.conv2d_transpose(h, 3, 3, stride=2, activation_fn=tf.nn.tanh)
        h = layers.max_pool2d(h, 2)
        h = layers.avg_pool2d(h, 3, stride=1, padding="SAME")
        h = layers.layer_norm(h)
        flat = layers.flatten(h)
        d = layers.dropout(flat, 0.5, is_training=False)
        y = layers.fully_connected(d, 5, activation_fn=tf.nn.tanh,
                                   weights_initializer=layers.xavier_initializer())
        out = layers.fully_connected(y, 3, activation_fn=None, biases_initializer=None,
                                     scope="out",
                                     variables_collections={"weights": ["fc_weights"]})
    emb = layers.embed_sequence(ids, vocab_size=7, embed_dim=3)
    bn_2d = layers.batch_norm(y, is_training=True, updates_collections=None, center=False,
                              scale=True)
    bn_fused = layers.batch_norm(h, is_training=True, updates_collections=None)
    bn_layer = layers.batch_norm(h, is_training=True, decay=0.9)
    bn_switched = [layers.batch_norm(h, is_training=training, scale=True, scope="switched"),
                   layers.batch_norm(y, is_training=training, scope="switched_2d")]
    reg = layers.apply_regularization(layers.l1_regularizer(0.1),
                                      framework.get_variables("fully_connected"))
    counts = [tf.constant(len(framework.get_model_variables())),
              tf.constant(len(framework.get_variables("out", suffix="weights")))]
    return (out, emb, bn_2d, bn_fused, bn_layer, bn_switched, reg,
            tf.losses.get_regularization_loss(), counts)


@pytest.mark.parametrize("training", [True, False])
def test_contrib_layers_outputs_collections_and_updates_match_tf(training):
    """`training` is fed as a boolean tensor: batch norm picks its branch at run time."""
    images = RNG.standard_normal((BATCH, 6, 6, 3)).astype(np.float32)
    ids = RNG.integers(0, 7, (BATCH, 4)).astype(np.int32)
    compare_model(contrib_layers_net, images, ids, np.array(training), run_update_ops=True,
                  tol=2e-5)


def class_layers_net(tf, images):
    """Keras-style layer objects (TF1's tf.layers classes), one object called twice."""
    conv = tf.layers.Conv2D(4, 3, padding="same", activation=tf.nn.relu)
    bn = tf.layers.BatchNormalization(momentum=0.9)
    with tf.variable_scope("tower"):  # training first: the inference call reads stored stats
        a = bn(conv(images), training=True)
    b = bn(conv(images[:, ::-1]), training=False)  # same weights, called outside the scope
    h = tf.layers.MaxPooling2D(2, 2)(a)
    h = tf.layers.SeparableConv2D(5, 3, depth_multiplier=2)(h)
    h = tf.layers.Conv2DTranspose(3, 2, strides=2, name="up")(h)
    h = tf.layers.Dropout(0.3)(h, training=False)
    flat = tf.layers.Flatten()(h)
    named = [tf.layers.Dense(3, name="head"), tf.layers.Dense(3, name="head")]
    outs = [layer(flat) for layer in named]
    same = [v.name for v in conv.variables] == ["tower/conv2d/kernel:0", "tower/conv2d/bias:0"]
    return a, b, outs, tf.constant(same and conv.kernel is conv.variables[0])


def test_class_style_layers_match_tf():
    images = RNG.standard_normal((BATCH, 8, 8, 3)).astype(np.float32)
    tf_run, outputs = compare_model(class_layers_net, images, run_update_ops=True, tol=2e-5)
    assert bool(outputs[-1]) and tf_run["outputs"][-1]
