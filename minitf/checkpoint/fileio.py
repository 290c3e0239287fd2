"""File primitives for checkpoints: safe opening for readers, atomic and
leak-free temp files for writers, and the advisory directory lock.

Readers open only regular files (``O_NONBLOCK`` so a FIFO cannot hang the
open; ``fstat`` then refuses it) and never read past the size ``fstat``
reports. Writers create short unique temp names ``.<tag>-<random>.tmp`` in the
target directory and hold an exclusive ``flock`` on each until it is renamed,
so a later save can tell an orphan of a crashed writer (lock free) from a
file another live writer is still filling (lock held).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator

from minitf.checkpoint.errors import CorruptCheckpointError

__all__ = [
    "TempFile",
    "check_name_length",
    "directory_lock",
    "fsync_dir",
    "open_regular",
    "read_at",
    "remove_orphan_temps",
    "temp_tag",
]

TEMP_SUFFIX = ".tmp"


# --------------------------------------------------------------------------
# Reading.


def open_regular(path: str) -> tuple[int, int]:
    """Opens ``path`` read-only; returns (fd, size). Refuses anything but a
    regular file (FIFOs, devices, directories) with CorruptCheckpointError."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise CorruptCheckpointError(path, "is a directory, not a checkpoint file") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CorruptCheckpointError(path, "is not a regular file (a FIFO, device or socket?)")
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def read_at(fd: int, offset: int, size: int, file_size: int, path: str, what: str) -> bytearray:
    """Exactly ``size`` bytes at ``offset``, after checking the range against
    the file's real size (so nothing is allocated for a lying header)."""
    if offset < 0 or size < 0 or offset + size > file_size:
        raise CorruptCheckpointError(
            path, f"{what} needs bytes [{offset}, {offset + size}) but the "
            f"file has {file_size} bytes (truncated or crafted)", what)
    buf = bytearray(size)
    view = memoryview(buf)
    done = 0
    while done < size:
        n = os.preadv(fd, [view[done:]], offset + done)
        if n <= 0:
            raise CorruptCheckpointError(
                path, f"file shrank while reading {what}", f"offset {offset + done}")
        done += n
    return buf


# --------------------------------------------------------------------------
# Writing.


def temp_tag(name: str) -> str:
    """A short tag derived from a checkpoint's base name: temp files of saves
    with the same base share it, whatever the base's length."""
    return "ckpt-" + hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def check_name_length(path: str) -> None:
    """Raises a clear OSError if the file name of ``path`` exceeds NAME_MAX."""
    directory, name = os.path.split(path)
    try:
        limit = os.pathconf(directory or ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(name)) > limit:
        raise OSError(
            errno.ENAMETOOLONG, f"checkpoint file name {name!r} is {len(os.fsencode(name))} "
            f"bytes, over this filesystem's limit of {limit}; use a shorter prefix", path)


class TempFile:
    """A new ``.<tag>-<random>.tmp`` in ``directory``, open for writing and
    exclusively flocked until :meth:`commit` renames it or :meth:`discard`."""

    def __init__(self, directory: str, tag: str) -> None:
        for _ in range(100):
            path = os.path.join(directory, f".{tag}-{secrets.token_hex(6)}{TEMP_SUFFIX}")
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            fd = os.open(path, flags, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                # An orphan sweeper may have unlinked the name between create and lock.
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    break
            except OSError:
                pass
            os.close(fd)
        else:  # pragma: no cover - 100 collisions in a row
            raise OSError(errno.EEXIST, "could not create a unique temp file", directory)
        self.path, self.fd = path, fd
        self.file = os.fdopen(fd, "wb", buffering=0, closefd=False)

    def write(self, data) -> None:
        view = memoryview(data).cast("B")
        while view:
            n = self.file.write(view)
            view = view[n:]

    def finish(self) -> None:
        """Makes the content durable (fsync) before the rename."""
        os.fsync(self.fd)

    def commit(self, final: str) -> None:
        """Atomically renames the temp file onto ``final`` and releases it."""
        os.replace(self.path, final)
        self._close()

    def discard(self) -> None:
        """Removes the temp file (after any failure)."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self._close()

    def _close(self) -> None:
        if self.fd >= 0:
            self.file.close()
            os.close(self.fd)
            self.fd = -1


def remove_orphan_temps(directory: str, tag: str) -> list[str]:
    """Deletes ``.<tag>-*.tmp`` files whose writer is gone (their flock is
    free); files of live writers are left alone. Returns what was removed."""
    removed = []
    pattern = os.path.join(glob.escape(directory), f".{glob.escape(tag)}-*{TEMP_SUFFIX}")
    for path in glob.glob(pattern):

        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer holds it
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                os.unlink(path)
                removed.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def fsync_dir(directory: str) -> None:
    """fsyncs a directory so renames in it are durable (where supported)."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def directory_lock(directory: str, state_filename: str = "checkpoint") -> Iterator[None]:
    """Holds an exclusive ``flock`` on ``<directory>/.<state_filename>.lock``
    (created once, kept), serializing every saver's bookkeeping of that state
    file across threads and processes. The state file itself is replaced by
    rename, so the lock lives on a companion file."""
    path = os.path.join(directory, f".{state_filename}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
