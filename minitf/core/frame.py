"""The Graph: the one frame object that holds everything a trace mutates.

A TF1 program mutates a default graph: its name stack and used names, its
collections, its variable store and its variable-scope stack. minitf keeps all
of that in one `Graph` object. Outside any transform there is a process-wide
default graph holding eagerly created variables (so tutorial code runs at top
level); every `transform` call traces in a fresh Graph, so names never depend
on what ran before. As in TF, the graph's name stack and variable-scope stack
are per thread, and the stack of default graphs is per thread.

What differs between eager use, `init` and `apply` is only where a newly
registered variable's value comes from: that policy is the graph's `source`
(see `_sources.py`).
"""
from __future__ import annotations

import contextlib
import re
import threading
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jax

from minitf.core import naming as _naming
from minitf.core.callsite import user_site
from minitf.core.jax_private import current_trace, is_tracing, reset_name_stack
from minitf.core.sources import EagerSource, GraphSource, ValueSource
from minitf.core.tensor import Operation, Tensor

if TYPE_CHECKING:  # these modules come after frame in the import order
    from minitf.core.partition import PartitionedVariable
    from minitf.core.scopes import VariableScope
    from minitf.core.variables import Variable

__all__ = [
    "Graph",
    "GraphKeys",
    "add_to_collection",
    "add_to_collections",
    "as_control_op",
    "control_dependencies",
    "current_trace",
    "disable_eager_execution",
    "enable_eager_execution",
    "executing_eagerly",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_name_scope",
    "global_variables",
    "is_tracing",
    "local_variables",
    "next_rng_key",
    "record_accesses",
    "reset_default_graph",
    "trainable_variables",
]


