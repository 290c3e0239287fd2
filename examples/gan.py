"""A GAN on scikit-learn's 8x8 digits, written the TF1 way and trained with JAX.

The generator and the discriminator are plain TF1 tutorial code:
`tf.variable_scope("generator")` / `tf.variable_scope("discriminator")` and
`tf.get_variable`. The discriminator is applied twice, to the real and to the
fake batch, with one set of weights, in either of TF1's two spellings
(`--reuse true`: `reuse=True` on the second call; `--reuse auto`:
`reuse=tf.AUTO_REUSE` on both). `tf.transform` turns the model into pure
`init` / `apply`; two TF1-style optimizers (`minitf.train.AdamOptimizer`)
update their own scope (`var_list="generator/"`, `"discriminator/"`), and one
jit-compiled function does the D update and then the G update.

Quality is measured, not eyeballed: a logistic regression fitted on the real
digits at start-up labels 1000 generated samples; we report how many of the 10
classes get at least 2% of the samples and the mean max-probability
confidence, for the trained and for the untrained generator (and, as a
ceiling, for 1000 real digits).

    python examples/gan.py                 # default: 15000 steps, about a minute on 2 CPU cores
    python examples/gan.py --reuse auto --steps 2000 --seed 1
    python examples/gan.py --layers        # the same model through tf.layers.dense

Writes runs/gan/samples.png, runs/gan/losses.png, a checkpoint under
runs/gan/ckpt/ and TensorBoard events under runs/gan/tb/.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

import minitf as tf
from minitf import train as tftrain

Z_DIM = 64
HIDDEN = 256
IMAGE = 64            # 8x8 pixels
COVER_FRACTION = 0.02  # a class is covered if >= 2% of the samples are predicted as it


# ----------------------------------------------------------------------------
# Data.

def load_data() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 bundled 8x8 digits (no download), pixels scaled from [0, 16] to [-1, 1]."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return (digits.data / 8.0 - 1.0).astype(np.float32), digits.target.astype(np.int32)


# ----------------------------------------------------------------------------
# Model: TF1 tutorial style.

def dense(x: Any, units: int, name: str) -> jax.Array:
    """`x @ kernel + bias` with the kernel and bias made by `tf.get_variable` in scope `name`."""
    with tf.variable_scope(name):
        kernel = tf.get_variable("kernel", [x.shape[-1], units])   # TF1 default: glorot uniform
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
    return x @ kernel + bias


def layers_dense(x: Any, units: int, name: str) -> jax.Array:
    """The same layer through `tf.layers.dense` (same variable names and initializers)."""
    from minitf.layers import dense as tf_layers_dense

    return tf_layers_dense(x, units, name=name)


def leaky_relu(x: jax.Array, alpha: float = 0.2) -> jax.Array:
    return jnp.maximum(alpha * x, x)


def generator(z: jax.Array, dense: Callable = dense) -> jax.Array:
    """z (64) -> 256 -> 256 -> 64 pixels in [-1, 1] (two hidden layers: crisper digits than one)."""
    with tf.variable_scope("generator"):
        h = leaky_relu(dense(z, HIDDEN, "hidden1"))
        h = leaky_relu(dense(h, HIDDEN, "hidden2"))
        return jnp.tanh(dense(h, IMAGE, "out"))


def discriminator(x: jax.Array, reuse: Any = None, dense: Callable = dense) -> jax.Array:
    """64 pixels -> 256 -> 1 logit; `reuse` as in TF1 (None, True or tf.AUTO_REUSE)."""
    with tf.variable_scope("discriminator", reuse=reuse):
        h = leaky_relu(dense(x, HIDDEN, "hidden"))
        return dense(h, 1, "out")[:, 0]


def gan(z: jax.Array, real: jax.Array, reuse: str = "true",
        layers: bool = False) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(fake images, D logits on real, D logits on fake), D sharing one set of weights."""
    fc = layers_dense if layers else dense
    fake = generator(z, dense=fc)
    if reuse == "auto":
        d_real = discriminator(real, reuse=tf.AUTO_REUSE, dense=fc)
        d_fake = discriminator(fake, reuse=tf.AUTO_REUSE, dense=fc)
    elif reuse == "true":
        d_real = discriminator(real, dense=fc)
        d_fake = discriminator(fake, reuse=True, dense=fc)
    else:
        raise ValueError(f"reuse must be 'auto' or 'true', got {reuse!r}")
    return fake, d_real, d_fake


