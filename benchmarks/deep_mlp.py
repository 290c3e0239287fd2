"""200-layer MLP of width 64: init, jit compile, steady jitted apply, un-jitted apply.

Each layer is `relu(x @ w + b)` (no relu after the last) with a [64, 64]
kernel and a [64] bias in its own scope: 400 variables. Un-jitted apply runs
op by op, so it shows a framework's per-layer Python overhead; compile time
shows the cost of tracing the model; init is a fresh model object each time.
"""
from __future__ import annotations

import functools
import math
import time
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from timing import (HAND, LazyMinitf, Table, compiled_ops, fresh_calls, frozen_heap, interleaved,
                    paused_gc, print_table, tf1)

tf = LazyMinitf()  # imported on first use: see timing.LazyMinitf

LAYERS, WIDTH, BATCH = 200, 64, 32


# -- the implementations: build() -> model, init(model, rng, x), apply(model)(params, x) -------

class Impl:
    name = ""

    def __init__(self, layers: int = LAYERS, relu: Callable | None = None) -> None:
        """`relu`: the activation (default: the framework's own; minitf's and hand JAX's
        can be swapped so both sides run the same ops op by op)."""
        self.layers = layers
        self.relu = relu


class Minitf(Impl):
    name = "minitf"

    def build(self) -> Any:
        layers, relu = self.layers, self.relu or tf.nn.relu

        def mlp(x):
            for i in range(layers):
                with tf.variable_scope(f"layer_{i}"):
                    w = tf.get_variable("weights", [WIDTH, WIDTH])
                    b = tf.get_variable("biases", [WIDTH], initializer=tf.zeros_initializer())
                    x = x @ w + b
                if i < layers - 1:
                    x = relu(x)
            return x

        return tf.transform(mlp)

    def init(self, model: Any, rng: jax.Array, x: jax.Array) -> dict:
        return model.init(rng, x)

    def apply(self, model: Any) -> Callable:
        return model.apply

    def convert(self, params: dict) -> dict:
        return params


class HandJax(Impl):
    """Params: a list of (w, b); init: an eager loop of `jax.random.uniform` (Glorot)."""

    name = HAND

    def build(self) -> None:
        return None

    def init(self, model: Any, rng: jax.Array, x: jax.Array) -> list:
        limit = math.sqrt(6.0 / (WIDTH + WIDTH))
        return [(jax.random.uniform(k, (WIDTH, WIDTH), minval=-limit, maxval=limit),
                 jnp.zeros((WIDTH,))) for k in jax.random.split(rng, self.layers)]

    def apply(self, model: Any) -> Callable:
        relu = self.relu or jax.nn.relu

        def mlp(params, x):
            for w, b in params[:-1]:
                x = relu(x @ w + b)
            w, b = params[-1]
            return x @ w + b

        return mlp

    def convert(self, params: dict) -> list:
        return [(params[f"layer_{i}/weights"], params[f"layer_{i}/biases"])
                for i in range(self.layers)]


class Haiku(Impl):
    name = "Haiku"

    def build(self) -> Any:
        import haiku as hk

        sizes = [WIDTH] * self.layers
        return hk.without_apply_rng(hk.transform(lambda x: hk.nets.MLP(sizes)(x)))

    def init(self, model: Any, rng: jax.Array, x: jax.Array) -> dict:
        return model.init(rng, x)

    def apply(self, model: Any) -> Callable:
        return model.apply

    def convert(self, params: dict) -> dict:
        return {f"mlp/~/linear_{i}": {"w": params[f"layer_{i}/weights"],
                                      "b": params[f"layer_{i}/biases"]}
                for i in range(self.layers)}


