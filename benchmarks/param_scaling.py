"""Parameter creation scaling: init of 1,000 / 4,000 / 16,000 variables in nested scopes.

The model only creates variables: blocks `block_<i>/layer_<j>` (j = 0, 1),
each layer with three [16, 16] kernels (Glorot uniform) and one [16] bias
(zeros), so 8 variables per block. Reported per variable; minitf's cost per
variable should not grow with the count (linear scaling).
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from timing import HAND, LazyMinitf, Stats, Table, fresh_calls, print_table, tf1

tf = LazyMinitf()  # imported on first use: see timing.LazyMinitf

PER_BLOCK = 8
KERNELS = ("w0", "w1", "w2")
SHAPE = (16, 16)
LIMIT = math.sqrt(6.0 / (16 + 16))  # Glorot uniform for [16, 16]


def layout(n: int) -> list[tuple[int, list[int]]]:
    """`[(block, [layer, ...])]` for `n` variables (4 per layer, 2 layers per block).

    `n` need not be a multiple of 8: the last block may hold one layer.
    """
    layers = n // 4
    return [(i, [j for j in range(2) if 2 * i + j < layers]) for i in range((layers + 1) // 2)]


def names(n: int) -> list[str]:
    return [f"block_{i}/layer_{j}/{v}" for i, js in layout(n) for j in js
            for v in (*KERNELS, "b")]


# -- one `init(n)` per implementation: a fresh model, initialized -------------------------

def minitf_init(n: int) -> dict:
    def model():
        for i, js in layout(n):
            with tf.variable_scope(f"block_{i}"):
                for j in js:
                    with tf.variable_scope(f"layer_{j}"):
                        for name in KERNELS:
                            tf.get_variable(name, SHAPE)
                        tf.get_variable("b", SHAPE[1:], initializer=tf.zeros_initializer())

    return tf.transform(model).init(jax.random.PRNGKey(0))


def hand_init(n: int) -> dict:
    """The natural hand-written init: an eager loop, one `fold_in` key per variable."""
    rng = jax.random.PRNGKey(0)
    params = {}
    for i, name in enumerate(names(n)):
        if name.endswith("/b"):
            params[name] = jnp.zeros(SHAPE[1:])
        else:
            key = jax.random.fold_in(rng, i)
            params[name] = jax.random.uniform(key, SHAPE, minval=-LIMIT, maxval=LIMIT)
    return params


def haiku_init(n: int) -> dict:
    import haiku as hk

    glorot = hk.initializers.VarianceScaling(1.0, "fan_avg", "uniform")

    class Layer(hk.Module):
        def __call__(self):
            for name in KERNELS:
                hk.get_parameter(name, SHAPE, init=glorot)
            hk.get_parameter("b", SHAPE[1:], init=jnp.zeros)

    class Block(hk.Module):
        def __init__(self, js, name):
            super().__init__(name=name)
            self.js = js

        def __call__(self):
            for j in self.js:
                Layer(name=f"layer_{j}")()

    def model():
        for i, js in layout(n):
            Block(js, name=f"block_{i}")()

    return hk.transform(model).init(jax.random.PRNGKey(0))


def flax_init(n: int) -> dict:
    import flax.linen as nn

    class Layer(nn.Module):
        @nn.compact
        def __call__(self):
            for name in KERNELS:
                self.param(name, nn.initializers.glorot_uniform(), SHAPE)
            self.param("b", nn.initializers.zeros, SHAPE[1:])

    class Block(nn.Module):
        js: tuple

        @nn.compact
        def __call__(self):
            for j in self.js:
                Layer(name=f"layer_{j}")()

    class Model(nn.Module):
        @nn.compact
        def __call__(self):
            for i, js in layout(n):
                Block(tuple(js), name=f"block_{i}")()

    return Model().init(jax.random.PRNGKey(0))


def tf1_init(n: int) -> None:
    """Graph construction, Session and `global_variables_initializer().run()`."""
    tf_ = tf1()
    graph = tf_.Graph()
    with graph.as_default():
        for i, js in layout(n):
            with tf_.variable_scope(f"block_{i}"):
                for j in js:
                    with tf_.variable_scope(f"layer_{j}"):
                        for name in KERNELS:
                            tf_.get_variable(name, SHAPE)
                        tf_.get_variable("b", SHAPE[1:], initializer=tf_.zeros_initializer())
        init = tf_.global_variables_initializer()
    with tf_.Session(graph=graph) as sess:
        sess.run(init)


IMPLS: dict[str, Callable[[int], Any]] = {HAND: hand_init, "minitf": minitf_init,
                                          "Haiku": haiku_init, "Flax": flax_init,
                                          "TF1 (Session)": tf1_init}


def count(params: Any) -> int:
    return len(jax.tree.leaves(params))


def check() -> None:
    """Every implementation creates the same number of variables, minitf with the same names."""
    n = 36  # 4 full blocks and a block of one layer
    params = minitf_init(n)
    assert list(params) == names(n), "minitf names"
    assert list(hand_init(n)) == names(n), "hand JAX names"
    for name in ("Haiku", "Flax"):
        assert count(IMPLS[name](n)) == n, name
    print(f"  params: every implementation creates {n} variables; minitf's names == hand JAX's")


def run(quick: bool = False) -> list[Table]:
    sizes = (200, 800) if quick else (1000, 4000, 16000)
    for fn in IMPLS.values():  # one-time compilation (per shape / initializer) out of the way
        fn(8)
    tables = []
    per_var: dict[tuple[str, int], float] = {}
    for n in sizes:
        blocks = n // PER_BLOCK
        # Call 0 is the first init at this size (new shapes may compile);
        # the median is over the others. TF1 (milliseconds per variable) runs fewer times.
        repeats = {name: 3 if quick else 6 if n <= 1000 else 4 for name in IMPLS}
        repeats["minitf"] = 3 if quick else 8  # the row the linearity target is about
        repeats["TF1 (Session)"] = (1 if n == sizes[0] else 0) if quick else \
            {1000: 3}.get(n, 1)  # TF1: ~5 ms per variable, 16,000 take ~1.5 minutes
        makers = {name: functools.partial(fn, n) for name, fn in IMPLS.items()
                  if repeats[name]}
        times = fresh_calls(makers, repeats)
        table = Table(f"init of {n:,} variables ({blocks} blocks x 2 layers x 4 variables), "
                      "per variable", target=1.0, unit=lambda s: f"{s * 1e6:.1f} us",
                      extra_columns=("whole init", "first call"),
                      note="A fresh model each call. *first call*: the first init at this size "
                           "(not in the median unless it is the only one).")
        for name, values in times.items():
            rest = values[1:] or values
            stats = Stats.of([v / n for v in rest])
            per_var[name, n] = stats.median
            table.add(name, stats, **{"whole init": f"{np.median(rest):.2f} s",
                                      "first call": f"{values[0]:.2f} s"})
        print_table(table)
        tables.append(table)

    first, last = sizes[0], sizes[-1]
    linear = Table(f"scaling: cost per variable at {last:,} / at {first:,} variables",
                   target=1.25, target_on_value=True, unit=lambda r: f"{r:.2f}",
                   note="1.00 = linear; above 1, each variable costs more as the model grows. "
                        "*vs hand JAX* compares the growth with hand JAX's.")
    for name in IMPLS:
        if (name, first) in per_var and (name, last) in per_var:
            ratio = per_var[name, last] / per_var[name, first]
            linear.add(name, Stats(ratio, ratio, ratio, 1))
    print_table(linear)
    tables.append(linear)
    return tables
