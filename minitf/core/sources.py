"""Where a newly registered variable's value comes from.

The variable store decides *whether* a variable is created or reused, exactly
as TF1 does; a `ValueSource` decides only what value a new entry gets:

* `EagerSource` computes it at once (the default graph, tutorial code);
* `InitSource` records what to create and hands out a placeholder, so `init`
  can sample every variable afterwards, outside the discovery trace;
* `ApplySource` takes it from the user's params dict (checking its kind, shape
  and dtype);
* `ReplaySource` serves values created by an earlier probe trace (lifted
  control flow), falling back to the outer source.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import jax
import numpy as np
from jax import lax

from minitf.core import naming as _naming
from minitf.core.dtypes import storage_dtype
from minitf.core.tensor import Tensor, make_aval, make_operation

if TYPE_CHECKING:  # initializers come after sources in the import order
    from minitf.core.initializers import Initializer


def name_key(base_key: jax.Array, name: str) -> jax.Array:
    """The rng key of variable `name`: a pure function of the base key and the name."""
    return jax.random.fold_in(base_key, name_hash(name))


def name_hash(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


class InitSpec(NamedTuple):
    """How to make a new variable's initial value.

    `sampler` (an `Initializer`) is a pure function of (key, shape, dtype) and
    can be batched with others of the same configuration; otherwise `thunk`
    computes the value inside the current trace. (A NamedTuple: one is built
    per variable per trace.)
    """

    name: str
    shape: tuple[int, ...]
    dtype: Any
    sampler: Initializer | None = None
    thunk: Callable[[], Any] | None = None


class ValueSource:
    """Policy for the value of a variable the store registers for the first time."""

    creates = True  # whether the source invents values (init/eager) or reads them

    def value_for(self, graph: Any, spec: InitSpec) -> Any:
        raise NotImplementedError

    def rng_key(self) -> jax.Array | None:
        """The key random ops (dropout, tf.random_normal) draw from, if any."""
        return None


def _compute(graph: Any, spec: InitSpec, key: jax.Array) -> Any:
    """The initial value: sampled from the variable's own key, or computed by its thunk
    with every random draw inside taken from that key's stream (order-independent)."""
    if spec.sampler is not None:
        return spec.sampler.sample(key, spec.shape, spec.dtype)
    assert spec.thunk is not None
    with graph.rng_scope(key):
        value = spec.thunk()
    _check_initial_shape(spec, tuple(np.shape(value)))
    return value


def _check_initial_shape(spec: InitSpec, got: tuple[int, ...]) -> None:
    """TF's Assign check: an initializer must return the variable's shape."""
    want = tuple(spec.shape)
    if got == want:
        return
    where = (f"for '{{{{node {spec.name}/Assign}}}}' with input shapes: "
             f"{_format_dims(want)}, {_format_dims(got)}.")
    if len(got) != len(want):
        raise ValueError(f"Shapes must be equal rank, but are {len(want)} and {len(got)} "
                         + where)
    axis = next(i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b)
    raise ValueError(f"Dimension {axis} in both shapes must be equal, but are {want[axis]} "
                     f"and {got[axis]}. Shapes are {_format_dims(want)} and "
                     f"{_format_dims(got)}. " + where)


