"""TF1's naming rules, with no JAX in sight.

Everything here is a pure function or a small registry, so the rules can be
read and tested on their own: which scope names are valid, how a name is made
unique (case-insensitively, marking the composed name as used too), how scope
paths are joined, and which existing names are "near" a wrong one (for error
messages that suggest a fix).
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# The two patterns TensorFlow validates scope names with (ops.py). A name at the
# root must start with an op-name character; a nested one may start with '_',
# '-', '/', '\\' or '>'.
VALID_OP_NAME_REGEX = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
VALID_SCOPE_NAME_REGEX = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


def validate_scope_name(name: str, at_root: bool) -> None:
    """Raise TF's ValueError if `name` may not open a name scope here."""
    if at_root:
        if not VALID_OP_NAME_REGEX.match(name):
            raise ValueError(
                f"'{name}' is not a valid root scope name. A root scope name has "
                f"to match the following pattern: {VALID_OP_NAME_REGEX.pattern}")
    elif not VALID_SCOPE_NAME_REGEX.match(name):
        raise ValueError(
            f"'{name}' is not a valid scope name. A scope name has to match "
            f"the following pattern: {VALID_SCOPE_NAME_REGEX.pattern}")


def join(prefix: str, name: str) -> str:
    """Join a scope prefix (without trailing '/') and a name, TF style."""
    return f"{prefix}/{name}" if prefix else name


class NameRegistry:
    """The set of op names used in a graph, and TF's `unique_name` on it.

    Names are compared lower-cased (`V` collides with `v`), and when `v` is
    taken the composed `v_1` is marked as used as well, so a later explicit
    `v_1` becomes `v_1_1`, exactly as TensorFlow's Graph does.
    """

    __slots__ = ("_in_use",)

    def __init__(self) -> None:
        self._in_use: dict[str, int] = {}

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        key = name.lower()
        count = self._in_use.get(key, 0)
        if mark_as_used:
            self._in_use[key] = count + 1
        if count == 0:
            return name
        base_key = key
        while key in self._in_use:
            key = f"{base_key}_{count}"
            count += 1
        if mark_as_used:
            self._in_use[key] = 1
        return f"{name}_{count - 1}"

    def copy(self) -> NameRegistry:
        clone = NameRegistry()
        clone._in_use = dict(self._in_use)
        return clone


class ScopeCounts:
    """How often each variable scope was opened, for `default_name` uniquification.

    TF resets the counts of every sub-scope when a scope closes (so `layer` is
    free again inside the next `outer`). TF scans all counts for that; here each
    scope keeps its children, so closing costs only the size of its subtree.
    """

    __slots__ = ("_children", "_counts")

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._children: dict[str, set[str]] = {}

    def count(self, name: str) -> int:
        return self._counts.get(name, 0)

    def open(self, name: str) -> None:
        counts = self._counts
        if name not in counts:
            child = name
            while "/" in child:
                parent = child.rsplit("/", 1)[0]
                siblings = self._children.setdefault(parent, set())
                if child in siblings:
                    break
                siblings.add(child)
                child = parent
        counts[name] = counts.get(name, 0) + 1

    def close_subscopes(self, name: str) -> None:
        counts, children = self._counts, self._children
        stack = list(children.get(name, ()))
        while stack:
            key = stack.pop()
            if key in counts:
                counts[key] = 0
            stack.extend(children.get(key, ()))

    def copy(self) -> ScopeCounts:
        clone = ScopeCounts()
        clone._counts = dict(self._counts)
        clone._children = {k: set(v) for k, v in self._children.items()}
        return clone


def near_names(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Existing names that look like `name` (same leaf first, then by spelling)."""
    candidates = list(candidates)
    leaf = name.rsplit("/", 1)[-1]
    same_leaf = [c for c in candidates if c.rsplit("/", 1)[-1] == leaf and c != name]
    close = difflib.get_close_matches(name, candidates, n=limit, cutoff=0.6)
    ordered = list(dict.fromkeys(same_leaf[:limit] + close))
    return ordered[:limit]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A paragraph naming the near names that do exist, or '' when none is near.

    It follows TF's own message after a blank line, so TF's text stays intact.
    """
    near = near_names(name, candidates)
    if not near:
        return ""
    return "\n\nNear names that do exist: " + ", ".join(repr(n) for n in near) + "."
