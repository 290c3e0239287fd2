"""Render a `GraphDef` as Graphviz DOT, one nested cluster per name scope.

A static picture of the graph for places without TensorBoard (docs, papers,
a quick look in a terminal). Scopes come from the node names exactly as
TensorBoard derives its boxes: everything before the last `/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from tensorboard.compat.proto import graph_pb2

__all__ = ["to_dot", "write_dot"]

_NODE_STYLE = {
    "VariableV2": 'shape=box style="rounded,filled" fillcolor="#fde3b4"',
    "Placeholder": 'shape=invhouse style=filled fillcolor="#d6e9f8"',
    "Identity": 'shape=house style=filled fillcolor="#dff0d8"',
    "Const": "shape=plaintext fontsize=8",
}
_DEFAULT_STYLE = 'shape=ellipse'


def _q(text: str) -> str:
    """A DOT quoted string; a newline in `text` becomes DOT's centred `\\n`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def _split_ref(ref: str) -> tuple[str, int]:
    """`"^a/b:2"` -> `("a/b", 2)`: producer node and output index of an input."""
    ref = ref.lstrip("^")
    base, _, port = ref.partition(":")
    return base, int(port) if port.isdigit() else 0


def _shape_text(node: graph_pb2.NodeDef | None, port: int) -> str:
    if node is None or "_output_shapes" not in node.attr:
        return ""
    shapes = node.attr["_output_shapes"].list.shape
    if port >= len(shapes) or shapes[port].unknown_rank:
        return ""
    return "[" + ",".join(str(d.size) for d in shapes[port].dim) + "]"


def _label(node: graph_pb2.NodeDef) -> str:
    short = node.name.rsplit("/", 1)[-1]
    return short if short.startswith(node.op) else f"{short}\n{node.op}"


def to_dot(graph_def: graph_pb2.GraphDef, *, show_shapes: bool = True,
           rankdir: str = "TB") -> str:
    """DOT text for `graph_def`: a `subgraph "cluster_<scope>"` per scope
    (nested like the scopes), nodes styled by kind, edges labelled with the
    producer's output shape when `show_shapes` and shapes are known."""
    by_name = {n.name: n for n in graph_def.node}
    # scope path -> (child scopes in first-seen order, nodes directly in it)
    children: dict[str, dict[str, None]] = {"": {}}
    members: dict[str, list[graph_pb2.NodeDef]] = {"": []}
    for node in graph_def.node:
        parts = node.name.split("/")[:-1]
        for depth in range(len(parts)):
            parent, scope = "/".join(parts[:depth]), "/".join(parts[:depth + 1])
            children.setdefault(parent, {})[scope] = None
            children.setdefault(scope, {})
            members.setdefault(scope, [])
        members["/".join(parts)].append(node)

    lines = ["digraph G {", f"  rankdir={rankdir};", "  compound=true;",
             '  node [fontname="Helvetica" fontsize=10];',
             '  edge [fontname="Helvetica" fontsize=8 color="#666666"];']

    def emit(scope: str, indent: str) -> None:
        for child in children[scope]:
            lines.append(f"{indent}subgraph {_q('cluster_' + child)} {{")
            lines.append(f"{indent}  label={_q(child.rsplit('/', 1)[-1])};")
            lines.append(f'{indent}  style="rounded"; color="#999999";')
            emit(child, indent + "  ")
            lines.append(f"{indent}}}")
        for node in members[scope]:
            style = _NODE_STYLE.get(node.op, _DEFAULT_STYLE)
            lines.append(f"{indent}{_q(node.name)} [label={_q(_label(node))} {style}];")

    emit("", "  ")
    for node in graph_def.node:
        for ref in node.input:
            src, port = _split_ref(ref)
            if src not in by_name:
                continue
            attrs = " [style=dashed]" if ref.startswith("^") else ""
            shape = _shape_text(by_name[src], port) if show_shapes else ""
            if shape and not attrs:
                attrs = f" [label={_q(shape)}]"
            lines.append(f"  {_q(src)} -> {_q(node.name)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(path: str | os.PathLike, graph: graph_pb2.GraphDef | Callable[..., Any],
              *args: Any, svg: bool | None = None, **kwargs: Any
              ) -> tuple[str, str | None]:
    """Write DOT text for `graph` (a GraphDef, or a function plus the arguments
    of `graph_def_from_function`) to `path`; return `(dot_path, svg_path)`.

    With `svg=None` an SVG is rendered next to it (`.svg` suffix) only if the
    Graphviz `dot` binary is on PATH; `svg=True` requires it, `svg=False`
    never renders. `svg_path` is None when nothing was rendered.
    """
    if isinstance(graph, graph_pb2.GraphDef):
        if args or kwargs:
            raise TypeError("write_dot got a GraphDef and also call arguments")
        graph_def = graph
    elif callable(graph):
        from .graph_export import graph_def_from_function
        graph_def = graph_def_from_function(graph, *args, **kwargs)
    else:
        raise TypeError(f"write_dot wants a GraphDef or a function, got {type(graph).__name__}")

    dot_path = os.fspath(path)
    with open(dot_path, "w", encoding="utf-8") as f:
        f.write(to_dot(graph_def))

    dot_binary = shutil.which("dot") if svg is not False else None
    if dot_binary is None:
        if svg:
            raise FileNotFoundError(
                "svg=True needs the Graphviz `dot` binary on PATH; install graphviz "
                "or pass svg=None to skip rendering when it is missing")
        return dot_path, None
    svg_path = os.path.splitext(dot_path)[0] + ".svg"
    result = subprocess.run([dot_binary, "-Tsvg", dot_path, "-o", svg_path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`dot -Tsvg {dot_path}` failed: {result.stderr.strip()}")
    return dot_path, svg_path