class GraphKeys:
    """Standard collection names, as in `tf.GraphKeys`."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SUMMARIES = "summaries"
    METRIC_VARIABLES = "metric_variables"
    GLOBAL_STEP = "global_step"
    VARIABLES = GLOBAL_VARIABLES


class _ThreadState(threading.local):
    """Per-thread, per-graph state: TF keeps exactly these thread-local.

    `current_scope` is the innermost VariableScope (None until `scopes` makes the
    root one: the frame stores scopes but does not know their class).
    """

    def __init__(self) -> None:
        self.name_stack = ""
        # Graph mode: the operations new ops depend on (tf.control_dependencies).
        self.control_ops: list[Operation] = []
        self.current_scope: VariableScope | None = None
        self.scope_counts = _naming.ScopeCounts()


class _RngStream:
    """A base key and how many keys were drawn from it (each draw folds the count in)."""

    __slots__ = ("base", "count")

    def __init__(self, base: jax.Array | None) -> None:
        self.base, self.count = base, 0


class Graph:
    """A TF1 graph: names, collections, variable store and scopes of one trace."""

    def __init__(self, source: ValueSource | None = None, seed: int | None = None) -> None:
        self._names = _naming.NameRegistry()
        self._thread = _ThreadState()
        self._collections: dict[str, list[Any]] = {}
        # get_variable's store: full name -> variable (TF's _VariableStore._vars),
        # and full name -> PartitionedVariable (TF's _partitioned_vars).
        self._store: dict[str, Variable] = {}
        self.partitioned: dict[str, PartitionedVariable] = {}
        # Every variable of this graph by its op name (checkpoint / params key).
        self.variables_by_name: dict[str, Variable] = {}
        self.source: ValueSource = source if source is not None else GraphSource()
        self.seed = seed
        # Guards names, collections and the store's create-or-reuse decision.
        self.lock = threading.RLock()
        # Values assigned to variables during this trace, by op name; reads see
        # them only inside control_dependencies on the assignment (TF1's rule).
        self.updates: dict[str, jax.Array] = {}
        self._assigned: dict[int, str] = {}
        self.visible_updates: dict[str, jax.Array] = {}
        # The JAX trace this graph may create variables in (others would leak tracers).
        self.trace = current_trace()
        # The one rng: a stack of streams; the bottom one draws from the source's key.
        self._rng: list[_RngStream] = [_RngStream(None)]
        # Per-owner state for objects that outlive a trace (templates, RNN cells).
        self._owner_state: weakref.WeakKeyDictionary[Any, dict[str, Any]] = \
            weakref.WeakKeyDictionary()
        # Graph mode: every operation in creation order, and by name.
        self._operations: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        # Access logs, kept only while `record_accesses()` is active (sharing report).
        self.access_log: dict[str, list[tuple[str, str, str]]] | None = None
        self.read_log: dict[str, int] | None = None
        if _recorder.active is not None:
            self.access_log, self.read_log = {}, {}
            _recorder.active.append(self)

    # -- names ---------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """TF's Graph.unique_name: `name` under the current name stack, made unique."""
        full = _naming.join(self._thread.name_stack, name)
        with self.lock:
            return self._names.unique_name(full, mark_as_used)

    def claim_scope_name(self, name: str) -> str:
        """TF's rule for the full name of a scope (or op) named `name` here: validated;
        'a/b/' taken as is (re-entering it); otherwise made unique under the name stack."""
        _naming.validate_scope_name(name, at_root=not self._thread.name_stack)
        if name[-1] == "/":
            return name[:-1]
        return self.unique_name(name)

    def get_name_scope(self) -> str:
        return self._thread.name_stack

    def name_scope(self, name: str | None) -> _NameScope:
        """TF's Graph.name_scope: validate, uniquify (or re-enter 'a/b/'), push."""
        return _NameScope(self, name)

    def set_name_stack(self, stack: str) -> str:
        """Swap the name stack without mirroring it into JAX; returns the old one.

        For get_variable's brief return to the root (it creates no ops there).
        """
        old, self._thread.name_stack = self._thread.name_stack, stack
        return old

    # -- variable scopes -------------------------------------------------------
    @property
    def current_scope(self) -> VariableScope | None:
        """The innermost VariableScope on this thread (None before the root is made)."""
        return self._thread.current_scope

    @current_scope.setter
    def current_scope(self, scope: VariableScope | None) -> None:
        self._thread.current_scope = scope

    @property
    def scope_counts(self) -> _naming.ScopeCounts:
        return self._thread.scope_counts

    @scope_counts.setter
    def scope_counts(self, counts: _naming.ScopeCounts) -> None:
        self._thread.scope_counts = counts

    def open_variable_scope(self, scope_name: str) -> None:
        self._thread.scope_counts.open(scope_name)

    def close_variable_subscopes(self, scope_name: str) -> None:
        self._thread.scope_counts.close_subscopes(scope_name)

    # -- collections -----------------------------------------------------------
    def add_to_collection(self, name: str, value: Any) -> None:
        # dict.setdefault and list.append are atomic under the GIL: no lock on this hot path.
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        """Add `value` once to each named collection (`names`: a name or an iterable)."""
        collections = self._collections
        for name in (names,) if isinstance(names, str) else dict.fromkeys(names):
            collections.setdefault(name, []).append(value)

    def get_collection_ref(self, name: str) -> list[Any]:
        with self.lock:
            return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: str | None = None) -> list[Any]:
        """Items of a collection; `scope` filters by `re.match` on item names, as TF."""
        with self.lock:
            items = list(self._collections.get(name, ()))
        if scope is None:
            return items
        regex = re.compile(scope)
        return [item for item in items if hasattr(item, "name") and regex.match(item.name)]

    def get_all_collection_keys(self) -> list[str]:
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    # -- variables ---------------------------------------------------------------
    def log_access(self, var: Any) -> None:
        """Record who asked for `var` (variable scope, name scope, call site)."""
        if self.access_log is None or not hasattr(var, "op"):
            return
        scope = self._thread.current_scope
        entry = (scope.name if scope is not None else "", self._thread.name_stack, user_site())
        self.access_log.setdefault(var.op.name, []).append(entry)

    def check_creation_allowed(self, name: str) -> None:
        """Refuse to create a variable inside a raw JAX transformation (it would leak)."""
        if not self.source.creates or self.trace is None:
            return
        current = current_trace()
        if self.is_eager:
            inside = type(current).__name__ != "EvalTrace"
        else:
            inside = current is not self.trace
        if current is not None and inside:
            raise RuntimeError(
                f"Variable {name!r} would be created inside a raw JAX transformation "
                f"(jax.lax.scan, jax.vmap, jax.checkpoint, jax.jit, ...) while "
                f"{'init' if not self.is_eager else 'running eagerly'}: its value would be "
                "a tracer of that inner transformation and leak out. Use minitf's lifted "
                "versions (minitf.scan, minitf.vmap, minitf.remat, minitf.cond), which "
                "create variables outside the transformation, or create the variables "
                "before entering it (e.g. call the layer once first).")

    @property
    def is_eager(self) -> bool:
        return isinstance(self.source, EagerSource)

    @property
    def is_graph_mode(self) -> bool:
        """TF1's define-then-run graph: variables and random ops are symbolic."""
        return isinstance(self.source, GraphSource)

    # -- graph-mode operations -------------------------------------------------------
    def add_operation(self, op: Operation) -> int:
        """Register `op` (with this thread's control dependencies); its creation index."""
        with self.lock:
            op.control_inputs.extend(c for c in self._thread.control_ops
                                     if c not in op.control_inputs)
            self._operations.append(op)
            self._ops_by_name[op.name] = op
            return len(self._operations) - 1

    @property
    def control_ops(self) -> list[Operation]:
        return self._thread.control_ops

    def get_operations(self) -> list[Operation]:
        with self.lock:
            return list(self._operations)

    def get_operation_by_name(self, name: str) -> Operation:
        op = self._ops_by_name.get(name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
        return op

    def get_tensor_by_name(self, name: str) -> Tensor:
        op_name, _, index = name.rpartition(":")
        if not op_name or not index.isdigit():
            raise ValueError(f"The name '{name}' looks a like an Operation name, not a "
                             "Tensor name. Tensor names must be of the form "
                             "\"<op_name>:<output_index>\".")
        op = self._ops_by_name.get(op_name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. "
                           f"The operation, '{op_name}', does not exist in the graph.")
        if int(index) >= len(op.outputs):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. The "
                           f"operation, '{op_name}', exists but only has "
                           f"{len(op.outputs)} outputs.")
        return op.outputs[int(index)]

    def as_graph_element(self, obj: Any) -> Any:
        """TF's lookup of a fetch: a Tensor, Operation, or a name of either."""
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else \
                self.get_operation_by_name(obj)
        return obj

    # -- the one rng ----------------------------------------------------------------
    def has_rng(self) -> bool:
        """Whether random ops can draw here (apply got `rng=`, or init / eager)."""
        return self._rng[-1].base is not None or self.source.rng_key() is not None

    def next_rng_key(self) -> jax.Array:
        """A fresh key: the current stream's base with its draw count folded in.

        Every random op (dropout, tf.random_*, an initializer called TF-style)
        draws here, so two draws in one computation always differ.
        """
        stream = self._rng[-1]
        base = stream.base if stream.base is not None else self.source.rng_key()
        if base is None:
            raise ValueError(
                "This computation needs randomness (dropout, tf.random_*, a random "
                "initializer called directly) but no rng was given: pass rng= to "
                "apply(...), e.g. model.apply(params, x, rng=jax.random.PRNGKey(0)).")
        stream.count += 1
        return jax.random.fold_in(base, stream.count)

    @contextlib.contextmanager
    def rng_scope(self, key: jax.Array | None) -> Iterator[None]:
        """Draw from `key` inside (a variable's own key while computing its initial
        value, so its draws depend on its name only; a scan step's key)."""
        self._rng.append(_RngStream(key))
        try:
            yield
        finally:
            self._rng.pop()

    # -- per-owner state -------------------------------------------------------------
    def state_for(self, owner: Any) -> dict[str, Any]:
        """A dict private to `owner` in this graph: per-trace state of long-lived objects.

        A module-level `make_template` or RNN cell is used by many traces (init,
        apply, each jit); whatever it learns in one graph must not leak into the next.
        """
        state = self._owner_state.get(owner)
        if state is None:
            state = self._owner_state[owner] = {}
        return state

    # -- assignments -------------------------------------------------------------------
    def record_update(self, name: str, value: jax.Array) -> None:
        """Collect an assignment made inside a trace (returned by apply_with_updates)."""
        self.updates[name] = value
        self._assigned[id(value)] = name

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Any) -> Iterator[None]:
        """TF's ordering: reads inside see the assignments listed in `control_inputs`."""
        if control_inputs is None:  # TF: clear the control dependencies inside
            saved, self._thread.control_ops = self._thread.control_ops, []
            try:
                yield
            finally:
                self._thread.control_ops = saved
            return
        previous = self.visible_updates
        visible = dict(previous)
        ops: list[Operation] = []
        for item in control_inputs:
            op = as_control_op(item)
            if op is not None:
                ops.append(op)
                continue
            name = self._assigned.get(id(item))  # an assignment's returned value
            if name is not None:
                visible[name] = self.updates[name]
        self.visible_updates = visible
        thread = self._thread
        saved_ops = thread.control_ops
        thread.control_ops = saved_ops + [op for op in ops if op not in saved_ops]
        try:
            yield
        finally:
            self.visible_updates = previous
            thread.control_ops = saved_ops

    @property
    def store(self) -> dict[str, Variable]:
        return self._store

    def as_default(self) -> contextlib.AbstractContextManager[Graph]:
        return _default_graph_stack.push(self)

    # -- state snapshots (for lifted control flow) -------------------------------
    def snapshot_naming(self) -> tuple[Any, ...]:
        """Everything a re-trace of the same code would otherwise see changed."""
        return (
            self._names.copy(),
            self._thread.scope_counts.copy(),
            dict(self._store),
            dict(self.partitioned),
            dict(self.variables_by_name),
            {k: list(v) for k, v in self._collections.items()},
            {owner: dict(state) for owner, state in self._owner_state.items()},
        )

    def restore_naming(self, snapshot: tuple[Any, ...]) -> None:
        names, counts, store, partitioned, by_name, collections, owners = snapshot
        self._names = names
        self._thread.scope_counts = counts
        self._store = store
        self.partitioned = partitioned
        self.variables_by_name = by_name
        self._collections = collections
        self._owner_state = weakref.WeakKeyDictionary(owners)


