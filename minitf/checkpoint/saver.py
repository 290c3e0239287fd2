"""``minitf.train.Saver``: flat parameter dicts to TF V2 checkpoints and back.

The format is TensorFlow's own tensor bundle (``prefix.index`` +
``prefix.data-00000-of-00001``) plus TF's ``checkpoint`` state file, so TF1's
``tf.train.Saver().restore`` loads what this writes (names are TF1's) and this
restores what TF writes. Partitioned parameters (``name/part_0``, ...) are
saved as TF saves a partitioned variable: one ``name`` with slice specs.

Concurrency and crashes: data goes to flocked temp files, fsynced, then
under an advisory lock on the directory's state file the files are renamed
(data, then index), the state file is atomically rewritten, and old
checkpoints are trimmed. A Saver deletes only checkpoints named after its own
save path (``<base>`` or ``<base>-<step>``, bare names in the state file) in
that directory; absolute or ``..`` entries of a state file are never deleted.
Orphans of a killed save (temp files, data without index, complete but
unlisted checkpoints) are swept by the next save with the same base.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from minitf.checkpoint import state as _state
from minitf.checkpoint.bundle_writer import Sliced, remove_bundle, stage_bundle
from minitf.checkpoint.errors import CorruptCheckpointError
from minitf.checkpoint.fileio import directory_lock, remove_orphan_temps, temp_tag
from minitf.checkpoint.state import STATE_FILENAME, latest_checkpoint
from minitf.checkpoint.tf_bundle import DTYPE_ENUMS, TFCheckpointReader, _split_parts, _to_jax

__all__ = ["CheckpointFormatError", "Saver", "latest_checkpoint", "resolve_prefix"]

CheckpointFormatError = CorruptCheckpointError  # the name before the TF-bundle format

_DTYPES = {dt.name: dt for dt in DTYPE_ENUMS}
_PART = re.compile(r"(.+)/part_(\d+)")


# --------------------------------------------------------------------------
# Values.


def _to_host(name: str, value: Any) -> np.ndarray:
    """Copies a parameter to a numpy array, refusing anything but arrays."""
    if not (isinstance(value, (np.ndarray, np.generic)) or (hasattr(value, "__array__")
            and hasattr(value, "dtype") and hasattr(value, "shape"))):
        raise TypeError(
            f"Cannot checkpoint {name!r}: it is a {type(value).__name__}, not an array. "
            "Checkpoints hold arrays only; wrap Python scalars with jnp.asarray(...) or "
            "leave non-array state out of the dict (or out of var_list).")
    try:
        arr = np.asarray(value)
    except Exception as e:  # e.g. a jax tracer inside jit
        raise TypeError(f"Cannot checkpoint {name!r}: could not copy it to host memory ({e}). "
                        "Save concrete arrays, outside jit/grad.") from e
    if arr.dtype not in DTYPE_ENUMS:
        raise TypeError(f"Cannot checkpoint {name!r}: dtype {arr.dtype} is not supported "
                        f"(supported: {', '.join(sorted(_DTYPES))}).")
    return arr


def _group_partitions(tensors: dict[str, np.ndarray]) -> dict[str, Any]:
    """Turns ``X/part_0..part_{k-1}`` into one Sliced ``X`` (TF's layout), the
    parts concatenated along the one axis where their shapes differ (axis 0
    when they are all equal, as TF1's partitioners default to)."""
    groups: dict[str, dict[int, str]] = {}
    for name in tensors:
        m = _PART.fullmatch(name)
        if m and str(int(m.group(2))) == m.group(2):
            groups.setdefault(m.group(1), {})[int(m.group(2))] = name
    out = dict(tensors)
    for base, parts in groups.items():
        if base in tensors or sorted(parts) != list(range(len(parts))):
            continue
        arrays = [tensors[parts[i]] for i in range(len(parts))]
        shapes = [a.shape for a in arrays]
        if (len({a.dtype for a in arrays}) != 1 or len({len(s) for s in shapes}) != 1
                or not shapes[0]):
            continue
        differ = [d for d in range(len(shapes[0])) if len({s[d] for s in shapes}) > 1]
        if len(differ) > 1:
            continue
        axis = differ[0] if differ else 0
        full = list(shapes[0])
        full[axis] = sum(s[axis] for s in shapes)
        pieces, start = [], 0
        for a in arrays:
            offsets = [0] * a.ndim
            offsets[axis] = start
            pieces.append((offsets, a))
            start += a.shape[axis]
        for i in range(len(parts)):
            del out[parts[i]]
        out[base] = Sliced(tuple(full), pieces)
    return out


def _describe(dtype: Any, shape: Sequence[int]) -> str:
    return f"{np.dtype(dtype).name}{list(shape)}"


# --------------------------------------------------------------------------
# Saver.


class Saver:
    """Saves/restores flat ``{name: array}`` dicts, like TF1's ``tf.train.Saver``.

    ``var_list``: None (every entry), a list of names, or a dict
    ``{checkpoint_name: param_name}`` to store parameters under other names.
    ``max_to_keep``: how many recent checkpoints of this save path to keep
    (None or 0: all), counting those the directory's state file lists.
    ``num_shards``: data files per checkpoint.
    """

    def __init__(self, var_list: Sequence[str] | Mapping[str, str] | None = None,
                 max_to_keep: int | None = 5, num_shards: int = 1,
                 latest_filename: str = STATE_FILENAME) -> None:
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
        if max_to_keep is not None and (isinstance(max_to_keep, bool)
                                        or not isinstance(max_to_keep, int) or max_to_keep < 0):
            raise ValueError(f"max_to_keep must be None or an int >= 0, got {max_to_keep!r}")
        if not isinstance(num_shards, int) or isinstance(num_shards, bool) or num_shards < 1:
            raise ValueError(f"num_shards must be an int >= 1, got {num_shards!r}")
        if (os.path.basename(latest_filename) != latest_filename
                or latest_filename in ("", ".", "..")):
            raise ValueError(f"latest_filename must be a plain file name, got {latest_filename!r}")
        self.max_to_keep = max_to_keep
        self.num_shards = num_shards
        self.latest_filename = latest_filename
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
        host before any file is touched; on any error the previous checkpoints
        and the state file are left intact.
        """
        selected = self._select(params)
        bad_keys = [k for k in selected if not isinstance(k, str) or not k]
        if bad_keys:
            raise TypeError(f"Parameter names must be non-empty strings, got {bad_keys!r}")
        tensors = _group_partitions({name: _to_host(name, v) for name, v in selected.items()})
        base = os.fspath(path)
        if not os.path.basename(base) or os.path.isdir(base):
            raise ValueError(f"save() needs a file prefix such as 'ckpt_dir/model', not the "
                             f"directory {base!r}")
        prefix = base if global_step is None else f"{base}-{_step(global_step)}"
        directory = os.path.dirname(prefix) or "."
        if os.path.basename(prefix) == self.latest_filename:
            raise ValueError(f"Save path {prefix!r} conflicts with the checkpoint state file; "
                             "use another name")
        base_name = os.path.basename(base)
        staged = None
        try:
            os.makedirs(directory, exist_ok=True)
            remove_orphan_temps(directory, temp_tag(base_name))
            staged = stage_bundle(prefix, tensors, self.num_shards, temp_tag(base_name))
            with directory_lock(directory, self.latest_filename):
                remove_orphan_temps(directory, temp_tag(self.latest_filename))
                kept, _dropped = self._commit(staged, directory, prefix, base_name)
        except OSError as e:
            if staged is not None:
                staged.discard()
            raise OSError(e.errno, f"Could not save checkpoint {prefix!r}: {e.strerror or e}. "
                          "Check that the directory is writable and has free space; the "
                          "previous checkpoints are unchanged.", e.filename) from e
        except BaseException:
            if staged is not None:
                staged.discard()
            raise
        self._kept[directory] = kept
        return prefix

    def _commit(self, staged: Any, directory: str, prefix: str, base_name: str
                ) -> tuple[list[str], list[str]]:
        """Under the lock: put the files in place, rewrite the state, trim."""
        name = os.path.basename(prefix)
        try:
            _latest, listed = _state.read_state(directory, self.latest_filename)
        except CorruptCheckpointError as e:
            warnings.warn(f"{e} Rewriting it with this saver's checkpoints only.", stacklevel=3)
            listed = []
        listed = [p for p in listed if p != name and _listed_exists(directory, p)]
        if os.path.lexists(prefix + ".index"):
            # Overwriting a prefix: unlist it, then remove its old files, so a
            # crash here can never leave a listed mix of old and new files.
            if listed:
                _state.write_state(directory, listed[-1], listed, self.latest_filename)
            else:
                _remove_quietly(os.path.join(directory, self.latest_filename))
        remove_bundle(prefix)
        staged.commit()
        ours = lambda p: _is_ours(p, base_name)  # noqa: E731
        orphans = sorted((n for n in _complete_in(directory, base_name)
                          if n != name and n not in listed), key=_step_key)
        listed = orphans + listed + [name]
        dropped: list[str] = []
        if self.max_to_keep:
            mine = [p for p in listed if ours(p)]
            dropped = mine[:-self.max_to_keep]
            listed = [p for p in listed if p not in dropped]
        _state.write_state(directory, name, listed, self.latest_filename)
        for old in dropped:
            remove_bundle(os.path.join(directory, old))
        _remove_data_orphans(directory, base_name)
        return [os.path.join(directory, p) for p in listed if ours(p)], dropped

    @property
    def last_checkpoints(self) -> list[str]:
        """Prefixes of this save path listed after this saver's last save,
        oldest first (all directories)."""
        return [p for kept in self._kept.values() for p in kept]

    # restore -------------------------------------------------------------------
    def restore(self, path: str | os.PathLike,
                params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Reads a checkpoint (prefix or directory) into ``{param_name: jax.Array}``.

        With ``params`` as a template, names, shapes and dtypes must match it
        exactly; otherwise a ValueError lists every missing, unexpected and
        mismatched name. Arrays are placed with the template's sharding.
        Partitioned tensors come back as ``name/part_<i>`` (split as the
        template's parts are, or as they were saved), or whole if the
        template holds ``name``.
        """
        prefix = resolve_prefix(os.fspath(path), self.latest_filename)
        reader = TFCheckpointReader(prefix)
        available = reader.get_variable_to_shape_map()
        if self._names is None:
            mapping = {n: n for n in available}
        else:
            absent = sorted(c for c in self._names if c not in available)
            if absent:
                raise ValueError(f"Checkpoint {prefix} lacks names in var_list: {absent}")
            mapping = self._names
        values: dict[str, np.ndarray] = {}
        for ckpt_name, value in reader.read_all(sorted(mapping)).items():
            values.update(_unpartition(reader, ckpt_name, mapping[ckpt_name], value, params))
        if params is not None:
            _check_against(prefix, values, params, restrict=self._names is not None)
        return {n: _to_jax(n, v, None if params is None else params.get(n))
                for n, v in values.items()}


# --------------------------------------------------------------------------
# Helpers.


def _step(global_step: Any) -> int:
    arr = np.asarray(global_step)
    if arr.size != 1 or arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.integer) or (
            np.issubdtype(arr.dtype, np.floating) and np.isfinite(arr).all()
            and float(arr.reshape(())) == int(arr.reshape(())))):
        raise TypeError(f"global_step must be an integer, got {global_step!r}")
    return int(arr.reshape(()))


