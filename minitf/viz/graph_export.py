"""Turn a JAX function into a TensorBoard `GraphDef`, one node per jaxpr equation.

minitf's scopes push `jax.named_scope`, so every equation carries its TF1
scope path in `eqn.source_info.name_stack`; naming each node
`<scope path>/<primitive>` makes TensorBoard draw the familiar nested scope
boxes. Parameters (the dict passed as first argument) become `VariableV2`
nodes named by their keys, other inputs `Placeholder` nodes, results
`Identity` nodes under `output/`.

Name stacks: scopes are kept; of JAX's transform markers only `transpose`
is kept, rendered as a `gradients` scope (TF1 puts backprop ops under
`gradients/<forward scope>/...` too); `jvp`, `vmap`, ... are dropped so the
forward pass of `jax.grad(f)` reads like `f`.

Sub-jaxprs:
* call-like primitives (jit, closed_call, checkpoint/remat, custom_jvp/vjp)
  run their body exactly once with a 1:1 data flow, so they are *inlined*:
  the body's equations appear under the call site's scope plus their own,
  and a helper jitted inside `disc/` still shows its ops in the `disc` box
  instead of as one opaque node. The jit boundary itself is not drawn.
* control flow (scan, while, cond) is *not* one-shot, so inlining would
  misstate what runs. It becomes a box `<scope>/<prim>` (like TF1's
  `while/` scope) holding each body under `body/`, `cond/` or `branch_<k>/`,
  fed by edges from the outer operands, plus one node `<scope>/<prim>/<prim>`
  with the primitive as op that collects the bodies' results and is what
  downstream nodes consume.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from typing import Literal as TypingLiteral

import jax
import jax.extend as jex
import numpy as np
from tensorboard.compat.proto import (
    attr_value_pb2,
    graph_pb2,
    node_def_pb2,
    tensor_shape_pb2,
    types_pb2,
)

from minitf.core.naming import NameRegistry

from .graph_dot import to_dot, write_dot  # re-exported for convenience

__all__ = ["graph_def_from_function", "to_dot", "write_dot", "write_graph"]

GraphDef = graph_pb2.GraphDef

# Primitives whose single sub-jaxpr runs once with inputs/outputs matching 1:1.
_CALL_LIKE = frozenset({
    "jit", "pjit", "closed_call", "core_call", "remat", "remat2", "checkpoint",
    "custom_jvp_call", "custom_vjp_call", "custom_vjp_call_jaxpr", "custom_lin",
})
# Inputs, outputs and constants keep their own names.
_NOT_COLLAPSED = frozenset({"VariableV2", "Placeholder", "Identity", "Const", "Arg"})
_INVALID_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")
_MAX_ATTR_CHARS = 200

_DTYPES = {
    "float32": types_pb2.DT_FLOAT, "float64": types_pb2.DT_DOUBLE,
    "float16": types_pb2.DT_HALF, "bfloat16": types_pb2.DT_BFLOAT16,
    "int8": types_pb2.DT_INT8, "int16": types_pb2.DT_INT16,
    "int32": types_pb2.DT_INT32, "int64": types_pb2.DT_INT64,
    "uint8": types_pb2.DT_UINT8, "uint16": types_pb2.DT_UINT16,
    "uint32": types_pb2.DT_UINT32, "uint64": types_pb2.DT_UINT64,
    "bool": types_pb2.DT_BOOL, "complex64": types_pb2.DT_COMPLEX64,
    "complex128": types_pb2.DT_COMPLEX128,
}


# -- small helpers -------------------------------------------------------------
def _sanitize(component: str) -> str:
    """Make one name component valid in a TF node name."""
    return _INVALID_CHARS.sub("_", component) or "_"


def _path_parts(path: Sequence[Any]) -> list[str]:
    """A `jax.tree_util` key path as plain strings ("gen/dense" keys split)."""
    parts: list[str] = []
    for key in path:
        for attr in ("key", "idx", "name"):
            if hasattr(key, attr):
                parts.append(str(getattr(key, attr)))
                break
        else:
            parts.append(str(key))
    return [p for part in parts for p in part.split("/") if p]


def _param_node_name(raw: str) -> str:
    """`"gen/dense/kernel:0"` -> `"gen/dense/kernel"`, components sanitized."""
    raw = raw[:-2] if raw.endswith(":0") else raw
    parts = [_sanitize(p) for p in raw.split("/") if p]
    if not parts:
        raise ValueError(f"parameter name {raw!r} is empty")
    return "/".join(parts)


def _scope_parts(name_stack: Any) -> list[str]:
    """Scope components of an equation's name stack (see module docstring)."""
    stack = getattr(name_stack, "stack", None)
    parts: list[str] = []
    if stack is None:  # unknown JAX internals: fall back to the string form
        text = re.sub(r"(\w+)\(", lambda m: "gradients/" if m.group(1) == "transpose" else "",
                      str(name_stack)).replace(")", "")
        return [_sanitize(p) for p in text.split("/") if p]
    for entry in stack:
        if type(entry).__name__ == "Transform":
            if entry.name == "transpose":
                parts.append("gradients")
        else:
            parts.extend(_sanitize(p) for p in str(entry.name).split("/") if p)
    return parts


