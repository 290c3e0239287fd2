"""examples/gan.py: a short run end to end, and the discriminator's weight sharing.

The discriminator is called on the real and on the fake batch; with either
TF1 spelling (`reuse=True` on the second call, or `AUTO_REUSE`) that must be
one set of weights: exactly one kernel and one bias per layer, same names and
values for both spellings.
"""
import glob
import importlib.util
import os
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gan():
    spec = importlib.util.spec_from_file_location("gan_example", ROOT / "examples" / "gan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def init(gan, reuse):
    model = gan.build_model(reuse)
    params = model.init(jax.random.PRNGKey(3), jnp.zeros((4, gan.Z_DIM)), jnp.zeros((4, gan.IMAGE)))
    return model, params


@pytest.mark.parametrize("reuse", ["true", "auto"])
def test_discriminator_is_one_set_of_weights(gan, reuse):
    model, params = init(gan, reuse)
    d_names = sorted(n for n in params if n.startswith("discriminator"))
    assert d_names == ["discriminator/hidden/bias", "discriminator/hidden/kernel",
                       "discriminator/out/bias", "discriminator/out/kernel"]
    kernels = [n for n in d_names if n.endswith("/kernel")]
    assert len(kernels) == 2                                   # one per layer, not per call
    # The same weights judge both batches: feed the generator's output as "real".
    z = jax.random.normal(jax.random.PRNGKey(1), (5, gan.Z_DIM))
    fake, _, _ = model.apply(params, z, jnp.zeros((5, gan.IMAGE)))
    _, d_real, d_fake = model.apply(params, z, fake)
    np.testing.assert_array_equal(np.asarray(d_real), np.asarray(d_fake))


def test_both_reuse_forms_give_identical_params(gan):
    _, p_true = init(gan, "true")
    _, p_auto = init(gan, "auto")
    assert list(p_true) == list(p_auto)
    for name in p_true:
        np.testing.assert_array_equal(np.asarray(p_true[name]), np.asarray(p_auto[name]))


@pytest.mark.parametrize("reuse", ["true", "auto"])
def test_layers_variant_builds_the_same_variables(gan, reuse):
    pytest.importorskip("minitf.layers")
    _, by_hand = init(gan, reuse)
    model = gan.build_model(reuse, layers=True)
    by_layers = model.init(jax.random.PRNGKey(3), jnp.zeros((4, gan.Z_DIM)),
                           jnp.zeros((4, gan.IMAGE)))
    assert list(by_layers) == list(by_hand)
    for name in by_hand:
        np.testing.assert_array_equal(np.asarray(by_layers[name]), np.asarray(by_hand[name]))
    z = jax.random.normal(jax.random.PRNGKey(1), (5, gan.Z_DIM))
    x = jnp.zeros((5, gan.IMAGE))
    for a, b in zip(model.apply(by_hand, z, x), gan.build_model(reuse).apply(by_hand, z, x),
                    strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)


def test_second_call_without_reuse_is_tf1_error(gan):
    def broken(z, real):
        gan.discriminator(real)
        return gan.discriminator(gan.generator(z))            # reuse forgotten

    with pytest.raises(ValueError, match="discriminator/hidden/kernel already exists"):
        tf.transform(broken).init(0, jnp.zeros((2, gan.Z_DIM)), jnp.zeros((2, gan.IMAGE)))


def test_short_run_end_to_end(gan, tmp_path):
    results = gan.train(steps=30, seed=0, reuse="auto", batch=32, outdir=str(tmp_path),
                        log_every=10, progress=False)
    for key in ("samples_png", "losses_png"):
        with open(results[key], "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert results["history"]["step"] == [10, 20, 30]
    assert np.all(np.isfinite(results["history"]["d_loss"]))
    # Checkpoint: restores to the trained params.
    from minitf.train import Saver

    restored = Saver().restore(results["checkpoint"])
    assert sorted(restored) == sorted(results["params"])
    for name, value in results["params"].items():
        np.testing.assert_array_equal(np.asarray(restored[name]), np.asarray(value))
    assert glob.glob(os.path.join(tmp_path, "tb", "events.out.tfevents.*"))
    for what in ("untrained", "trained", "real"):
        score = results[what]
        assert 0 <= score["classes_covered"] <= 10 and 0 < score["mean_confidence"] <= 1
        assert sum(score["class_counts"]) == 1000
    assert results["real"]["classes_covered"] == 10