class Flax(Impl):
    name = "Flax"

    def build(self) -> Any:
        import flax.linen as nn

        class MLP(nn.Module):
            layers: int

            @nn.compact
            def __call__(self, x):
                for i in range(self.layers):
                    x = nn.Dense(WIDTH)(x)
                    if i < self.layers - 1:
                        x = nn.relu(x)
                return x

        return MLP(self.layers)

    def init(self, model: Any, rng: jax.Array, x: jax.Array) -> dict:
        return model.init(rng, x)

    def apply(self, model: Any) -> Callable:
        return model.apply

    def convert(self, params: dict) -> dict:
        return {"params": {f"Dense_{i}": {"kernel": params[f"layer_{i}/weights"],
                                          "bias": params[f"layer_{i}/biases"]}
                           for i in range(self.layers)}}


class TF1(Impl):
    """Graph construction + `Session` + `global_variables_initializer` is TF1's init."""

    name = "TF1 (Session)"

    def build(self) -> Any:
        tf_ = tf1()
        graph = tf_.Graph()
        with graph.as_default():
            x = tf_.placeholder(tf_.float32, [BATCH, WIDTH])
            h = x
            for i in range(self.layers):
                with tf_.variable_scope(f"layer_{i}"):
                    w = tf_.get_variable("weights", [WIDTH, WIDTH])
                    b = tf_.get_variable("biases", [WIDTH], initializer=tf_.zeros_initializer())
                    h = tf_.matmul(h, w) + b
                if i < self.layers - 1:
                    h = tf_.nn.relu(h)
            init = tf_.global_variables_initializer()
            variables = {v.op.name: v for v in tf_.global_variables()}
        return {"graph": graph, "x": x, "out": h, "init": init, "variables": variables,
                "sess": tf_.Session(graph=graph)}

    def init(self, model: Any, rng: Any, x: Any) -> Any:
        model["sess"].run(model["init"])
        return model

    def run_init(self) -> None:
        """A fresh graph, session and initialization (closed afterwards)."""
        model = self.build()
        self.init(model, None, None)
        model["sess"].close()

    def apply(self, model: Any) -> Callable:
        return lambda params, x: model["sess"].run(model["out"], {model["x"]: np.asarray(x)})

    def load(self, model: Any, params: dict) -> None:
        with model["graph"].as_default():
            for name, var in model["variables"].items():
                var.load(np.asarray(params[name]), model["sess"])


def jax_impls(layers: int = LAYERS) -> list[Impl]:
    return [HandJax(layers), Minitf(layers), Haiku(layers), Flax(layers)]


def inputs(seed: int = 0) -> jax.Array:
    return jnp.asarray(np.random.default_rng(seed).standard_normal((BATCH, WIDTH), np.float32))


def check() -> None:
    """The same params give the same output in every implementation."""
    x = inputs(1)
    mtf = Minitf()
    params = mtf.init(mtf.build(), jax.random.PRNGKey(3), x)
    params = {k: v * 1.5 + 0.01 for k, v in params.items()}  # keep activations alive
    ref = np.asarray(HandJax().apply(None)(HandJax().convert(params), x))
    assert np.abs(ref).max() > 1e-3, "activations vanished: the check would be vacuous"
    # Same HLO with the same activation on both sides (tf.nn.relu is a `where`, exact to TF
    # for NaN and the gradient at 0; jax.nn.relu a `max`): the scopes add nothing compiled.
    for relu_name, relu in (("tf.nn.relu", tf.nn.relu), ("jax.nn.relu", jax.nn.relu)):
        mine, hand = Minitf(relu=relu), HandJax(relu=relu)
        assert (compiled_ops(jax.jit(mine.apply(mine.build())), params, x)
                == compiled_ops(jax.jit(hand.apply(None)), hand.convert(params), x)), \
            f"HLO differs ({relu_name})"
    print(f"  mlp: minitf's jitted apply compiles to the same HLO instructions as {HAND}'s "
          "(tf.nn.relu on both sides, and jax.nn.relu on both sides)")
    for impl in jax_impls()[1:]:
        model = impl.build()
        native = impl.init(model, jax.random.PRNGKey(0), x)
        assert jax.tree.structure(native) == jax.tree.structure(impl.convert(params)), impl.name
        for jit in (False, True):
            fn = impl.apply(model)
            got = (jax.jit(fn) if jit else fn)(impl.convert(params), x)
            np.testing.assert_allclose(got, ref, rtol=2e-4, atol=2e-5 * np.abs(ref).max(),
                                       err_msg=f"{impl.name} jit={jit}")
        print(f"  mlp: {impl.name:14s} output == {HAND} (jitted and un-jitted)")
    tf1_impl = TF1()
    model = tf1_impl.build()
    tf1_impl.init(model, None, None)
    tf1_impl.load(model, params)
    got = tf1_impl.apply(model)(None, x)
    np.testing.assert_allclose(got, ref, rtol=2e-4, atol=2e-5 * np.abs(ref).max(), err_msg="TF1")
    model["sess"].close()
    print(f"  mlp: {'TF1 (Session)':14s} output == {HAND}")


