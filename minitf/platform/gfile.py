"""`tf.gfile` / `tf.io.gfile`: TF's file API over the local filesystem.

TF1 scripts read and write data, vocabularies and logs through `tf.gfile` (CamelCase
names) and TF2-era code through `tf.io.gfile` (lowercase names); both spellings are
here, over Python's `os`/`shutil`. Failures raise TF's exception classes
(`tf.errors.NotFoundError`, `AlreadyExistsError`, `FailedPreconditionError`, ...) where
TF does, with TF's messages. Only local paths are supported (no `gs://`, `hdfs://`).
The checkpoint's own file primitives (`minitf/checkpoint/fileio.py`) are specialised to
bundle files (regular-file checks, atomic temp files) and have nothing to share here.
"""
from __future__ import annotations

import glob as _glob
import os
import shutil
from collections.abc import Iterable, Iterator
from typing import IO, Any, NamedTuple, NoReturn

from minitf.graph import errors

__all__ = [
    "Copy", "DeleteRecursively", "Exists", "FastGFile", "FileStatistics", "GFile", "Glob",
    "IsDirectory", "ListDirectory", "MakeDirs", "MkDir", "Open", "Remove", "Rename", "Stat",
    "Walk", "copy", "exists", "get_registered_schemes", "glob", "isdir", "join", "listdir",
    "makedirs", "mkdir", "remove", "rename", "rmtree", "stat", "walk",
]

_MODES = ("r", "w", "a", "r+", "w+", "a+")


def _raise_os_error(err: OSError, path: str) -> NoReturn:
    """Re-raises an OSError as the `tf.errors` class TF's file system uses."""
    if isinstance(err, FileNotFoundError):
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    if isinstance(err, IsADirectoryError):
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None
    if isinstance(err, NotADirectoryError):
        raise errors.FailedPreconditionError(None, None, f"{path}; Not a directory") from None
    if isinstance(err, FileExistsError):
        raise errors.AlreadyExistsError(None, None, f"{path}; File exists") from None
    if isinstance(err, PermissionError):
        raise errors.PermissionDeniedError(None, None, f"{path}; Permission denied") from None
    raise errors.UnknownError(None, None, f"{path}; {err.strerror or err}") from None


def _path(path: Any) -> str:
    return os.fsdecode(os.fspath(path))


# -- files ---------------------------------------------------------------------------


class GFile:
    """TF's file object: opened lazily on first read or write (so a missing file is a
    `NotFoundError` when read, not when constructed). Text mode reads `str` and binary
    mode (`'b'` in `mode`) reads `bytes`; `write` takes either in both modes."""

    def __init__(self, name: Any, mode: str = "r") -> None:
        self.__name = _path(name)
        self.__mode = mode
        base = mode.replace("b", "")
        if base not in _MODES:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._binary = "b" in mode
        self._readable = base.startswith("r") or "+" in base
        self._writable = not base.startswith("r") or "+" in base
        self._file: IO[bytes] | None = None
        self._base = base

    @property
    def name(self) -> str:
        return self.__name

    @property
    def mode(self) -> str:
        return self.__mode

    def _open(self) -> IO[bytes]:
        if self._file is None:
            try:
                self._file = open(self.__name, self._base + "b")  # noqa: SIM115
            except OSError as err:
                _raise_os_error(err, self.__name)
        return self._file

    def _reader(self) -> IO[bytes]:
        if not self._readable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        return self._open()

    def _out(self, data: bytes) -> str | bytes:
        return data if self._binary else data.decode("utf-8")

    def size(self) -> int:
        """The file's length in bytes."""
        return stat(self.__name).length

    def write(self, file_content: str | bytes) -> None:
        """Writes `file_content` (`str` is UTF-8 encoded)."""
        if not self._writable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        data = file_content.encode("utf-8") if isinstance(file_content, str) else file_content
        self._open().write(data)

    def read(self, n: int = -1) -> str | bytes:
        """`n` bytes (all that remain if `n` is -1)."""
        return self._out(self._reader().read(n))

    def readline(self) -> str | bytes:
        """The next line, with its newline ('' at the end of the file)."""
        return self._out(self._reader().readline())

    def readlines(self) -> list[Any]:
        """The remaining lines."""
        return [self._out(line) for line in self._reader().readlines()]

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> str | bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def tell(self) -> int:
        return self._open().tell()

    def seek(self, offset: int | None = None, whence: int = 0,
             position: int | None = None) -> None:
        """Moves to `offset` (TF's older spelling: `position`) relative to `whence`."""
        if position is not None:
            offset = position
        self._open().seek(offset or 0, whence)

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes; a later read or write reopens the file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Open = GFile
FastGFile = GFile


