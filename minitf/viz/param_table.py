"""A per-scope table of a model's variables, with subtotals, for humans.

`param_table(params)` answers "where do my parameters and bytes go?" for a
`{"scope/name": array}` dict (nested dicts are flattened with `/`): one row
per variable, a subtotal per top-level scope and per nested scope where it
adds information, and a grand total. `summarize_params` returns the same
data as a `ParamTable` object (rows, `subtotals`, `total`) that also renders
as HTML in notebooks. Works on anything with `.shape` and `.dtype`
(jax/numpy arrays, `jax.ShapeDtypeStruct`), so it never touches device data.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np

__all__ = [
    "ParamRow",
    "ParamTable",
    "Subtotal",
    "format_bytes",
    "param_table",
    "param_table_html",
    "summarize_params",
]

Trainable = Collection[str] | Callable[[str], bool] | None


@dataclass(frozen=True)
class ParamRow:
    """One variable."""
    name: str
    shape: tuple[int, ...]
    dtype: str
    size: int
    nbytes: int
    trainable: bool | None


@dataclass(frozen=True)
class Subtotal:
    """Sums over the variables under `scope` ("" for the grand total)."""
    scope: str
    count: int
    size: int
    nbytes: int
    trainable_size: int | None

    @property
    def depth(self) -> int:
        return self.scope.count("/") + 1 if self.scope else 0


def format_bytes(n: int) -> str:
    """`512` -> `"512 B"`, `1536` -> `"1.5 KiB"`, ... (binary units)."""
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB"):
        value /= 1024.0
        if value < 1024.0 or unit == "PiB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def _key_text(key: Any) -> str:
    for attr in ("key", "idx", "name"):
        if hasattr(key, attr):
            return str(getattr(key, attr))
    return str(key)


def _flatten(params: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """`(name, leaf)` pairs; dicts keep insertion order (jax would sort keys),
    other containers (lists, tuples, ...) are flattened by `jax.tree_util`."""
    if isinstance(params, Mapping):
        out = []
        for key, value in params.items():
            out.extend(_flatten(value, f"{prefix}{key}/"))
        return out
    if hasattr(params, "shape") and hasattr(params, "dtype"):
        return [(prefix[:-1], params)]
    flat, _ = jax.tree_util.tree_flatten_with_path(params)
    return [(prefix + "/".join(_key_text(k) for k in path), leaf) if path
            else (prefix[:-1], leaf) for path, leaf in flat]


def _describe(leaf: Any) -> tuple[tuple[int, ...], str, int, int]:
    shape = getattr(leaf, "shape", None)
    dtype = getattr(leaf, "dtype", None)
    if shape is None or dtype is None:
        array = np.asarray(leaf)
        shape, dtype = array.shape, array.dtype
    shape = tuple(int(d) for d in shape)
    size = int(np.prod(shape, dtype=np.int64)) if shape else 1
    try:
        itemsize = np.dtype(dtype).itemsize
    except TypeError:  # e.g. PRNG key dtypes
        itemsize = int(getattr(dtype, "itemsize", 0))
    return shape, str(dtype), size, size * itemsize


def _trainable_fn(trainable: Trainable, names: list[str]) -> Callable[[str], bool] | None:
    if trainable is None:
        return None
    if callable(trainable):
        return lambda name: bool(trainable(name))
    if isinstance(trainable, str):
        raise TypeError("trainable must be a collection of names or a predicate, not a string")
    chosen = set(trainable)
    unknown = sorted(chosen - set(names))
    if unknown:
        raise ValueError(f"trainable names not in params: {unknown}")
    return chosen.__contains__


class ParamTable:
    """Variables grouped by scope, with subtotals; `str()` is a text table."""

    def __init__(self, rows: list[ParamRow], max_depth: int | None = None) -> None:
        self.rows = _grouped(rows)
        self.has_trainable = any(r.trainable is not None for r in rows)
        self.max_depth = max_depth
        self.subtotals: dict[str, Subtotal] = {}
        for row in self.rows:
            parts = row.name.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                scope = "/".join(parts[:depth])
                self.subtotals[scope] = _add(self.subtotals.get(scope), scope, row)
        self.total = Subtotal("", 0, 0, 0, 0 if self.has_trainable else None)
        for row in self.rows:
            self.total = _add(self.total, "", row)

    # -- which subtotal rows to show ------------------------------------------
    def _shown(self, scope: str) -> bool:
        sub = self.subtotals[scope]
        if sub.depth == 1:
            return True  # always subtotal top-level scopes
        if self.max_depth is not None and sub.depth > self.max_depth:
            return False
        parent = self.subtotals[scope.rsplit("/", 1)[0]]
        # A one-variable scope repeats its row; a scope holding all of its
        # parent's variables repeats the parent's subtotal.
        return sub.count > 1 and sub.count < parent.count

    def entries(self) -> list[ParamRow | Subtotal]:
        """Rows in display order, with each shown subtotal after its scope."""
        out: list[ParamRow | Subtotal] = []
        for i, row in enumerate(self.rows):
            out.append(row)
            parts = row.name.split("/")[:-1]
            nxt = self.rows[i + 1].name.split("/")[:-1] if i + 1 < len(self.rows) else []
            for depth in range(len(parts), 0, -1):  # innermost scope first
                if nxt[:depth] != parts[:depth]:  # scope ends here
                    scope = "/".join(parts[:depth])
                    if self._shown(scope):
                        out.append(self.subtotals[scope])
        return out

    # -- rendering --------------------------------------------------------------
    def _cells(self, item: ParamRow | Subtotal) -> list[str]:
        if isinstance(item, ParamRow):
            cells = [item.name, str(item.shape), item.dtype, f"{item.size:,}",
                     format_bytes(item.nbytes)]
            if self.has_trainable:
                cells.append({True: "yes", False: "no", None: ""}[item.trainable])
            return cells
        label = (f"Total ({item.count} vars)" if not item.scope else
                 "  " * (item.depth - 1) + f"{item.scope}/ subtotal ({item.count} vars)")
        cells = [label, "", "", f"{item.size:,}", format_bytes(item.nbytes)]
        if self.has_trainable:
            cells.append(f"{item.trainable_size:,}")
        return cells

    def _header(self) -> list[str]:
        return ["Name", "Shape", "Dtype", "Size", "Bytes"] + (
            ["Trainable"] if self.has_trainable else [])

    def __str__(self) -> str:
        header = self._header()
        body = [self._cells(e) for e in self.entries()]
        total = self._cells(self.total)
        widths = [max(len(r[c]) for r in [header, total, *body]) for c in range(len(header))]
        right = {3, 4}  # numbers

        def fmt(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

        rule = "  ".join("-" * w for w in widths)
        lines = [fmt(header), rule, *(fmt(r) for r in body), rule, fmt(total)]
        if self.has_trainable:
            t = self.total.trainable_size or 0
            lines.append(f"Trainable: {t:,} of {self.total.size:,} parameters")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        header = "".join(f"<th>{html.escape(h)}</th>" for h in self._header())
        rows = []
        for item in [*self.entries(), self.total]:
            cells = self._cells(item)
            style = (' style="font-weight:bold;background:#f3f3f3"'
                     if isinstance(item, Subtotal) else "")

            tds = "".join(
                f'<td style="text-align:{"right" if i in (3, 4) else "left"}">'
                f"{html.escape(c.strip())}</td>" for i, c in enumerate(cells))
            rows.append(f"<tr{style}>{tds}</tr>")
        return (f'<table class="minitf-param-table"><thead><tr>{header}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")


def _add(sub: Subtotal | None, scope: str, row: ParamRow) -> Subtotal:
    if sub is None:
        sub = Subtotal(scope, 0, 0, 0, None if row.trainable is None else 0)
    trainable = sub.trainable_size
    if trainable is not None and row.trainable:
        trainable += row.size
    return Subtotal(scope, sub.count + 1, sub.size + row.size, sub.nbytes + row.nbytes, trainable)


def _grouped(rows: list[ParamRow]) -> list[ParamRow]:
    """Order rows so every scope is contiguous, keeping first-seen order."""
    rank: dict[str, int] = {}

    def key(row: ParamRow) -> tuple[int, ...]:
        parts = row.name.split("/")
        out = []
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth]) + ("" if depth == len(parts) else "/")
            out.append(rank.setdefault(prefix, len(rank)))
        return tuple(out)

    keys = [key(r) for r in rows]  # assign ranks in input order first
    return [r for _, r in sorted(zip(keys, rows, strict=True), key=lambda kr: kr[0])]


def summarize_params(params: Mapping[str, Any], trainable: Trainable = None,
                     *, max_depth: int | None = None) -> ParamTable:
    """Build a `ParamTable` for `params`.

    `trainable`: a collection of variable names or a predicate on names; when
    given, rows get a yes/no flag and subtotals count trainable elements.
    `max_depth` limits nested subtotals to that scope depth (1 = top-level only).
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of arrays, got {type(params).__name__}")
    flat = _flatten(params)
    names = [n for n, _ in flat]
    is_trainable = _trainable_fn(trainable, names)
    rows = []
    for name, leaf in flat:
        shape, dtype, size, nbytes = _describe(leaf)
        rows.append(ParamRow(name, shape, dtype, size, nbytes,
                             None if is_trainable is None else is_trainable(name)))
    return ParamTable(rows, max_depth)


def param_table(params: Mapping[str, Any], trainable: Trainable = None,
                *, max_depth: int | None = None) -> str:
    """The `ParamTable` for `params` as aligned text (see `summarize_params`)."""
    return str(summarize_params(params, trainable, max_depth=max_depth))


def param_table_html(params: Mapping[str, Any], trainable: Trainable = None,
                     *, max_depth: int | None = None) -> str:
    """The `ParamTable` for `params` as an HTML table."""
    return summarize_params(params, trainable, max_depth=max_depth)._repr_html_()
