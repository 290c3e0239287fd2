"""Runs a TF1 graph: the ops one `Session.run` needs, as one traceable JAX function.

`Plan` finds the ops a set of fetches depends on (through inputs and control
inputs, stopping at fed tensors) and the variables they read and write.
`execute` runs them in creation order, which is a topological order: an op's
inputs and control inputs always exist before it. It is called inside
`jax.jit`, so the whole run compiles to one computation.

TF1's state rules, made deterministic: a variable read without control
dependencies sees the value the run began with; a read ordered after other
ops (`tf.control_dependencies`) and every assignment see the latest value.
Random ops draw from the run's key folded with their op name, so an op's draw
is the same wherever it is recomputed within a run (a gradient's forward
pass) and fresh on the next run.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import jax
import numpy as np

from minitf.core.sampling import sample_specs
from minitf.core.symbolic import evaluation_frame
from minitf.core.tensor import Operation, Tensor

__all__ = ["Plan", "all_inputs", "draw_initial_values", "execute"]


class Plan:
    """The ops a run needs (in creation order) and the variables they touch."""

    def __init__(self, targets: Iterable[Operation], fed: set[Tensor]) -> None:
        needed: dict[int, Operation] = {}
        stack = list(targets)
        while stack:
            op = stack.pop()
            if op.id in needed:
                continue
            if op.outputs and all(t in fed for t in op.outputs) and op.kind != "assign":
                continue
            needed[op.id] = op
            stack.extend(t.op for t in all_inputs(op) if t not in fed)
            stack.extend(op.control_inputs)
        self.ops = [needed[i] for i in sorted(needed)]
        self.writes = sorted({name for op in self.ops if op.kind == "assign"
                              for name in op.writes})
        reads = {_variable_name(op) for op in self.ops if op.kind in ("read", "variable")}
        reads |= {name for op in self.ops if op.kind == "assign"
                  and op.attrs.get("reads_refs", True) for name in op.writes}
        self.reads = sorted(reads)
        # Variables this run initializes: reading them needs no earlier initialization.
        self.initializes = {name for op in self.ops if op.kind == "assign"
                            and not op.attrs.get("reads_refs", True) for name in op.writes}
        self.placeholders = [op for op in self.ops if op.kind == "placeholder"]
        # Placeholders a source feeds (a dataset iterator's get_next), not the caller.
        self.sourced = [op for op in self.placeholders if "source" in op.attrs]
        self.sampled = [op.attrs["sampled"] for op in self.ops
                        if op.kind == "assign" and op.attrs.get("sampled")]


def all_inputs(op: Operation) -> list[Tensor]:
    """An op's inputs and, for control flow, the outside tensors its bodies use."""
    captures = op.attrs.get("captures")
    return [*op.inputs, *captures] if captures else op.inputs


def _variable_name(op: Operation) -> str:
    return op.name if op.kind == "variable" else op.inputs[0].op.name


def _op_key(run_key: jax.Array, op: Operation) -> jax.Array:
    return jax.random.fold_in(run_key, zlib.crc32(op.name.encode()) & 0x7FFFFFFF)


#: Ops on concrete values with outputs this small are folded at trace time (shape math).
_FOLD_LIMIT = 1024


def _foldable(op: Operation, values: Sequence[Any]) -> bool:
    return (all(isinstance(v, (np.ndarray, np.generic)) for v in values)
            and all(np.prod(t.probe_aval(0).shape) <= _FOLD_LIMIT for t in op.outputs))


