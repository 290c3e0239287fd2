"""The one exception every checkpoint reader raises for a bad file.

A checkpoint is input like any other: it may be truncated, damaged or
crafted. Readers check every size, offset and count they take from a file
and report any problem as :class:`CorruptCheckpointError` (a ``ValueError``),
never as an internal ``IndexError``/``struct.error``/``MemoryError``.
"""

from __future__ import annotations

__all__ = ["CorruptCheckpointError"]


class CorruptCheckpointError(ValueError):
    """A checkpoint file is damaged, truncated, foreign or unsafe to read.

    ``path``: the file; ``what``: what is wrong; ``where``: the place in the
    file (an offset, a tensor name, a field), or "" when not applicable.
    """

    def __init__(self, path: str, what: str, where: str = "") -> None:
        self.path, self.what, self.where = str(path), what, where
        at = f" (at {where})" if where else ""
        super().__init__(f"{self.path}: {what}{at}. The checkpoint is corrupt or not a "
                         "TensorFlow V2 checkpoint; restore from another checkpoint or re-save it.")

    def __reduce__(self):  # picklable across processes
        return (type(self), (self.path, self.what, self.where))
