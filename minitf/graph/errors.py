"""`tf.errors`: the exceptions a TF1 session raises, with TF's class names and messages."""
from __future__ import annotations

from typing import Any

__all__ = [
    "AlreadyExistsError", "FailedPreconditionError", "InvalidArgumentError", "NotFoundError",
    "OpError", "OutOfRangeError", "PermissionDeniedError", "UnknownError",
]


class OpError(Exception):
    """TF's base class of errors raised while running a graph."""

    def __init__(self, node_def: Any, op: Any, message: str) -> None:
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message

    def __str__(self) -> str:
        return self.message


class FailedPreconditionError(OpError):
    """E.g. reading a variable no initializer has run for."""


class InvalidArgumentError(OpError):
    """E.g. a placeholder that was not fed."""


class NotFoundError(OpError):
    """E.g. a checkpoint file that does not exist."""


class OutOfRangeError(OpError):
    """E.g. a dataset iterator past its last element ("End of sequence")."""


class AlreadyExistsError(OpError):
    """E.g. `tf.gfile.Copy` onto an existing file without `overwrite=True`."""


class PermissionDeniedError(OpError):
    """E.g. writing to a `tf.gfile.GFile` opened for reading."""


class UnknownError(OpError):
    """An error with no more specific class (e.g. an unexpected OS error in `tf.gfile`)."""
