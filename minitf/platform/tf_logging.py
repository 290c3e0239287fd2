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
    """The "tensorflow" logger; adds TF's stderr handler once if nothing else logs."""
    global _handler_added
    logger = _logging.getLogger(_LOGGER_NAME)
    if not _handler_added:
        with _lock:
            if not _handler_added:
                if not _logging.getLogger().handlers:
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


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs `msg % args` at `level`."""
    get_logger().log(level, msg, *args, **kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """TF's verbose log: the same as `log` (the level is a Python logging level)."""
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().debug(msg, *args, **kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().info(msg, *args, **kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().error(msg, *args, **kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL (CRITICAL); as in TF it does not exit."""
    get_logger().critical(msg, *args, **kwargs)


def TaskLevelStatusMessage(msg: Any) -> None:
    """TF's task status message: logged as an error."""
    error(msg)


def flush() -> None:
    """Flushes the handlers of the "tensorflow" logger."""
    for handler in get_logger().handlers:
        handler.flush()


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    """Logs `msg % args` at `level` only if `condition` holds."""
    if condition:
        vlog(level, msg, *args)


def _next_count() -> int:
    """How often the caller's caller's line (file, line) has counted before; then counts it."""
    frame = sys._getframe(2)
    key = (frame.f_code.co_filename, frame.f_lineno)
    with _lock:
        count = _call_counts[key]
        _call_counts[key] += 1
    return count


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the 1st, (n+1)th, (2n+1)th, ... call from the same source line."""
    log_if(level, msg, _next_count() % n == 0, *args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the first `n` calls from the same source line only."""
    log_if(level, msg, _next_count() < n, *args)