def build_model(reuse: str = "true", layers: bool = False) -> tf.Transformed:
    """The GAN as pure `init` / `apply`.

    `reuse` picks the TF1 spelling of weight sharing ("true" or "auto");
    `layers=True` builds the layers with `tf.layers.dense` instead of
    `tf.get_variable` (the same variables, names and initial values).
    """
    return tf.transform(functools.partial(gan, reuse=reuse, layers=layers))


# ----------------------------------------------------------------------------
# Losses and the training step.

def losses(model: tf.Transformed, real_label: float = 0.9) -> tuple[Callable, Callable]:
    """Non-saturating GAN losses `(d_loss(params, z, real), g_loss(params, z, real))`.

    The discriminator's real targets are smoothed to `real_label` (one-sided
    label smoothing), which keeps it from saturating on 1797 images.
    """
    bce = optax.sigmoid_binary_cross_entropy

    def d_loss(params, z, real):
        _, d_real, d_fake = model.apply(params, z, real)
        return (jnp.mean(bce(d_real, jnp.full_like(d_real, real_label)))
                + jnp.mean(bce(d_fake, jnp.zeros_like(d_fake))))

    def g_loss(params, z, real):
        _, _, d_fake = model.apply(params, z, real)
        return jnp.mean(bce(d_fake, jnp.ones_like(d_fake)))

    return d_loss, g_loss


def make_train_step(model: tf.Transformed, data: jax.Array, batch: int = 64,
                    lr: float = 2e-4) -> tuple[Callable, Callable]:
    """`(init_states(params), step(params, d_state, g_state, key))`: one jitted D+G update.

    Each optimizer sees only its own scope: `var_list` is TF's scope regex,
    written with a trailing "/" so "discriminator" cannot also catch a
    "discriminator_pair" scope (TF's prefix rule would).
    """
    d_loss, g_loss = losses(model)
    d_step = tftrain.AdamOptimizer(lr, beta1=0.5).minimize(d_loss, var_list="discriminator/",
                                                          model=model)
    g_step = tftrain.AdamOptimizer(lr, beta1=0.5).minimize(g_loss, var_list="generator/",
                                                          model=model)

    def init_states(params):
        return d_step.init(params), g_step.init(params)

    @jax.jit
    def step(params, d_state, g_state, key):
        k_real, k_zd, k_zg = jax.random.split(key, 3)
        real = data[jax.random.randint(k_real, (batch,), 0, data.shape[0])]
        z_d = jax.random.normal(k_zd, (batch, Z_DIM))
        z_g = jax.random.normal(k_zg, (batch, Z_DIM))
        params, d_state, dl = d_step(params, d_state, z_d, real)
        params, g_state, gl = g_step(params, g_state, z_g, real)
        return params, d_state, g_state, dl, gl

    return init_states, step


# ----------------------------------------------------------------------------
# Quality: a classifier fitted on the real digits scores generated ones.

