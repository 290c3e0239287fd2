"""The ``checkpoint`` state file: TF's ``CheckpointState`` text proto.

    model_checkpoint_path: "model-200"
    all_model_checkpoint_paths: "model-100"
    all_model_checkpoint_paths: "model-200"

Same semantics as ``tf.train.get_checkpoint_state`` / ``update_checkpoint_state``
/ ``latest_checkpoint``: relative paths are relative to the state file's
directory; the newest path is appended to ``all_model_checkpoint_paths`` when
missing. Hardened: the file is read only if it is a regular file of sane
size; ``latest_checkpoint`` never returns a path outside the directory
(absolute paths elsewhere and ``..`` escapes are ignored); writes are atomic
(temp file, fsync, rename).
"""

from __future__ import annotations

import dataclasses
import os
import re

from minitf.checkpoint.errors import CorruptCheckpointError
from minitf.checkpoint.fileio import TempFile, fsync_dir, open_regular, read_at, temp_tag

__all__ = [
    "STATE_FILENAME",
    "CheckpointState",
    "get_checkpoint_state",
    "inside",
    "latest_checkpoint",
    "read_state",
    "update_checkpoint_state",
    "write_state",
]

STATE_FILENAME = "checkpoint"
_MAX_STATE_BYTES = 16 << 20

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclasses.dataclass
class CheckpointState:
    """A parsed state file; paths as TF's ``get_checkpoint_state`` returns
    them (relative entries joined to the directory)."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str]


def _quote(s: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in s) + '"'


def _unquote(s: str) -> str:
    raw = s.strip()
    if len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in "\"'":
        raise ValueError(f"expected a quoted string, got {s[:80]!r}")
    body = raw[1:-1].encode("utf-8")
    table = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"\\": b"\\", b'"': b'"', b"'": b"'"}

    def sub(m: re.Match) -> bytes:
        esc = m.group(1)
        if esc[:1] in (b"x", b"X"):
            return bytes([int(esc[1:], 16)])
        if esc[:1].isdigit():
            return bytes([int(esc, 8) & 0xFF])
        return table.get(esc, esc)

    unescaped = re.sub(rb"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", sub, body)
    return unescaped.decode("utf-8", "surrogateescape")


def read_state(directory: str | os.PathLike,
               latest_filename: str = STATE_FILENAME) -> tuple[str | None, list[str]]:
    """(model_checkpoint_path, all_model_checkpoint_paths) as written in the
    state file (relative paths unresolved); (None, []) if there is none.
    A state file that is not a regular file, too big or not UTF-8 text
    raises CorruptCheckpointError; unknown fields are ignored."""
    path = os.path.join(os.fspath(directory), latest_filename)
    try:
        fd, size = open_regular(path)
    except FileNotFoundError:
        return None, []
    try:
        if size > _MAX_STATE_BYTES:
            raise CorruptCheckpointError(
                path, f"state file is {size} bytes (over {_MAX_STATE_BYTES})")
        data = read_at(fd, 0, size, size, path, "the state file")
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorruptCheckpointError(
            path, "state file is not UTF-8 text", f"byte {e.start}") from None
    latest, every = None, []
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*(\w+)\s*:\s*(.*?)\s*$", line)
        if not m or m.group(1) not in ("model_checkpoint_path", "all_model_checkpoint_paths"):
            continue  # timestamps and other fields
        try:
            value = _unquote(m.group(2))
        except ValueError as e:
            raise CorruptCheckpointError(path, f"malformed line: {e}", f"line {number}") from None
        if "\x00" in value:
            raise CorruptCheckpointError(path, "a path holds a NUL byte", f"line {number}")
        if m.group(1) == "model_checkpoint_path":
            latest = value
        else:
            every.append(value)
    return latest, every


def inside(directory: str, path: str) -> str | None:
    """``path`` (relative to ``directory`` or absolute) as a path under
    ``directory``, or None if it resolves outside it (``..``, absolute paths
    elsewhere, symlinked escapes)."""
    full = path if os.path.isabs(path) else os.path.join(directory, path)
    root = os.path.realpath(directory or ".")
    real = os.path.realpath(os.path.join(os.path.dirname(full) or ".", "."))
    if os.path.commonpath([root, real]) != root or not os.path.basename(full):
        return None
    return full


def get_checkpoint_state(checkpoint_dir: str | os.PathLike,
                         latest_filename: str | None = None) -> CheckpointState | None:
    """TF's ``get_checkpoint_state``: the parsed state file, or None if absent.
    Relative paths are joined to ``checkpoint_dir``."""
    directory = os.fspath(checkpoint_dir)
    latest, every = read_state(directory, latest_filename or STATE_FILENAME)
    if latest is None:
        return None
    join = lambda p: p if os.path.isabs(p) else os.path.join(directory, p)  # noqa: E731
    return CheckpointState(join(latest), [join(p) for p in every])


def _exists(prefix: str) -> bool:
    """Whether a checkpoint is there: a V2 index or a V1 file (regular files)."""
    return os.path.isfile(prefix + ".index") or os.path.isfile(prefix)


def latest_checkpoint(checkpoint_dir: str | os.PathLike,
                      latest_filename: str | None = None) -> str | None:
    """Prefix of the newest checkpoint recorded in ``checkpoint_dir``'s state
    file, or None if there is none, its files are gone, or it lies outside
    ``checkpoint_dir``."""
    directory = os.fspath(checkpoint_dir)
    latest, _ = read_state(directory, latest_filename or STATE_FILENAME)
    if not latest:
        return None
    path = inside(directory, latest)
    return path if path is not None and _exists(path) else None


def write_state(directory: str, model_checkpoint_path: str, all_paths: list[str],
                latest_filename: str = STATE_FILENAME) -> None:
    """Atomically writes a state file with exactly these (already relative or
    absolute) paths."""
    lines = [f"model_checkpoint_path: {_quote(model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in all_paths]
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    tmp = TempFile(directory or ".", temp_tag(latest_filename))
    try:
        tmp.write(data)
        tmp.finish()
        tmp.commit(os.path.join(directory, latest_filename))
    except BaseException:
        tmp.discard()
        raise
    fsync_dir(directory)


def update_checkpoint_state(save_dir: str | os.PathLike, model_checkpoint_path: str,
                            all_model_checkpoint_paths: list[str] | None = None,
                            latest_filename: str | None = None) -> None:
    """TF's ``update_checkpoint_state``: records the newest checkpoint (and the
    list, to which it is appended if it is not last). With a relative
    ``save_dir``, relative paths are written relative to it, as TF does."""
    directory = os.fspath(save_dir)
    filename = latest_filename or STATE_FILENAME
    every = list(all_model_checkpoint_paths or [])
    if not every or every[-1] != model_checkpoint_path:
        every.append(model_checkpoint_path)
    state_path = os.path.normpath(os.path.join(directory, filename))
    if state_path == os.path.normpath(model_checkpoint_path):

        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for "
                           "checkpoint state.  Please use a different save path.")
    if not os.path.isabs(directory):
        rel = lambda p: p if os.path.isabs(p) else os.path.relpath(p, directory)  # noqa: E731
        model_checkpoint_path, every = rel(model_checkpoint_path), [rel(p) for p in every]
    write_state(directory, model_checkpoint_path, every, filename)
