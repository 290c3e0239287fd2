"""Jaxpr -> GraphDef export: scopes, variables, wiring, DOT clusters."""

import os
import re
import stat
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from minitf.viz import graph_def_from_function, to_dot, write_dot, write_graph

PARAMS = {
    "gen/dense/kernel": jnp.ones((3, 4)),
    "gen/dense/bias": jnp.zeros(4),
    "disc/dense/kernel": jnp.ones((4, 1)),
    "disc/dense/bias": jnp.zeros(1),
}


def gan_loss(params, z, x):
    """A generator and a discriminator applied twice (second call: `disc_1`)."""
    with jax.named_scope("gen/dense"):
        fake = jnp.tanh(z @ params["gen/dense/kernel"] + params["gen/dense/bias"])

    def disc(h, scope):
        with jax.named_scope(f"{scope}/dense"):
            return jax.nn.sigmoid(h @ params["disc/dense/kernel"] + params["disc/dense/bias"])

    return jnp.mean(disc(x, "disc")) - jnp.mean(disc(fake, "disc_1"))


def _args():
    return PARAMS, jnp.ones((2, 3)), jnp.ones((2, 4))


def _base(ref):
    return ref.lstrip("^").split(":")[0]


def _scopes(graph):
    """Every scope path TensorBoard would draw a box for."""
    out = set()
    for node in graph.node:
        parts = node.name.split("/")[:-1]
        out.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


def _check_wiring(graph):
    names = [n.name for n in graph.node]
    assert len(names) == len(set(names)), "node names must be unique"
    for node in graph.node:
        for ref in node.input:
            assert _base(ref) in names, f"{node.name} reads missing node {ref}"
    # no node is also a scope box
    assert not set(names) & _scopes(graph)


def test_written_graph_reads_back_with_scopes_and_variables(tmp_path):
    path = write_graph(tmp_path, gan_loss, *_args())
    assert os.path.dirname(path) == str(tmp_path)
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    graph = acc.Graph()
    nodes = {n.name: n for n in graph.node}

    variables = {n.name for n in graph.node if n.op == "VariableV2"}
    assert variables == set(PARAMS)
    assert {n.name for n in graph.node if n.op == "Placeholder"} == {"z", "x"}
    assert nodes["output"].op == "Identity"

    for scope in ("gen/dense", "disc/dense", "disc_1/dense"):
        ops = {n.op for n in graph.node
               if n.name.startswith(scope + "/") and n.op != "VariableV2"}
        assert {"dot_general", "add"} <= ops, (scope, ops)
    # primitives named <scope>/<primitive>, made unique TF-style
    assert nodes["gen/dense/tanh"].op == "tanh"
    assert nodes["disc/dense/dot_general"].input[:] == ["x", "disc/dense/kernel"]
    # the second discriminator reads the same variables and the generator's output
    second = nodes["disc_1/dense/dot_general"]
    assert second.input[1] == "disc/dense/kernel"
    assert second.input[0] == "gen/dense/tanh"
    _check_wiring(graph)


def test_unique_names_and_output_shapes():
    def f(x):
        with jax.named_scope("block"):
            return (x + 1.0) + (x + 2.0)

    graph = graph_def_from_function(f, jnp.ones((2, 5), jnp.float32))
    nodes = {n.name: n for n in graph.node}
    assert {"block/add", "block/add_1", "block/add_2"} <= set(nodes)
    assert "block/add_3" not in nodes
    shape = nodes["block/add_2"].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shape.dim] == [2, 5]
    _check_wiring(graph)


def test_grad_jit_and_scan_are_readable():
    @jax.jit
    def layer(h):
        with jax.named_scope("layer"):
            return jnp.sin(h) * 2.0

    def loss(params, z):
        with jax.named_scope("gen"):
            h = layer(z @ params["gen/dense/kernel"])

            def step(carry, row):
                with jax.named_scope("cell"):
                    return carry + row.sum(), carry

            total, _ = jax.lax.scan(step, 0.0, h)
        return total

    def train_step(params, z):
        return jax.value_and_grad(loss)(params, z)

    graph = graph_def_from_function(train_step, PARAMS, jnp.ones((2, 3)))
    nodes = {n.name: n for n in graph.node}
    ops = {n.op for n in graph.node}
    assert not ops & {"jit", "pjit"}, "jit calls are inlined"
    assert nodes["gen/layer/sin"].op == "sin"  # jitted helper keeps its caller's scope
    assert nodes["gen/scan/scan"].op == "scan"  # control flow is a box with one exit node
    assert any(n.startswith("gen/scan/body/cell/") for n in nodes)
    assert any(n.startswith("gradients/gen/") for n in nodes), "backprop under gradients/"
    # value_and_grad returns (value, grads): outputs named by their tree paths
    assert {n for n in nodes if n.startswith("output/")} >= {
        "output/0", "output/1/gen/dense/kernel", "output/1/disc/dense/bias"}
    _check_wiring(graph)