def _dtype_attr(dtype: Any) -> attr_value_pb2.AttrValue | None:
    enum = _DTYPES.get(str(dtype))
    return None if enum is None else attr_value_pb2.AttrValue(type=enum)


def _shape_proto(aval: Any) -> tensor_shape_pb2.TensorShapeProto:
    shape = getattr(aval, "shape", None)
    if shape is None:
        return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=d if isinstance(d, int) else -1)
            for d in shape]
    return tensor_shape_pb2.TensorShapeProto(dim=dims)


def _output_shapes_attr(avals: Sequence[Any]) -> attr_value_pb2.AttrValue:
    # TensorBoard labels edges with the shapes listed in `_output_shapes`.
    return attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(
        shape=[_shape_proto(a) for a in avals]))


def _is_jaxpr(value: Any) -> bool:
    return isinstance(value, (jex.core.Jaxpr, jex.core.ClosedJaxpr))


def _sub_jaxprs(params: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """`(label, jaxpr)` for every (closed) jaxpr among an equation's params."""
    subs = []
    for key, value in params.items():
        if _is_jaxpr(value):
            subs.append((key, value))
        elif isinstance(value, (tuple, list)) and value and all(_is_jaxpr(v) for v in value):
            subs.extend((f"{key}_{i}", v) for i, v in enumerate(value))
    return subs


def _open(jaxpr: Any) -> tuple[Any, Sequence[Any]]:
    """(Jaxpr, consts) for a Jaxpr or ClosedJaxpr."""
    if isinstance(jaxpr, jex.core.ClosedJaxpr):
        return jaxpr.jaxpr, jaxpr.consts
    return jaxpr, ()


def _control_flow_wiring(prim: str, params: Mapping[str, Any], n_in: int
                         ) -> list[tuple[str, Any, list[int | None]]]:
    """For each body of a control-flow equation: (label, jaxpr, operand index
    feeding each of its inputs, or None where unknown)."""
    if prim == "scan":
        return [("body", params["jaxpr"], list(range(n_in)))]
    if prim == "while":
        cn, bn = params["cond_nconsts"], params["body_nconsts"]
        carry = list(range(cn + bn, n_in))
        return [("cond", params["cond_jaxpr"], list(range(cn)) + carry),
                ("body", params["body_jaxpr"], list(range(cn, cn + bn)) + carry)]
    if prim == "cond":
        return [(f"branch_{k}", br, list(range(1, n_in)))
                for k, br in enumerate(params["branches"])]
    wiring = []
    for label, sub in _sub_jaxprs(params):
        n_sub = len(_open(sub)[0].invars)
        # Unknown primitive: assume its operands end with the body's inputs.
        offset = n_in - n_sub
        wiring.append((label, sub, [offset + i if offset + i >= 0 else None
                                    for i in range(n_sub)]))
    return wiring


# -- the builder ---------------------------------------------------------------
class _GraphBuilder:
    def __init__(self) -> None:
        self.graph = GraphDef()
        self.names = NameRegistry()  # TF's unique_name, shared with the core

    def add_node(self, parts: Sequence[str], op: str, inputs: Sequence[str] = (),
                 avals: Sequence[Any] = (), attrs: Mapping[str, Any] | None = None) -> str:
        name = self.names.unique_name("/".join(parts))
        node = self.graph.node.add(name=name, op=op, input=list(inputs))
        if avals:
            node.attr["_output_shapes"].CopyFrom(_output_shapes_attr(avals))
            dtype = _dtype_attr(getattr(avals[0], "dtype", None))
            if dtype is not None:
                node.attr["T" if op not in ("Placeholder", "VariableV2", "Const")
                          else "dtype"].CopyFrom(dtype)
        for key, value in (attrs or {}).items():
            if isinstance(value, attr_value_pb2.AttrValue):
                node.attr[key].CopyFrom(value)
            else:
                text = str(value)
                if len(text) > _MAX_ATTR_CHARS:
                    text = text[:_MAX_ATTR_CHARS - 3] + "..."
                node.attr[key].CopyFrom(attr_value_pb2.AttrValue(s=text.encode()))
        return name

    def add_input(self, name: str, op: str, aval: Any) -> str:
        return self.add_node(name.split("/"), op, avals=[aval],
                             attrs={"shape": attr_value_pb2.AttrValue(shape=_shape_proto(aval))})

    def add_const(self, scope: Sequence[str], value: Any, aval: Any) -> str:
        attrs = {}
        try:  # show small constants; PRNG keys and the like have no numpy form
            if np.size(value) <= 16:
                attrs["value"] = np.array2string(np.asarray(value), threshold=16)
        except (TypeError, ValueError):
            pass
        return self.add_node([*scope, "Const"], "Const", avals=[aval], attrs=attrs)

    def ref(self, atom: Any, env: Mapping[Any, str], scope: Sequence[str]) -> str:
        if isinstance(atom, jex.core.Literal):
            return self.add_const(scope, atom.val, atom.aval)
        return env[atom]

    def jaxpr(self, jaxpr: Any, consts: Sequence[Any], in_refs: Sequence[str],
              prefix: Sequence[str]) -> list[str]:
        """Add `jaxpr`'s equations under `prefix`; return refs of its outputs."""
        env: dict[Any, str] = {}
        for var, value in zip(jaxpr.constvars, consts, strict=True):
            env[var] = self.add_const(prefix, value, var.aval)
        for var, ref in zip(jaxpr.invars, in_refs, strict=True):
            env[var] = ref
        for eqn in jaxpr.eqns:
            scope = [*prefix, *_scope_parts(eqn.source_info.name_stack)]
            inputs = [self.ref(v, env, scope) for v in eqn.invars]
            outs = self.equation(eqn, scope, inputs)
            for var, ref in zip(eqn.outvars, outs, strict=True):
                if not isinstance(var, jex.core.DropVar):
                    env[var] = ref
        return [self.ref(v, env, prefix) for v in jaxpr.outvars]

    def equation(self, eqn: Any, scope: list[str], inputs: list[str]) -> list[str]:
        prim = eqn.primitive.name
        subs = _sub_jaxprs(eqn.params)
        if prim in _CALL_LIKE and len(subs) == 1:
            inner, consts = _open(subs[0][1])
            if len(inner.invars) == len(inputs) and len(inner.outvars) == len(eqn.outvars):
                return self.jaxpr(inner, consts, inputs, scope)
        plain_params = {k: v for k, v in eqn.params.items()
                        if not callable(v) and not _is_jaxpr(v)
                        and not (isinstance(v, (tuple, list)) and v and _is_jaxpr(v[0]))}
        avals = [v.aval for v in eqn.outvars]
        if subs:
            node = self.control_flow(eqn, scope, inputs, avals, plain_params)
        else:
            node = self.add_node([*scope, _sanitize(prim)], prim, inputs, avals, plain_params)
        return [node if i == 0 else f"{node}:{i}" for i in range(len(eqn.outvars))]

    def control_flow(self, eqn: Any, scope: list[str], inputs: list[str],
                     avals: list[Any], params: Mapping[str, Any]) -> str:
        prim = eqn.primitive.name
        box = self.names.unique_name("/".join([*scope, _sanitize(prim)])).split("/")
        wired: set[int] = set()
        results: list[str] = []
        for label, sub, feeds in _control_flow_wiring(prim, eqn.params, len(inputs)):
            inner, consts = _open(sub)
            body_scope = [*box, _sanitize(label)]
            in_refs = []
            for var, idx in zip(inner.invars, feeds, strict=True):
                if idx is None:
                    in_refs.append(self.add_node([*body_scope, "arg"], "Arg", avals=[var.aval]))
                else:
                    in_refs.append(inputs[idx])
                    wired.add(idx)
            results.extend(self.jaxpr(inner, consts, in_refs, body_scope))
        unwired = [ref for i, ref in enumerate(inputs) if i not in wired]
        return self.add_node([*box, _sanitize(prim)], prim, [*unwired, *results], avals, params)

    def _rename(self, renames: Mapping[str, str]) -> None:
        for node in self.graph.node:
            node.name = renames.get(node.name, node.name)
            for i, ref in enumerate(node.input):
                base, sep, port = ref.partition(":")
                if base in renames:
                    node.input[i] = renames[base] + sep + port

    def collapse_single_op_scopes(self) -> None:
        """Name a lone equation node after the scope it sits alone in.

        minitf's TF-named ops open a scope per op (`dense/MatMul/`), so most
        primitives arrive as `dense/MatMul/dot_general`; when nothing else is
        in that scope the node becomes `dense/MatMul` (op `dot_general`),
        which is the name TF1 would give it and saves a box per op.
        """
        members: dict[str, list[node_def_pb2.NodeDef]] = {}
        has_subgroups: set[str] = set()
        for node in self.graph.node:
            parts = node.name.split("/")[:-1]
            if parts:
                members.setdefault("/".join(parts), []).append(node)
            for depth in range(1, len(parts)):
                has_subgroups.add("/".join(parts[:depth]))
        taken = {n.name.lower() for n in self.graph.node}
        renames = {}
        for group, nodes in members.items():
            if (len(nodes) == 1 and group not in has_subgroups
                    and nodes[0].op not in _NOT_COLLAPSED and group.lower() not in taken):
                renames[nodes[0].name] = group
        self._rename(renames)

    def fix_group_collisions(self) -> None:
        """Rename nodes whose name is also a scope of other nodes (`x` and `x/y`),
        which TensorBoard cannot draw as both a node and a box."""
        groups = {n.name.rsplit("/", 1)[0] for n in self.graph.node if "/" in n.name}
        prefixes = {"/".join(g.split("/")[:i + 1]) for g in groups
                    for i in range(g.count("/") + 1)}
        self._rename({n.name: self.names.unique_name(n.name)
                      for n in self.graph.node if n.name in prefixes})


# -- inputs --------------------------------------------------------------------
def _is_traced(leaf: Any) -> bool:
    """Arrays (and shape specs) are traced; Python values stay static."""
    return isinstance(leaf, (jax.Array, np.ndarray, np.generic, jax.ShapeDtypeStruct))


def _positional_names(fn: Callable[..., Any], n_args: int) -> list[str]:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = []
    for i in range(n_args):
        if i < len(params) and params[i].kind in positional:
            names.append(params[i].name)
        else:
            names.append(f"arg{i}")
    return names


def graph_def_from_function(fn: Callable[..., Any], *args: Any,
                            params_names: Sequence[str] | TypingLiteral[False] | None = None,
                            **kwargs: Any) -> GraphDef:
    """Trace `fn(*args, **kwargs)` with `jax.make_jaxpr` and return its GraphDef.

    Array leaves of the arguments (jax/numpy arrays, `jax.ShapeDtypeStruct`)
    are traced; other leaves (Python numbers, bools, strings) are passed as
    static values. The leaves of the first positional argument are the
    model's parameters (`VariableV2` nodes) when it is a mapping, named by
    their key paths joined with `/` (a flat `{"scope/name": array}` dict
    keeps its keys); `params_names` names them explicitly, in
    `jax.tree_util` flattening order, and `params_names=False` turns this off.
    Other inputs become `Placeholder` nodes named after `fn`'s parameters.
    """
    if not callable(fn):
        raise TypeError(f"graph_def_from_function wants a callable, got {type(fn).__name__}")
    flat, treedef = jax.tree_util.tree_flatten_with_path((args, kwargs))
    traced = [i for i, (_, leaf) in enumerate(flat) if _is_traced(leaf)]

    use_params = params_names is not False and bool(args) and (
        params_names is not None or isinstance(args[0], Mapping))
    explicit: list[str] | None = None
    if use_params and params_names is not None:
        if isinstance(params_names, str):
            raise TypeError("params_names must be a sequence of names, not a string")
        explicit = list(params_names)
        n_leaves = len(jax.tree_util.tree_leaves(args[0]))
        if len(explicit) != n_leaves:
            raise ValueError(f"params_names has {len(explicit)} names but the first "
                             f"argument has {n_leaves} leaves")

    # Position of each leaf of the first argument in its own flattening order.
    first_arg_leaf = {i: k for k, i in enumerate(
        i for i, (p, _) in enumerate(flat) if p[0].idx == 0 and p[1].idx == 0)}
    arg_names = _positional_names(fn, len(args))
    builder = _GraphBuilder()
    input_refs = []
    for i in traced:
        path, leaf = flat[i]
        in_args = path[0].idx == 0
        index_key, rest = path[1], path[2:]
        if in_args and use_params and index_key.idx == 0:
            raw = (explicit[first_arg_leaf[i]] if explicit is not None
                   else "/".join(_path_parts(rest)))
            ref = builder.add_input(_param_node_name(raw), "VariableV2", leaf)
        else:
            head = arg_names[index_key.idx] if in_args else str(index_key.key)
            name = "/".join(_sanitize(p) for p in [head, *_path_parts(rest)])
            ref = builder.add_input(name, "Placeholder", leaf)
        input_refs.append(ref)

    leaves = [leaf for _, leaf in flat]

    def flat_fn(dynamic: list[Any]) -> Any:
        full = list(leaves)
        for i, value in zip(traced, dynamic, strict=True):
            full[i] = value
        call_args, call_kwargs = jax.tree_util.tree_unflatten(treedef, full)
        return fn(*call_args, **call_kwargs)

    closed, out_shape = jax.make_jaxpr(flat_fn, return_shape=True)(
        [leaves[i] for i in traced])
    out_refs = builder.jaxpr(closed.jaxpr, closed.consts, input_refs, [])

    out_paths = [p for p, _ in jax.tree_util.tree_flatten_with_path(out_shape)[0]]
    for path, ref, var in zip(out_paths, out_refs, closed.jaxpr.outvars, strict=True):
        parts = ["output", *(_sanitize(p) for p in _path_parts(path))]
        builder.add_node(parts, "Identity", [ref], [var.aval])
    builder.collapse_single_op_scopes()
    builder.fix_group_collisions()
    return builder.graph


def write_graph(logdir: str | os.PathLike, fn: Callable[..., Any] | GraphDef,
                *args: Any, **kwargs: Any) -> str:
    """Write `fn`'s graph (or a ready `GraphDef`) to a new event file in
    `logdir` for TensorBoard's Graphs tab; return the event file's path.
    Arguments are those of `graph_def_from_function`."""
    from ..summary import FileWriter  # imported here: only writing needs it

    if isinstance(fn, GraphDef):
        if args or kwargs:
            raise TypeError("write_graph got a GraphDef and also call arguments")
        graph = fn
    else:
        graph = graph_def_from_function(fn, *args, **kwargs)
    with FileWriter(logdir) as writer:
        writer.add_graph(graph)
        return writer.path
