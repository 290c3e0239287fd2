"""Saving and restoring flat parameter dicts by name, crash-safely.

Format: one ``prefix.npz`` per checkpoint, written with numpy and read with
``allow_pickle=False``. Member ``__minitf_header__`` is UTF-8 JSON listing each
tensor's name, dtype name and shape; member ``t<i>`` holds that tensor's raw
little-endian bytes as a uint8 vector. Raw bytes (not native npy dtypes) are
stored so that bfloat16 round-trips without numpy knowing the type, and only
allow-listed dtype names are accepted on load, so a crafted file can never
make us unpickle anything. Zip members carry CRC-32s that numpy checks.

Crash safety: every file is written to a temp file in the target directory,
fsynced, then ``os.replace``d into place (atomic on POSIX); the ``checkpoint``
state file (TF's text format, so ``tf.train.get_checkpoint_state`` reads it)
is updated the same way *after* the data file is in place, and old
checkpoints are deleted only after that. Killing the writer at any moment
leaves ``latest_checkpoint`` pointing at a complete checkpoint.
"""

from __future__ import annotations

import glob
import json
import math
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

import ml_dtypes  # jax's dtype package: jnp.bfloat16 is ml_dtypes.bfloat16
import numpy as np

__all__ = ["Saver", "CheckpointReader", "latest_checkpoint", "CheckpointFormatError", "SUFFIX"]

SUFFIX = ".npz"
STATE_FILENAME = "checkpoint"
_HEADER_KEY = "__minitf_header__"
_FORMAT = "minitf.checkpoint"
_VERSION = 1

# The only dtypes a checkpoint may contain (looked up by name on load).
_DTYPES: dict[str, np.dtype] = {
    np.dtype(t).name: np.dtype(t)
    for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
              np.uint32, np.uint64, np.float16, np.float32, np.float64, np.complex64,
              np.complex128, ml_dtypes.bfloat16)
}


class CheckpointFormatError(ValueError):
    """A file is not a valid minitf checkpoint (corrupt, foreign, or unsafe)."""


# --------------------------------------------------------------------------
# Atomic files.


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems do not support fsync on directories
    finally:
        os.close(fd)


