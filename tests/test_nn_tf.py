"""tf.nn ops and the ops appended to minitf.ops, against real TF1 (graph mode).

Each case is one build function run under TF and minitf on the same inputs;
results must agree to 1e-5. Op names matter too: an op claims its TF name in
the current name scope, so a later scope of that name is uniquified as in TF.
"""
import numpy as np
import pytest

from tf_reference import compare, minitf_model, tf1

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)).astype(np.float32)
LABELS = RNG.integers(0, 5, size=4).astype(np.int32)
PROBS = np.abs(RNG.standard_normal((4, 5))).astype(np.float32)
PROBS /= PROBS.sum(-1, keepdims=True)
IMAGES = RNG.standard_normal((2, 7, 7, 3)).astype(np.float32)
FILTER = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)


def activations(tf, x):
    nn = tf.nn
    return [nn.relu(x), nn.relu6(x * 4), nn.elu(x), nn.selu(x), nn.leaky_relu(x),
            nn.leaky_relu(x, alpha=0.1), nn.sigmoid(x), nn.tanh(x), nn.softmax(x),
            nn.softmax(x, axis=0), nn.log_softmax(x), nn.softplus(x), nn.softsign(x)]


def losses(tf, x, labels, probs):
    nn = tf.nn
    return [nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(x * 0.3), logits=x),
            nn.softmax_cross_entropy_with_logits_v2(labels=probs, logits=x),
            nn.softmax_cross_entropy_with_logits(labels=probs, logits=x),
            nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x),
            nn.l2_loss(x)]


def array_ops(tf, x, labels):
    mean, variance = tf.nn.moments(x, axes=[0])
    mean_k, var_k = tf.nn.moments(x, axes=[1], keep_dims=True)
    shards = [x[0:2], x[2:3], x[3:4]]
    ids = labels % 4
    return [tf.nn.bias_add(x, x[0]), mean, variance, mean_k, var_k,
            tf.nn.batch_normalization(x, mean, variance, x[1], x[2], 1e-3),
            tf.nn.batch_normalization(x, mean, variance, None, None, 1e-3),
            tf.nn.l2_normalize(x, axis=1),
            tf.nn.embedding_lookup(x, labels), tf.nn.embedding_lookup(shards, ids),
            tf.nn.embedding_lookup(shards, ids, partition_strategy="div")]


def conv_ops(tf, images, kernel):
    nn = tf.nn
    return [nn.conv2d(images, kernel, strides=[1, 2, 2, 1], padding="SAME"),
            nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="VALID"),
            nn.max_pool(images, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME"),
            nn.avg_pool(images, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME"),
            nn.avg_pool(images, ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1], padding="VALID")]


def math_ops(tf, x, labels):
    clipped, norm = tf.clip_by_global_norm([x, x * 2], 1.5)
    return [tf.add_n([x, x, x]), tf.abs(x), tf.negative(x), tf.sign(x), tf.pow(tf.abs(x), 1.5),
            tf.floor(x), tf.ceil(x), tf.round(x * 3), tf.rsqrt(tf.abs(x) + 1),
            tf.reciprocal(x + 10), tf.log1p(tf.abs(x)), tf.expm1(x), tf.sin(x), tf.cos(x),
            tf.squared_difference(x, 1.0), tf.floordiv(x, 0.7), tf.mod(x, 0.7),
            tf.truediv(x, 3.0), tf.div(labels, 2), tf.equal(labels, 2),
            tf.not_equal(labels, 2), tf.less(x, 0.1), tf.less_equal(x, 0.1),
            tf.greater(x, 0.1), tf.greater_equal(x, 0.1),
            tf.logical_and(x > 0, x < 1), tf.logical_or(x > 1, x < -1),
            tf.logical_not(x > 0), tf.reduce_prod(x, axis=1), tf.reduce_any(x > 1, axis=0),
            tf.reduce_all(x > -3), tf.reduce_logsumexp(x, axis=1), tf.argmin(x, axis=1),
            tf.cumsum(x, axis=1), tf.cumsum(x, axis=1, exclusive=True, reverse=True),
            tf.one_hot(labels, 6), tf.one_hot(labels, 3, on_value=5.0, off_value=-1.0),
            tf.gather(x, labels % 4), tf.gather(x, [1, 0], axis=1),
            tf.gather_nd(x, [[0, 1], [3, 4]]), tf.where(x > 0, x, -x),
            tf.where(labels > 2, x, x * 0), tf.tile(x[:1], [2, 3]),
            tf.pad(x, [[1, 0], [0, 2]]), tf.pad(x, [[1, 1], [2, 2]], mode="REFLECT"),
            tf.clip_by_value(x, -0.5, 0.5), tf.clip_by_norm(x, 1.0), clipped, norm,
            tf.global_norm([x, x]), tf.shape(x), tf.size(x), tf.rank(x),
            tf.range(5), tf.range(1, 10, 3), tf.range(0.0, 1.0, 0.25), tf.fill([2, 3], 7.0),
            tf.eye(3), tf.eye(2, 4), tf.linspace(0.0, 1.0, 5), tf.reverse(x, [1]),
            tf.slice(x, [1, 2], [2, -1]), tf.tensordot(x, x, [[1], [1]]),
            tf.einsum("ij,kj->ik", x, x), tf.norm(x), tf.norm(x, axis=1),
            tf.stop_gradient(x), tf.to_float(labels), tf.to_int32(x * 3),
            tf.sequence_mask(labels, 5), tf.sequence_mask(labels, 5, dtype=tf.float32)]


@pytest.mark.parametrize("build,inputs", [
    (activations, (X,)), (losses, (X, LABELS, PROBS)), (array_ops, (X, LABELS)),
    (conv_ops, (IMAGES, FILTER)), (math_ops, (X, LABELS)),
], ids=["activations", "losses", "array_ops", "conv_ops", "math_ops"])
def test_ops_match_tf(build, inputs):
    compare(build, *inputs)


def test_ops_claim_their_tf_op_names():
    """After each op, a name scope of the op's name is uniquified exactly as in TF."""
    def scope_names(tf, x, labels):
        ops = [("Relu", lambda: tf.nn.relu(x)), ("Softmax", lambda: tf.nn.softmax(x)),
               ("logistic_loss", lambda: tf.nn.sigmoid_cross_entropy_with_logits(
                   labels=x, logits=x)),
               ("L2Loss", lambda: tf.nn.l2_loss(x)), ("BiasAdd", lambda: tf.nn.bias_add(x, x[0])),
               ("AddN", lambda: tf.add_n([x, x])), ("OneHot", lambda: tf.one_hot(labels, 3)),
               ("my_op", lambda: tf.nn.relu(x, name="my_op"))]
        names = []
        for op_name, run in ops:
            run()
            with tf.name_scope(op_name) as scope:
                names.append(scope)
        return names

    graph = tf1.Graph()
    with graph.as_default():
        expected = scope_names(tf1, tf1.placeholder(tf1.float32, X.shape),
                               tf1.placeholder(tf1.int32, LABELS.shape))
    got = []
    minitf_model(lambda tf, x, labels: got.append(scope_names(tf, x, labels)) or 0).apply(
        {}, X, LABELS)
    assert got == [expected]


def test_cross_entropy_ops_take_labels_then_logits_positionally_as_tf():
    def build(tf, x, probs):
        return [tf.nn.softmax_cross_entropy_with_logits_v2(probs, x),
                tf.nn.sigmoid_cross_entropy_with_logits(probs, x)]

    compare(build, X, PROBS)
