"""Shared timing and reporting for the benchmarks: interleaved samples, stats, Markdown tables.

Every family times its implementations in one process, round-robin: repeat `r`
runs each implementation once (in an order rotated by `r`), so drifting machine
load hits all implementations alike. A sample runs a callable `number` times
(calibrated so one sample takes at least `min_sample_s`) with the garbage
collector off, and records seconds per call. Objects alive when a timing
session starts are frozen out of the collector (`gc.freeze`): a full
collection of a process holding JAX, TensorFlow, Haiku and Flax takes ~0.3 s,
which would otherwise be paid before every sample.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import math
import os
import re
import time
from typing import Any, Callable, Iterator, Mapping, Sequence

import jax
import numpy as np

HAND = "hand JAX"


def block(out: Any) -> Any:
    """Wait for every JAX array in `out` (NumPy and Python values pass through)."""
    return jax.block_until_ready(out)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Collect once, then keep today's objects out of every later collection."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Collect now, then no collection until the block ends (what gets timed)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def clock(fn: Callable[[], Any]) -> float:
    """Seconds one call of `fn` takes, its JAX results included."""
    with paused_gc():
        start = time.perf_counter()
        block(fn())
        return time.perf_counter() - start


def _sample(fn: Callable[[], Any], number: int) -> float:
    with paused_gc():
        start = time.perf_counter()
        out = None
        for _ in range(number):
            out = fn()
        block(out)
        return (time.perf_counter() - start) / number


def interleaved(fns: Mapping[str, Callable[[], Any]], repeats: int,
                min_sample_s: float = 0.02, warmup: int = 1) -> dict[str, list[float]]:
    """`{name: [seconds per call, one per repeat]}`, the implementations round-robin.

    Each callable does one call (a train step, an apply, an init) and returns its
    output, which is waited for. `warmup` calls (compilation) are not timed.
    """
    names = list(fns)
    number = {}
    for name in names:
        for _ in range(max(warmup - 1, 0)):
            block(fns[name]())
        once = clock(fns[name]) if warmup else 0.0
        number[name] = max(1, math.ceil(min_sample_s / max(once, 1e-7)))
    times: dict[str, list[float]] = {name: [] for name in names}
    with frozen_heap():
        for r in range(repeats):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(_sample(fns[name], number[name]))
    return times


def fresh_calls(makers: Mapping[str, Callable[[], Any]],
                repeats: int | Mapping[str, int]) -> dict[str, list[float]]:
    """`{name: [seconds of one call of makers[name]()]}`, round-robin, nothing amortised.

    For costs that must not be amortised (init of a fresh model, a fresh compile):
    no warm-up, so entry 0 is the first call in the process for that maker.
    `repeats` may differ per name (slow implementations run fewer times).
    """
    counts = {name: repeats if isinstance(repeats, int) else repeats[name] for name in makers}
    times: dict[str, list[float]] = {name: [] for name in makers}
    names = list(makers)
    with frozen_heap():
        for r in range(max(counts.values())):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                if r < counts[name]:
                    times[name].append(clock(makers[name]))
    return times


def compiled_ops(jitted: Callable, *args: Any) -> dict[str, int]:
    """Instruction counts by opcode of the optimized HLO `jitted(*args)` compiles to.

    Two implementations with equal counts run the same program (up to names and
    metadata): their compiled timings may differ only by noise.
    """
    text = jitted.lower(*args).compile().as_text()
    counts: dict[str, int] = {}
    for op in re.findall(r"= \S+ ([a-z][\w-]*)\(", text):
        counts[op] = counts.get(op, 0) + 1
    return counts


# -- statistics and tables ------------------------------------------------------

@dataclasses.dataclass
class Stats:
    median: float
    p10: float
    p90: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> "Stats":
        v = np.asarray(values, dtype=float)
        return cls(float(np.median(v)), float(np.percentile(v, 10)),
                   float(np.percentile(v, 90)), len(v))


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


@dataclasses.dataclass
class Table:
    """One Markdown table: rows of implementation -> timing stats, ratios to hand JAX."""

    title: str
    target: float | None = None          # max ratio to hand JAX (None: informative)
    target_on_value: bool = False        # the target bounds the median itself, not the ratio
    note: str = ""
    unit: Callable[[float], str] = fmt_time
    rows: list[tuple[str, Stats, dict[str, str]]] = dataclasses.field(default_factory=list)
    extra_columns: tuple[str, ...] = ()
    why: str = ""                        # shown beside a target that is not met: the cause

    def verdict(self, measured: float) -> tuple[bool, str]:
        """(met, "met" / "not met (by N%)") of a measured ratio or value against the target."""
        assert self.target is not None
        if measured <= self.target:
            return True, "met"
        return False, f"**not met** (by {(measured / self.target - 1) * 100:.0f}%)"

    def add(self, name: str, values: Sequence[float] | Stats, **extra: str) -> None:
        stats = values if isinstance(values, Stats) else Stats.of(values)
        self.rows.append((name, stats, extra))

    def add_all(self, times: Mapping[str, Sequence[float]], **extra: Mapping[str, str]) -> None:
        for name, values in times.items():
            self.add(name, values, **{k: v.get(name, "") for k, v in extra.items()})

    def ratio(self, name: str) -> float | None:
        base = {n: s for n, s, _ in self.rows}.get(HAND)
        mine = {n: s for n, s, _ in self.rows}.get(name)
        if base is None or mine is None or base.median == 0:
            return None
        return mine.median / base.median

    def markdown(self) -> str:
        head = ["implementation", "median", "p10 / p90", "n", *self.extra_columns,
                f"vs {HAND}", "target", "met?"]
        lines = [f"### {self.title}", ""]
        if self.note:
            lines += [self.note, ""]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name, s, extra in self.rows:
            ratio = self.ratio(name)
            is_minitf = name.startswith("minitf")
            target = met = ""
            if self.target is not None and is_minitf:
                limit = self.unit(self.target) if self.target_on_value else f"{self.target:.2f}x"
                target = f"<= {limit}"
                measured = s.median if self.target_on_value else ratio
                if measured is not None:
                    met = self.verdict(measured)[1]
            cells = [f"**{name}**" if is_minitf else name, self.unit(s.median),
                     f"{self.unit(s.p10)} / {self.unit(s.p90)}", str(s.n),
                     *[extra.get(c, "") for c in self.extra_columns],
                     "" if ratio is None else f"{ratio:.2f}x", target, met]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def summary(self) -> list[tuple[str, str, bool, str]]:
        """(row, measured, met, verdict with the cause when not met) for minitf rows with a target."""
        out = []
        for name, s, _ in self.rows:
            if not name.startswith("minitf") or self.target is None:
                continue
            measured = s.median if self.target_on_value else self.ratio(name)
            if measured is None:
                continue
            shown = self.unit(measured) if self.target_on_value else f"{measured:.2f}x"
            limit = self.unit(self.target) if self.target_on_value else f"{self.target:.2f}x"
            met, text = self.verdict(measured)
            if not met and self.why:
                text += f": {self.why}"
            out.append((f"{self.title}: {name}", f"{shown} (target <= {limit})", met, text))
        return out


def print_table(table: Table) -> None:
    print(table.markdown(), flush=True)


class LazyMinitf:
    """`minitf` (with `minitf.nn`), imported on first attribute access.

    The benchmark modules hold every implementation; a fresh-process child
    measuring hand JAX's (or Haiku's, Flax's) memory must not import minitf.
    """

    def __getattr__(self, attr: str) -> Any:
        import minitf
        import minitf.nn  # noqa: F401 - tf.nn.*

        return getattr(minitf, attr)


# -- TensorFlow 1 -----------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def tf1() -> Any:
    """`tensorflow.compat.v1` in TF1 mode (`disable_v2_behavior`), imported once and quietly."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.nn.rnn_cell needs tf-keras
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    tf.logging.set_verbosity(tf.logging.ERROR)
    return tf
