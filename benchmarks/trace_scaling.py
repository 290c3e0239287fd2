"""Fresh trace of `jax.jit(apply)` at 1,000 and 16,000 variables.

The model is the parameter-scaling layout (blocks `block_<i>/layer_<j>`, each
layer three [16, 16] kernels and a [16] bias) run as a chain:
`x = ((x @ w0) @ w1) @ w2 + b` per layer. Each repeat builds a fresh model
object and wraps its apply in a new function, then times
`jax.jit(fn).trace(params, x)`: the framework's Python plus JAX's tracing,
with no tracing-cache hit (re-tracing one function object would hit JAX's
cache and time nothing). Reported per variable; it should not grow with the
count.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

import minitf as tf
from param_scaling import KERNELS, SHAPE, layout
from timing import HAND, Stats, Table, frozen_heap, paused_gc, print_table

BATCH = 8


def inputs() -> jax.Array:
    return jnp.asarray(np.random.default_rng(0).standard_normal((BATCH, SHAPE[0]), np.float32))


# -- each implementation: make(n) -> (apply, params) with a fresh model object ---------------

def minitf_make(n: int, params: Any = None) -> tuple[Callable, Any]:
    def model(x):
        for i, js in layout(n):
            with tf.variable_scope(f"block_{i}"):
                for j in js:
                    with tf.variable_scope(f"layer_{j}"):
                        w0, w1, w2 = (tf.get_variable(k, SHAPE) for k in KERNELS)
                        b = tf.get_variable("b", SHAPE[1:], initializer=tf.zeros_initializer())
                        x = ((x @ w0) @ w1) @ w2 + b
        return x

    transformed = tf.transform(model)
    if params is None:
        params = transformed.init(jax.random.PRNGKey(0), inputs())
    return transformed.apply, params


def hand_make(n: int, params: Any = None) -> tuple[Callable, Any]:
    """Params: a list of (w0, w1, w2, b) per layer; apply: a loop over it."""
    def apply(params, x):
        for w0, w1, w2, b in params:
            x = ((x @ w0) @ w1) @ w2 + b
        return x

    if params is None:
        keys = jax.random.split(jax.random.PRNGKey(0), n // 4)
        params = [(*(jax.random.normal(k, SHAPE) * 0.25 for k in jax.random.split(key, 3)),
                   jnp.zeros(SHAPE[1:])) for key in keys]
    return apply, params


def haiku_make(n: int, params: Any = None) -> tuple[Callable, Any]:
    import haiku as hk

    class Layer(hk.Module):
        def __call__(self, x):
            w0, w1, w2 = (hk.get_parameter(k, SHAPE, init=hk.initializers.RandomNormal(0.25))
                          for k in KERNELS)
            return ((x @ w0) @ w1) @ w2 + hk.get_parameter("b", SHAPE[1:], init=jnp.zeros)

    class Block(hk.Module):
        def __init__(self, js, name):
            super().__init__(name=name)
            self.js = js

        def __call__(self, x):
            for j in self.js:
                x = Layer(name=f"layer_{j}")(x)
            return x

    def model(x):
        for i, js in layout(n):
            x = Block(js, name=f"block_{i}")(x)
        return x

    transformed = hk.without_apply_rng(hk.transform(model))
    if params is None:
        params = transformed.init(jax.random.PRNGKey(0), inputs())
    return transformed.apply, params


def flax_make(n: int, params: Any = None) -> tuple[Callable, Any]:
    import flax.linen as nn

    class Layer(nn.Module):
        @nn.compact
        def __call__(self, x):
            w0, w1, w2 = (self.param(k, nn.initializers.normal(0.25), SHAPE) for k in KERNELS)
            return ((x @ w0) @ w1) @ w2 + self.param("b", nn.initializers.zeros, SHAPE[1:])

    class Block(nn.Module):
        js: tuple

        @nn.compact
        def __call__(self, x):
            for j in self.js:
                x = Layer(name=f"layer_{j}")(x)
            return x

    class Model(nn.Module):
        @nn.compact
        def __call__(self, x):
            for i, js in layout(n):
                x = Block(tuple(js), name=f"block_{i}")(x)
            return x

    module = Model()
    if params is None:
        params = module.init(jax.random.PRNGKey(0), inputs())
    return module.apply, params


MAKERS: dict[str, Callable[..., tuple[Callable, Any]]] = {
    HAND: hand_make, "minitf": minitf_make, "Haiku": haiku_make, "Flax": flax_make}


def fresh_trace(make: Callable, n: int, params: Any, x: jax.Array) -> float:
    """Seconds of `jax.jit(fn).trace(params, x)` for a new model object and a new function."""
    apply, _ = make(n, params)
    fn = lambda p, x: apply(p, x)  # noqa: E731 - a new function object: no tracing-cache hit
    with paused_gc():
        start = time.perf_counter()
        jax.jit(fn).trace(params, x)
        return time.perf_counter() - start


def check() -> None:
    """Every implementation computes the same output from the same weights."""
    n, x = 36, inputs()
    apply, params = minitf_make(n)
    ref = np.asarray(apply(params, x))
    hand = [tuple(params[f"block_{i}/layer_{j}/{k}"] for k in (*KERNELS, "b"))
            for i, js in layout(n) for j in js]
    np.testing.assert_allclose(hand_make(n, hand)[0](hand, x), ref, rtol=1e-4, atol=1e-5)
    print(f"  trace: {HAND} output == minitf's (same weights)")


def run(quick: bool = False) -> list[Table]:
    sizes = (200, 1600) if quick else (1000, 16000)
    x = inputs()
    per_var: dict[tuple[str, int], float] = {}
    tables = []
    for n in sizes:
        repeats = 2 if quick else 5 if n <= 1000 else 3  # Flax: ~30 s a trace at 16,000
        params = {name: make(n)[1] for name, make in MAKERS.items()}
        times: dict[str, list[float]] = {name: [] for name in MAKERS}
        names = list(MAKERS)
        with frozen_heap():
            for r in range(repeats):
                for name in names[r % len(names):] + names[:r % len(names)]:
                    times[name].append(fresh_trace(MAKERS[name], n, params[name], x))
        table = Table(f"fresh trace of `jax.jit(apply)` at {n:,} variables", target=1.2,
                      extra_columns=("per variable",),
                      why="minitf's scope machinery per variable under tracing "
                          "(variable_scope, get_variable: the core rewrite's scope)",
                      note="A fresh model object and a fresh function each repeat, "
                           "`jax.jit(fn).trace(params, x)` (Python + JAX tracing, no lowering), "
                           "round-robin in one process; the first repeat is the first trace "
                           "of this model size in the process.")
        for name, values in times.items():
            per_var[name, n] = float(np.median(values)) / n
            table.add(name, values, **{"per variable": f"{per_var[name, n] * 1e6:.1f} us"})
        print_table(table)
        tables.append(table)
    first, last = sizes[0], sizes[-1]
    linear = Table(f"fresh trace scaling: cost per variable at {last:,} / at {first:,} variables",
                   target=1.25, target_on_value=True, unit=lambda r: f"{r:.2f}",
                   note="1.00 = flat; *vs hand JAX* compares the growth with hand JAX's.")
    for name in MAKERS:
        ratio = per_var[name, last] / per_var[name, first]
        linear.add(name, Stats(ratio, ratio, ratio, 1))
    print_table(linear)
    tables.append(linear)
    return tables