def fit_classifier(x: np.ndarray, y: np.ndarray) -> Any:
    """Multinomial logistic regression on the real digits (a few seconds)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=500).fit(x, y)


def score_samples(clf: Any, samples: np.ndarray) -> dict[str, Any]:
    """Classes covered (>= COVER_FRACTION of the samples) and mean max-probability confidence."""
    proba = clf.predict_proba(np.asarray(samples, np.float64))
    counts = np.bincount(proba.argmax(1), minlength=10)
    return {"classes_covered": int(np.sum(counts >= COVER_FRACTION * len(samples))),
            "mean_confidence": float(proba.max(1).mean()),
            "class_counts": counts.tolist()}


def generate(model: tf.Transformed, params: dict, key: jax.Array, n: int) -> np.ndarray:
    z = jax.random.normal(key, (n, Z_DIM))
    fake, _, _ = jax.jit(model.apply)(params, z, jnp.zeros((1, IMAGE)))
    return np.asarray(fake)


# ----------------------------------------------------------------------------
# Output: pictures, TensorBoard, checkpoint.

def sample_grid(samples: np.ndarray, rows: int = 10, cols: int = 10) -> np.ndarray:
    """A (rows*9-1, cols*9-1) image in [0, 1] (1 = ink) of 8x8 samples with 1-pixel gray gaps."""
    grid = np.full((rows * 9 - 1, cols * 9 - 1), 0.3, np.float32)
    for i in range(min(rows * cols, len(samples))):
        r, c = divmod(i, cols)
        grid[r * 9:r * 9 + 8, c * 9:c * 9 + 8] = (samples[i].reshape(8, 8) + 1) / 2
    return np.clip(grid, 0, 1)


def save_pictures(outdir: str, samples: np.ndarray, history: dict[str, list]) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples_png = os.path.join(outdir, "samples.png")
    big = np.kron(sample_grid(samples), np.ones((4, 4), np.float32))  # 4x: readable at a glance
    plt.imsave(samples_png, big, cmap="gray_r", vmin=0, vmax=1)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(history["step"], history["d_loss"], label="D loss")
    ax.plot(history["step"], history["g_loss"], label="G loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    ax.set_title("GAN on 8x8 digits")
    fig.tight_layout()
    losses_png = os.path.join(outdir, "losses.png")
    fig.savefig(losses_png, dpi=100)
    plt.close(fig)
    return samples_png, losses_png


def summary_writer(logdir: str, model: tf.Transformed, params: dict, z: jax.Array,
                   real: jax.Array) -> Any:
    """A TensorBoard writer whose event file starts with the model's graph (one box per scope)."""
    from minitf.summary import FileWriter
    from minitf.viz.graph_export import graph_def_from_function

    writer = FileWriter(logdir)
    writer.add_graph(graph_def_from_function(lambda p, z_, r: model.apply(p, z_, r),
                                             params, z, real))
    return writer


def save_checkpoint(params: dict, outdir: str, step: int) -> str:
    return tftrain.Saver().save(params, os.path.join(outdir, "ckpt", "gan"), global_step=step)


def print_model_report(params: dict, model: tf.Transformed, z: jax.Array, real: jax.Array) -> None:
    """The parameter table, and the sharing report proving D is one set of weights used twice."""
    from minitf.viz import param_table
    from minitf.viz.sharing import sharing_report

    print(param_table(params, trainable=model.trainable_names()))
    report = sharing_report(model, params, z, real)
    shared = report.shared()
    print(f"sharing: {len(shared)} of {len(report.uses)} variables are used from more than one "
          f"place; e.g. discriminator/hidden/kernel:")
    for (vscope, nscope, site), n in report.uses.get("discriminator/hidden/kernel", {}).items():
        print(f"    x{n} variable_scope={vscope!r} name_scope={nscope!r} at {site}")


# ----------------------------------------------------------------------------
# Training.

