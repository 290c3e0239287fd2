"""Classic TF1 programs, run unchanged under TensorFlow and minitf (see harness.py)."""
import numpy as np
from harness import assert_same_run

RNG = np.random.RandomState(0)
X = RNG.randn(64, 6).astype(np.float32)
LABELS = (X[:, :3].sum(1) > 0).astype(np.int64) + (X[:, 3] > 0.5).astype(np.int64)


def softmax_regression(tf, start):
    """The MNIST-for-beginners shape: placeholders, a feed loop, GradientDescent."""
    x = tf.placeholder(tf.float32, [None, 6])
    y_ = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable(tf.zeros([6, 3]))
    b = tf.Variable(tf.zeros([3]))
    y = tf.nn.softmax(tf.matmul(x, W) + b)
    cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
    correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    onehot = np.eye(3, dtype=np.float32)[LABELS]
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for i in range(25):
            batch = slice((i * 16) % 64, (i * 16) % 64 + 16)
            _, loss = sess.run([train_step, cross_entropy],
                               feed_dict={x: X[batch], y_: onehot[batch]})
            out.append(loss)
        out.append(sess.run(accuracy, feed_dict={x: X, y_: onehot}))
    return out


def adam_mlp_global_step(tf, start):
    """An MLP with get_variable, Adam inside a name scope, a global step."""
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [6, 8])
        b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer())
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        w2 = tf.get_variable("w2", [8, 3])
        logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    with tf.name_scope("train"):
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(25):
            loss_value, _ = sess.run([loss, train_op], {x: X, labels: LABELS})
            out.append(loss_value)
        out.append(sess.run(global_step))
        out.append(sess.run(tf.get_default_graph().get_tensor_by_name("mlp/w1/Adam:0")))
    return out


def test_softmax_regression():
    assert_same_run(softmax_regression)


def test_adam_mlp_with_global_step():
    got, _ = assert_same_run(adam_mlp_global_step)
    assert got[-2] == 25


def deep_mnist_style(tf, start):
    """'Deep MNIST for experts' idioms: weight_variable / bias_variable helpers over
    tf.Variable(tf.truncated_normal(...)), tf.nn.conv2d + max_pool, keep_prob as an
    unshaped placeholder, an accuracy op, `.eval(feed_dict=...)` and `.run(...)`."""
    def weight_variable(shape):
        return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

    def bias_variable(shape):
        return tf.Variable(tf.constant(0.1, shape=shape))

    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    x = tf.placeholder(tf.float32, shape=[None, 64])
    y_ = tf.placeholder(tf.float32, shape=[None, 3])
    x_image = tf.reshape(x, [-1, 8, 8, 1])
    W_conv1, b_conv1 = weight_variable([3, 3, 1, 4]), bias_variable([4])
    h_pool1 = max_pool_2x2(tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1))
    W_fc1, b_fc1 = weight_variable([4 * 4 * 4, 16]), bias_variable([16])
    h_fc1 = tf.nn.relu(tf.matmul(tf.reshape(h_pool1, [-1, 4 * 4 * 4]), W_fc1) + b_fc1)
    keep_prob = tf.placeholder(tf.float32)
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
    W_fc2, b_fc2 = weight_variable([16, 3]), bias_variable([3])
    y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv))
    train_step = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)
    correct = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    images = np.tile(X, (1, 11))[:, :64]
    onehot = np.eye(3, dtype=np.float32)[LABELS]
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for i in range(20):
            batch = slice((i * 16) % 64, (i * 16) % 64 + 16)
            feed = {x: images[batch], y_: onehot[batch], keep_prob: 1.0}
            out.append(cross_entropy.eval(feed_dict=feed))
            train_step.run(feed_dict=feed)
        out.append(accuracy.eval(feed_dict={x: images, y_: onehot, keep_prob: 1.0}))
    return out


def test_deep_mnist_style_program():
    assert_same_run(deep_mnist_style)