def _format_dims(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class EagerSource(ValueSource):
    """Compute initial values immediately (the process-wide default graph)."""

    def __init__(self, seed: int = 0) -> None:
        self._base = jax.random.PRNGKey(seed)

    def set_seed(self, seed: int) -> None:
        self._base = jax.random.PRNGKey(seed)

    def value_for(self, graph: Any, spec: InitSpec) -> Any:
        return _compute(graph, spec, name_key(self._base, spec.name))

    def rng_key(self) -> jax.Array:
        # The graph folds its own counter into this base for each draw.
        return jax.random.fold_in(self._base, 0x5EED)


class GraphSource(ValueSource):
    """TF1's graph mode: a new variable is a `VariableV2` op whose value lives in a
    session, with an `Assign` initializer op and the `read` tensor ops consume.

    Initial values are drawn from the variable's own key (the graph seed and its
    name), so they do not depend on creation order, as `init` does.
    """

    def value_for(self, graph: Any, spec: InitSpec) -> Tensor:
        # As TF1 (init_scope): a variable and its initializer ignore the control
        # dependencies around its creation (e.g. slots made under control_dependencies).
        with graph.control_dependencies(None):
            return self._new_variable(graph, spec)

    def _new_variable(self, graph: Any, spec: InitSpec) -> Tensor:
        dtype = storage_dtype(spec.dtype)
        shape = tuple(spec.shape)
        avals = (make_aval(shape, dtype),) * 2
        var = make_operation(graph, spec.name, "VariableV2", [], None, [avals],
                             kind="variable", attrs={"dtype": spec.dtype}).outputs[0]
        with graph.name_scope(spec.name + "/"):
            initial = _graph_initial_value(graph, spec)
            inputs = [initial] if isinstance(initial, Tensor) else []
            if inputs:
                _check_initial_shape(spec, tuple(d if d is not None else -1
                                                 for d in initial.shape))

            def assign_initial(*values: Any) -> tuple[tuple[Any], tuple[Any]]:
                value = values[0] if values else initial()
                value = jax.numpy.asarray(value, dtype)
                return (value,), (value,)

            # A sampled initial value is drawn by the session before it compiles a run
            # (`sampled`: the spec and seed), with samplers cached across variables.
            sampled = (spec, graph.seed if graph.seed is not None else 0) \
                if spec.sampler is not None else None
            init_op = make_operation(graph, graph.unique_name("Assign"), "Assign", inputs,
                                     assign_initial, [avals], kind="assign",
                                     writes=(spec.name,),
                                     attrs={"reads_refs": False, "sampled": sampled})
            read = make_operation(graph, graph.unique_name("read"), "Identity", [var], None,
                                  [avals], kind="read").outputs[0]
        var.op.attrs.update(initializer=init_op, initial_value=initial)
        return read


def _graph_initial_value(graph: Any, spec: InitSpec) -> Any:
    """A graph variable's initial value: a tensor of the graph (built now), or a
    thunk the initializer op calls under `jit` (sampled from the name's key)."""
    if spec.sampler is None:
        assert spec.thunk is not None
        value = spec.thunk()
        if isinstance(value, Tensor):
            return value
        _check_initial_shape(spec, tuple(np.shape(value)))
        return lambda: value
    key_seed = graph.seed if graph.seed is not None else 0
    sampler = spec.sampler
    return lambda: sampler.sample(name_key(jax.random.PRNGKey(key_seed), spec.name),
                                  spec.shape, spec.dtype)


class InitSource(ValueSource):
    """Record every new variable; sampled ones get a placeholder until `init` ends."""

    def __init__(self, rng: jax.Array | None) -> None:
        self.rng = rng
        self.specs: dict[str, InitSpec] = {}
        self.computed: dict[str, Any] = {}

    def value_for(self, graph: Any, spec: InitSpec) -> Any:
        self.specs[spec.name] = spec
        if spec.sampler is not None:
            return Placeholder(spec.shape, spec.dtype)
        assert self.rng is not None, "init sets the rng before tracing the model"
        value = _compute(graph, spec, name_key(self.rng, spec.name))
        self.computed[spec.name] = value
        return value

    def rng_key(self) -> jax.Array | None:
        return self.rng


class Placeholder:
    """A stand-in value for a not-yet-sampled variable during init's discovery trace."""

    __slots__ = ("dtype", "shape")

    def __init__(self, shape: tuple[int, ...], dtype: Any) -> None:
        self.shape, self.dtype = shape, dtype

    def materialize(self) -> jax.Array:
        """Zeros of the variable's shape: one `broadcast_in_dim` of a scalar.

        Read once per variable in every init's discovery trace, so it is kept to
        a single primitive (`jnp.zeros` costs ~2.5x as much to trace).
        """
        return lax.broadcast_in_dim(np.zeros((), np.dtype(self.dtype)), tuple(self.shape), ())


class ApplySource(ValueSource):
    """Read values from a params dict; remember which names were used."""

    creates = False

    def __init__(self, params: Mapping[str, Any], rng: jax.Array | None) -> None:
        self.params = params
        self.rng = rng
        self.used: set[str] = set()

    def value_for(self, graph: Any, spec: InitSpec) -> Any:
        try:
            value = self.params[spec.name]
        except KeyError:
            raise KeyError(
                f"Parameter {spec.name!r} is missing from the params passed to "
                f"apply.{_naming.did_you_mean(spec.name, self.params)} Pass the "
                "params returned by init (or restored from a checkpoint) for this "
                "model.") from None
        _check_param(spec, value)
        self.used.add(spec.name)
        return value

    def rng_key(self) -> jax.Array | None:
        return self.rng

    def check_all_used(self) -> None:
        odd = [k for k in self.params if not isinstance(k, str)]
        if odd:
            raise TypeError(f"apply's params must be keyed by variable names (str); got keys "
                            f"{odd[:3]!r}.")
        unexpected = sorted(set(self.params) - self.used)
        if unexpected:
            hint = _naming.did_you_mean(unexpected[0], self.used)
            raise ValueError(
                f"apply got parameters the model never asked for: {unexpected}."
                f"{hint} Remove them, or select this model's params with "
                "minitf.params_in_scope(...).")


def _check_param(spec: InitSpec, value: Any) -> None:
    """A param must be an array of the variable's shape and dtype, as TF's Assign would
    insist; checked at trace time, so it costs nothing in the compiled step."""
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape == spec.shape and dtype == storage_dtype(spec.dtype):
        return
    if shape is None or dtype is None:
        raise TypeError(
            f"Parameter {spec.name!r} is a {type(value).__name__} in the params passed to "
            f"apply; it must be an array of shape {tuple(spec.shape)} and dtype "
            f"{np.dtype(spec.dtype).name}. Convert it with jnp.asarray(value, dtype).")
    if tuple(shape) != tuple(spec.shape):
        raise ValueError(
            f"Parameter {spec.name!r} has shape {tuple(shape)} in the params passed "
            f"to apply, but the model asks for shape {tuple(spec.shape)}.")
    want = storage_dtype(spec.dtype)
    if np.dtype(dtype) != want:
        raise TypeError(
            f"Parameter {spec.name!r} has dtype {np.dtype(dtype).name} in the params "
            f"passed to apply, but the variable is {want.name}. Cast it with "
            f"params[{spec.name!r}].astype({want.name!r}) (or pass the params init "
            "or a checkpoint restore returned).")


class ReplaySource(ValueSource):
    """Serve values created earlier (by init's discovery or a probe), else defer.

    With `strict`, a variable the earlier run did not create is an error (it
    would be created inside an inner JAX trace); otherwise the outer source
    makes it.
    """

    def __init__(self, created: Mapping[str, Any], outer: ValueSource,
                 strict: bool = False) -> None:
        self.created = created
        self.outer = outer
        self.strict = strict
        self.creates = outer.creates and not strict

    def value_for(self, graph: Any, spec: InitSpec) -> Any:
        if spec.name in self.created:
            return self.created[spec.name]
        if self.strict and self.outer.creates:
            raise RuntimeError(
                f"Variable {spec.name!r} was created on the real run of a lifted "
                "transformation (minitf.scan/vmap/remat/cond) but not on its probe run: "
                "the function must create the same variables every time it is called.")
        return self.outer.value_for(graph, spec)

    def rng_key(self) -> jax.Array | None:
        return self.outer.rng_key()
