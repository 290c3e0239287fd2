"""`transform`: a TF1-style model function becomes pure `init` and `apply`.

Each call traces the function in a fresh Graph, so names never depend on what
ran before. `init` and `apply` differ only in the graph's value source:

* `init(rng, *args)` runs the function abstractly (`jax.eval_shape`, no device
  work) to discover every variable, then samples each with a sampler compiled
  once per initializer configuration, shape and dtype (`core/sampling.py`).
  Each variable's key is `fold_in(rng, hash(name))`, so adding a variable
  never changes the others. Variables whose initial value is computed (tf.Variable(x),
  constant-tensor initializers) are computed afterwards in one jitted call.
* `apply(params, *args, rng=None)` reads every variable from `params` and is an
  ordinary traceable function: compose it with jit, grad and vmap.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np

from minitf.core.frame import Graph, GraphKeys
from minitf.core.sampling import sample_specs
from minitf.core.shapes import known_dims
from minitf.core.sources import ApplySource, InitSource, ReplaySource, ValueSource

Params = dict[str, jax.Array]


@dataclasses.dataclass(frozen=True)
class VariableInfo:
    """What the trace learned about one variable (checkpoint name is the dict key)."""

    shape: tuple[int, ...]
    dtype: Any
    trainable: bool
    collections: tuple[str, ...]
    sharding: Any = None
    constraint: Any = None  # applied after each optimizer update, as TF1's optimizers do


def _variable_infos(graph: Graph) -> dict[str, VariableInfo]:
    membership: dict[int, list[str]] = {}
    for key in graph.get_all_collection_keys():
        for item in graph.get_collection(key):
            membership.setdefault(id(item), []).append(key)
    return {
        name: VariableInfo(known_dims(var.shape), var.dtype, var.trainable,
                           tuple(membership.get(id(var), ())), var.sharding, var.constraint)
        for name, var in graph.variables_by_name.items()
    }


def _split_static(tree: Any) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """Array leaves become traced inputs; everything else stays static Python."""
    leaves, treedef = jax.tree_util.tree_flatten(tree)
    is_array = [isinstance(x, (jax.Array, np.ndarray, np.generic)) for x in leaves]
    dynamic = [x for x, a in zip(leaves, is_array, strict=True) if a]

    def rebuild(dyn: list[Any]) -> Any:
        it = iter(dyn)
        return jax.tree_util.tree_unflatten(
            treedef, [next(it) if a else x for x, a in zip(leaves, is_array, strict=True)])

    return dynamic, rebuild


def _as_key(rng: int | np.integer[Any] | jax.Array) -> jax.Array:
    """An rng key from a key, or from an integer seed (Python or NumPy)."""
    if isinstance(rng, (int, np.integer)):
        return jax.random.PRNGKey(int(rng))
    return rng


def _as_tensors(tree: Any) -> Any:
    """NumPy array inputs become JAX arrays, as TF1 converts fed values to tensors, so
    the model sees TF's shape API (`x.shape[1].value`) whether or not apply is jitted."""
    return jax.tree_util.tree_map(lambda x: jnp.asarray(x) if type(x) is np.ndarray else x,
                                  tree)


def _to_values(out: Any) -> Any:
    """Variables returned by the model become their values."""
    return jax.tree_util.tree_map(lambda x: x, out)


