"""The digits GAN written as a TF1 *program*: placeholders, train ops, a `sess.run` loop.

This is how the GAN looked in TensorFlow 1.x, and it runs with `import minitf
as tf` as the only change: the generator and the discriminator use
`tf.variable_scope` + `tf.get_variable`, the discriminator is built twice
(real and fake inputs) with `reuse=True` the second time, two
`tf.train.AdamOptimizer(...).minimize(loss, var_list=...)` build the train
ops, and a `tf.Session` runs them with `feed_dict`s. minitf compiles each
distinct `sess.run` once with `jax.jit` (`sess.compile_count` says how often).

Quality is measured exactly as in examples/gan.py (a logistic regression fitted
on the real digits labels 1000 samples).

    python examples/gan_tf1.py                 # 15000 steps
    python examples/gan_tf1.py --steps 2000
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import numpy as np
from gan import fit_classifier, load_data, save_pictures, score_samples

import minitf as tf

Z_DIM, HIDDEN, IMAGE = 64, 256, 64


def dense(x, units, name):
    with tf.variable_scope(name):
        kernel = tf.get_variable("kernel", [x.get_shape()[-1].value, units])
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
    return tf.matmul(x, kernel) + bias


def generator(z):
    with tf.variable_scope("generator"):
        h = tf.nn.leaky_relu(dense(z, HIDDEN, "hidden1"), alpha=0.2)
        h = tf.nn.leaky_relu(dense(h, HIDDEN, "hidden2"), alpha=0.2)
        return tf.tanh(dense(h, IMAGE, "out"))


def discriminator(x, reuse=None):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.nn.leaky_relu(dense(x, HIDDEN, "hidden"), alpha=0.2)
        return dense(h, 1, "out")


class GAN:
    """The whole TF1 model: inputs, networks, losses and train ops, built in the graph."""

    def __init__(self, lr: float = 2e-4, real_label: float = 0.9) -> None:
        self.z = tf.placeholder(tf.float32, [None, Z_DIM], name="z")
        self.real = tf.placeholder(tf.float32, [None, IMAGE], name="real")
        self.fake = generator(self.z)
        d_real = discriminator(self.real)
        d_fake = discriminator(self.fake, reuse=True)
        xent = tf.nn.sigmoid_cross_entropy_with_logits
        with tf.name_scope("losses"):
            self.d_loss = (
                tf.reduce_mean(xent(logits=d_real, labels=tf.ones_like(d_real) * real_label))
                + tf.reduce_mean(xent(logits=d_fake, labels=tf.zeros_like(d_fake))))
            self.g_loss = tf.reduce_mean(xent(logits=d_fake, labels=tf.ones_like(d_fake)))
        d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
        g_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
        with tf.name_scope("train"):
            self.global_step = tf.train.get_or_create_global_step()
            self.d_train = tf.train.AdamOptimizer(lr, beta1=0.5).minimize(
                self.d_loss, var_list=d_vars)
            self.g_train = tf.train.AdamOptimizer(lr, beta1=0.5).minimize(
                self.g_loss, var_list=g_vars, global_step=self.global_step)


def train(steps: int = 15000, seed: int = 0, batch: int = 64, outdir: str = "runs/gan_tf1",
          evaluate: bool = True) -> dict[str, Any]:
    os.makedirs(outdir, exist_ok=True)
    x_np, y_np = load_data()
    rng = np.random.RandomState(seed)
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    model = GAN()
    saver = tf.train.Saver(max_to_keep=2)
    results: dict[str, Any] = {"steps": steps}
    clf = fit_classifier(x_np, y_np) if evaluate else None
    history: dict[str, list] = {"step": [], "d_loss": [], "g_loss": []}
    z_eval = rng.randn(1000, Z_DIM).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if clf is not None:
            results["untrained"] = score_samples(clf, sess.run(model.fake, {model.z: z_eval}))
            results["real"] = score_samples(clf, x_np[rng.choice(len(x_np), 1000, False)])
        start = time.perf_counter()
        for step in range(1, steps + 1):
            real = x_np[rng.randint(0, len(x_np), batch)]
            z = rng.randn(batch, Z_DIM).astype(np.float32)
            _, d_loss = sess.run([model.d_train, model.d_loss], {model.z: z, model.real: real})
            _, g_loss = sess.run([model.g_train, model.g_loss], {model.z: z})
            if step % 50 == 0 or step == steps:
                history["step"].append(step)
                history["d_loss"].append(float(d_loss))
                history["g_loss"].append(float(g_loss))
        results["train_seconds"] = time.perf_counter() - start
        results["compiles"] = sess.compile_count
        results["checkpoint"] = saver.save(sess, os.path.join(outdir, "ckpt", "gan"),
                                           global_step=model.global_step)
        samples = sess.run(model.fake, {model.z: z_eval})
    results["samples_png"], results["losses_png"] = save_pictures(outdir, samples, history)
    if clf is not None:
        results["trained"] = score_samples(clf, samples)
    results["history"] = history
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--outdir", default="runs/gan_tf1")
    args = parser.parse_args(argv)
    results = train(steps=args.steps, seed=args.seed, outdir=args.outdir)
    print(f"trained {results['steps']} steps in {results['train_seconds']:.1f} s "
          f"({results['compiles']} compilations)")
    for what in ("untrained", "trained", "real"):
        if what in results:
            r = results[what]
            print(f"  {what:9s}: {r['classes_covered']:2d}/10 classes, mean confidence "
                  f"{r['mean_confidence']:.3f}")
    print(f"wrote {results['samples_png']}, {results['losses_png']}, checkpoint "
          f"{results['checkpoint']}")
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
