"""Read TF1 (V2 "tensor bundle") checkpoints without TensorFlow.

A ``tf.compat.v1.train.Saver`` checkpoint ``prefix`` is two kinds of files:

* ``prefix.index``: a LevelDB-style table (see :mod:`._sstable`). Key ``""``
  holds a ``BundleHeaderProto`` (shard count, endianness); every other key is
  a tensor name mapping to a ``BundleEntryProto`` (dtype, shape, shard, byte
  offset/size, masked CRC-32C, and for partitioned variables the list of
  saved slices).
* ``prefix.data-SSSSS-of-NNNNN``: raw little-endian tensor bytes.

Partitioned variables (``partitioner=``) are written by TF1 as ONE full-name
entry carrying ``slices`` and no data, plus one hidden data entry per slice
whose key is an OrderedCode encoding of (name, slice). The reader re-assembles
them, so ``get_tensor("scope/w")`` returns the full array, as TF's does.

The protos are decoded by hand (a dozen lines of wire format) so that neither
TensorFlow nor generated protobuf modules are needed. The same entry points
(``load_checkpoint``, ``list_variables``, ``init_from_checkpoint``) also read
minitf's own :class:`~minitf.checkpoint.saver.Saver` format, detected by file.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import struct
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Union

import ml_dtypes  # jax's dtype package: jnp.bfloat16 is ml_dtypes.bfloat16
import numpy as np

from minitf.checkpoint import saver as _ours
from minitf.checkpoint.crc32c import crc32c, unmask
from minitf.checkpoint.sstable import read_table, read_varint

__all__ = [
    "TFCheckpointReader",
    "load_checkpoint",
    "list_variables",
    "init_from_checkpoint",
    "latest_checkpoint",
    "BOOKKEEPING_KEYS",
]

latest_checkpoint = _ours.latest_checkpoint

# Keys TF writes for its own bookkeeping, hidden from variable listings.
BOOKKEEPING_KEYS = frozenset({"_CHECKPOINTABLE_OBJECT_GRAPH"})

_STRING = 7
# TF DataType enum (types.proto) -> numpy dtype, for the dtypes we decode.
_DTYPES: dict[int, np.dtype] = {
    1: np.dtype(np.float32),
    2: np.dtype(np.float64),
    3: np.dtype(np.int32),
    4: np.dtype(np.uint8),
    5: np.dtype(np.int16),
    6: np.dtype(np.int8),
    _STRING: np.dtype(object),
    8: np.dtype(np.complex64),
    9: np.dtype(np.int64),
    10: np.dtype(np.bool_),
    14: np.dtype(ml_dtypes.bfloat16),
    17: np.dtype(np.uint16),
    18: np.dtype(np.complex128),
    19: np.dtype(np.float16),
    22: np.dtype(np.uint32),
    23: np.dtype(np.uint64),
}
_DTYPE_NAMES = {
    11: "qint8", 12: "quint8", 13: "qint32", 15: "qint16", 16: "quint16",
    20: "resource", 21: "variant", 24: "float8_e5m2", 25: "float8_e4m3fn",
    26: "float8_e4m3fnuz", 27: "float8_e4m3b11fnuz", 28: "float8_e5m2fnuz",
    29: "int4", 30: "uint4",
}


# --------------------------------------------------------------------------
# Protobuf wire format (just enough for the bundle protos).


def _proto_fields(buf: bytes) -> dict[int, list[Any]]:
    """Decodes a message into {field_number: [raw values]} (ints or bytes)."""
    fields: dict[int, list[Any]] = {}
    pos = 0
    while pos < len(buf):
        tag, pos = read_varint(buf, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = read_varint(buf, pos)
        elif wire == 1:
            (value,) = struct.unpack_from("<Q", buf, pos)
            pos += 8
        elif wire == 2:
            length, pos = read_varint(buf, pos)
            value = buf[pos:pos + length]
            pos += length
        elif wire == 5:
            (value,) = struct.unpack_from("<I", buf, pos)
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire} in checkpoint index")
        fields.setdefault(number, []).append(value)
    return fields


def _int64(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _last(fields: dict[int, list[Any]], number: int, default: Any) -> Any:
    return fields[number][-1] if number in fields else default


@dataclasses.dataclass(frozen=True)
class _Entry:
    """A decoded ``BundleEntryProto``; ``slices`` holds (start, length) per dim,
    length -1 meaning the full extent."""

    dtype: int
    shape: tuple[int, ...]
    shard_id: int
    offset: int
    size: int
    crc32c: int | None
    slices: tuple[tuple[tuple[int, int], ...], ...]


def _parse_shape(buf: bytes) -> tuple[int, ...]:
    fields = _proto_fields(buf)
    if _last(fields, 3, 0):
        raise ValueError("checkpoint entry has unknown rank")
    return tuple(_int64(_last(_proto_fields(d), 1, 0)) for d in fields.get(2, []))


def _parse_slice(buf: bytes) -> tuple[tuple[int, int], ...]:
    extents = []
    for ext in _proto_fields(buf).get(1, []):
        f = _proto_fields(ext)
        extents.append((_int64(_last(f, 1, 0)), _int64(_last(f, 2, -1))))
    return tuple(extents)


def _parse_entry(buf: bytes) -> _Entry:
    f = _proto_fields(buf)
    return _Entry(
        dtype=_last(f, 1, 0),
        shape=_parse_shape(_last(f, 2, b"")),
        shard_id=_last(f, 3, 0),
        offset=_int64(_last(f, 4, 0)),
        size=_int64(_last(f, 5, 0)),
        crc32c=_last(f, 6, None),
        slices=tuple(_parse_slice(s) for s in f.get(7, [])),
    )


# --------------------------------------------------------------------------
# OrderedCode keys of saved slices (tensorflow/core/lib/strings/ordered_code).


def _oc_unsigned(v: int) -> bytes:
    n = (v.bit_length() + 7) // 8
    return bytes([n]) + v.to_bytes(n, "big")


def _oc_string(s: bytes) -> bytes:
    escaped = re.sub(b"[\x00\xff]", lambda m: m.group() + (b"\xff" if m.group() == b"\x00" else b"\x00"), s)
    return escaped + b"\x00\x01"


def _oc_signed(v: int) -> bytes:
    # Length n puts n one-bits (then a zero) on top of the n-byte two's
    # complement value, so that byte order matches numeric order.
    x = ~v if v < 0 else v
    n = x.bit_length() // 7 + 1
    header = ((1 << n) - 1) << (7 * n)
    return ((v & ((1 << (8 * n)) - 1)) ^ header).to_bytes(n, "big")


def _slice_key(name: str, extents: tuple[tuple[int, int], ...]) -> bytes:
    key = _oc_unsigned(0) + _oc_string(name.encode()) + _oc_unsigned(len(extents))
    for start, length in extents:
        key += _oc_signed(start) + _oc_signed(length)
    return key


# --------------------------------------------------------------------------
# The reader.


class TFCheckpointReader:
    """Reads tensors of one TF V2 checkpoint (``prefix.index`` + data shards).

    Mirrors ``tf.train.load_checkpoint``'s reader: ``get_tensor``,
    ``has_tensor``, ``get_variable_to_shape_map``, ``get_variable_to_dtype_map``
    (dtypes are numpy dtypes; strings are ``object``). Values are numpy arrays.
    ``verify_checksums`` checks each tensor's CRC-32C when it is read.
    """

    def __init__(self, prefix: str, verify_checksums: bool = True) -> None:
        self.prefix = os.fspath(prefix)
        self.verify_checksums = verify_checksums
        index_path = self.prefix + ".index"
        with open(index_path, "rb") as f:
            table = f.read()
        self._entries: dict[str, _Entry] = {}
        self._slice_entries: dict[bytes, _Entry] = {}
        header = None
        for key, value in read_table(table, verify=verify_checksums, where=index_path):
            if key == b"":
                header = _proto_fields(value)
            elif key[:1] == b"\x00":
                self._slice_entries[key] = _parse_entry(value)
            else:
                self._entries[key.decode("utf-8", "replace")] = _parse_entry(value)
        if header is None:
            raise ValueError(f"{index_path}: no bundle header; not a TF V2 checkpoint index")
        self.num_shards = _last(header, 1, 1)
        self._byteorder = ">" if _last(header, 2, 0) == 1 else "<"
        # Tensors we cannot decode are hidden from the maps, with a reason.
        self.skipped: dict[str, str] = {}
        for name, entry in self._entries.items():
            if entry.dtype not in _DTYPES:
                dt = _DTYPE_NAMES.get(entry.dtype, f"enum {entry.dtype}")
                self.skipped[name] = f"dtype {dt} is not supported by minitf's reader"
        shown = sorted(set(self.skipped) - BOOKKEEPING_KEYS)
        if shown:
            warnings.warn(
                f"Checkpoint {self.prefix}: skipping {len(shown)} tensor(s) with unsupported "
                f"dtypes: {', '.join(f'{n} ({self.skipped[n]})' for n in shown)}", stacklevel=2)

    def __repr__(self) -> str:
        return f"TFCheckpointReader({self.prefix!r}, {len(self._names())} tensors)"

    def _names(self) -> list[str]:
        return sorted(n for n in self._entries if n not in self.skipped and n not in BOOKKEEPING_KEYS)

    def has_tensor(self, name: str) -> bool:
        """Whether ``name`` is a readable tensor (bookkeeping keys included)."""
        return name in self._entries and name not in self.skipped

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """{name: shape as list of ints}, full shapes for partitioned variables."""
        return {n: list(self._entries[n].shape) for n in self._names()}

    def get_variable_to_dtype_map(self) -> dict[str, np.dtype]:
        """{name: numpy dtype} (bfloat16 is ``ml_dtypes.bfloat16``)."""
        return {n: _DTYPES[self._entries[n].dtype] for n in self._names()}

    def get_tensor(self, name: str) -> np.ndarray:
        """The full value of tensor ``name`` as a numpy array."""
        entry = self._entries.get(name)
        if entry is None:
            hint = " (drop the ':0' suffix)" if name.endswith(":0") else ""
            raise KeyError(f"Tensor {name!r} not found in checkpoint {self.prefix}{hint}; "
                           f"use list_variables() to see the names it holds")
        if name in self.skipped:
            raise ValueError(f"Cannot read tensor {name!r} from {self.prefix}: {self.skipped[name]}")
        if entry.slices:
            return self._assemble(name, entry)
        return self._read(name, entry)

    def _assemble(self, name: str, entry: _Entry) -> np.ndarray:
        out = np.zeros(entry.shape, dtype=_DTYPES[entry.dtype])
        covered = 0
        for extents in entry.slices:
            if len(extents) != len(entry.shape):
                raise ValueError(f"{self.prefix}: slice of {name!r} has rank {len(extents)}, "
                                 f"tensor has rank {len(entry.shape)}")
            part = self._slice_entries.get(_slice_key(name, extents))
            if part is None:
                raise ValueError(f"{self.prefix}: data of slice {extents} of {name!r} is missing "
                                 "from the index (incomplete or corrupt checkpoint)")
            index = tuple(slice(s, s + (d if n == -1 else n)) for (s, n), d in zip(extents, entry.shape))
            value = self._read(f"{name} slice {extents}", part)
            out[index] = value
            covered += value.size
        if covered != out.size:
            raise ValueError(f"{self.prefix}: the saved slices of {name!r} cover {covered} of "
                             f"{out.size} elements; the checkpoint holds only part of it")
        return out

    def _data_path(self, shard_id: int) -> str:
        return f"{self.prefix}.data-{shard_id:05d}-of-{self.num_shards:05d}"

    def _read(self, what: str, entry: _Entry) -> np.ndarray:
        path = self._data_path(entry.shard_id)
        with open(path, "rb") as f:
            f.seek(entry.offset)
            raw = f.read(entry.size)
        if len(raw) != entry.size:
            raise ValueError(f"{path}: tensor {what} needs bytes [{entry.offset}, "
                             f"{entry.offset + entry.size}) but the file ends early (truncated?)")
        if self.verify_checksums and entry.crc32c is not None:
            if entry.dtype == _STRING:
                pass  # checked while decoding, over the logical layout
            elif crc32c(raw) != unmask(entry.crc32c):
                raise ValueError(f"{path}: checksum mismatch for tensor {what}; the checkpoint is "
                                 "corrupt (pass verify_checksums=False to read it anyway)")
        if entry.dtype == _STRING:
            return self._decode_strings(what, entry, raw, path)
        dtype = _DTYPES[entry.dtype]
        count = math.prod(entry.shape)
        if count * dtype.itemsize != len(raw):
            raise ValueError(f"{path}: tensor {what} has {len(raw)} bytes, expected "
                             f"{count} x {dtype.itemsize} for {dtype.name}{list(entry.shape)}")
        value = np.frombuffer(raw, dtype=dtype).reshape(entry.shape)
        if self._byteorder == ">" and dtype.itemsize > 1:
            return value.byteswap()  # a copy, in native order
        return value.copy()  # writable, independent of the read buffer

    def _decode_strings(self, what: str, entry: _Entry, raw: bytes, path: str) -> np.ndarray:
        # Layout: varint64 length per element, masked CRC-32C of the lengths
        # (as uint32 LE), then the concatenated bytes. The entry checksum covers
        # the lengths (uint32 LE), the length checksum and the bytes.
        count = math.prod(entry.shape)
        pos, lengths = 0, []
        try:
            for _ in range(count):
                n, pos = read_varint(raw, pos)
                lengths.append(n)
        except ValueError as e:
            raise ValueError(f"{path}: string tensor {what}: corrupt length table ({e})") from None
        lens_le = struct.pack(f"<{count}I", *lengths) if max(lengths, default=0) < 2**32 else None
        if len(raw) < pos + 4 or lens_le is None:
            raise ValueError(f"{path}: string tensor {what} is not in the simple layout "
                             "this reader supports; read it with TensorFlow instead")
        (len_crc,) = struct.unpack_from("<I", raw, pos)
        body = raw[pos + 4:]
        if sum(lengths) != len(body):
            raise ValueError(f"{path}: string tensor {what}: lengths add up to {sum(lengths)} "
                             f"bytes but {len(body)} are stored")
        if self.verify_checksums:
            ok = unmask(len_crc) == crc32c(lens_le)
            if entry.crc32c is not None:
                ok = ok and unmask(entry.crc32c) == crc32c(body, crc32c(lens_le + raw[pos:pos + 4]))
            if not ok:
                raise ValueError(f"{path}: checksum mismatch for string tensor {what}; the "
                                 "checkpoint is corrupt (pass verify_checksums=False to read it anyway)")
        out = np.empty(count, dtype=object)
        start = 0
        for i, n in enumerate(lengths):
            out[i] = body[start:start + n]
            start += n
        return out.reshape(entry.shape)


# --------------------------------------------------------------------------
# Entry points shared by TF checkpoints and minitf's own format.

Reader = Union[TFCheckpointReader, _ours.CheckpointReader]


def _resolve(ckpt: str | os.PathLike) -> str:
    path = os.fspath(ckpt)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def load_checkpoint(ckpt: str | os.PathLike, verify_checksums: bool = True) -> Reader:
    """A reader for ``ckpt`` (prefix, or directory: its latest checkpoint).

    TF V2 checkpoints (``prefix.index``) give a :class:`TFCheckpointReader`;
    minitf checkpoints (``prefix.npz``) give :class:`checkpoint.CheckpointReader`.
    Both have ``get_tensor``/``has_tensor``/``get_variable_to_shape_map``/
    ``get_variable_to_dtype_map``.
    """
    path = _resolve(ckpt)
    for suffix in (".index", _ours.SUFFIX):  # accept the file name too
        if path.endswith(suffix) and not os.path.exists(path + suffix):
            path = path[: -len(suffix)]
    path = re.sub(r"\.data-\d{5}-of-\d{5}$", "", path)
    if os.path.exists(path + ".index"):
        return TFCheckpointReader(path, verify_checksums=verify_checksums)
    if os.path.exists(path + _ours.SUFFIX):
        return _ours.CheckpointReader(path)
    if os.path.isfile(path):
        raise ValueError(f"{path} looks like a TF V1 checkpoint or another file; only V2 "
                         f"checkpoints (prefix.index + prefix.data-*) and minitf checkpoints "
                         f"(prefix{_ours.SUFFIX}) are supported")
    raise FileNotFoundError(f"No checkpoint found at {path!r}: expected {path}.index (TensorFlow) or "
                            f"{path}{_ours.SUFFIX} (minitf). Pass the prefix (e.g. 'dir/model-100') "
                            "or the directory holding a 'checkpoint' state file")


def list_variables(ckpt: str | os.PathLike) -> list[tuple[str, list[int]]]:
    """[(name, shape)] of the tensors in ``ckpt``, sorted by name."""
    shapes = load_checkpoint(ckpt).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def _format_map(shapes: Mapping[str, list[int]], limit: int = 20) -> str:
    items = sorted(shapes.items())
    text = ", ".join(f"{n!r}: {s}" for n, s in items[:limit])
    more = f", ... ({len(items) - limit} more)" if len(items) > limit else ""
    return "{" + text + more + "}"


def _plan(ckpt: str, assignment_map: Iterable[tuple[str, str]], shapes: Mapping[str, list[int]],
          params: Mapping[str, Any] | None) -> list[tuple[str, list[str]]]:
    """Turns the assignment map into [(tensor name in ckpt, [param names])].

    Follows ``tf.compat.v1.train.init_from_checkpoint``: entries are handled
    sorted by checkpoint name; a value naming an existing variable (or its
    ``/part_N`` pieces) is a one-to-one mapping, otherwise it is a scope and
    the checkpoint key must be a scope (``'old/'`` or ``'/'`` for the root).
    Without ``params`` the variables are those of the checkpoint itself.
    """
    plan: list[tuple[str, list[str]]] = []
    for ckpt_name, target in sorted(assignment_map, key=lambda kv: kv[0]):
        if not isinstance(target, str) or not isinstance(ckpt_name, str):
            raise TypeError(f"assignment_map entries must be str -> str, got {ckpt_name!r}: {target!r}")
        if params is not None:
            parts = _partitioned(target, params)
            is_var = parts is not None
        else:
            parts = [target]
            is_var = not ckpt_name.endswith("/") and not target.endswith("/")
        if is_var:
            if ckpt_name not in shapes:
                raise ValueError(f"Tensor {ckpt_name} is not found in {ckpt} checkpoint {_format_map(shapes)}")
            plan.append((ckpt_name, parts))
            continue
        scopes = target[: target.rindex("/")] if "/" in target else ""
        if not ckpt_name.endswith("/"):
            raise ValueError(
                f"Assignment map with scope only name {scopes} should map to scope only "
                f"{ckpt_name}. Should be 'scope/': 'other_scope/'.")
        if params is None:
            plan.extend(_scope_plan_from_ckpt(ckpt, ckpt_name, scopes, shapes))
            continue
        in_scope = set()
        for var_name in params:
            if not scopes or var_name.startswith(scopes + "/"):
                if "/part_" in var_name:
                    var_name = var_name[: var_name.index("/part_")]
                in_scope.add(var_name)
        for var_name in sorted(in_scope):
            full = var_name[len(scopes):]
            if target != "/":
                full = full[1:]
            if ckpt_name != "/":
                full = ckpt_name + full
            full = full.removesuffix("/")
            if full not in shapes:
                raise ValueError(f"Tensor {full} ({var_name[len(scopes) + 1:]} in {ckpt_name}) "
                                 f"is not found in {ckpt} checkpoint")
            plan.append((full, _partitioned(var_name, params) or [var_name]))
    return plan


def _scope_plan_from_ckpt(ckpt: str, ckpt_name: str, scopes: str,
                          shapes: Mapping[str, list[int]]) -> list[tuple[str, list[str]]]:
    """Scope mapping with no template: every checkpoint tensor under
    ``ckpt_name`` (all of them for ``'/'``) becomes ``scopes/<rest>``.
    TF's ``global_step`` counter is left out of whole-scope copies."""
    src = "" if ckpt_name == "/" else ckpt_name
    out = []
    for name in sorted(shapes):
        if name.startswith(src) and name != "global_step":
            rest = name[len(src):]
            out.append((name, [f"{scopes}/{rest}" if scopes else rest]))
    if not out:
        raise ValueError(f"No tensor under scope {ckpt_name} is found in {ckpt} checkpoint "
                         f"{_format_map(shapes)}")
    return out


