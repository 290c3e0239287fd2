"""The package's shape: imports flow one way, privacy is kept, JAX internals stay in one place."""
import ast
import pathlib

import jax
import jax.numpy as jnp

import minitf as tf
from minitf.core import jax_private

PACKAGE = pathlib.Path(tf.__file__).parent


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: pathlib.Path) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text())
    skip = {id(n) for block in ast.walk(tree) if _is_type_checking_block(block)
            for n in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def _edges() -> dict[str, set[str]]:
    """Module -> minitf modules it imports (a name that is a submodule counts as that module)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, imported in _imports(path):
            if not module.startswith("minitf"):
                continue
            target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def test_no_import_cycle_inside_minitf():
    graph = _edges()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _subpackage(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_private_name_imported_across_subpackages():
    offenders = []
    for name, path in MODULES.items():
        for module, imported in _imports(path):
            if not module.startswith("minitf."):
                continue
            private_module = any(part.startswith("_") for part in module.split("."))
            private_name = imported is not None and imported.startswith("_") \
                and imported != "__all__"
            if (private_module or private_name) and _subpackage(module) != _subpackage(name):
                offenders.append(f"{name}: from {module} import {imported}")
    assert not offenders, offenders


def test_core_imports_nothing_outside_the_core():
    for name, path in MODULES.items():
        if name.startswith("minitf.core"):
            outside = [m for m, _ in _imports(path)
                       if m.startswith("minitf") and not m.startswith("minitf.core")]
            assert not outside, (name, outside)


def test_naming_rules_have_no_jax():
    assert not [m for m, _ in _imports(MODULES["minitf.core.naming"]) if m.startswith("jax")]
    assert not [m for m, _ in _imports(MODULES["minitf.core.shapes"]) if m.startswith("jax")]


def test_jax_internals_are_used_in_one_module_only():
    users = sorted(name for name, path in MODULES.items() if "jax._src" in path.read_text())
    assert users == ["minitf.core.jax_private"]


def test_jax_private_still_finds_what_it_needs():
    """Fails loudly when JAX moves the internals minitf relies on."""
    assert not jax_private.is_tracing()
    assert type(jax_private.current_trace()).__name__ == "EvalTrace"
    seen = []
    jax.jit(lambda x: seen.append(jax_private.is_tracing()) or x)(jnp.ones(1))
    assert seen == [True]
    with jax.named_scope("outer"):
        with jax_private.reset_name_stack():
            jaxpr = jax.make_jaxpr(lambda x: x * 2)(1.0)
    assert "outer" not in str(jaxpr.eqns[0].source_info.name_stack)


def test_private_modules_are_not_reachable_from_the_facade():
    import types

    assert not [name for name in dir(tf) if name.startswith("_")
                and isinstance(getattr(tf, name), types.ModuleType)]

    assert all(hasattr(tf, name) for name in tf.__all__ if name not in ("summary", "viz",
                                                                       "sharding"))


def test_tf_variable_is_a_class():
    assert isinstance(tf.Variable, type)
    assert tf.VariableV1 is tf.Variable
