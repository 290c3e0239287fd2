"""TFRecord framing for event files, written without TensorFlow.

An event file is a sequence of records, each laid out (little-endian) as
``uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)``.
TensorBoard's reader verifies both checksums, so they must be exact. The
CRC comes from tensorboard's TF-free stub (the same function tensorboard's own
``RecordWriter`` uses); we do not use ``EventFileWriter`` itself because it
imports TensorFlow for ``gfile`` whenever TensorFlow is installed.
"""

from __future__ import annotations

import os
import socket
import struct
import time
from typing import BinaryIO

from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c

_file_counter = 0


def frame_record(data: bytes) -> bytes:
    """Return `data` wrapped in TFRecord framing (length, CRCs)."""
    header = struct.pack("<Q", len(data))
    return (header + struct.pack("<I", masked_crc32c(header)) + data
            + struct.pack("<I", masked_crc32c(data)))


def event_file_name(logdir: str, suffix: str = "") -> str:
    """A fresh ``events.out.tfevents.<time>.<host>.<pid>.<n><suffix>`` path.

    The counter keeps two writers opened in the same second and process from
    clobbering each other's file.
    """
    global _file_counter
    _file_counter += 1
    name = "events.out.tfevents.%010d.%s.%d.%d%s" % (
        time.time(), socket.gethostname(), os.getpid(), _file_counter, suffix)
    return os.path.join(logdir, name)


class RecordFile:
    """An append-only file of TFRecords."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._f: BinaryIO | None = open(path, "wb")  # noqa: SIM115 -- held open until close()

    def write(self, data: bytes) -> None:
        if self._f is None:
            raise ValueError(f"record file {self.path!r} is closed")
        self._f.write(frame_record(data))

    def flush(self) -> None:
        if self._f is not None:
            self._f.flush()

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None

    @property
    def closed(self) -> bool:
        return self._f is None
