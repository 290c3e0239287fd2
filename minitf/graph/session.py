"""TF1's `tf.Session`: runs fetches of a graph, each distinct run compiled once.

Variable values live in the session, keyed by variable name (the same keys as
`transform`'s params). A `run` is keyed by its fetches, its feed keys and the
shapes and dtypes of the fed values; the first run of a key traces the ops it
needs (`interpreter.Plan`) into one function and compiles it with `jax.jit`,
donating the buffers of the variables it writes. Later runs of the same key
reuse the compiled function: a steady training loop compiles once
(`compile_count` says how many times this session compiled).

A fetched tensor whose op has a `host` function in its attrs (the summary ops,
whose values are serialized protos, not arrays) is not compiled: the run
fetches the op's inputs instead, and the session returns
`host(*input_values)`, computed on the host after the run.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from minitf.core.arraylike import ArrayLike
from minitf.core.dtypes import storage_dtype
from minitf.core.frame import Graph, get_default_graph
from minitf.core.shapes import TensorShape
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Operation, Tensor, default_session
from minitf.graph.errors import FailedPreconditionError, InvalidArgumentError
from minitf.graph.interpreter import Plan, draw_initial_values, execute

__all__ = ["InteractiveSession", "Session", "set_random_seed"]


def _is_fetch_leaf(x: Any) -> bool:
    return isinstance(x, (Tensor, Operation, ArrayLike, str))


class _Compiled:
    """One compiled run: the plan, its fetched tensors and the jitted step."""

    def __init__(self, plan: Plan, feeds: list[Tensor], fetches: list[Tensor],
                 seed: int) -> None:
        self.plan = plan

        def step(donated: dict[str, Any], kept: dict[str, Any], feed_values: list[Any],
                 run: jax.Array, initial: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
            key = jax.random.fold_in(jax.random.PRNGKey(seed), run)
            env, new = execute(plan, dict(zip(feeds, feed_values, strict=True)),
                               {**kept, **donated}, key, initial)
            return [env[t] for t in fetches], new

        self.step: Callable[..., Any] = jax.jit(step, donate_argnums=(0,))


class Session:
    """A TF1 session over a graph (the default graph if none is given).

    `target` and `config` (a `tf.ConfigProto`: placement, threads, GPU memory) are
    accepted and ignored: devices, threading and memory are JAX's/XLA's business.
    """

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        if not self._graph.is_graph_mode:
            raise RuntimeError("tf.Session needs a TF1 graph; inside minitf.transform the "
                               "function's return values are its results.")
        self._values: dict[str, jax.Array] = {}
        self._plans: dict[Any, Plan] = {}
        self._compiled: dict[Any, _Compiled] = {}
        self.compile_count = 0
        self._runs = 0
        # A fed tensor's dtype and static shape (the feed check's, looked up once).
        self._feed_specs: dict[Tensor, tuple[np.dtype, Any, Any]] = {}
        self._closed = False
        self._contexts: list[contextlib.ExitStack] = []

    @property
    def graph(self) -> Graph:
        return self._graph

    # -- run ------------------------------------------------------------------------
    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Values of `fetches` (any nesting of tensors, ops, variables, names).

        `options` (a `tf.RunOptions`) and `run_metadata` (a `tf.RunMetadata`) are accepted
        and ignored: there is no per-run tracing, so `run_metadata` stays empty."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves, treedef = jax.tree_util.tree_flatten(fetches, is_leaf=_is_fetch_leaf)
        elements = [self._element(leaf) for leaf in leaves]
        feeds = self._feeds(feed_dict)
        # A host tensor (a summary) is made after the run from the values of the
        # device tensors it reads: those are fetched in its place.
        run_elements = [d for e in elements for d in _device_fetches(e)]
        fetch_tensors = list(dict.fromkeys(e for e in run_elements if isinstance(e, Tensor)))
        if fetch_tensors or any(isinstance(e, Operation) for e in run_elements):
            values = self._run(run_elements, fetch_tensors, feeds)
        else:
            values = {}
        out = [_host_value(e, values) if _is_host(e)
               else _to_numpy(values[e]) if isinstance(e, Tensor)
               else self._session_host(e, values) if isinstance(e, Operation)
               else _to_numpy(e) for e in elements]
        return jax.tree_util.tree_unflatten(treedef, out)

    def _session_host(self, op: Operation, values: dict[Tensor, Any]) -> None:
        """An op acting on this session's host state (an iterator's initializer), given
        its inputs' values from the run."""
        hook = op.attrs.get("session_host")
        if hook is not None:
            hook(self, *(_to_numpy(values[t]) for t in op.attrs["host_inputs"]))

    def make_callable(self, fetches: Any, feed_list: Any = None,
                      accept_options: bool = False) -> Callable[..., Any]:
        """TF's `make_callable`: `fn(*feed_values)` runs `fetches` with `feed_list` fed."""
        keys = list(feed_list or [])

        def call(*values: Any, **options: Any) -> Any:
            if len(values) != len(keys):
                raise TypeError(f"The callable takes {len(keys)} feed values, got "
                                f"{len(values)}.")
            return self.run(fetches, dict(zip(keys, values, strict=True)))

        return call

    def _element(self, fetch: Any) -> Any:
        if isinstance(fetch, str):
            fetch = self._graph.as_graph_element(fetch)
        if isinstance(fetch, (Tensor, Operation)):
            if fetch.graph is not self._graph:
                raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a "
                                 "Tensor. (it is not an element of this graph.)")
            return fetch
        if isinstance(fetch, ArrayLike):
            tensor = graph_tensor(fetch)
            return tensor if tensor is not None else fetch.value()
        if fetch is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        return fetch  # an eager value (constant-folded at build time)

    def _feeds(self, feed_dict: Any) -> dict[Tensor, np.ndarray]:
        feeds: dict[Tensor, np.ndarray] = {}
        for key, value in (feed_dict or {}).items():
            if isinstance(key, Tensor) and key.graph is self._graph:  # the common case
                feeds[key] = self._feed_value(key, value)
                continue
            keys, tree = jax.tree_util.tree_flatten(key, is_leaf=_is_fetch_leaf)
            values = tree.flatten_up_to(value) if len(keys) > 1 or tree.num_nodes > 1 \
                else [value]
            for k, v in zip(keys, values, strict=True):
                tensor = self._element(k)
                if not isinstance(tensor, Tensor):
                    raise TypeError(f"The key of a feed_dict must be a tensor or a "
                                    f"placeholder; got {k!r}.")
                feeds[tensor] = self._feed_value(tensor, v)
        return feeds

    def _feed_value(self, tensor: Tensor, value: Any) -> np.ndarray:
        spec = self._feed_specs.get(tensor)
        if spec is None or spec[2] is not tensor._avals:  # (set_shape makes new avals)
            spec = self._feed_specs[tensor] = (storage_dtype(tensor.dtype), tensor.shape,
                                               tensor._avals)
        dtype, shape, _ = spec
        try:
            array = np.asarray(value, dtype=dtype)
        except (TypeError, ValueError) as err:
            raise ValueError(f"Cannot feed value {value!r} for Tensor '{tensor.name}' of "
                             f"dtype {tensor.dtype.name}: {err}") from None
        if not isinstance(shape, TensorShape):  # unknown rank: any shape may be fed
            return array
        if array.shape == shape:
            return array
        if array.ndim != len(shape) or any(
                d is not None and d != n for d, n in zip(shape, array.shape, strict=True)):
            raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor "
                             f"'{tensor.name}', which has shape '{shape}'")
        return array

    def _run(self, elements: list[Any], fetch_tensors: list[Tensor],
             feeds: dict[Tensor, np.ndarray]) -> dict[Tensor, Any]:
        feed_tensors = list(feeds)
        plan_key = (tuple(id(e) for e in elements), tuple(id(t) for t in feed_tensors))
        plan = self._plans.get(plan_key)
        if plan is None:
            targets = [e.op if isinstance(e, Tensor) else e for e in elements
                       if isinstance(e, (Tensor, Operation))]
            # (graph elements live as long as their graph: their ids are stable keys)
            plan = self._plans[plan_key] = Plan(targets, set(feed_tensors))
        pulled = [op for op in plan.sourced if op.outputs[0] not in feeds]
        for op in pulled:  # a dataset iterator's get_next: its next element
            feeds.update(zip(op.outputs, op.attrs["source"].next_values(self, op), strict=True))
        if pulled:
            feed_tensors = list(feeds)
        for op in plan.placeholders:
            if op.outputs[0] not in feeds:
                tensor = op.outputs[0]
                shape = "" if op.attrs.get("unknown_rank") else " and shape [" + ",".join(
                    "?" if d is None else str(d) for d in tensor.shape.as_list()) + "]"
                raise InvalidArgumentError(
                    None, op, f"You must feed a value for placeholder tensor '{op.name}' "
                    f"with dtype {tensor.dtype.name}{shape}")
        missing = [name for name in plan.reads
                   if name not in self._values and name not in plan.initializes]
        if missing:
            raise FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {missing[0]}\n"
                f"\t [[{{{{node {missing[0]}/read}}}}]] (run "
                "tf.global_variables_initializer() first)")
        donated_names = tuple(n for n in plan.writes if n in self._values)
        key = (plan_key, donated_names,
               tuple((a.shape, a.dtype.str) for a in feeds.values()))
        compiled = self._compiled.get(key)
        if compiled is None:
            seed = self._graph.seed if self._graph.seed is not None else 0
            compiled = self._compiled[key] = _Compiled(plan, feed_tensors, fetch_tensors, seed)
            self.compile_count += 1
        donated = {n: self._values.pop(n) for n in donated_names}
        kept = {n: self._values[n] for n in plan.reads
                if n not in donated and n in self._values}
        self._runs += 1
        try:
            initial = draw_initial_values(plan) if plan.sampled else {}
            fetched, new = compiled.step(donated, kept, list(feeds.values()),
                                         np.uint32(self._runs), initial)
        except Exception:
            self._values.update(donated)  # a failed run loses nothing
            raise
        self._values.update(new)
        return dict(zip(fetch_tensors, fetched, strict=True))

    # -- state ------------------------------------------------------------------------
    def variable_values(self) -> dict[str, np.ndarray]:
        """The session's variable values by name (the params dict `transform` uses)."""
        return {name: np.asarray(value) for name, value in self._values.items()}

    def load_values(self, values: dict[str, Any]) -> None:
        """Set variables by name (e.g. TF's initial values, or params from `transform`)."""
        by_name = self._graph.variables_by_name
        for name, value in values.items():
            var = by_name.get(name)
            if var is None:
                raise KeyError(f"No variable named {name!r} in this session's graph.")
            array = np.asarray(value, dtype=storage_dtype(var.dtype))
            if array.shape != tuple(var.shape):
                raise ValueError(f"Cannot load a value of shape {array.shape} into {name!r} "
                                 f"of shape {tuple(var.shape)}.")
            self._values[name] = jax.numpy.asarray(array)

    # -- lifetime -------------------------------------------------------------------
    def as_default(self) -> contextlib.AbstractContextManager[Session]:
        return default_session(self)

    def close(self) -> None:
        self._closed = True
        self._values.clear()

    def __enter__(self) -> Session:
        stack = contextlib.ExitStack()
        stack.enter_context(self._graph.as_default())
        stack.enter_context(self.as_default())
        self._contexts.append(stack)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._contexts:
            self._contexts.pop().close()
        self.close()