def resolve_prefix(prefix: str, latest_filename: str) -> str:
    """The checkpoint prefix `prefix` names: itself, `x` for `x.index`, or a
    directory's latest checkpoint; FileNotFoundError if there is none."""
    if os.path.isdir(prefix):
        latest = latest_checkpoint(prefix, latest_filename)
        if latest is None:
            raise FileNotFoundError(
                f"No checkpoint found in directory {prefix!r} (no '{latest_filename}' "
                "state file, or the checkpoint it names is gone)")
        prefix = latest
    if prefix.endswith(".index") and not os.path.exists(prefix + ".index"):
        prefix = prefix[: -len(".index")]
    if not os.path.exists(prefix + ".index"):
        hint = (" It is an old minitf .npz checkpoint, a format no longer read; re-save it with "
                "the minitf version that wrote it." if os.path.exists(prefix + ".npz") else "")
        raise FileNotFoundError(f"No checkpoint at {prefix!r} (expected {prefix}.index).{hint}")
    return prefix


def _unpartition(reader: TFCheckpointReader, ckpt_name: str, name: str, value: np.ndarray,
                 params: Mapping[str, Any] | None) -> dict[str, np.ndarray]:
    """A checkpoint tensor as the entries ``restore`` returns: whole, or as
    ``name/part_<i>`` pieces cut as the template's parts are (else as saved)."""
    slices = reader.get_slices(ckpt_name)
    parts: list[str] = []
    if params is not None and name not in params:
        while f"{name}/part_{len(parts)}" in params:
            parts.append(f"{name}/part_{len(parts)}")
    if parts:
        saved = [tuple(b - a for a, b in box) for box in slices]
        # Also: saved whole, as TF saves one part.
        if [tuple(params[p].shape) for p in parts] != saved:
            if len(parts) > 1:
                return _split_parts(value, ckpt_name, parts, params)
            return {parts[0]: value}

    if not slices or (params is not None and name in params):
        return {name: value}
    return {f"{name}/part_{i}": value[tuple(slice(a, b) for a, b in box)]
            for i, box in enumerate(slices)}


