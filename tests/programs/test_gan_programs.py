"""The flagship GAN: one discriminator shared between real and fake inputs, two
optimizers each with its own `var_list`, run unchanged under TensorFlow and minitf."""
import numpy as np
from harness import assert_same_run

RNG = np.random.RandomState(1)
REAL = (RNG.randn(256, 2) * [0.5, 0.2] + [2.0, -1.0]).astype(np.float32)
NOISE = RNG.uniform(-1, 1, (20, 32, 4)).astype(np.float32)


def generator(tf, z):
    with tf.variable_scope("generator"):
        h = tf.layers.dense(z, 16, activation=tf.nn.relu, name="hidden")
        return tf.layers.dense(h, 2, name="out")


def discriminator(tf, x, reuse=None):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.dense(x, 16, activation=tf.nn.leaky_relu, name="hidden")
        return tf.layers.dense(h, 1, name="logit")


def gan(tf, start):
    real = tf.placeholder(tf.float32, [None, 2], name="real")
    z = tf.placeholder(tf.float32, [None, 4], name="z")
    fake = generator(tf, z)
    d_real = discriminator(tf, real)
    d_fake = discriminator(tf, fake, reuse=True)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(xent(logits=d_real, labels=tf.ones_like(d_real))) + \
        tf.reduce_mean(xent(logits=d_fake, labels=tf.zeros_like(d_fake)))
    g_loss = tf.reduce_mean(xent(logits=d_fake, labels=tf.ones_like(d_fake)))
    d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
    g_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
    d_train = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(d_loss, var_list=d_vars)
    g_train = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(g_loss, var_list=g_vars)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for step in range(20):
            batch = REAL[(step * 32) % 256:(step * 32) % 256 + 32]
            _, dl = sess.run([d_train, d_loss], {real: batch, z: NOISE[step]})
            _, gl = sess.run([g_train, g_loss], {z: NOISE[step]})
            out += [dl, gl]
        out.append(sess.run(fake, {z: NOISE[0]}))
    return out


def test_gan_with_shared_discriminator_and_two_optimizers():
    got, _ = assert_same_run(gan)
    assert np.isfinite(got[-1]).all()