def as_control_op(item: Any) -> Operation | None:
    """The graph op a control input stands for (an op, a tensor's op, a variable's)."""
    if isinstance(item, Operation):
        return item
    if isinstance(item, Tensor):
        return item.op
    value = getattr(item, "_value", None)  # a graph-mode variable
    return value.op if isinstance(value, Tensor) else None


class _NameScope:
    """The context manager behind Graph.name_scope (a class: it is on every hot path)."""

    __slots__ = ("_graph", "_jax", "_name", "_old")

    def __init__(self, graph: Graph, name: str | None) -> None:
        self._graph, self._name = graph, name

    def __enter__(self) -> str:
        graph, name = self._graph, self._name
        thread = graph._thread
        old = thread.name_stack
        new = graph.claim_scope_name(name) if name else ""
        returned = new + "/" if name else ""
        # Op by op there is no jaxpr to name: JAX's name stack is only kept while tracing.
        self._jax = _jax_name_stack(old, new) if is_tracing() else _NO_CHANGE
        self._jax.__enter__()
        self._old = old
        thread.name_stack = new
        return returned

    def __exit__(self, *exc: Any) -> None:
        self._graph._thread.name_stack = self._old
        self._jax.__exit__(*exc)


_NO_CHANGE = contextlib.nullcontext()


