"""`tf.app`: `tf.app.run()` and `tf.app.flags`, the entry point of TF1 scripts.

`tf.app.run(main=None, argv=None)` parses the flags from `argv` (default `sys.argv`)
as TF1 does, tolerating flags nobody defined (they stay in the argv given to `main`),
calls `main(remaining_argv)` (by default the `main` of the `__main__` module) and
exits with its return value. `--help` / `-?` / `--helpshort` / `--helpfull` print the
flags and exit with status 1, as absl does; a bad flag value raises its `flags.Error`
out of `run` (TF's own parser does not catch it either).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from minitf.platform import flags

__all__ = ["flags", "run", "usage"]

_HELP_FLAGS = ("--help", "-help", "-?", "--helpshort", "-helpshort", "--helpfull", "-helpfull")


def usage(program: str) -> str:
    """What --help prints: the main module's docstring (or a usage line) and the flags."""
    doc = getattr(sys.modules.get("__main__"), "__doc__", None)
    text = (doc or f"\n       USAGE: {os.path.basename(program)} [flags]").rstrip("\n")
    if len(flags.FLAGS):
        text += f"\nflags:\n{flags.FLAGS.get_help()}"
    return text + "\n\nTry --helpfull to get a list of all flags.\n"


def run(main: Callable[[list[str]], Any] | None = None,
        argv: Sequence[str] | None = None) -> NoReturn:
    """Parses the flags, runs `main(remaining_argv)` and `sys.exit`s with its result."""
    if main is None:
        main = sys.modules["__main__"].main
    args = list(sys.argv if argv is None else argv)
    if any(arg in _HELP_FLAGS for arg in args[1:args.index("--") if "--" in args else None]):
        sys.stdout.write(usage(args[0] if args else "program"))
        sys.exit(1)
    remaining = flags.FLAGS(args, known_only=True)
    sys.exit(main(remaining))