def _partitioned(name: str, params: Mapping[str, Any]) -> list[str] | None:
    """[name] if it is a parameter, its ``name/part_N`` pieces if partitioned."""
    if name in params:
        return [name]
    parts = []
    while f"{name}/part_{len(parts)}" in params:
        parts.append(f"{name}/part_{len(parts)}")
    return parts or None


def _split_parts(full: np.ndarray, ckpt_name: str, names: list[str],
                 params: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Cuts a checkpoint tensor into the ``/part_N`` pieces of ``params`` (one
    axis, in order, as TF1 partitioners lay them out)."""
    shapes = [tuple(params[n].shape) for n in names]
    axes = {i for s in shapes for i, (a, b) in enumerate(zip(s, full.shape)) if a != b} or {0}
    if (len(axes) != 1 or any(len(s) != full.ndim for s in shapes)
            or sum(s[min(axes)] for s in shapes) != full.shape[min(axes)]):
        raise ValueError(
            f"Shape of partitioned variable {','.join(names)} ({shapes}) doesn't match with shape "
            f"of tensor {ckpt_name} ({list(full.shape)}) from checkpoint reader.")
    axis = axes.pop()
    bounds = np.cumsum([s[axis] for s in shapes])[:-1]
    return dict(zip(names, np.split(full, bounds, axis=axis)))


def _to_jax(name: str, value: np.ndarray, like: Any = None) -> Any:
    import jax
    import jax.numpy as jnp

    if value.dtype == object:
        raise ValueError(f"Tensor for {name!r} holds strings, which cannot become a jax array")
    if isinstance(like, jax.Array):
        out = jax.device_put(value, like.sharding)
    else:
        out = jnp.asarray(value)
    if out.dtype != value.dtype:
        raise ValueError(
            f"Tensor for {name!r} is {value.dtype.name} but jax turned it into {out.dtype.name} "
            "(64-bit types need jax.config.update('jax_enable_x64', True)); refusing to cast silently")
    return out


def init_from_checkpoint(ckpt: str | os.PathLike,
                         assignment_map: Mapping[str, str] | Iterable[tuple[str, str]],
                         params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Loads checkpoint tensors into parameters, with TF1's mapping rules.

    ``assignment_map`` maps checkpoint names to parameter names (a dict, or a
    list of pairs to fill several parameters from one tensor):
    ``{'old/': 'new/'}`` maps a scope, ``{'/': 'new/'}`` loads the checkpoint
    root into a scope, ``{'old/w': 'new/w'}`` maps one tensor. With ``params``
    (a template: name -> array or anything with ``.shape``/``.dtype``) the
    result is a copy of ``params`` with mapped entries replaced, after
    checking shapes and dtypes (nothing is cast); without it, only the mapped
    entries are returned. Values become jax arrays (placed like the template's).
    ``ckpt`` is a prefix or a directory (its latest checkpoint), TF or minitf.
    """
    path = _resolve(ckpt)
    reader = load_checkpoint(path)
    shapes = reader.get_variable_to_shape_map()
    pairs = list(assignment_map.items()) if isinstance(assignment_map, Mapping) else list(assignment_map)
    plan = _plan(os.fspath(ckpt), pairs, shapes, params)

    dtypes = reader.get_variable_to_dtype_map()
    loaded: dict[str, np.ndarray] = {}
    for ckpt_name, names in plan:
        value = reader.get_tensor(ckpt_name)
        if params is None:
            loaded[names[0]] = value
            continue
        if len(names) > 1:
            pieces = _split_parts(value, ckpt_name, names, params)
        else:
            template = params[names[0]]
            if tuple(template.shape) != tuple(shapes[ckpt_name]):
                raise ValueError(
                    f"Shape of variable {names[0]} ({tuple(template.shape)}) doesn't match with shape of "
                    f"tensor {ckpt_name} ({shapes[ckpt_name]}) from checkpoint reader.")
            pieces = {names[0]: value}
        for name, piece in pieces.items():
            want = np.dtype(params[name].dtype)
            if want != dtypes[ckpt_name]:
                raise ValueError(
                    f"Dtype of variable {name} ({want.name}) doesn't match with dtype of tensor "
                    f"{ckpt_name} ({dtypes[ckpt_name].name}) from checkpoint reader. Cast the "
                    "parameter or the checkpoint explicitly; nothing is cast silently.")
            loaded[name] = piece

    result: dict[str, Any] = {} if params is None else dict(params)
    for name, value in loaded.items():
        result[name] = _to_jax(name, value, None if params is None else params[name])
    return result