def _jax_name_stack(old: str, new: str) -> contextlib.AbstractContextManager[Any]:
    """Mirror TF's name stack into JAX's, so jaxprs and HLO carry TF scope paths.

    Nested scopes push only the suffix (keeping JAX's own transform entries);
    absolute jumps (re-entering 'a/', resetting to root) replace the stack.
    """
    if new == old:
        return _NO_CHANGE
    if not old:
        return jax.named_scope(new)
    if new.startswith(old) and new[len(old)] == "/":
        return jax.named_scope(new[len(old) + 1:])
    return _reset_jax_name_stack(new)


@contextlib.contextmanager
def _reset_jax_name_stack(new: str) -> Iterator[None]:
    with reset_name_stack():
        if new:
            with jax.named_scope(new):
                yield
        else:
            yield


class _Recorder(threading.local):
    def __init__(self) -> None:
        self.active: list[Graph] | None = None


_recorder = _Recorder()


@contextlib.contextmanager
def record_accesses() -> Iterator[list[Graph]]:
    """Graphs created inside log every get_variable access and every value read.

    Yields the list those graphs are appended to (see minitf.viz.sharing).
    """
    previous, _recorder.active = _recorder.active, []
    try:
        yield _recorder.active
    finally:
        _recorder.active = previous


class _DefaultGraphStack(threading.local):
    """A per-thread stack of default graphs over one process-wide default."""

    def __init__(self) -> None:
        self.stack: list[Graph] = []

    @contextlib.contextmanager
    def push(self, graph: Graph) -> Iterator[Graph]:
        self.stack.append(graph)
        try:
            yield graph
        finally:
            if self.stack and self.stack[-1] is graph:
                self.stack.pop()
            else:  # pragma: no cover - mirrors TF's nesting check
                raise AssertionError("Nesting violated for default graph stack.")

    def get(self) -> Graph:
        if self.stack:
            return self.stack[-1]
        return _global_default()