def train(steps: int = 15000, seed: int = 0, reuse: str = "true", batch: int = 64,
          lr: float = 2e-4, layers: bool = False, outdir: str = "runs/gan", evaluate: bool = True,
          log_every: int = 50, progress: bool = True) -> dict[str, Any]:

    """Train, write pictures / events / checkpoint into `outdir`, return the figures."""
    from tqdm import tqdm

    t0 = time.perf_counter()
    os.makedirs(outdir, exist_ok=True)
    print(f"JAX device: {jax.devices()[0]} (backend {jax.default_backend()})")
    x_np, y_np = load_data()
    data = jnp.asarray(x_np)

    model = build_model(reuse, layers)
    key = jax.random.PRNGKey(seed)
    key, k_init, k_eval = jax.random.split(key, 3)
    z0 = jnp.zeros((batch, Z_DIM))
    params = model.init(k_init, z0, data[:batch])
    print_model_report(params, model, z0, data[:batch])

    clf = fit_classifier(x_np, y_np) if evaluate else None
    results: dict[str, Any] = {"reuse": reuse, "layers": layers, "steps": steps, "seed": seed,
                               "param_names": list(params), "device": str(jax.devices()[0])}
    if clf is not None:
        results["untrained"] = score_samples(clf, generate(model, params, k_eval, 1000))
        idx = np.random.default_rng(seed).choice(len(x_np), 1000, replace=False)
        results["real"] = score_samples(clf, x_np[idx])

    init_states, step = make_train_step(model, data, batch=batch, lr=lr)
    d_state, g_state = init_states(params)
    writer = summary_writer(os.path.join(outdir, "tb"), model, params, z0, data[:batch])
    history: dict[str, list] = {"step": [], "d_loss": [], "g_loss": []}
    t_train = time.perf_counter()
    bar = tqdm(range(1, steps + 1), desc="GAN", disable=not progress, mininterval=0.5,
               file=sys.stdout)
    for i in bar:
        key, k = jax.random.split(key)
        params, d_state, g_state, dl, gl = step(params, d_state, g_state, k)
        if i % log_every == 0 or i == steps:
            dl, gl = float(dl), float(gl)
            history["step"].append(i)
            history["d_loss"].append(dl)
            history["g_loss"].append(gl)
            bar.set_postfix(D=f"{dl:.3f}", G=f"{gl:.3f}", refresh=False)
            writer.scalar("loss/discriminator", dl, i)
            writer.scalar("loss/generator", gl, i)
    bar.close()
    results["train_seconds"] = time.perf_counter() - t_train

    samples = generate(model, params, k_eval, 1000)
    results["samples_png"], results["losses_png"] = save_pictures(outdir, samples, history)
    writer.image("samples", sample_grid(samples), steps)
    writer.close()
    results["checkpoint"] = save_checkpoint(params, outdir, steps)
    if clf is not None:
        results["trained"] = score_samples(clf, samples)
    results["history"] = history
    results["params"] = params
    results["wall_seconds"] = time.perf_counter() - t0
    return results


def report(results: dict[str, Any]) -> None:
    print(f"trained {results['steps']} steps in {results['train_seconds']:.1f} s "
          f"(total {results['wall_seconds']:.1f} s) on {results['device']}")
    if "trained" in results:
        print(f"quality (logistic regression on real digits, 1000 samples; a class counts if "
              f">= {COVER_FRACTION:.0%} of samples):")
        for what in ("untrained", "trained", "real"):
            r = results[what]
            print(f"  {what:9s}: {r['classes_covered']:2d}/10 classes, mean confidence "
                  f"{r['mean_confidence']:.3f}, counts {r['class_counts']}")
    print(f"wrote {results['samples_png']}, {results['losses_png']}, checkpoint "
          f"{results['checkpoint']}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", choices=("auto", "true"), default="true",
                        help="share D's weights with reuse=True on the 2nd call, or AUTO_REUSE")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-4, help="Adam learning rate (beta1=0.5)")
    parser.add_argument("--layers", action="store_true",
                        help="build the layers with tf.layers.dense instead of tf.get_variable")
    parser.add_argument("--outdir", default="runs/gan")
    args = parser.parse_args(argv)
    results = train(steps=args.steps, seed=args.seed, reuse=args.reuse, batch=args.batch,
                    lr=args.lr, layers=args.layers, outdir=args.outdir)
    report(results)
    return results


if __name__ == "__main__":
    main()
