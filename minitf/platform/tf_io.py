"""`tf.io`: the namespace TF2-era TF1 code reaches files through (`tf.io.gfile`)."""
from __future__ import annotations

from minitf.platform import gfile

__all__ = ["gfile"]