_global_lock = threading.Lock()
_global_graph: list[Graph] = []


def _global_default() -> Graph:
    with _global_lock:
        if not _global_graph:
            _global_graph.append(Graph())
        return _global_graph[0]


_default_graph_stack = _DefaultGraphStack()


def get_default_graph() -> Graph:
    """The innermost graph made default on this thread, else the global one."""
    return _default_graph_stack.get()


def reset_default_graph() -> None:
    """Replace the global default graph with a fresh one (TF's rules apply)."""
    if _default_graph_stack.stack:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you "
            "need a cleared graph, exit the nesting and create a new graph.")
    with _global_lock:
        _global_graph[:] = [Graph()]


def enable_eager_execution(config: Any = None, device_policy: Any = None,
                           execution_mode: Any = None) -> None:
    """TF1's opt-in eager mode: the global default graph becomes an eager one, where
    variables hold values and ops run at once (graph mode is the default, as in TF1)."""
    del config, device_policy, execution_mode
    with _global_lock:
        _global_graph[:] = [Graph(EagerSource())]


def disable_eager_execution() -> None:
    """Back to TF1's graph mode: a fresh global default graph."""
    with _global_lock:
        _global_graph[:] = [Graph()]


def executing_eagerly() -> bool:
    return get_default_graph().is_eager


def get_collection(key: str, scope: str | None = None) -> list[Any]:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list[Any]:
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name: str, value: Any) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)


def global_variables(scope: str | None = None) -> list[Variable]:
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list[Variable]:
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Variable]:
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def get_name_scope() -> str:
    return get_default_graph().get_name_scope()


def next_rng_key() -> jax.Array:
    """A fresh rng key from the current trace (apply's `rng=`, init's rng, or the default graph)."""
    return get_default_graph().next_rng_key()


def control_dependencies(control_inputs: Any) -> contextlib.AbstractContextManager[None]:
    """TF1's `tf.control_dependencies`: inside `apply`, reads of a variable see an
    assignment only when it is listed here (otherwise the value at the call's start)."""
    return get_default_graph().control_dependencies(control_inputs)
