"""`FileWriter`: append summaries and graphs to a TensorBoard event file.

Writes are synchronous (encode, frame, buffered write). What is logged reaches
the file at the latest `flush_secs` later - a daemon timer thread per writer
flushes on that schedule even when nothing more is logged - and at
`flush()`, `close()` and interpreter exit (`atexit`). Steps must be integers
(`int`, numpy/jax integer scalars); anything else is a clear error, not a
silent cast. `as_default()` installs the writer for the module-level
`scalar`/`histogram`/`image` functions, TF2-style.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import numbers
import os
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2

from . import graph_ops, protos
from ._records import RecordFile, event_file_name

__all__ = ["FileWriter", "create_file_writer", "get_default_writer", "histogram", "image", "scalar"]

_FILE_VERSION = "brain.Event:2"


_INT64 = (-(1 << 63), (1 << 63) - 1)


def _to_step(step: Any) -> int:
    """An event step: an int, a numpy/jax integer scalar, or an integral
    finite float (3.0). None, bools, strings, NaN/inf and 3.5 are errors."""
    if step is None or isinstance(step, (bool, np.bool_, str, bytes)):
        raise TypeError(f"step must be an integer (e.g. the global step), got {step!r}")
    if isinstance(step, numbers.Integral):
        value = int(step)
    elif isinstance(step, (numbers.Real, np.ndarray)) or hasattr(step, "__array__"):
        array = np.asarray(step)
        if array.size != 1 or array.dtype.kind not in "iuf":
            raise TypeError(f"step must be a single integer, got {step!r}")
        x = array.reshape(())[()]
        if array.dtype.kind == "f" and (not math.isfinite(x) or x != math.floor(x)):
            raise ValueError(f"step must be a finite whole number, got {step!r}")
        value = int(x)
    else:
        raise TypeError(f"step must be an integer, got {type(step).__name__} {step!r}")
    if not _INT64[0] <= value <= _INT64[1]:
        raise ValueError(f"step {value} does not fit in int64 (the event file's step field)")
    return value


# Writers still open at interpreter exit are flushed and closed then.
_live: weakref.WeakSet[FileWriter] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for writer in list(_live):
        with contextlib.suppress(Exception):
            writer.close()


def _flush_loop(ref: weakref.ref[FileWriter], stop: threading.Event, period: float) -> None:
    """Flushes the writer every `period` seconds until it is closed or gone."""
    while not stop.wait(period):
        writer = ref()
        if writer is None:
            return
        with contextlib.suppress(Exception):
            writer.flush()
        del writer


class FileWriter:
    """Writes events for TensorBoard into a new event file under `logdir`.

    Usable as a context manager (closes on exit). `graph` (a minitf graph such
    as `sess.graph`, or a GraphDef) is written right away, as with TF1's
    `FileWriter(logdir, graph)`; `max_queue` and `session` are accepted and ignored.
    """

    def __init__(self, logdir: str | os.PathLike, graph: Any = None, max_queue: int = 10,
                 flush_secs: float = 120.0, graph_def: Any = None,
                 filename_suffix: str | None = "", session: Any = None) -> None:
        if graph_def is None:
            graph_def = graph
        filename_suffix = filename_suffix or ""
        if (isinstance(flush_secs, bool) or not isinstance(flush_secs, numbers.Real)
                or not math.isfinite(flush_secs) or flush_secs <= 0):
            raise ValueError(f"flush_secs must be a positive number of seconds, got {flush_secs!r}")
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        self._file = RecordFile(event_file_name(self.logdir, filename_suffix))
        self._lock = threading.Lock()
        self._flush_secs = float(flush_secs)
        self._last_flush = time.monotonic()
        self.add_event(event_pb2.Event(file_version=_FILE_VERSION))
        if graph_def is not None:
            self.add_graph(graph_def)
        _live.add(self)
        self._stop = threading.Event()
        self._flusher = threading.Thread(target=_flush_loop, args=(weakref.ref(self), self._stop,
                                                                  self._flush_secs),
                                         name=f"FileWriter flush {self.logdir}", daemon=True)
        self._flusher.start()

    def get_logdir(self) -> str:
        """TF1's `get_logdir`: the directory this writer writes into."""
        return self.logdir

    @property
    def path(self) -> str:
        """Path of the event file this writer appends to."""
        return self._file.path

    # -- raw events ---------------------------------------------------------
    def add_event(self, event: event_pb2.Event) -> None:
        """Write one `Event` proto (wall time filled in if unset)."""
        if not event.wall_time:
            event.wall_time = time.time()
        data = event.SerializeToString()
        with self._lock:
            if self._file.closed:
                raise ValueError(f"FileWriter for {self.logdir!r} is closed")
            self._file.write(data)
            if time.monotonic() - self._last_flush > self._flush_secs:
                self._flush_locked()

    def add_summary(self, summary: summary_pb2.Summary | bytes,
                    global_step: Any = None) -> None:
        """TF1's `add_summary`: a `Summary` proto (or its bytes) at a step."""
        if isinstance(summary, bytes):
            summary = summary_pb2.Summary.FromString(summary)
        if not isinstance(summary, summary_pb2.Summary):
            raise TypeError(f"add_summary wants a Summary proto, got {type(summary).__name__}")
        event = event_pb2.Event(summary=summary)
        if global_step is not None:
            event.step = _to_step(global_step)
        self.add_event(event)

    def add_graph(self, graph_def: Any, global_step: Any = None) -> None:
        """Write a graph for the Graphs tab: a minitf graph (`sess.graph`), or a
        `GraphDef` (any proto with `SerializeToString`, or its bytes)."""
        if hasattr(graph_def, "get_operations"):  # a minitf graph (`sess.graph`)
            graph_def = graph_ops.graph_def(graph_def)
        if isinstance(graph_def, bytes):
            data = graph_def
        elif hasattr(graph_def, "SerializeToString"):
            data = graph_def.SerializeToString()
        else:
            raise TypeError(f"add_graph wants a GraphDef proto, got {type(graph_def).__name__}")
        self.add_event(event_pb2.Event(graph_def=data))

    # -- convenience --------------------------------------------------------
    def scalar(self, tag: str, value: Any, step: Any) -> None:
        """Log one scalar (number, numpy or jax scalar)."""
        step = _to_step(step)  # checked first: a bad step writes nothing
        self.add_summary(protos.scalar_pb(tag, value), step)

    def histogram(self, tag: str, values: Any, step: Any, bins: int = 30) -> None:
        """Log a histogram of all elements of `values`."""
        step = _to_step(step)  # checked first: a bad step writes nothing
        self.add_summary(protos.histogram_pb(tag, values, bins), step)

    def image(self, tag: str, image: Any, step: Any, max_outputs: int = 3) -> None:
        """Log HxW, HxWxC or NHWC image data (float in [0, 1] or uint8)."""
        step = _to_step(step)  # checked first: a bad step writes nothing
        self.add_summary(protos.image_pb(tag, image, max_outputs), step)

    # -- lifetime -----------------------------------------------------------
    def _flush_locked(self) -> None:
        self._file.flush()
        self._last_flush = time.monotonic()

    def flush(self) -> None:
        """Push buffered events to the file (visible to other processes)."""
        with self._lock:
            if not self._file.closed:
                self._flush_locked()

    def close(self) -> None:
        """Flush and close the file; further writes raise. Idempotent."""
        self._stop.set()
        with self._lock:
            self._file.close()
        _live.discard(self)

    def __del__(self) -> None:
        stop = getattr(self, "_stop", None)
        if stop is not None:
            stop.set()

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def as_default(self) -> Iterator[FileWriter]:
        """Make this the writer used by module-level `scalar`/`histogram`/`image`."""
        _default_stack().append(self)
        try:
            yield self
        finally:
            _default_stack().pop()


