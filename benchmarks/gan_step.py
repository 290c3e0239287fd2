"""GAN train step: one jitted function doing a discriminator Adam step, then a generator step.

The model is the GAN example's (`examples/gan.py`: MLP generator and
discriminator with leaky ReLU 0.2, written `max(0.2 x, x)` as the example
does; the discriminator applied to the real and the fake batch with one set
of weights; one-sided label smoothing 0.9; Adam lr 2e-4, beta1 0.5). Every
implementation gets the same batch (128) of noise and "real" images as
arguments, so the step times only the model, the gradients and the
optimizer. The peers' layer sizes are read off the minitf model's params, so
they follow the example if it changes. (If the example cannot be imported, a
local copy of its model with one hidden layer per network is used.)
"""
from __future__ import annotations

import importlib.util
import pathlib
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
import optax

import minitf as tf
from minitf import train as tftrain
from timing import HAND, Table, compiled_ops, interleaved, print_table, tf1

BATCH = 128
LR, BETA1 = 2e-4, 0.5
REAL_LABEL = 0.9
EXAMPLE = pathlib.Path(__file__).resolve().parent.parent / "examples" / "gan.py"


def load_example() -> Any:
    """`examples/gan.py` as a module (its `build_model()` and `losses(model)`), else a stand-in."""
    try:
        spec = importlib.util.spec_from_file_location("minitf_example_gan", EXAMPLE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.build_model, module.losses  # noqa: B018 - the two entry points used here
        return module
    except (OSError, ImportError, AttributeError, SyntaxError) as err:
        print(f"  (examples/gan.py not usable: {err!r}; using the stand-in GAN)")
        return StandInExample


class StandInExample:
    """G: z 64 -> 256 -> 64 (tanh); D: 64 -> 256 -> 1; leaky ReLU 0.2; as the example's API."""

    @staticmethod
    def build_model() -> tf.Transformed:
        def dense(x, units, name):
            with tf.variable_scope(name):
                kernel = tf.get_variable("kernel", [x.shape[-1], units])
                bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
            return x @ kernel + bias

        def discriminator(x, reuse=None):
            with tf.variable_scope("discriminator", reuse=reuse):
                return dense(leaky_relu(dense(x, 256, "hidden")), 1, "out")[:, 0]

        def gan(z, real):
            with tf.variable_scope("generator"):
                fake = jnp.tanh(dense(leaky_relu(dense(z, 256, "hidden")), 64, "out"))
            return fake, discriminator(real), discriminator(fake, reuse=True)

        return tf.transform(gan)

    @staticmethod
    def losses(model: tf.Transformed) -> tuple[Callable, Callable]:
        def d_loss(params, z, real):
            _, d_real, d_fake = model.apply(params, z, real)
            return bce(d_real, REAL_LABEL) + bce(d_fake, 0.0)

        def g_loss(params, z, real):
            return bce(model.apply(params, z, real)[2], 1.0)

        return d_loss, g_loss


def batch(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"z_d": rng.standard_normal((BATCH, 64), np.float32),
            "z_g": rng.standard_normal((BATCH, 64), np.float32),
            "real": rng.uniform(-1, 1, (BATCH, 64)).astype(np.float32)}


def layers(params: dict, scope: str) -> list[tuple[str, int]]:
    """`[(layer scope, units)]` of one network, from the minitf params (creation order)."""
    return [(name[: -len("/kernel")], value.shape[1]) for name, value in params.items()
            if name.startswith(scope + "/") and name.endswith("/kernel")]


def leaky_relu(x: jax.Array) -> jax.Array:
    """The example's leaky ReLU (alpha 0.2), so every implementation computes the same ops."""
    return jnp.maximum(0.2 * x, x)


def bce(logits: jax.Array, label: float) -> jax.Array:
    return optax.sigmoid_binary_cross_entropy(logits, jnp.full_like(logits, label)).mean()


# -- the optax implementations share one step ---------------------------------------------

class OptaxGan:
    """A jitted D-then-G Adam step (optax) over `(d, g)` param trees.

    Subclasses give the losses `d_loss(d, g, z, real)` and `g_loss(g, d, z, real)`
    (their model code) and `convert(minitf_params) -> (d, g)` (their params layout).
    """

    name = ""

    def __init__(self, d_loss: Callable, g_loss: Callable) -> None:
        self.d_loss, self.g_loss = d_loss, g_loss
        self.opt = opt = optax.adam(LR, b1=BETA1)

        @jax.jit
        def step(d, g, d_state, g_state, z_d, z_g, real):
            d_loss_value, grads = jax.value_and_grad(d_loss)(d, g, z_d, real)
            updates, d_state = opt.update(grads, d_state, d)
            d = optax.apply_updates(d, updates)
            g_loss_value, grads = jax.value_and_grad(g_loss)(g, d, z_g, real)
            updates, g_state = opt.update(grads, g_state, g)
            g = optax.apply_updates(g, updates)
            return d, g, d_state, g_state, d_loss_value, g_loss_value

        self._step = step

    def convert(self, params: dict) -> tuple[Any, Any]:
        raise NotImplementedError

    def stepper(self, params: dict, data: dict) -> Callable[[], Any]:
        d, g = self.convert(params)
        state = [d, g, self.opt.init(d), self.opt.init(g)]
        args = [jnp.asarray(data[k]) for k in ("z_d", "z_g", "real")]

        def run():
            out = self._step(*state, *args)
            state[:] = out[:4]
            return out

        return run

    def losses(self, params: dict, data: dict) -> tuple[float, float]:
        d, g = self.convert(params)
        return (float(self.d_loss(d, g, data["z_d"], data["real"])),
                float(self.g_loss(g, d, data["z_g"], data["real"])))

    def compiled_ops(self, params: dict, data: dict) -> dict[str, int]:
        d, g = self.convert(params)
        return compiled_ops(self._step, d, g, self.opt.init(d), self.opt.init(g),
                            *(jnp.asarray(data[k]) for k in ("z_d", "z_g", "real")))


# -- minitf ------------------------------------------------------------------------------

class Minitf(OptaxGan):
    """The example's model and losses (`tf.transform`ed), trained with optax like the peers."""

    name = "minitf"

    def __init__(self, example: Any, data: dict) -> None:
        self.model = example.build_model()
        self.params = self.model.init(jax.random.PRNGKey(0), data["z_d"], data["real"])
        self.full_d_loss, self.full_g_loss = example.losses(self.model)  # (params, z, real)
        super().__init__(lambda d, g, z, real: self.full_d_loss({**g, **d}, z, real),
                         lambda g, d, z, real: self.full_g_loss({**g, **d}, z, real))

    def convert(self, params: dict) -> tuple[dict, dict]:
        return tf.params_in_scope(params, "discriminator"), tf.params_in_scope(params, "generator")


class MinitfTrain(Minitf):
    """The example's own training API: `tf.train.AdamOptimizer(...).minimize(var_list=scope)`."""

    name = "minitf (tf.train.AdamOptimizer)"

    def __init__(self, example: Any, data: dict) -> None:
        super().__init__(example, data)
        adam = lambda: tftrain.AdamOptimizer(LR, beta1=BETA1)  # noqa: E731
        model = self.model
        self.d_train = adam().minimize(self.full_d_loss, var_list="discriminator/", model=model)
        self.g_train = adam().minimize(self.full_g_loss, var_list="generator/", model=model)

        @jax.jit
        def step(params, d_state, g_state, z_d, z_g, real):
            params, d_state, d_loss = self.d_train(params, d_state, z_d, real)
            params, g_state, g_loss = self.g_train(params, g_state, z_g, real)
            return params, d_state, g_state, d_loss, g_loss

        self._train_step = step

    def stepper(self, params: dict, data: dict) -> Callable[[], Any]:
        state = [params, self.d_train.init(params), self.g_train.init(params)]
        args = [jnp.asarray(data[k]) for k in ("z_d", "z_g", "real")]

        def run():
            out = self._train_step(*state, *args)
            state[:] = out[:3]
            return out

        return run


# -- hand-written JAX + optax ----------------------------------------------------------

def mlp(layers: list, x: jax.Array, final: Callable = lambda y: y) -> jax.Array:
    for w, b in layers[:-1]:
        x = leaky_relu(x @ w + b)
    w, b = layers[-1]
    return final(x @ w + b)


class HandJax(OptaxGan):
    """Params are lists of (w, b) per layer; the networks are plain functions."""

    name = HAND

    def __init__(self) -> None:
        generator = lambda g, z: mlp(g, z, jnp.tanh)  # noqa: E731
        discriminator = lambda d, x: mlp(d, x)[:, 0]  # noqa: E731

        def d_loss(d, g, z, real):
            return (bce(discriminator(d, real), REAL_LABEL)
                    + bce(discriminator(d, generator(g, z)), 0.0))

        def g_loss(g, d, z, real):
            return bce(discriminator(d, generator(g, z)), 1.0)

        super().__init__(d_loss, g_loss)

    def convert(self, params: dict) -> tuple[list, list]:
        net = lambda scope: [(params[f"{n}/kernel"], params[f"{n}/bias"])  # noqa: E731
                             for n, _ in layers(params, scope)]
        return net("discriminator"), net("generator")


# -- Haiku ---------------------------------------------------------------------------

class Haiku(OptaxGan):
    """Two `hk.transform`s of `hk.nets.MLP`s (as Haiku's GAN example)."""

    name = "Haiku"

    def __init__(self, g_sizes: list[int], d_sizes: list[int]) -> None:
        import haiku as hk

        self.G = G = hk.without_apply_rng(hk.transform(
            lambda z: jnp.tanh(hk.nets.MLP(g_sizes, activation=leaky_relu, name="generator")(z))))
        self.D = D = hk.without_apply_rng(hk.transform(
            lambda x: hk.nets.MLP(d_sizes, activation=leaky_relu, name="discriminator")(x)[:, 0]))

        def d_loss(d, g, z, real):
            return bce(D.apply(d, real), REAL_LABEL) + bce(D.apply(d, G.apply(g, z)), 0.0)

        def g_loss(g, d, z, real):
            return bce(D.apply(d, G.apply(g, z)), 1.0)

        super().__init__(d_loss, g_loss)

    def convert(self, params: dict) -> tuple[dict, dict]:
        net = lambda scope: {f"{scope}/~/linear_{i}": {"w": params[f"{n}/kernel"],  # noqa: E731
                                                        "b": params[f"{n}/bias"]}
                             for i, (n, _) in enumerate(layers(params, scope))}
        d, g = net("discriminator"), net("generator")
        native = (self.D.init(jax.random.PRNGKey(1), params_input(params, "discriminator")),
                  self.G.init(jax.random.PRNGKey(2), params_input(params, "generator")))
        assert jax.tree.structure((d, g)) == jax.tree.structure(native), "Haiku params layout"
        return d, g


# -- Flax linen ------------------------------------------------------------------------

class Flax(OptaxGan):
    """Two `nn.Module`s (an MLP of `nn.Dense` layers), applied with `module.apply`."""

    name = "Flax"

    def __init__(self, g_sizes: list[int], d_sizes: list[int]) -> None:
        import flax.linen as nn

        class MLP(nn.Module):
            features: tuple[int, ...]

            @nn.compact
            def __call__(self, x):
                for f in self.features[:-1]:
                    x = leaky_relu(nn.Dense(f)(x))
                return nn.Dense(self.features[-1])(x)

        self.G = G = MLP(tuple(g_sizes))
        self.D = D = MLP(tuple(d_sizes))

        def d_loss(d, g, z, real):
            fake = jnp.tanh(G.apply(g, z))
            return bce(D.apply(d, real)[:, 0], REAL_LABEL) + bce(D.apply(d, fake)[:, 0], 0.0)

        def g_loss(g, d, z, real):
            return bce(D.apply(d, jnp.tanh(G.apply(g, z)))[:, 0], 1.0)

        super().__init__(d_loss, g_loss)

    def convert(self, params: dict) -> tuple[dict, dict]:
        net = lambda scope: {"params": {  # noqa: E731
            f"Dense_{i}": {"kernel": params[f"{n}/kernel"], "bias": params[f"{n}/bias"]}
            for i, (n, _) in enumerate(layers(params, scope))}}
        d, g = net("discriminator"), net("generator")
        native = (self.D.init(jax.random.PRNGKey(1), params_input(params, "discriminator")),
                  self.G.init(jax.random.PRNGKey(2), params_input(params, "generator")))
        assert jax.tree.structure((d, g)) == jax.tree.structure(native), "Flax params layout"
        return d, g


def params_input(params: dict, scope: str) -> jax.Array:
    """A dummy input batch for the network in `scope` (for the peers' own init)."""
    first = layers(params, scope)[0][0]
    return jnp.zeros((BATCH, params[f"{first}/kernel"].shape[0]))


# -- TF1 graph mode ----------------------------------------------------------------------

class TF1:
    """The same model in `tensorflow.compat.v1`: placeholders, get_variable, two minimize ops."""

    name = "TF1 (Session)"

    def __init__(self, g_layers: list[tuple[str, int]], d_layers: list[tuple[str, int]]) -> None:
        tf_ = tf1()
        self.graph = tf_.Graph()
        with self.graph.as_default():
            self.z_d = tf_.placeholder(tf_.float32, [BATCH, 64], name="z_d")
            self.z_g = tf_.placeholder(tf_.float32, [BATCH, 64], name="z_g")
            self.real = tf_.placeholder(tf_.float32, [BATCH, 64], name="real")

            def dense(x, scope_name, units):
                with tf_.variable_scope(scope_name.rsplit("/", 1)[-1]):
                    kernel = tf_.get_variable("kernel", [x.shape[-1], units])
                    bias = tf_.get_variable("bias", [units], initializer=tf_.zeros_initializer())
                return tf_.matmul(x, kernel) + bias

            def mlp(x, scope, net):
                with tf_.variable_scope(scope, reuse=tf_.AUTO_REUSE):
                    for name, units in net[:-1]:
                        h = dense(x, name, units)
                        x = tf_.maximum(0.2 * h, h)
                    return dense(x, *net[-1])

            def bce(logits, label):
                return tf_.reduce_mean(tf_.nn.sigmoid_cross_entropy_with_logits(
                    labels=tf_.fill(tf_.shape(logits), label), logits=logits))

            generator = lambda z: tf_.tanh(mlp(z, "generator", g_layers))  # noqa: E731
            discriminator = lambda x: mlp(x, "discriminator", d_layers)[:, 0]  # noqa: E731
            self.d_loss = (bce(discriminator(self.real), REAL_LABEL)
                           + bce(discriminator(generator(self.z_d)), 0.0))
            self.g_loss = bce(discriminator(generator(self.z_g)), 1.0)
            adam = lambda: tf_.train.AdamOptimizer(LR, beta1=BETA1)  # noqa: E731
            self.d_train = adam().minimize(
                self.d_loss, var_list=tf_.trainable_variables("discriminator"))
            with tf_.control_dependencies([self.d_train]):  # the G step after the D step
                self.g_train = adam().minimize(
                    self.g_loss, var_list=tf_.trainable_variables("generator"))
            self.init_op = tf_.global_variables_initializer()
            self.variables = {v.op.name: v for v in tf_.trainable_variables()}
        self.sess = tf_.Session(graph=self.graph)
        self.sess.run(self.init_op)

    def feed(self, data: dict) -> dict:
        return {self.z_d: data["z_d"], self.z_g: data["z_g"], self.real: data["real"]}

    def load(self, params: dict) -> None:
        with self.graph.as_default():
            for name, var in self.variables.items():
                var.load(np.asarray(params[name]), self.sess)

    def stepper(self, params: dict, data: dict) -> Callable[[], Any]:
        self.load(params)
        feed = self.feed(data)
        fetches = [self.d_train, self.g_train, self.d_loss, self.g_loss]
        return lambda: self.sess.run(fetches, feed)

    def losses(self, params: dict, data: dict) -> tuple[float, float]:
        self.load(params)
        d, g = self.sess.run([self.d_loss, self.g_loss], self.feed(data))
        return float(d), float(g)


# -- the family ------------------------------------------------------------------------------

def implementations(data: dict) -> tuple[dict, list]:
    """(minitf params, the implementations), the peers shaped like the example's model."""
    example = load_example()
    mtf = Minitf(example, data)
    params = mtf.params
    g_layers, d_layers = layers(params, "generator"), layers(params, "discriminator")
    g_sizes, d_sizes = [u for _, u in g_layers], [u for _, u in d_layers]
    impls = [HandJax(), mtf, MinitfTrain(example, data), Haiku(g_sizes, d_sizes),
             Flax(g_sizes, d_sizes), TF1(g_layers, d_layers)]
    return params, impls


def check() -> None:
    """Same params and batch -> the same D and G losses everywhere, and after one train step.

    The step's G loss is computed after the D update, so it also checks the D
    step (TF1's Adam differs from optax's only in where epsilon goes). TF1 is
    checked on the forward losses only: losses fetched in the same `sess.run`
    as the train ops may read variables before or after their update.
    """
    data = batch(1)
    params, impls = implementations(data)
    params = jax.tree.map(lambda x: x + 0.01 * jnp.sign(x + 0.5), params)  # biases nonzero too
    ref = impls[0].losses(params, data)
    ref_step = [float(v) for v in impls[0].stepper(params, data)()[-2:]]
    same = impls[1].compiled_ops(params, data) == impls[0].compiled_ops(params, data)
    assert same, "minitf's compiled GAN step differs from hand JAX's"
    print(f"  gan: minitf's jitted step compiles to the same HLO instructions as {HAND}'s")
    for impl in impls[1:]:
        got = impl.losses(params, data)
        np.testing.assert_allclose(got, ref, rtol=2e-5, atol=1e-6, err_msg=impl.name)
        line = f"  gan: {impl.name:34s} d_loss {got[0]:.6f} g_loss {got[1]:.6f}"
        if not isinstance(impl, TF1):
            step = [float(v) for v in impl.stepper(params, data)()[-2:]]
            np.testing.assert_allclose(step, ref_step, rtol=1e-4, err_msg=f"{impl.name}: step")
            line += f"; after a D step g_loss {step[1]:.6f}"
        print(line + f"  == {HAND}")


def run(quick: bool = False) -> list[Table]:
    data = batch(0)
    params, impls = implementations(data)
    steppers = {impl.name: impl.stepper(params, data) for impl in impls}
    times = interleaved(steppers, repeats=3 if quick else 40,
                        min_sample_s=0.01 if quick else 0.05, warmup=2)
    table = Table(f"GAN train step (batch {BATCH}, D step + G step, Adam, one jitted call)",
                  target=1.03,
                  note="Per step; each sample chains steps on the previous step's params. "
                       "TF1 runs `sess.run([d_train_op, g_train_op, d_loss, g_loss], feed_dict)`.")
    table.add_all(times)
    print_table(table)
    return [table]
