"""The sharing report: who used each variable, and which were never read.

TF1 users share weights by reuse (the GAN's discriminator on real and fake
batches; the train/test RNN pair). This report traces `apply` once (abstractly,
no computation) with access logging on and shows, per variable, every
(variable scope, name scope, call site) that asked for it and how often, plus the
variables that were created but whose value `apply` never read.
"""
from __future__ import annotations

import collections
import dataclasses
from collections.abc import Mapping
from typing import Any

import jax

from minitf.core.frame import record_accesses


@dataclasses.dataclass
class SharingReport:
    """Per variable: Counter of (variable scope, name scope, call site) -> uses."""

    uses: dict[str, collections.Counter]
    reads: dict[str, int]
    unread: list[str]

    def shared(self) -> dict[str, collections.Counter]:
        """Variables asked for from more than one place (or more than once)."""
        return {k: c for k, c in self.uses.items() if sum(c.values()) > 1}

    def __str__(self) -> str:
        lines = []
        for name, counter in self.uses.items():
            total = sum(counter.values())
            tag = "shared" if total > 1 else "single"
            lines.append(f"{name}  [{tag}: {total} use(s), {self.reads.get(name, 0)} read(s)]")
            for (vscope, nscope, site), n in counter.items():
                lines.append(f"    x{n}  variable_scope={vscope!r:<24} "
                             f"name_scope={nscope!r:<24} {site}")
        if self.unread:
            lines.append("created but never read by apply: " + ", ".join(self.unread))
        return "\n".join(lines)

    _repr_pretty_ = lambda self, p, cycle: p.text(str(self))  # noqa: E731 - IPython hook


def sharing_report(model: Any, params: Mapping[str, Any], *args: Any,
                   **kwargs: Any) -> SharingReport:

    """Trace `model.apply(params, *args, **kwargs)` abstractly and report variable sharing."""
    with record_accesses() as graphs:
        jax.eval_shape(lambda p: model.apply(p, *args, **kwargs), dict(params))
    graph = graphs[-1] if graphs else None
    if graph is None:
        raise RuntimeError("The model did not trace in a minitf graph; pass a tf.transform model.")
    uses = {name: collections.Counter(entries) for name, entries in graph.access_log.items()}
    for name in graph.variables_by_name:
        uses.setdefault(name, collections.Counter())
    reads = dict(graph.read_log)
    unread = [name for name in graph.variables_by_name if reads.get(name, 0) == 0]
    return SharingReport(uses=uses, reads=reads, unread=unread)