def _init_maker(impl: Any, x: jax.Array) -> Callable[[], Any]:
    if isinstance(impl, TF1):
        return impl.run_init
    return lambda: impl.init(impl.build(), jax.random.PRNGKey(0), x)


def _compile(impl: Any, model: Any, params: Any, x: jax.Array) -> tuple[float, float]:
    """(trace + lower seconds, total seconds) of a fresh `jax.jit(apply)`."""
    apply = impl.apply(model)
    fresh = lambda p, x: apply(p, x)  # noqa: E731 - a new function: no tracing cache hit
    with paused_gc():
        start = time.perf_counter()
        lowered = jax.jit(fresh).lower(params, x)
        lowered_at = time.perf_counter()
        lowered.compile()
        end = time.perf_counter()
    return lowered_at - start, end - start


def run(quick: bool = False) -> list[Table]:
    layers = 50 if quick else LAYERS
    depth = f"{layers}-layer MLP (width {WIDTH}, {2 * layers} variables)"
    x = inputs()
    # Tables (a)-(c) run every JAX model with jax.nn.relu (Haiku's and Flax's activation), so
    # minitf's and hand JAX's jitted applies are the same compiled program; (d) runs both relus.
    impls = [HandJax(layers), Minitf(layers, jax.nn.relu), Haiku(layers), Flax(layers)]
    tf1_impl = TF1(layers)
    everyone = [*impls, tf1_impl]

    # (a) init: a fresh model object per call; call 0 (the first in this process) shown apart.
    repeats = {impl.name: 3 if quick else 16 for impl in everyone}
    repeats[tf1_impl.name] = 2 if quick else 6  # ~2 s a call
    init_times = fresh_calls({impl.name: _init_maker(impl, x) for impl in everyone}, repeats)
    init = Table(f"(a) warm init, {depth}, fresh model object", target=1.0,
                 extra_columns=("first call",),
                 why="minitf's init traces the model (jax.eval_shape) to discover its "
                     "variables; hand JAX's never runs the model",
                 note="`model.init(rng, x)` on a newly built model (TF1: graph construction, "
                      "Session, `global_variables_initializer`). *first call*: the first init in "
                      "this process (compiles the samplers), not in the median. Hand JAX's init "
                      "never runs the model; minitf's traces it once (`jax.eval_shape`) to "
                      "discover the variables; Haiku's and Flax's run it.")
    for name, values in init_times.items():
        init.add(name, values[1:], **{"first call": f"{values[0]:.2f} s"})

    # (b) compile: trace + lower + XLA compile of a fresh jax.jit(apply), round-robin.
    models = {impl.name: impl.build() for impl in impls}
    params = {impl.name: impl.init(models[impl.name], jax.random.PRNGKey(0), x) for impl in impls}
    lowers: dict[str, list[float]] = {impl.name: [] for impl in impls}
    totals: dict[str, list[float]] = {impl.name: [] for impl in impls}
    with frozen_heap():
        for r in range(2 if quick else 7):
            for impl in impls[r % 4:] + impls[:r % 4]:
                low, total = _compile(impl, impl.build(), params[impl.name], x)
                lowers[impl.name].append(low)
                totals[impl.name].append(total)
    compile_ = Table(f"(b) jit compile of apply, {depth}: "
                     "`jax.jit(apply).lower(params, x).compile()`",
                     target=1.05, extra_columns=("of which trace + lower",),
                     note="A fresh model object and a fresh function each repeat (no tracing "
                          "cache hit); total time, with the trace + lower part (where a "
                          "framework's own Python runs) apart.")
    compile_.add_all(totals, **{"of which trace + lower": {
        k: f"{np.median(v) * 1e3:.0f} ms" for k, v in lowers.items()}})

    # (c) steady jitted apply and (d) un-jitted apply, interleaved.
    steady_fns = {impl.name: functools.partial(jax.jit(impl.apply(models[impl.name])),
                                               params[impl.name], x) for impl in impls}
    tf1_model = tf1_impl.build()
    tf1_impl.init(tf1_model, None, None)
    steady_fns[tf1_impl.name] = functools.partial(tf1_impl.apply(tf1_model), None, x)
    steady = Table(f"(c) steady jitted apply, {depth}, batch {BATCH}", target=1.03,
                   note="`jax.jit(apply)(params, x)`; TF1: `sess.run(out, feed_dict)`. Same "
                        "compiled program for minitf and hand JAX (both with jax.nn.relu); minitf's params are a flat "
                        f"dict of {2 * layers} arrays, whose keys jit's dispatch sorts on every "
                        "call (hand JAX: a list of (w, b) tuples).")
    steady.add_all(interleaved(steady_fns, repeats=5 if quick else 30,
                               min_sample_s=0.01 if quick else 0.05, warmup=2))
    tf1_model["sess"].close()

    # (d) un-jitted apply with the same ops on both sides, once per relu: the difference
    # between minitf and hand JAX is minitf's scope machinery (per layer: two variable
    # scopes, two get_variable, the TF-named ops' wrappers).
    tables = [init, compile_, steady]
    for relu_name, relu in (("jax.nn.relu", jax.nn.relu), ("tf.nn.relu", tf.nn.relu)):
        variants = [HandJax(layers, relu), Minitf(layers, relu)]
        if relu is jax.nn.relu:  # Haiku's MLP and Flax's nn.relu use jax.nn.relu
            variants += [impl for impl in impls if impl.name in ("Haiku", "Flax")]
        fns = {}
        for impl in variants:
            model = models[impl.name] if impl.name in ("Haiku", "Flax") else impl.build()
            fns[impl.name] = functools.partial(impl.apply(model), params[impl.name], x)
        times = interleaved(fns, repeats=3 if quick else 20,
                            min_sample_s=0.02 if quick else 0.1, warmup=2)
        per_layer = (np.median(times["minitf"]) - np.median(times[HAND])) / layers
        eager = Table(f"(d) un-jitted apply, {depth}, batch {BATCH}, op by op, {relu_name} "
                      "on both sides", target=1.3,
                      extra_columns=("framework Python per layer",),
                      why=f"minitf's scope machinery costs {per_layer * 1e6:.0f} us per layer "
                          "(variable_scope, get_variable, tf_op wrappers: the core rewrite's "
                          "scope, not this benchmark's)",
                      note="`apply(params, x)` without jit: the framework's Python per layer "
                           f"({3 * layers - 1} JAX ops) on top of JAX's dispatch. minitf and hand "
                           f"JAX both call `{relu_name}`; *framework Python per layer* is "
                           "(median - hand JAX's median) / layers.")
        eager.add_all(times, **{"framework Python per layer": {
            name: f"{(np.median(v) - np.median(times[HAND])) / layers * 1e6:.0f} us"
            for name, v in times.items()}})
        tables.append(eager)
    for t in tables:
        print_table(t)
    return tables