def test_single_op_scope_is_named_after_its_scope():
    def f(x, w):
        with jax.named_scope("MatMul"):
            y = x @ w
        with jax.named_scope("Softmax"):
            return jax.nn.softmax(y)

    nodes = {n.name: n for n in graph_def_from_function(f, jnp.ones((2, 2)), jnp.ones((2, 2))).node}
    assert nodes["MatMul"].op == "dot_general"
    assert "MatMul/dot_general" not in nodes
    assert nodes["Softmax/sub"].input[0] == "MatMul"
    assert sum(n.startswith("Softmax/") for n in nodes) > 1  # several ops: stays a box


def test_params_names_options_and_static_args():
    def f(params, x, training):
        y = x * params["w"]
        return y if training else -y

    specs = ({"w": jax.ShapeDtypeStruct((3,), jnp.float32)},
             jax.ShapeDtypeStruct((3,), jnp.float32), True)
    nodes = {n.name: n.op for n in graph_def_from_function(f, *specs).node}
    assert nodes["w"] == "VariableV2" and nodes["x"] == "Placeholder"
    assert "training" not in nodes and "neg" not in nodes  # static bool, traced branch only

    named = {n.name: n.op for n in graph_def_from_function(
        f, *specs, params_names=["model/w:0"]).node}
    assert named["model/w"] == "VariableV2"

    plain = {n.name: n.op for n in graph_def_from_function(f, *specs, params_names=False).node}
    assert plain["params/w"] == "Placeholder"

    with pytest.raises(ValueError, match="params_names has 2 names"):
        graph_def_from_function(f, *specs, params_names=["a", "b"])


def test_dot_has_one_cluster_per_scope(tmp_path):
    graph = graph_def_from_function(gan_loss, *_args())
    dot = to_dot(graph)
    clusters = re.findall(r'subgraph "cluster_([^"]+)" \{', dot)
    assert len(clusters) == len(set(clusters))
    assert set(clusters) == _scopes(graph)
    assert {"gen", "gen/dense", "disc", "disc/dense", "disc_1", "disc_1/dense"} <= set(clusters)
    # nesting: disc/dense is opened inside disc
    disc_at = dot.index('subgraph "cluster_disc" {')
    assert dot.index('subgraph "cluster_disc/dense" {') > disc_at
    assert '"disc/dense/kernel" -> "disc_1/dense/dot_general" [label="[4,1]"]' in dot
    assert dot.count("->") == sum(len(n.input) for n in graph.node)


def test_write_dot_renders_svg_only_with_dot_binary(tmp_path, monkeypatch):
    empty_bin = tmp_path / "empty_bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    dot_path, svg_path = write_dot(tmp_path / "g.dot", gan_loss, *_args())
    assert svg_path is None
    assert Path(dot_path).read_text().startswith("digraph G {")
    with pytest.raises(FileNotFoundError, match="dot"):
        write_dot(tmp_path / "g2.dot", graph_def_from_function(gan_loss, *_args()), svg=True)

    # a stand-in `dot` that copies its input shows the call is made correctly
    fake_bin = tmp_path / "fake_bin"
    fake_bin.mkdir()
    fake = fake_bin / "dot"
    fake.write_text(f"#!{sys.executable}\n# dot -Tsvg IN -o OUT\n"
                    "import shutil, sys; shutil.copy(sys.argv[2], sys.argv[4])\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake_bin))
    dot_path, svg_path = write_dot(tmp_path / "g3.dot", graph_def_from_function(gan_loss, *_args()))
    assert svg_path == str(tmp_path / "g3.svg")
    assert Path(svg_path).read_text() == Path(dot_path).read_text()


def test_inputs_may_be_numpy_and_errors_are_clear():
    graph = graph_def_from_function(lambda a, b: a @ b, np.ones((2, 3)), np.ones((3, 2)))
    assert [n.op for n in graph.node].count("Placeholder") == 2
    with pytest.raises(TypeError, match="callable"):
        graph_def_from_function("not a function")
