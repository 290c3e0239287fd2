"""Lay minitf params and batches out over a device mesh: names -> `NamedSharding`.

This is JAX's own SPMD (`jax.jit` with `NamedSharding`s over a `Mesh`); minitf
adds only the mapping from checkpoint names to shardings, read from the
`sharding=` annotations that `get_variable` / `variable_scope` record:

    with tf.variable_scope("discriminator", sharding=(None, "model")):   # scope default
        w = tf.get_variable("w", [784, 512])                             # -> P(None, "model")
        b = tf.get_variable("b", [512], sharding=("model",))             # explicit wins

    mesh = make_mesh({"data": 4, "model": 2})
    shardings = param_shardings(model, mesh)  # {name: NamedSharding}, replicated if unannotated

    params = shard_params(params, model, mesh)
    step = data_parallel_step(train_step, mesh, shardings)
    params, opt_state, metrics = step(params, opt_state, *shard_batch((x, y), mesh))

Data parallelism needs no collective in user code: the loss is a mean over the
*global* batch, so XLA inserts the cross-device gradient reduction itself. The
same code runs multi-process (one process per host, after
`jax.distributed.initialize()`): `make_mesh` then spans every process's devices
and `shard_batch(local, mesh, process_local=True)` feeds each process's slice.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import numpy as np
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

__all__ = [
    "data_parallel_step",
    "make_mesh",
    "opt_state_shardings",
    "param_shardings",
    "shard_batch",
    "shard_params",
]

AxisName = str | tuple[str, ...]


def make_mesh(axis_shapes: Mapping[str, int] | None = None,
              devices: Sequence[Any] | None = None) -> Mesh:
    """A device mesh with named axes, e.g. `make_mesh({"data": 4, "model": 2})`.

    Defaults to every device (of every process) on one "data" axis. Uses
    `jax.make_mesh` (topology-aware device order on TPU/GPU) with `Auto` axes, so
    the compiler propagates shardings through the model and model code needs no
    sharding calls of its own.
    """
    devices = list(jax.devices() if devices is None else devices)
    axis_shapes = dict({"data": len(devices)} if axis_shapes is None else axis_shapes)
    if not axis_shapes:
        raise ValueError("make_mesh needs at least one axis, e.g. {'data': 8}")
    size = math.prod(axis_shapes.values())
    if size != len(devices):
        raise ValueError(f"mesh {axis_shapes} has {size} devices but {len(devices)} were given "
                         f"(axis sizes must multiply to the device count)")
    names = tuple(axis_shapes)
    return jax.make_mesh(tuple(axis_shapes.values()), names,
                         axis_types=(AxisType.Auto,) * len(names), devices=devices)


def _axis_size(mesh: Mesh, axes: AxisName | None) -> int:
    if axes is None:
        return 1
    return math.prod(mesh.shape[a] for a in ((axes,) if isinstance(axes, str) else axes))


def _as_spec(name: str, annotation: Any, default: PartitionSpec) -> PartitionSpec:
    if annotation is None:
        return default
    if isinstance(annotation, NamedSharding):
        return annotation.spec
    if isinstance(annotation, PartitionSpec):
        return annotation
    if isinstance(annotation, (tuple, list)):
        return PartitionSpec(*annotation)
    raise TypeError(f"variable {name!r}: sharding must be a PartitionSpec or a tuple of mesh "
                    f"axis names / None per dimension, got {annotation!r}")


def _check_spec(name: str, shape: tuple[int, ...], spec: PartitionSpec, mesh: Mesh) -> None:
    where = f"variable {name!r} of shape {tuple(shape)} cannot be sharded as {spec} " \
            f"over mesh {dict(mesh.shape)}"
    if len(spec) > len(shape):
        raise ValueError(f"{where}: the spec has {len(spec)} entries for {len(shape)} dimensions")
    used: set[str] = set()
    for dim, (size, axes) in enumerate(zip(shape, spec, strict=False)):
        for axis in () if axes is None else ((axes,) if isinstance(axes, str) else axes):
            if axis not in mesh.shape:
                raise ValueError(f"{where}: mesh has no axis {axis!r}")
            if axis in used:
                raise ValueError(f"{where}: mesh axis {axis!r} is used for more than one dimension")
            used.add(axis)
        n = _axis_size(mesh, axes)
        if size % n:
            raise ValueError(f"{where}: dimension {dim} (size {size}) is not divisible by "
                             f"{axes!r} (size {n})")


def _infos(model_or_infos: Any) -> Mapping[str, Any]:
    infos = getattr(model_or_infos, "variables", model_or_infos)
    if not isinstance(infos, Mapping):
        raise TypeError("expected a transformed model or its `.variables` "
                        f"({{name: VariableInfo}}), got {type(model_or_infos).__name__}")
    if not infos:
        raise ValueError("no variables recorded: call model.init(...) (or apply) before "
                         "asking for shardings")
    return infos


def param_shardings(model_or_infos: Any, mesh: Mesh,
                    default: PartitionSpec = PartitionSpec()) -> dict[str, NamedSharding]:
    """`{name: NamedSharding}` from the recorded `sharding=` annotations.

    `model_or_infos` is a `tf.transform`ed model (its variables as recorded at the
    last trace) or such a `{name: VariableInfo}` dict. Unannotated variables get
    `default` (replicated). Every annotated dimension must divide by the size of
    its mesh axes; the error names the variable, its shape and the spec.
    """
    out = {}
    for name, info in _infos(model_or_infos).items():
        spec = _as_spec(name, info.sharding, default)
        _check_spec(name, info.shape, spec, mesh)
        out[name] = NamedSharding(mesh, spec)
    return out


def shard_params(params: Mapping[str, Any], model_or_infos: Any, mesh: Mesh,
                 default: PartitionSpec = PartitionSpec()) -> dict[str, jax.Array]:
    """`params` placed on `mesh` by their annotations (`jax.device_put` per leaf).

    Multi-process: every process passes the same values (e.g. `init` with the same
    rng); each keeps only the shards its own devices hold.
    """
    shardings = param_shardings(model_or_infos, mesh, default)
    unknown = sorted(set(params) - set(shardings))
    if unknown:
        raise ValueError(f"params not among the model's recorded variables: {unknown[:5]}"
                         f"{' ...' if len(unknown) > 5 else ''} (was the model last traced with "
                         f"a different function or arguments?)")
    return {name: jax.device_put(value, shardings[name]) for name, value in params.items()}


def _batch_sharding(mesh: Mesh, axis: AxisName, leaf: Any) -> NamedSharding:
    return NamedSharding(mesh, PartitionSpec(axis) if np.ndim(leaf) else PartitionSpec())


def _check_batch_leaf(path: Any, leaf: Any, mesh: Mesh, axis: AxisName, factor: int) -> None:
    n = _axis_size(mesh, axis)
    if np.ndim(leaf) == 0:
        return
    rows = np.shape(leaf)[0] * factor
    if rows % n:
        what = "process-local batch" if factor > 1 else "batch"
        raise ValueError(f"{what} leaf {jax.tree_util.keystr(path) or '<root>'} of shape "
                         f"{tuple(np.shape(leaf))}: global leading dimension {rows} is not "
                         f"divisible by mesh axis {axis!r} (size {n})")


def shard_batch(batch: Any, mesh: Mesh, axis: AxisName = "data",
                process_local: bool = False) -> Any:
    """Split every leaf's leading dimension across mesh `axis` (scalars are replicated).

    Single-process (default): `batch` is the global batch. With `process_local=True`
    each process passes its own equal share: the rows its devices hold on `axis`
    (see `NamedSharding.addressable_devices_indices_map`; with `make_mesh` on CPU/GPU,
    process i holds the i-th block), and `jax.make_array_from_process_local_data`
    assembles the global batch.
    """
    factor = jax.process_count() if process_local else 1
    for path, leaf in jax.tree_util.tree_leaves_with_path(batch):
        _check_batch_leaf(path, leaf, mesh, axis, factor)
    if process_local:
        return jax.tree.map(lambda x: jax.make_array_from_process_local_data(
            _batch_sharding(mesh, axis, x), np.asarray(x)), batch)
    return jax.tree.map(lambda x: jax.device_put(x, _batch_sharding(mesh, axis, x)), batch)


def opt_state_shardings(opt_state: Any, params: Mapping[str, Any],
                        params_shardings: Mapping[str, NamedSharding], mesh: Mesh) -> Any:
    """Shardings for an optimizer state: slots follow their params, the rest is replicated.

    A slot is a dict entry keyed by a param name with that param's shape (optax's
    `mu`/`nu`/`trace` over the params dict, or over a subset of it as in
    `minitf.train`); any other leaf (step counts, ...) is replicated.
    """
    replicated = NamedSharding(mesh, PartitionSpec())

    def is_slots(x: Any) -> bool:
        return isinstance(x, Mapping) and bool(x) and all(k in params_shardings for k in x)

    def slot(name: str, value: Any) -> Any:
        if np.shape(value) == np.shape(params[name]):
            return params_shardings[name]
        return jax.tree.map(lambda _: replicated, value)

    def leaf(x: Any) -> Any:
        if is_slots(x):
            return {k: slot(k, v) for k, v in x.items()}
        return replicated

    return jax.tree.map(leaf, opt_state, is_leaf=is_slots)


def data_parallel_step(step_fn: Callable[..., tuple[Any, Any, Any]], mesh: Mesh,
                       params_shardings: Mapping[str, NamedSharding], batch_axis: AxisName = "data",
                       donate: bool = False) -> Callable[..., tuple[Any, Any, Any]]:
    """`step_fn(params, opt_state, *batch) -> (params, opt_state, metrics)`, jitted over `mesh`.

    Params keep `params_shardings`, optimizer slots follow their params
    (`opt_state_shardings`), every batch leaf is split on `batch_axis` (scalars
    replicated) and metrics come back replicated. Gradients are averaged across
    `batch_axis` by SPMD itself, as long as the loss is a mean over the batch.
    Inputs not yet laid out this way are moved there (`jax.device_put`, a no-op once
    they are), so freshly initialized params work; multi-process, pass batches made
    by `shard_batch(..., process_local=True)`. `donate=True` reuses the input
    params / opt_state buffers for the outputs.
    """
    params_shardings = dict(params_shardings)
    replicated = NamedSharding(mesh, PartitionSpec())
    compiled: dict[Any, Callable] = {}

    def step(params: Mapping[str, Any], opt_state: Any, *batch: Any) -> tuple[Any, Any, Any]:
        if set(params) != set(params_shardings):
            missing = sorted(set(params_shardings) - set(params))
            extra = sorted(set(params) - set(params_shardings))
            raise ValueError(f"params do not match params_shardings: missing {missing[:5]}, "
                             f"unexpected {extra[:5]}")
        for path, leaf in jax.tree_util.tree_leaves_with_path(batch):
            _check_batch_leaf(path, leaf, mesh, batch_axis, 1)
        p_sh = {k: params_shardings[k] for k in params}
        o_sh = opt_state_shardings(opt_state, params, p_sh, mesh)
        b_sh = jax.tree.map(lambda x: _batch_sharding(mesh, batch_axis, x), batch)
        key = (jax.tree.structure(opt_state), jax.tree.structure(batch),
               tuple(jax.tree.leaves(o_sh)), tuple(jax.tree.leaves(b_sh)))
        if key not in compiled:
            compiled[key] = jax.jit(step_fn, in_shardings=(p_sh, o_sh, *b_sh),
                                    out_shardings=(p_sh, o_sh, replicated),
                                    donate_argnums=(0, 1) if donate else ())
        params, opt_state, batch = jax.device_put((dict(params), opt_state, batch),
                                                  (p_sh, o_sh, b_sh))
        return compiled[key](params, opt_state, *batch)

    return step
