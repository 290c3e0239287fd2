"""`tf.logging`: TF1's logging functions over Python's `logging`, logger "tensorflow".

TF1 scripts call `tf.logging.set_verbosity(tf.logging.INFO)` and `tf.logging.info(...)`;
as in TF, these go to the standard library logger named "tensorflow" (so a script's own
`logging` configuration applies), and the levels are Python's (DEBUG=10 ... FATAL=50).
Like TF, a stderr handler printing `LEVEL:tensorflow:message` is attached on first use
when the root logger has no handlers.
"""
from __future__ import annotations

import logging as _logging
import sys
import threading
from collections import Counter
from typing import Any

__all__ = [
    "DEBUG", "ERROR", "FATAL", "INFO", "WARN", "TaskLevelStatusMessage", "debug", "error",
    "fatal", "flush", "get_logger", "get_verbosity", "info", "log", "log_every_n",
    "log_first_n", "log_if", "set_verbosity", "vlog", "warn", "warning",
]

DEBUG = _logging.DEBUG  # 10
INFO = _logging.INFO  # 20
WARN = _logging.WARN  # 30
ERROR = _logging.ERROR  # 40
FATAL = _logging.FATAL  # 50

_LOGGER_NAME = "tensorflow"
_lock = threading.Lock()
_handler_added = False
_call_counts: Counter[tuple[str, int]] = Counter()


def get_logger() -> _logging.Logger:
    """The "tensorflow" logger; adds TF's stderr handler once if nothing else logs (no root
    handler, and none on the logger, e.g. from TensorFlow itself in the same process)."""
    global _handler_added
    logger = _logging.getLogger(_LOGGER_NAME)
    if not _handler_added:
        with _lock:
            if not _handler_added:
                if not _logging.getLogger().handlers and not logger.handlers:
                    handler = _logging.StreamHandler(sys.stderr)
                    handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                    logger.addHandler(handler)
                _handler_added = True
    return logger


def set_verbosity(v: int) -> None:
    """Logs at level `v` and above from now on."""
    get_logger().setLevel(v)


def get_verbosity() -> int:
    """The effective level of the "tensorflow" logger (WARN by default)."""
    return get_logger().getEffectiveLevel()


def _log(level: int, msg: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
         depth: int = 1) -> None:
    """Logs through the "tensorflow" logger; the record names the user's line, `depth`
    frames above the public function that called this."""
    kwargs.setdefault("stacklevel", depth + 2)
    get_logger().log(level, msg, *args, **kwargs)


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs `msg % args` at `level`."""
    _log(level, msg, args, kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """TF's verbose log: the same as `log` (the level is a Python logging level)."""
    _log(level, msg, args, kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    _log(DEBUG, msg, args, kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    _log(INFO, msg, args, kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    _log(WARN, msg, args, kwargs)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    _log(ERROR, msg, args, kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL (CRITICAL); as in TF it does not exit."""
    _log(FATAL, msg, args, kwargs)


def TaskLevelStatusMessage(msg: Any) -> None:
    """TF's task status message: logged as an error."""
    _log(ERROR, msg, (), {})


def flush() -> None:
    """Flushes the handlers of the "tensorflow" logger."""
    for handler in get_logger().handlers:
        handler.flush()


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    """Logs `msg % args` at `level` only if `condition` holds."""
    if condition:
        _log(level, msg, args, {})


def _next_count() -> int:
    """How often the caller's caller's line (file, line) has counted before; then counts it.
    (TF means to count per call site too, but its frame offset is one too high: it keys
    on the frame above the caller's file, so calls from one file share a count.)"""
    frame = sys._getframe(2)
    key = (frame.f_code.co_filename, frame.f_lineno)
    with _lock:
        count = _call_counts[key]
        _call_counts[key] += 1
    return count


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the 1st, (n+1)th, (2n+1)th, ... call from the same source line."""
    if _next_count() % n == 0:
        _log(level, msg, args, {})


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the first `n` calls from the same source line only."""
    if _next_count() < n:
        _log(level, msg, args, {})