class InteractiveSession(Session):
    """A session that makes itself the default on construction (for shells)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        self._ctx = self.as_default()
        self._ctx.__enter__()

    def close(self) -> None:
        if not self._closed:
            self._ctx.__exit__(None, None, None)
        super().close()


def _is_host(element: Any) -> bool:
    """A tensor whose op has a `host` function: computed on the host when fetched."""
    return isinstance(element, Tensor) and "host" in element.op.attrs


def _device_fetches(element: Any) -> list[Any]:
    """What the compiled run must fetch for `element` (a host tensor's device inputs;
    for a session-host op, the op and the inputs its hook reads)."""
    if isinstance(element, Operation) and "session_host" in element.attrs:
        return [element, *element.attrs["host_inputs"]]
    if not _is_host(element):
        return [element]
    return [d for t in element.op.inputs for d in _device_fetches(t)]


def _host_value(tensor: Tensor, values: dict[Tensor, Any]) -> Any:
    """`op.attrs["host"](*input values)`, host inputs computed first, as they are."""
    args = [_host_value(t, values) if _is_host(t) else _to_numpy(values[t])
            for t in tensor.op.inputs]
    return tensor.op.attrs["host"](*args)


def _to_numpy(value: Any) -> Any:
    array = np.asarray(value)
    return array[()] if array.ndim == 0 else array


def set_random_seed(seed: int) -> None:
    """TF1's graph-level seed: variables' initial values and random ops derive from it."""
    graph = get_default_graph()
    graph.seed = seed
    if graph.is_eager:
        graph.source.set_seed(seed)  # type: ignore[attr-defined]
