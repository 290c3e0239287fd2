"""tf.layers / tf.nn in minitf alone: randomness, updates, and composing with jit.

TF-equivalence of names and values is in test_layers_tf.py and test_nn_tf.py;
these cover what TF cannot check: dropout's rng plumbing and the batch-norm
update flow through `apply_with_updates`.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf
import minitf.layers
import minitf.losses
import minitf.nn

X = jnp.ones((200, 50))


def test_dropout_is_identity_unless_training():
    model = tf.transform(lambda x: tf.layers.dropout(x, 0.3))
    np.testing.assert_array_equal(model.apply({}, X), X)


@pytest.mark.parametrize("drop", [
    lambda x: tf.layers.dropout(x, 0.3, training=True),
    lambda x: tf.nn.dropout(x, rate=0.3),
    lambda x: tf.nn.dropout(x, keep_prob=0.7),
], ids=["layers.dropout", "nn.dropout(rate)", "nn.dropout(keep_prob)"])
def test_dropout_drops_at_rate_and_rescales(drop):
    model = tf.transform(drop)
    out = np.asarray(model.apply({}, X, rng=jax.random.PRNGKey(0)))
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    again = np.asarray(model.apply({}, X, rng=jax.random.PRNGKey(1)))
    assert (again != out).any()


def test_dropout_without_rng_says_how_to_pass_one():
    model = tf.transform(lambda x: tf.layers.dropout(x, training=True))
    with pytest.raises(ValueError, match="rng="):
        model.apply({}, X)


def test_dropout_with_a_traced_training_flag():
    model = tf.transform(lambda x, training: tf.layers.dropout(x, 0.5, training=training))
    run = jax.jit(model.apply)
    key = jax.random.PRNGKey(0)
    np.testing.assert_array_equal(run({}, X, False, rng=key), X)
    assert (np.asarray(run({}, X, True, rng=key)) == 0).any()


def test_nn_dropout_argument_errors():
    with pytest.raises(ValueError, match="both 'rate' and 'keep_prob'"):
        tf.nn.dropout(X, keep_prob=0.5, rate=0.5)
    with pytest.raises(ValueError, match="range"):
        tf.nn.dropout(X, rate=1.5)


def test_batch_norm_moving_averages_converge_through_apply_with_updates():
    def net(x):
        h = tf.layers.batch_normalization(x, training=True, momentum=0.5)
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
        return h

    model = tf.transform(net)
    data = jax.random.normal(jax.random.PRNGKey(0), (64, 3)) * 2.0 + 5.0
    params = model.init(0, data)
    step = jax.jit(model.apply_with_updates)
    for _ in range(30):
        out, updates = step(params, data)
        params = {**params, **updates}
    np.testing.assert_allclose(params["batch_normalization/moving_mean"], data.mean(0), rtol=1e-4)
    np.testing.assert_allclose(params["batch_normalization/moving_variance"], data.var(0),
                               rtol=1e-4)
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-5)
    assert model.apply(params, data).shape == data.shape  # plain apply drops the updates
    assert model.split_trainable(params)[0].keys() == {"batch_normalization/gamma",
                                                       "batch_normalization/beta"}


def test_dense_regularization_loss_is_differentiable():
    def loss(x):
        h = tf.layers.dense(x, 4, kernel_regularizer=lambda w: 0.5 * tf.reduce_sum(w ** 2))
        return tf.reduce_mean(h) + tf.losses.get_regularization_loss()

    model = tf.transform(loss)
    params = model.init(0, X[:2])
    grads = jax.grad(lambda p: model.apply(p, X[:2]))(params)
    np.testing.assert_allclose(grads["dense/kernel"], params["dense/kernel"] + 0.25, rtol=1e-5)


def test_losses_collections():
    def model(x):
        tf.losses.add_loss(tf.reduce_sum(x))
        return tf.losses.get_losses(), tf.losses.get_total_loss()

    losses, total = tf.transform(model).apply({}, X[:2])
    assert len(losses) == 1 and float(total) == 100.0


def test_layer_input_validation():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        tf.transform(lambda x: tf.layers.dense(x, 2)).init(0, jnp.ones(3))
    with pytest.raises(ValueError, match="expected ndim=4"):
        tf.transform(lambda x: tf.layers.conv2d(x, 2, 3)).init(0, jnp.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="virtual_batch_size"):
        tf.transform(lambda x: tf.layers.batch_normalization(
            x, virtual_batch_size=2)).init(0, X)