def _atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Writes ``path`` via a fsynced temp file in the same dir + ``os.replace``.

    On any failure the temp file is removed and ``path`` is untouched.
    """
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)


# --------------------------------------------------------------------------
# The ``checkpoint`` state file (TF's CheckpointState text proto).

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quote(s: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in s) + '"'


def _unquote(s: str) -> str:
    raw = s.strip()
    if len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in "\"'":
        raise ValueError(f"expected a quoted string, got {s!r}")
    body = raw[1:-1].encode("utf-8")
    table = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"\\": b"\\", b'"': b'"', b"'": b"'"}

    def sub(m: re.Match) -> bytes:
        esc = m.group(1)
        if esc[:1] in (b"x", b"X"):
            return bytes([int(esc[1:], 16)])
        if esc[:1].isdigit():
            return bytes([int(esc, 8) & 0xFF])
        return table.get(esc, esc)

    return re.sub(rb"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", sub, body).decode("utf-8")


def read_state(directory: str, latest_filename: str = STATE_FILENAME) -> tuple[str | None, list[str]]:
    """(model_checkpoint_path, all_model_checkpoint_paths) from a state file,
    as written (relative paths are relative to ``directory``); (None, []) if
    the file is missing or unreadable."""
    try:
        with open(os.path.join(directory, latest_filename), encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None, []
    latest, every = None, []
    for line in text.splitlines():
        m = re.match(r"\s*(\w+)\s*:\s*(.*?)\s*$", line)
        if not m:
            continue
        try:
            if m.group(1) == "model_checkpoint_path":
                latest = _unquote(m.group(2))
            elif m.group(1) == "all_model_checkpoint_paths":
                every.append(_unquote(m.group(2)))
        except ValueError:
            continue  # other fields (timestamps) and malformed lines are ignored
    return latest, every


def _write_state(directory: str, latest: str, every: Sequence[str]) -> None:
    lines = [f"model_checkpoint_path: {_quote(latest)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in every]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    _atomic_write(os.path.join(directory, STATE_FILENAME), lambda f: f.write(data))


def _exists(prefix: str) -> bool:
    """Whether a complete checkpoint (minitf, TF V2, or TF V1 file) is there."""
    return (os.path.isfile(prefix + SUFFIX) or os.path.isfile(prefix + ".index")
            or os.path.isfile(prefix))


def latest_checkpoint(checkpoint_dir: str | os.PathLike, latest_filename: str = STATE_FILENAME) -> str | None:
    """Prefix of the newest checkpoint recorded in ``checkpoint_dir``'s state
    file (ours or TF's), or None if there is none or its files are gone."""
    directory = os.fspath(checkpoint_dir)
    latest, _ = read_state(directory, latest_filename)
    if not latest:
        return None
    path = latest if os.path.isabs(latest) else os.path.join(directory, latest)
    return path if _exists(path) else None


# --------------------------------------------------------------------------
# Encoding.


def _to_host(name: str, value: Any) -> np.ndarray:
    """Copies a parameter to a numpy array, refusing anything but arrays."""
    if not (isinstance(value, (np.ndarray, np.generic)) or hasattr(value, "__array__")
            and hasattr(value, "dtype") and hasattr(value, "shape")):
        raise TypeError(
            f"Cannot checkpoint {name!r}: it is a {type(value).__name__}, not an array. "
            "Checkpoints hold arrays only; wrap Python scalars with jnp.asarray(...) or "
            "leave non-array state out of the dict (or out of var_list).")
    try:
        arr = np.asarray(value)
    except Exception as e:  # e.g. a jax tracer inside jit
        raise TypeError(f"Cannot checkpoint {name!r}: could not copy it to host memory ({e}). "
                        "Save concrete arrays, outside jit/grad.") from e
    if arr.dtype.name not in _DTYPES or arr.dtype != _DTYPES[arr.dtype.name]:
        raise TypeError(f"Cannot checkpoint {name!r}: dtype {arr.dtype} is not supported "
                        f"(supported: {', '.join(sorted(_DTYPES))}).")
    return arr if arr.flags.c_contiguous else arr.copy(order="C")  # keeps 0-d shapes


def _raw_bytes(arr: np.ndarray) -> np.ndarray:
    if sys.byteorder != "little" and arr.dtype.itemsize > 1:
        arr = arr.byteswap()
    return arr.reshape(-1).view(np.uint8)


def _encode(tensors: Mapping[str, np.ndarray]) -> Callable[[IO[bytes]], None]:
    header = {"format": _FORMAT, "version": _VERSION, "tensors": []}
    members: dict[str, np.ndarray] = {}
    for i, (name, arr) in enumerate(sorted(tensors.items())):
        key = f"t{i}"
        header["tensors"].append({"name": name, "dtype": arr.dtype.name, "shape": list(arr.shape), "key": key})
        members[key] = _raw_bytes(arr)
    members[_HEADER_KEY] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    return lambda f: np.savez(f, allow_pickle=False, **members)


# --------------------------------------------------------------------------
# Decoding.


class CheckpointReader:
    """Reads a minitf checkpoint; same methods as TF's checkpoint reader.

    ``get_tensor`` returns numpy arrays (bfloat16 as ``ml_dtypes.bfloat16``).
    """

    def __init__(self, prefix: str | os.PathLike) -> None:
        self.prefix = os.fspath(prefix)
        self.path = self.prefix + SUFFIX
        with self._open() as z:
            self._specs = _read_header(z, self.path)

    def __repr__(self) -> str:
        return f"CheckpointReader({self.prefix!r}, {len(self._specs)} tensors)"

    def _open(self) -> Any:
        try:
            z = np.load(self.path, allow_pickle=False)
        except FileNotFoundError:
            raise
        except ValueError as e:  # with allow_pickle=False: the file is a pickle
            raise CheckpointFormatError(f"{self.path}: refusing to load pickled data ({e})") from e
        except (OSError, zipfile.BadZipFile, EOFError) as e:
            raise CheckpointFormatError(f"{self.path} is not a readable minitf checkpoint: {e}") from e
        if not isinstance(z, np.lib.npyio.NpzFile):
            raise CheckpointFormatError(f"{self.path} is a single .npy array, not a minitf checkpoint")
        return z

    def has_tensor(self, name: str) -> bool:
        """Whether the checkpoint holds ``name``."""
        return name in self._specs

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """{name: shape as list of ints}."""
        return {n: list(s[1]) for n, s in sorted(self._specs.items())}

    def get_variable_to_dtype_map(self) -> dict[str, np.dtype]:
        """{name: numpy dtype}."""
        return {n: s[0] for n, s in sorted(self._specs.items())}

    def get_tensor(self, name: str) -> np.ndarray:
        """The value of ``name`` as a numpy array."""
        if name not in self._specs:
            raise KeyError(f"Tensor {name!r} not found in checkpoint {self.prefix}; "
                           "use list_variables() to see the names it holds")
        with self._open() as z:
            return _decode_one(z, name, self._specs[name], self.path)

    def read_all(self, names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """{name: value} for ``names`` (all by default), opening the file once."""
        names = sorted(self._specs) if names is None else names
        with self._open() as z:
            return {n: _decode_one(z, n, self._specs[n], self.path) for n in names}


def _read_header(z: Any, path: str) -> dict[str, tuple[np.dtype, tuple[int, ...], str]]:
    try:
        raw = z[_HEADER_KEY]
    except KeyError:
        raise CheckpointFormatError(f"{path} has no minitf header; it is not a minitf checkpoint "
                                    "(np.savez files cannot be restored by Saver)") from None
    except ValueError as e:  # object arrays need pickle, which is refused
        raise CheckpointFormatError(f"{path}: refusing to load pickled data ({e})") from e
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise CheckpointFormatError(f"{path}: malformed header")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
        if header.get("format") != _FORMAT:
            raise ValueError(f"format is {header.get('format')!r}")
        if header.get("version") != _VERSION:
            raise ValueError(f"unsupported version {header.get('version')!r} (this minitf reads {_VERSION})")
        specs = {}
        for t in header["tensors"]:
            if t["dtype"] not in _DTYPES:
                raise ValueError(f"tensor {t['name']!r} has disallowed dtype {t['dtype']!r}")
            shape = tuple(int(d) for d in t["shape"])
            if any(d < 0 for d in shape):
                raise ValueError(f"tensor {t['name']!r} has negative shape {shape}")
            specs[str(t["name"])] = (_DTYPES[t["dtype"]], shape, str(t["key"]))
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise CheckpointFormatError(f"{path}: bad minitf header: {e}") from e
    return specs


def _decode_one(z: Any, name: str, spec: tuple[np.dtype, tuple[int, ...], str], path: str) -> np.ndarray:
    dtype, shape, key = spec
    try:
        raw = z[key]
    except ValueError as e:
        raise CheckpointFormatError(f"{path}: refusing to load pickled data for {name!r} ({e})") from e
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as e:
        raise CheckpointFormatError(f"{path}: data of {name!r} is missing or corrupt: {e}") from e
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size != math.prod(shape) * dtype.itemsize:
        raise CheckpointFormatError(f"{path}: data of {name!r} does not match its header "
                                    f"({dtype.name}{list(shape)})")
    arr = raw.view(dtype)
    if sys.byteorder != "little" and dtype.itemsize > 1:
        arr = arr.byteswap()
    return arr.reshape(shape)


# --------------------------------------------------------------------------
# Saver.


def _describe(dtype: Any, shape: Sequence[int]) -> str:
    return f"{np.dtype(dtype).name}{list(shape)}"


class Saver:
    """Saves/restores flat ``{name: array}`` dicts, like TF1's ``tf.train.Saver``.

    ``var_list``: None (every entry), a list of names, or a dict
    ``{checkpoint_name: param_name}`` to store parameters under other names.
    ``max_to_keep``: how many recent checkpoints to keep (None or 0: all);
    checkpoints already listed in the directory's state file count too.
    """

    def __init__(self, var_list: Sequence[str] | Mapping[str, str] | None = None,
                 max_to_keep: int | None = 5) -> None:
        if var_list is None:
            self._names = None
        elif isinstance(var_list, Mapping):
            self._names = {str(k): str(v) for k, v in var_list.items()}
            if len(set(self._names.values())) != len(self._names):
                raise ValueError("var_list maps several checkpoint names to one parameter")
        elif isinstance(var_list, str) or not isinstance(var_list, Sequence):
            raise TypeError("var_list must be None, a list of names, or a dict "
                            f"{{checkpoint_name: param_name}}, got {type(var_list).__name__}")
        else:
            self._names = {str(n): str(n) for n in var_list}
        self.max_to_keep = max_to_keep
        self._kept: dict[str, list[str]] = {}  # directory -> prefixes, oldest first

    # name handling ------------------------------------------------------------
    def _select(self, params: Mapping[str, Any]) -> dict[str, Any]:
        if self._names is None:
            return dict(params)
        missing = sorted(p for p in self._names.values() if p not in params)
        if missing:
            raise KeyError(f"var_list names parameters that are not in the dict: {missing}")
        return {c: params[p] for c, p in self._names.items()}

    # save ----------------------------------------------------------------------
    def save(self, params: Mapping[str, Any], path: str | os.PathLike,
             global_step: int | None = None) -> str:
        """Writes a checkpoint and returns its prefix (``path`` or ``path-<step>``).

        Creates the directory if needed. All values are checked and copied to
        host before any file is touched; on any error the previous checkpoint
        and the state file are left intact.
        """
        selected = self._select(params)
        bad_keys = [k for k in selected if not isinstance(k, str)]
        if bad_keys:
            raise TypeError(f"Parameter names must be strings, got {bad_keys!r}")
        tensors = {name: _to_host(name, v) for name, v in selected.items()}
        prefix = os.fspath(path)
        if not os.path.basename(prefix) or os.path.isdir(prefix):
            raise ValueError(f"save() needs a file prefix such as 'ckpt_dir/model', not the "
                             f"directory {prefix!r}")
        if global_step is not None:
            prefix = f"{prefix}-{int(global_step)}"
        directory = os.path.dirname(prefix) or "."
        write = _encode(tensors)
        try:
            os.makedirs(directory, exist_ok=True)
            self._remove_stale_temps(directory, os.path.basename(os.fspath(path)))
            _atomic_write(prefix + SUFFIX, write)
            kept, dropped = self._record(directory, prefix)
            _write_state(directory, _rel(prefix, directory), [_rel(p, directory) for p in kept])
        except OSError as e:
            raise OSError(e.errno, f"Could not save checkpoint {prefix!r}: {e.strerror or e}. "
                          "Check that the directory is writable and has free space; the "
                          "previous checkpoint is unchanged.", e.filename) from e
        self._kept[directory] = kept
        for old in dropped:
            try:
                os.remove(old + SUFFIX)
            except OSError:
                pass
        return prefix

    def _record(self, directory: str, prefix: str) -> tuple[list[str], list[str]]:
        if directory not in self._kept:  # adopt what the state file lists
            _, every = read_state(directory)
            absolute = [p if os.path.isabs(p) else os.path.join(directory, p) for p in every]
            self._kept[directory] = [p for p in absolute if os.path.isfile(p + SUFFIX)]
        kept = [p for p in self._kept[directory] if os.path.normpath(p) != os.path.normpath(prefix)]
        kept.append(prefix)
        dropped: list[str] = []
        if self.max_to_keep:
            dropped, kept = kept[:-self.max_to_keep], kept[-self.max_to_keep:]
        return kept, dropped

    @staticmethod
    def _remove_stale_temps(directory: str, base: str) -> None:
        """Deletes temp files a killed writer of this prefix left behind."""
        for pattern in (f".{glob.escape(base)}*{SUFFIX}.*.tmp", f".{STATE_FILENAME}.*.tmp"):
            for tmp in glob.glob(os.path.join(glob.escape(directory), pattern)):
                try:
                    os.remove(tmp)
                except OSError:
                    pass

    @property
    def last_checkpoints(self) -> list[str]:
        """Prefixes this saver keeps, oldest first (all directories)."""
        return [p for kept in self._kept.values() for p in kept]

    # restore -------------------------------------------------------------------
    def restore(self, path: str | os.PathLike, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Reads a checkpoint (prefix or directory) into ``{param_name: jax.Array}``.

        With ``params`` as a template, names, shapes and dtypes must match it
        exactly; otherwise a ValueError lists every missing, unexpected and
        mismatched name. Arrays are placed with the template's sharding.
        """
        prefix = os.fspath(path)
        if os.path.isdir(prefix):
            latest = latest_checkpoint(prefix)
            if latest is None:
                raise FileNotFoundError(f"No checkpoint found in directory {prefix!r} (no 'checkpoint' "
                                        "state file, or the checkpoint it names is gone)")
            prefix = latest
        prefix = prefix.removesuffix(SUFFIX) if not os.path.exists(prefix + SUFFIX) else prefix
        if not os.path.exists(prefix + SUFFIX):
            hint = (" It is a TensorFlow checkpoint: use minitf.train.init_from_checkpoint "
                    "or load_checkpoint." if os.path.exists(prefix + ".index") else "")
            raise FileNotFoundError(f"No minitf checkpoint at {prefix!r} (expected {prefix + SUFFIX}).{hint}")
        reader = CheckpointReader(prefix)
        available = reader.get_variable_to_shape_map()
        if self._names is None:
            mapping = {n: n for n in available}
        else:
            absent = sorted(c for c in self._names if c not in available)
            if absent:
                raise ValueError(f"Checkpoint {prefix} lacks names in var_list: {absent}")
            mapping = self._names
        values = {mapping[c]: v for c, v in reader.read_all(sorted(mapping)).items()}
        if params is not None:
            _check_against(prefix, values, params, restrict=self._names is not None)

        from minitf.checkpoint.tf_bundle import _to_jax  # lazy: keeps jax off the save path

        return {n: _to_jax(n, v, None if params is None else params.get(n)) for n, v in values.items()}


def _rel(prefix: str, directory: str) -> str:
    """Paths in the state file are relative when in its directory, as in TF."""
    return os.path.basename(prefix) if (os.path.dirname(prefix) or ".") == directory else prefix


def _check_against(prefix: str, values: Mapping[str, np.ndarray], params: Mapping[str, Any],
                   restrict: bool) -> None:
    """Raises a ValueError listing every name/shape/dtype difference."""
    expected = set(params) & set(values) if restrict else set(params)
    missing = sorted(expected - set(values))
    unexpected = sorted(set(values) - set(params))
    mismatched = []
    for name in sorted(expected & set(values)):
        want, got = params[name], values[name]
        if tuple(want.shape) != got.shape or np.dtype(want.dtype) != got.dtype:
            mismatched.append(f"    {name}: checkpoint has {_describe(got.dtype, got.shape)}, "
                              f"params have {_describe(want.dtype, want.shape)}")
    if not (missing or unexpected or mismatched):
        return
    lines = [f"Checkpoint {prefix} does not match the given params:"]
    if missing:
        lines.append(f"  missing (in params, not in checkpoint): {missing}")
    if unexpected:
        lines.append(f"  unexpected (in checkpoint, not in params): {unexpected}")
    if mismatched:
        lines.append("  mismatched (shape or dtype):")
        lines += mismatched
    lines.append("Restore without params to get the checkpoint as-is, or pass "
                 "Saver(var_list=...) to select or rename entries.")
    raise ValueError("\n".join(lines))