class Transformed:
    """A model function as a pair of pure functions, `init` and `apply`."""

    def __init__(self, fn: Callable[..., Any], check_unused_params: bool = True) -> None:
        self.fn = fn
        self.check_unused_params = check_unused_params
        self.variables: dict[str, VariableInfo] = {}
        # Carry fn's __name__, __doc__, ... (update_wrapper is typed for callables only).
        functools.update_wrapper(cast(Any, self), fn, updated=())

    def _run(self, source: ValueSource, args: tuple[Any, ...], kwargs: dict[str, Any],
             record: bool = True) -> tuple[Any, Graph]:
        graph = Graph(source)
        with graph.as_default():
            out = self.fn(*args, **kwargs)
        if record:
            self.variables = _variable_infos(graph)
        return out, graph

    def init(self, rng: Any, *args: Any, **kwargs: Any) -> Params:
        """Create every variable the function uses; returns `{name: array}` in creation order."""
        rng = _as_key(rng)
        dynamic, rebuild = _split_static((args, kwargs))
        source = InitSource(None)

        def discover(rng_: jax.Array, dyn: list[Any]) -> None:
            source.rng = rng_
            call_args, call_kwargs = rebuild(dyn)
            self._run(source, call_args, call_kwargs)

        jax.eval_shape(discover, rng, dynamic)
        specs = list(source.specs.values())
        sampled = sample_specs(rng, specs)
        computed_names = [s.name for s in specs if s.sampler is None]
        computed: dict[str, jax.Array] = {}
        if computed_names:
            computed = self._compute_initial_values(rng, sampled, dynamic, rebuild, computed_names)
        return {s.name: sampled[s.name] if s.sampler is not None else computed[s.name]
                for s in specs}

    def _compute_initial_values(self, rng: jax.Array, sampled: Params, dynamic: list[Any],
                                rebuild: Callable[[list[Any]], Any], names: list[str]) -> Params:
        """Values of non-sampled variables, computed in one jitted trace that sees the
        sampled ones."""

        def compute(rng_: jax.Array, sampled_: Params, dyn: list[Any]) -> Params:
            inner = InitSource(rng_)
            call_args, call_kwargs = rebuild(dyn)
            self._run(ReplaySource(sampled_, inner), call_args, call_kwargs)
            return {name: inner.computed[name] for name in names}

        values: Params = jax.jit(compute)(rng, sampled, dynamic)
        return values

    def apply_with_updates(self, params: Mapping[str, Any], *args: Any, rng: Any = None,
                           **kwargs: Any) -> tuple[Any, Params]:
        """Run with `params`; also return `{name: new value}` for variables assigned."""
        source = ApplySource(params, None if rng is None else _as_key(rng))
        args, kwargs = _as_tensors((args, kwargs))
        # Metadata is recorded by init; apply records it only if init never ran here.
        out, graph = self._run(source, args, kwargs, record=not self.variables)
        if self.check_unused_params:
            source.check_all_used()
        return _to_values(out), dict(graph.updates)

    def apply(self, params: Mapping[str, Any], *args: Any, rng: Any = None, **kwargs: Any) -> Any:
        """Run the function with `params` (pure; jit/grad/vmap it freely)."""
        return self.apply_with_updates(params, *args, rng=rng, **kwargs)[0]

    # -- params helpers -------------------------------------------------------
    def trainable_names(self) -> list[str]:
        return [n for n, info in self.variables.items() if info.trainable]

    def split_trainable(self, params: Mapping[str, Any]) -> tuple[Params, Params]:
        """(trainable, non-trainable) by what the last trace recorded."""
        trainable = set(self.trainable_names())
        return ({k: v for k, v in params.items() if k in trainable},
                {k: v for k, v in params.items() if k not in trainable})

    def collection_names(self, key: str = GraphKeys.GLOBAL_VARIABLES) -> list[str]:
        return [n for n, info in self.variables.items() if key in info.collections]


def transform(fn: Callable[..., Any] | None = None, *, check_unused_params: bool = True) -> Any:
    """Turn a TF1-style model function into pure `init` / `apply` functions.

    >>> import jax.numpy as jnp, minitf as tf
    >>> def model(x):
    ...     with tf.variable_scope("dense"):
    ...         w = tf.get_variable("w", [3, 2])
    ...     return x @ w
    >>> model = tf.transform(model)
    >>> params = model.init(0, jnp.ones((1, 3)))
    >>> {name: value.shape for name, value in params.items()}
    {'dense/w': (3, 2)}
    >>> model.apply(params, jnp.ones((1, 3))).shape
    (1, 2)
    """
    if fn is None:
        return functools.partial(transform, check_unused_params=check_unused_params)
    return Transformed(fn, check_unused_params=check_unused_params)