def create_file_writer(logdir: str | os.PathLike, flush_secs: float = 120.0,
                       filename_suffix: str = "") -> FileWriter:
    """TF2-style constructor for a `FileWriter`."""
    return FileWriter(logdir, flush_secs=flush_secs, filename_suffix=filename_suffix)


# -- default writer (per thread) --------------------------------------------
_local = threading.local()


def _default_stack() -> list[FileWriter]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def get_default_writer() -> FileWriter | None:
    """The innermost writer installed by `FileWriter.as_default()`, or None."""
    stack = _default_stack()
    return stack[-1] if stack else None


def _require_default(what: str) -> FileWriter:
    writer = get_default_writer()
    if writer is None:
        raise RuntimeError(
            f"minitf.summary.{what} needs a default writer: use "
            f"`with create_file_writer(logdir).as_default(): ...` or call "
            f"writer.{what}(...) directly")
    return writer


def _as_graph_op(value: Any, step: Any) -> bool:
    """TF1 use (no step, a graph tensor or a TF1 default graph) makes a summary op."""
    if step is not None:
        return False
    from minitf.core.frame import get_default_graph
    from minitf.core.symbolic import graph_tensor

    return graph_tensor(value) is not None or get_default_graph().is_graph_mode


def scalar(tag: str, value: Any, step: Any = None, collections: Any = None,
           family: str | None = None) -> Any:
    """Log a scalar to the default writer; in a TF1 graph (no `step`), TF1's
    `tf.summary.scalar(name, tensor)`: a summary op (`graph_ops`)."""
    if _as_graph_op(value, step):
        return graph_ops.scalar_op(tag, value, collections, family)
    _require_default("scalar").scalar(tag, value, step)
    return None


def histogram(tag: str, values: Any, step: Any = None, bins: int = 30, collections: Any = None,
              family: str | None = None) -> Any:
    """Log a histogram to the default writer (in a TF1 graph: a summary op)."""
    if _as_graph_op(values, step):
        return graph_ops.histogram_op(tag, values, collections, family)
    _require_default("histogram").histogram(tag, values, step, bins)
    return None


def image(tag: str, image: Any, step: Any = None, max_outputs: int = 3, collections: Any = None,
          family: str | None = None) -> Any:
    """Log images to the default writer (in a TF1 graph: a summary op)."""
    if _as_graph_op(image, step):
        return graph_ops.image_op(tag, image, max_outputs, collections, family)
    _require_default("image").image(tag, image, step, max_outputs)
    return None
