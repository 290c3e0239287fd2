"""Where user code called into minitf: the innermost frame outside the package.

Used for "Originally defined at" hints and the sharing report. Walking frames
with sys._getframe is cheap enough to do on every variable creation (unlike
building a full traceback).
"""
from __future__ import annotations

import os
import sys
from types import FrameType

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_site() -> str:
    """`file:line` of the innermost caller outside minitf (and outside JAX)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_PACKAGE_DIR) and "/jax/" not in filename \
                and "/contextlib.py" not in filename:
            return f"{filename}:{frame.f_lineno}"
        frame = frame.f_back
    return "<unknown>"