def _is_ours(entry: str, base_name: str) -> bool:
    """A bare state-file entry named ``<base>`` or ``<base>-<digits>``."""
    return (entry == base_name or (entry.startswith(base_name + "-")
                                   and entry[len(base_name) + 1:].isdigit()
                                   and entry[len(base_name) + 1:].isascii()))


def _step_key(name: str) -> tuple[int, str]:
    tail = name.rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else -1, name)


def _listed_exists(directory: str, entry: str) -> bool:
    path = entry if os.path.isabs(entry) else os.path.join(directory, entry)
    return os.path.isfile(path + ".index") or os.path.isfile(path)


def _complete_in(directory: str, base_name: str) -> list[str]:
    """Checkpoints of this base in ``directory`` (names with an index)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return [n[: -len(".index")] for n in names
            if n.endswith(".index") and _is_ours(n[: -len(".index")], base_name)]


_DATA = re.compile(r"(.+)\.data-\d{5,}-of-\d{5,}")


def _remove_data_orphans(directory: str, base_name: str) -> None:
    """Deletes data shards of this base whose index is gone (a crashed save
    or an interrupted deletion); called under the directory lock."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for n in names:
        m = _DATA.fullmatch(n)
        if m and _is_ours(m.group(1), base_name) and not os.path.lexists(
                os.path.join(directory, m.group(1) + ".index")):
            _remove_quietly(os.path.join(directory, n))


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _check_against(prefix: str, values: Mapping[str, np.ndarray], params: Mapping[str, Any],
                   restrict: bool) -> None:
    """Raises a ValueError listing every name/shape/dtype difference."""
    expected = set(params) & set(values) if restrict else set(params)
    missing = sorted(expected - set(values), key=str)
    unexpected = sorted(set(values) - set(params))
    mismatched = []
    for name in sorted(expected & set(values)):
        want, got = params[name], values[name]
        try:
            same = tuple(want.shape) == got.shape and np.dtype(want.dtype) == got.dtype
            want_text = _describe(want.dtype, want.shape)
        except (AttributeError, TypeError):
            same, want_text = False, f"a {type(want).__name__} (not an array)"
        if not same:
            mismatched.append(f"    {name}: checkpoint has {_describe(got.dtype, got.shape)}, "
                              f"params have {want_text}")
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