# -- paths ---------------------------------------------------------------------------


class FileStatistics(NamedTuple):
    """What `stat` returns: the length in bytes, the modification time, whether a directory."""

    length: int
    mtime_nsec: int
    is_directory: bool


def exists(path: Any) -> bool:
    return os.path.exists(_path(path))


def isdir(path: Any) -> bool:
    return os.path.isdir(_path(path))


def join(path: Any, *paths: Any) -> str:
    return os.path.join(_path(path), *(_path(p) for p in paths))


def get_registered_schemes() -> list[str]:
    """The URL schemes this file system serves: local files only."""
    return ["file"]


def makedirs(path: Any) -> None:
    """Creates `path` and its missing parents; an existing directory is fine."""
    path = _path(path)
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        raise errors.FailedPreconditionError(None, None, f"{path} is not a directory") from None
    except OSError as err:
        _raise_os_error(err, path)


def mkdir(path: Any) -> None:
    """Creates the directory `path`; its parent must exist. If `path` exists (a directory
    or not), nothing happens, as in TF."""
    path = _path(path)
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except OSError as err:
        _raise_os_error(err, path)


def listdir(path: Any) -> list[str]:
    """The names in directory `path` (not full paths, in the file system's order)."""
    path = _path(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def glob(pattern: Any) -> list[str]:
    """Paths matching `pattern` (or any of a list of patterns); `*` matches dot files too."""
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else pattern
    found: list[str] = []
    for p in patterns:
        found += _glob.glob(_path(p), include_hidden=True)
    return found


def remove(path: Any) -> None:
    """Deletes the file `path`."""
    path = _path(path)
    try:
        os.remove(path)
    except OSError as err:
        _raise_os_error(err, path)


def rmtree(path: Any) -> None:
    """Deletes the directory `path` and everything in it (or the file `path`)."""
    path = _path(path)
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError as err:
        _raise_os_error(err, getattr(err, "filename", None) or path)


def _check_target(src: str, dst: str, overwrite: bool) -> None:
    if not os.path.lexists(src):
        raise errors.NotFoundError(None, None, f"{src}; No such file or directory")
    if not overwrite and os.path.lexists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Moves `src` to `dst`; an existing `dst` is an error unless `overwrite`."""
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    try:
        os.replace(src, dst)
    except OSError as err:
        _raise_os_error(err, src)  # TF names the source, even for a missing target directory


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Copies file `src` to `dst`; an existing `dst` is an error unless `overwrite`, and a
    directory `src` an InvalidArgumentError (TF then leaves an empty `dst`; minitf does not)."""
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    if os.path.isdir(src):
        raise errors.InvalidArgumentError(None, None, f"{dst}; Invalid argument")
    try:
        shutil.copyfile(src, dst)
    except OSError as err:
        _raise_os_error(err, dst)


def stat(path: Any) -> FileStatistics:
    """Length, modification time (ns) and kind of `path`."""
    path = _path(path)
    try:
        st = os.stat(path)
    except OSError as err:
        _raise_os_error(err, path)
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(path))


def walk(top: Any, topdown: bool = True,
         onerror: Any = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """(dirname, subdirectory names, file names) for `top` and each directory below it;
    nothing for a missing `top`."""
    yield from os.walk(_path(top), topdown=topdown, onerror=onerror)


# -- TF1's CamelCase names -------------------------------------------------------------

Exists = exists
IsDirectory = isdir
MakeDirs = makedirs
MkDir = mkdir
ListDirectory = listdir
Glob = glob
Remove = remove
DeleteRecursively = rmtree
Stat = stat


def Rename(oldname: Any, newname: Any, overwrite: bool = False) -> None:
    rename(oldname, newname, overwrite)


def Copy(oldpath: Any, newpath: Any, overwrite: bool = False) -> None:
    copy(oldpath, newpath, overwrite)


def Walk(top: Any, in_order: bool = True) -> Iterable[tuple[str, list[str], list[str]]]:
    """TF1's walk: `in_order` is `topdown`."""
    return walk(top, topdown=in_order)