class _Run:
    """The state of one traced run: tensor values, and variables at start and now."""

    def __init__(self, env: dict[Tensor, Any], start: dict[str, Any], run_key: jax.Array,
                 overrides: dict[str, Any] | None = None,
                 initial: dict[str, Any] | None = None) -> None:
        self.env = env
        self.start = start
        self.current = dict(start)
        self.run_key = run_key
        self.overrides = overrides or {}  # variable name -> value (gradient subgraphs)
        self.initial = initial or {}  # variable name -> initial value drawn before the run

    def variable(self, name: str, ordered: bool) -> Any:
        """A read: the run's starting value, or (ordered reads, and variables this run
        initializes first, as TF's initialized_value) the latest one."""
        if name in self.overrides:
            return self.overrides[name]
        if ordered or name not in self.start:
            return self.current[name]
        return self.start[name]

    def step(self, op: Operation) -> None:
        kind = op.kind
        if kind in ("noop", "placeholder", "arg"):
            return
        if kind == "variable":  # fetched directly (reads go through their read ops)
            if op.name in self.start or op.name in self.current:
                self.env[op.outputs[0]] = self.variable(op.name, False)
            return
        if kind == "read":
            self.env[op.outputs[0]] = self.variable(op.inputs[0].op.name,
                                                    bool(op.control_inputs))
            return
        if kind == "gradients":
            self._gradients(op)
            return
        values = [self.env[t] for t in op.inputs]
        if kind == "assign":
            drawn = self.initial.get(op.writes[0]) if op.attrs.get("sampled") else None
            if drawn is not None:
                outputs, new = (drawn,), (drawn,)
            else:
                refs = ([self.current[name] for name in op.writes]
                        if op.attrs.get("reads_refs", True) else [])
                outputs, new = op.compute(*refs, *values)  # type: ignore[misc]
            self.current.update(zip(op.writes, new, strict=True))
        elif kind == "control":
            outputs = op.compute(self._runner(op), *values)  # type: ignore[misc]
        elif kind == "random":
            with evaluation_frame(_op_key(self.run_key, op)):
                outputs = op.compute(*values)  # type: ignore[misc]
        elif kind != "stateful" and _foldable(op, values):  # constants, shape math: fold
            with evaluation_frame(), jax.ensure_compile_time_eval():
                outputs = jax.tree_util.tree_map(np.asarray, op.compute(*values))  # type: ignore[misc]
        else:
            with evaluation_frame():
                outputs = op.compute(*values)  # type: ignore[misc]
        leaves = jax.tree_util.tree_leaves(outputs)
        for tensor, value in zip(op.outputs, leaves, strict=True):
            self.env[tensor] = value

    def _runner(self, op: Operation) -> Any:
        """How a control op evaluates one of its subgraphs (a loop body, a branch)."""
        key = _op_key(self.run_key, op)

        def run_subgraph(sub: Any, arg_values: Sequence[Any], index: Any) -> list[Any]:
            env = dict(self.env)
            env.update(zip(sub.args, arg_values, strict=True))
            inner = _Run(env, self.start, jax.random.fold_in(key, index), self.overrides)
            inner.current = self.current
            for body_op in sub.ops:
                inner.step(body_op)
            return [env[r] for r in sub.results]

        return run_subgraph

    def _gradients(self, op: Operation) -> None:
        """d(sum of ys)/d(xs): a vjp through the ops between xs and ys."""
        xs: list[Tensor] = op.attrs["xs"]
        ys: list[Tensor] = op.attrs["ys"]
        grad_ys: list[Tensor | None] = op.attrs["grad_ys"]
        path: list[Operation] = op.attrs["path"]
        # The forward pass inside the vjp also gives the path's values: they replace the
        # ones computed before (which then go unused, and XLA drops them): one forward.
        shared = [t for path_op in path if path_op.kind != "assign" for t in path_op.outputs]

        def forward(*x_values: Any) -> tuple[list[Any], list[Any]]:
            env = dict(self.env)
            overrides = dict(self.overrides)
            for x, value in zip(xs, x_values, strict=True):
                if x.op.kind == "variable":
                    overrides[x.op.name] = value
                else:
                    env[x] = value
            inner = _Run(env, self.start, self.run_key, overrides)
            inner.current = self.current
            for path_op in path:
                inner.step(path_op)
            return [env[y] for y in ys], [env[t] for t in shared]

        x_values = [self.variable(x.op.name, False) if x.op.kind == "variable"
                    else self.env[x] for x in xs]
        y_values, vjp, primals = jax.vjp(forward, *x_values, has_aux=True)
        if not self.overrides:  # (not inside another gradient's forward)
            self.env.update(zip(shared, primals, strict=True))
        cotangents = [jax.numpy.ones_like(y) if g is None else self.env[g]
                      for y, g in zip(y_values, grad_ys, strict=True)]
        grads = vjp(cotangents)
        for tensor, value in zip(op.outputs, grads, strict=True):
            self.env[tensor] = value


def draw_initial_values(plan: Plan) -> dict[str, Any]:
    """The plan's sampled initial values, drawn now (outside the run's jit) by cached
    per-configuration samplers: a big initializer run compiles no random numbers."""
    by_seed: dict[int, list[Any]] = {}
    for spec, seed in plan.sampled:
        by_seed.setdefault(seed, []).append(spec)
    values: dict[str, Any] = {}
    for seed, specs in by_seed.items():
        values.update(sample_specs(jax.random.PRNGKey(seed), specs))
    return values


def execute(plan: Plan, feeds: dict[Tensor, Any], start: dict[str, Any],
            run_key: jax.Array, initial: dict[str, Any] | None = None
            ) -> tuple[dict[Tensor, Any], dict[str, Any]]:
    """Run `plan` on fed values and variable values; tensor values and new variables.

    `initial`: initial values drawn beforehand for the plan's sampled initializers."""
    run = _Run(dict(feeds), start, run_key, initial=initial)
    for op in plan.ops:
        run.step(op)
    return run.env, {name: run.current[name] for name in plan.writes}
