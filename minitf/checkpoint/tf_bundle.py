"""Read TF1 (V2 "tensor bundle") checkpoints without TensorFlow, trusting nothing.

A ``tf.compat.v1.train.Saver`` checkpoint ``prefix`` is two kinds of files:

* ``prefix.index``: a LevelDB-style table (see :mod:`.sstable`). Key ``""``
  holds a ``BundleHeaderProto`` (shard count, endianness, version); every
  other key is a tensor name mapping to a ``BundleEntryProto`` (dtype, shape,
  shard, byte offset/size, masked CRC-32C, and for partitioned variables the
  list of saved slices).
* ``prefix.data-SSSSS-of-NNNNN``: raw little-endian tensor bytes.

Partitioned variables are ONE full-name entry carrying ``slices`` and no
data, plus one hidden data entry per slice whose key is an OrderedCode
encoding of (name, slice). ``get_tensor("scope/w")`` re-assembles them.

Hostile files: only regular files are opened; every varint, length, count,
shape, offset and size is checked against the bytes really present before
anything is allocated (data ranges may not overlap, so a tensor can never
decode to more bytes than the files hold); headers TF refuses (versions it
does not read) are refused, and big-endian bundles are byte-swapped as TF does. Every problem is a
:class:`~minitf.checkpoint.errors.CorruptCheckpointError`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import re
import stat
import struct
import threading
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import ml_dtypes  # jax's dtype package: jnp.bfloat16 is ml_dtypes.bfloat16
import numpy as np

from minitf.checkpoint.crc32c import crc32c, parallel_map, unmask
from minitf.checkpoint.errors import CorruptCheckpointError
from minitf.checkpoint.fileio import open_regular, read_at
from minitf.checkpoint.sstable import read_table, read_varint
from minitf.checkpoint.state import latest_checkpoint

__all__ = [
    "BOOKKEEPING_KEYS",
    "DTYPE_ENUMS",
    "CheckpointReader",
    "TFCheckpointReader",
    "data_file_name",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "slice_key",
]

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
# numpy dtype -> TF enum, for writers (strings excluded).
DTYPE_ENUMS: dict[np.dtype, int] = {dt: e for e, dt in _DTYPES.items() if e != _STRING}
_DTYPE_NAMES = {
    11: "qint8", 12: "quint8", 13: "qint32", 15: "qint16", 16: "quint16",
    20: "resource", 21: "variant", 24: "float8_e5m2", 25: "float8_e4m3fn",
    26: "float8_e4m3fnuz", 27: "float8_e4m3b11fnuz", 28: "float8_e5m2fnuz",
    29: "int4", 30: "uint4",
}
# What this reader is (TF's kTensorBundleVersion / kTensorBundleMinProducer).
_BUNDLE_VERSION, _MIN_PRODUCER = 1, 0
_MAX_RANK = 254  # TensorShape::MaxDimensions()
_MAX_SHARDS = 1 << 20


def data_file_name(prefix: str, shard: int, num_shards: int) -> str:
    """``prefix.data-SSSSS-of-NNNNN``, as TF names data shards."""
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


# --------------------------------------------------------------------------
# Protobuf wire format (just enough for the bundle protos), bounds-checked.


def _proto_fields(buf: bytes, path: str, where: str) -> dict[int, list[Any]]:
    """Decodes a message into {field_number: [raw values]} (ints or bytes)."""
    fields: dict[int, list[Any]] = {}
    pos, end = 0, len(buf)
    while pos < end:
        tag, pos = read_varint(buf, pos, where=path)
        number, wire = tag >> 3, tag & 7
        if number == 0 or number >= 1 << 29:
            raise CorruptCheckpointError(path, f"invalid protobuf field number {number}", where)
        if wire == 0:
            value, pos = read_varint(buf, pos, where=path)
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            if pos + n > end:
                raise CorruptCheckpointError(path, "truncated fixed-width protobuf field", where)
            (value,) = struct.unpack_from("<Q" if wire == 1 else "<I", buf, pos)
            pos += n
        elif wire == 2:
            length, pos = read_varint(buf, pos, where=path)
            if length > end - pos:
                raise CorruptCheckpointError(
                    path, f"protobuf field of {length} bytes runs past its "
                    f"{end}-byte message", where)
            value = bytes(buf[pos:pos + length])
            pos += length
        else:
            raise CorruptCheckpointError(path, f"unsupported protobuf wire type {wire}", where)
        fields.setdefault(number, []).append(value)
    return fields


def _int64(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _int32(v: int, path: str, where: str) -> int:
    v = _int64(v)
    if not -(1 << 31) <= v < 1 << 31:
        raise CorruptCheckpointError(path, f"int32 field holds {v}", where)
    return v


def _last(fields: dict[int, list[Any]], number: int, default: Any, kind: type = int,
          path: str = "", where: str = "") -> Any:
    if number not in fields:
        return default
    value = fields[number][-1]
    if not isinstance(value, kind):
        raise CorruptCheckpointError(
            path, f"protobuf field {number} has the wrong wire type", where)
    return value


def _repeated_ints(fields: dict[int, list[Any]], number: int, path: str, where: str) -> list[int]:
    """A repeated integer field, packed or not."""
    out = []
    for v in fields.get(number, []):
        if isinstance(v, int):
            out.append(v)
        else:
            pos = 0
            while pos < len(v):
                x, pos = read_varint(v, pos, where=path)
                out.append(x)
    return out


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


def _count(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def _parse_shape(buf: bytes, path: str, where: str) -> tuple[int, ...]:
    fields = _proto_fields(buf, path, where)
    if _last(fields, 3, 0, int, path, where):
        raise CorruptCheckpointError(path, "tensor has unknown rank", where)
    dims = fields.get(2, [])
    if len(dims) > _MAX_RANK:
        raise CorruptCheckpointError(
            path, f"tensor has rank {len(dims)} (TF's maximum is {_MAX_RANK})", where)
    shape = []
    for d in dims:
        if not isinstance(d, bytes):
            raise CorruptCheckpointError(path, "malformed shape dimension", where)
        size = _int64(_last(_proto_fields(d, path, where), 1, 0, int, path, where))
        if size < 0:
            raise CorruptCheckpointError(path, f"tensor has dimension {size}", where)
        shape.append(size)
    # numpy refuses shapes whose non-zero dims overflow even when one dim is 0.
    if math.prod(max(d, 1) for d in shape) >= 1 << 59:
        raise CorruptCheckpointError(path, f"shape {shape} has impossibly many elements", where)
    return tuple(shape)


def _parse_slice(buf: bytes, path: str, where: str) -> tuple[tuple[int, int], ...]:
    extents = []
    for ext in _proto_fields(buf, path, where).get(1, []):
        if not isinstance(ext, bytes):
            raise CorruptCheckpointError(path, "malformed slice extent", where)
        f = _proto_fields(ext, path, where)
        extents.append((_int64(_last(f, 1, 0, int, path, where)),
                        _int64(_last(f, 2, -1, int, path, where))))
    return tuple(extents)


def _parse_entry(buf: bytes, path: str, where: str) -> _Entry:
    f = _proto_fields(buf, path, where)
    entry = _Entry(
        dtype=_int32(_last(f, 1, 0, int, path, where), path, where),
        shape=_parse_shape(_last(f, 2, b"", bytes, path, where), path, where),
        shard_id=_int32(_last(f, 3, 0, int, path, where), path, where),
        offset=_int64(_last(f, 4, 0, int, path, where)),
        size=_int64(_last(f, 5, 0, int, path, where)),
        crc32c=_last(f, 6, None, int, path, where),
        slices=tuple(_parse_slice(s, path, where) if isinstance(s, bytes) else
                     _parse_slice(b"\x00", path, where) for s in f.get(7, [])),
    )
    if entry.offset < 0 or entry.size < 0 or entry.shard_id < 0:
        raise CorruptCheckpointError(
            path, f"negative offset/size/shard ({entry.offset}, {entry.size}, "
            f"{entry.shard_id})", where)
    return entry


def _check_version(fields: dict[int, list[Any]], path: str) -> None:
    """Refuses bundle versions TF refuses (CheckVersions against version 1)."""
    buf = _last(fields, 3, b"", bytes, path, "header")
    v = _proto_fields(buf, path, "header version")
    producer = _int32(_last(v, 1, 0, int, path, "header"), path, "header")
    min_consumer = _int32(_last(v, 2, 0, int, path, "header"), path, "header")
    bad = [_int64(b) for b in _repeated_ints(v, 3, path, "header")]
    if producer < _MIN_PRODUCER:
        raise CorruptCheckpointError(
            path, f"checkpoint producer version {producer} is below the minimum "
            f"{_MIN_PRODUCER} (TF refuses it too)", "header")
    if min_consumer > _BUNDLE_VERSION:
        raise CorruptCheckpointError(
            path, f"checkpoint needs a reader of version >= {min_consumer}; this "
            f"reader (like TF's) is version {_BUNDLE_VERSION}", "header")
    if _BUNDLE_VERSION in bad:
        raise CorruptCheckpointError(
            path, f"checkpoint disallows reader version {_BUNDLE_VERSION}", "header")


# --------------------------------------------------------------------------
# OrderedCode keys of saved slices (tensorflow/core/lib/strings/ordered_code).


def _oc_unsigned(v: int) -> bytes:
    n = (v.bit_length() + 7) // 8
    return bytes([n]) + v.to_bytes(n, "big")


def _oc_string(s: bytes) -> bytes:
    escaped = re.sub(b"[\x00\xff]",
                     lambda m: m.group() + (b"\xff" if m.group() == b"\x00" else b"\x00"), s)
    return escaped + b"\x00\x01"


def _oc_signed(v: int) -> bytes:
    # Length n puts n one-bits (then a zero) on top of the n-byte two's
    # complement value, so that byte order matches numeric order.
    x = ~v if v < 0 else v
    n = x.bit_length() // 7 + 1
    header = ((1 << n) - 1) << (7 * n)
    return ((v & ((1 << (8 * n)) - 1)) ^ header).to_bytes(n, "big")


def slice_key(name: str, extents: tuple[tuple[int, int], ...]) -> bytes:
    """The index key of one saved slice of ``name`` (TF's EncodeTensorNameSlice);
    ``extents`` is ((start, length), ...) with length -1 for a full dimension."""
    key = _oc_unsigned(0) + _oc_string(name.encode()) + _oc_unsigned(len(extents))
    for start, length in extents:
        key += _oc_signed(start) + _oc_signed(length)
    return key


_slice_key = slice_key  # old private name


# --------------------------------------------------------------------------
# The reader.


class TFCheckpointReader:
    """Reads tensors of one TF V2 checkpoint (``prefix.index`` + data shards).

    Mirrors ``tf.train.load_checkpoint``'s reader: ``get_tensor``,
    ``has_tensor``, ``get_variable_to_shape_map``, ``get_variable_to_dtype_map``
    (dtypes are numpy dtypes; strings are ``object``). Values are numpy arrays.
    ``verify_checksums`` checks each tensor's CRC-32C when it is read. Any
    problem with the files is a :class:`CorruptCheckpointError`.
    """

    def __init__(self, prefix: str | os.PathLike, verify_checksums: bool = True) -> None:
        self.prefix = os.fspath(prefix)
        self.verify_checksums = verify_checksums
        index_path = self.prefix + ".index"
        fd, size = open_regular(index_path)
        try:
            table = read_at(fd, 0, size, size, index_path, "the index")
        finally:
            os.close(fd)
        self._entries: dict[str, _Entry] = {}
        self._slice_entries: dict[bytes, _Entry] = {}
        header = None
        seen: set[bytes] = set()
        for key, value in read_table(bytes(table), verify=verify_checksums, where=index_path):
            if key in seen:
                raise CorruptCheckpointError(
                    index_path, "duplicate key in the index", repr(key[:80]))
            seen.add(key)
            if key == b"":
                header = _proto_fields(value, index_path, "header")
            elif key[:1] == b"\x00":
                self._slice_entries[key] = _parse_entry(value, index_path,
                                                        f"slice key {key[:80]!r}")
            else:
                name = key.decode("utf-8", "replace")
                self._entries[name] = _parse_entry(value, index_path, f"tensor {name!r}")
        if header is None:
            raise CorruptCheckpointError(
                index_path, "no bundle header; not a TF V2 checkpoint index")
        self.num_shards = _int32(_last(header, 1, 1, int, index_path, "header"),
                                 index_path, "header")
        if not 1 <= self.num_shards <= _MAX_SHARDS:
            raise CorruptCheckpointError(
                index_path, f"header claims {self.num_shards} data shards", "header")
        # Like TF, a big-endian bundle is read by swapping bytes (unknown values: little).
        self.big_endian = _last(header, 2, 0, int, index_path, "header") == 1
        _check_version(header, index_path)
        self._validate(index_path)
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
                f"dtypes: {', '.join(f'{n} ({self.skipped[n]})' for n in shown[:20])}",
                stacklevel=2)

    # -- validation at open ----------------------------------------------------
    def _shard_size(self, shard: int, cache: dict[int, int]) -> int:
        if shard not in cache:
            path = data_file_name(self.prefix, shard, self.num_shards)
            try:
                st = os.stat(path)
            except FileNotFoundError:
                raise CorruptCheckpointError(
                    path, "data shard is missing (incomplete checkpoint)") from None
            if not stat.S_ISREG(st.st_mode):
                raise CorruptCheckpointError(path, "data shard is not a regular file")
            cache[shard] = st.st_size
        return cache[shard]

    def _validate(self, index_path: str) -> None:
        """Checks every entry against the shards' real sizes and each other."""
        sizes: dict[int, int] = {}
        ranges: dict[int, list[tuple[int, int, str]]] = {}

        def check_data(what: str, e: _Entry) -> None:
            if e.slices:
                raise CorruptCheckpointError(
                    index_path, "a slice's data entry has slices itself", what)
            if e.dtype in _DTYPES and e.dtype != _STRING:
                want = _count(e.shape) * _DTYPES[e.dtype].itemsize
                if want != e.size:
                    raise CorruptCheckpointError(index_path, f"{e.size} bytes stored for a "
                                                 f"{_DTYPES[e.dtype].name}{list(e.shape)} tensor "
                                                 f"({want} expected)", what)
            elif e.dtype == _STRING and _count(e.shape) > e.size:
                raise CorruptCheckpointError(index_path, f"{_count(e.shape)} strings cannot fit in "
                                             f"{e.size} bytes", what)
            if e.size == 0:
                return
            if e.shard_id >= self.num_shards:
                raise CorruptCheckpointError(
                    index_path, f"shard {e.shard_id} of {self.num_shards}", what)
            end = e.offset + e.size
            if end > self._shard_size(e.shard_id, sizes):
                raise CorruptCheckpointError(
                    data_file_name(self.prefix, e.shard_id, self.num_shards),
                    f"bytes [{e.offset}, {end}) lie past the end of the "
                    f"{sizes[e.shard_id]}-byte file (truncated?)", what)
            ranges.setdefault(e.shard_id, []).append((e.offset, end, what))

        for name, e in self._entries.items():
            what = f"tensor {name!r}"
            if not e.slices:
                check_data(what, e)
                continue
            self._validate_slices(index_path, name, e)
        for key, e in self._slice_entries.items():
            check_data(f"slice key {key[:80]!r}", e)
        for shard, spans in ranges.items():
            spans.sort()
            for (_s0, e0, w0), (s1, _e1, w1) in itertools.pairwise(spans):
                if s1 < e0:
                    raise CorruptCheckpointError(
                        data_file_name(self.prefix, shard, self.num_shards),
                        f"data of {w0} and {w1} overlap (crafted file)", f"offset {s1}")

    def _validate_slices(self, index_path: str, name: str, e: _Entry) -> None:
        what = f"tensor {name!r}"
        if len(e.slices) > len(self._slice_entries):
            raise CorruptCheckpointError(index_path, f"{len(e.slices)} slices listed, only "
                                         f"{len(self._slice_entries)} slice entries exist", what)
        covered = 0
        boxes = []
        for extents in e.slices:
            if len(extents) != len(e.shape):
                raise CorruptCheckpointError(
                    index_path, f"slice of rank {len(extents)} for a tensor of "
                    f"rank {len(e.shape)}", what)
            box = []
            for (start, length), dim in zip(extents, e.shape, strict=True):
                stop = dim if length == -1 else start + length
                if start < 0 or length < -1 or (length == -1 and start != 0) or stop > dim:
                    raise CorruptCheckpointError(index_path, f"slice {extents} lies outside shape "
                                                 f"{list(e.shape)}", what)
                box.append((start, stop))
            part = self._slice_entries.get(slice_key(name, extents))
            if part is None:
                raise CorruptCheckpointError(
                    index_path, f"the data of slice {extents} is missing from the "
                    "index (incomplete checkpoint)", what)
            shape = tuple(b - a for a, b in box)
            if part.dtype != e.dtype or part.shape != shape:
                raise CorruptCheckpointError(index_path, f"slice {extents} is stored as dtype enum "
                                             f"{part.dtype} shape {list(part.shape)}, expected "
                                             f"{e.dtype} {list(shape)}", what)
            covered += _count(shape)
            boxes.append(box)
        if covered != _count(e.shape):
            raise CorruptCheckpointError(index_path, f"the saved slices cover {covered} of "
                                         f"{_count(e.shape)} elements", what)
        if len(boxes) <= 512:  # disjoint boxes that sum to the whole cover it exactly
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    if all(max(s0, s1) < min(t0, t1)
                           for (s0, t0), (s1, t1) in zip(a, b, strict=True)):
                        raise CorruptCheckpointError(index_path, "saved slices overlap", what)

    # -- the reader API --------------------------------------------------------
    def __repr__(self) -> str:
        return f"TFCheckpointReader({self.prefix!r}, {len(self._names())} tensors)"

    def _names(self) -> list[str]:
        return sorted(n for n in self._entries
                      if n not in self.skipped and n not in BOOKKEEPING_KEYS)

    def has_tensor(self, name: str) -> bool:
        """Whether ``name`` is a readable tensor (bookkeeping keys included)."""
        return name in self._entries and name not in self.skipped

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """{name: shape as list of ints}, full shapes for partitioned variables."""
        return {n: list(self._entries[n].shape) for n in self._names()}

    def get_variable_to_dtype_map(self) -> dict[str, np.dtype]:
        """{name: numpy dtype} (bfloat16 is ``ml_dtypes.bfloat16``)."""
        return {n: _DTYPES[self._entries[n].dtype] for n in self._names()}

    def get_slices(self, name: str) -> list[tuple[tuple[int, int], ...]]:
        """The saved slices of a partitioned tensor as ((start, stop), ...) per
        dimension, sorted; [] for a tensor saved whole."""
        entry = self._entry(name)
        out = []
        for extents in entry.slices:
            out.append(tuple((s, d if n == -1 else s + n)
                             for (s, n), d in zip(extents, entry.shape, strict=True)))
        return sorted(out)

    def _entry(self, name: str) -> _Entry:
        entry = self._entries.get(name)
        if entry is None:
            hint = " (drop the ':0' suffix)" if name.endswith(":0") else ""
            raise KeyError(f"Tensor {name!r} not found in checkpoint {self.prefix}{hint}; "
                           f"use list_variables() to see the names it holds")
        if name in self.skipped:
            raise ValueError(
                f"Cannot read tensor {name!r} from {self.prefix}: {self.skipped[name]}")
        return entry

    def get_tensor(self, name: str) -> np.ndarray:
        """The full value of tensor ``name`` as a numpy array."""
        entry = self._entry(name)
        with _Shards(self) as shards:
            if entry.slices:
                return self._assemble(name, entry, shards)
            return self._read(f"tensor {name!r}", entry, shards)

    def read_all(self, names: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """{name: value} for ``names`` (all readable tensors by default), opening
        each data shard once."""
        names = self._names() if names is None else list(names)
        entries = {n: self._entry(n) for n in names}

        def one(item: tuple[str, _Entry]) -> np.ndarray:
            n, e = item
            if e.slices:
                return self._assemble(n, e, shards)
            return self._read(f"tensor {n!r}", e, shards)

        total = sum(e.size for e in self._entries.values())
        with _Shards(self) as shards:  # pread on shared fds is thread-safe
            return dict(zip(entries, parallel_map(one, entries.items(), total), strict=True))

    def _assemble(self, name: str, entry: _Entry, shards: _Shards) -> np.ndarray:
        # Sizes were checked at open: the slices tile the shape exactly and
        # their bytes are on disk, so this allocation is backed by real data.
        out = np.empty(entry.shape, dtype=_DTYPES[entry.dtype])
        for extents in entry.slices:
            index = tuple(slice(s, s + (d if n == -1 else n))
                          for (s, n), d in zip(extents, entry.shape, strict=True))
            out[index] = self._read(f"slice {extents} of {name!r}",
                                    self._slice_entries[slice_key(name, extents)], shards)
        return out

    def _read(self, what: str, entry: _Entry, shards: _Shards) -> np.ndarray:
        if entry.size == 0:
            raw = bytearray()
            path = self.prefix
        else:
            path, fd, size = shards.get(entry.shard_id)
            raw = read_at(fd, entry.offset, entry.size, size, path, what)
        if (self.verify_checksums and entry.crc32c is not None and entry.dtype != _STRING
                and crc32c(raw) != unmask(entry.crc32c)):
            raise CorruptCheckpointError(path, "checksum mismatch (pass verify_checksums=False "
                                         "to read it anyway)", what)
        if entry.dtype == _STRING:
            return self._decode_strings(what, entry, raw, path)
        dtype = _DTYPES[entry.dtype]
        # Writable: backed by a bytearray.
        value = np.frombuffer(raw, dtype=dtype).reshape(entry.shape)
        if dtype == np.bool_:
            value = value.view(np.uint8) != 0  # only 0/1 are valid bools
        elif self.big_endian and dtype.itemsize > 1:
            value.byteswap(inplace=True)  # complex: each part, as TF swaps
        return value

    def _decode_strings(self, what: str, entry: _Entry, raw: bytearray, path: str) -> np.ndarray:
        # Layout: varint64 length per element, masked CRC-32C of the lengths
        # (as uint32 LE), then the concatenated bytes. The entry checksum covers
        # the lengths (uint32 LE), the length checksum and the bytes.
        count = _count(entry.shape)
        if count > len(raw):
            raise CorruptCheckpointError(
                path, f"{count} strings cannot fit in {len(raw)} bytes", what)
        pos, lengths = 0, []
        for _ in range(count):
            n, pos = read_varint(raw, pos, where=path)
            lengths.append(n)
        if max(lengths, default=0) >= 2**32 or len(raw) < pos + 4:
            raise CorruptCheckpointError(path, "string tensor is not in the layout TF writes", what)
        lens_le = struct.pack(f"<{count}I", *lengths)
        (len_crc,) = struct.unpack_from("<I", raw, pos)
        body = bytes(raw[pos + 4:])
        if sum(lengths) != len(body):
            raise CorruptCheckpointError(path, f"string lengths add up to {sum(lengths)} bytes but "
                                         f"{len(body)} are stored", what)
        if self.verify_checksums:
            ok = unmask(len_crc) == crc32c(lens_le)
            if entry.crc32c is not None:
                ok = ok and unmask(entry.crc32c) == crc32c(
                    body, crc32c(lens_le + bytes(raw[pos:pos + 4])))
            if not ok:
                raise CorruptCheckpointError(path, "checksum mismatch in a string tensor (pass "
                                             "verify_checksums=False to read it anyway)", what)
        out = np.empty(count, dtype=object)
        start = 0
        for i, n in enumerate(lengths):
            out[i] = body[start:start + n]
            start += n
        return out.reshape(entry.shape)


CheckpointReader = TFCheckpointReader  # the one checkpoint format: TF's V2 bundle


class _Shards:
    """Data shards opened on demand (regular files only) and closed together."""

    def __init__(self, reader: TFCheckpointReader) -> None:
        self.reader = reader
        self.open: dict[int, tuple[str, int, int]] = {}
        self.lock = threading.Lock()

    def get(self, shard: int) -> tuple[str, int, int]:
        with self.lock:
            return self._get(shard)

    def _get(self, shard: int) -> tuple[str, int, int]:
        if shard not in self.open:
            path = data_file_name(self.reader.prefix, shard, self.reader.num_shards)
            try:
                fd, size = open_regular(path)
            except FileNotFoundError:
                raise CorruptCheckpointError(
                    path, "data shard is missing (incomplete checkpoint)") from None
            self.open[shard] = (path, fd, size)
        return self.open[shard]

    def __enter__(self) -> _Shards:
        return self

    def __exit__(self, *exc: object) -> None:
        for _path, fd, _size in self.open.values():
            os.close(fd)
        self.open.clear()


# --------------------------------------------------------------------------
# Entry points.

Reader = TFCheckpointReader


def _resolve(ckpt: str | os.PathLike) -> str:
    path = os.fspath(ckpt)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(
                f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def load_checkpoint(ckpt: str | os.PathLike, verify_checksums: bool = True) -> Reader:
    """A reader for ``ckpt`` (prefix, or directory: its latest checkpoint).

    Reads TF V2 checkpoints (``prefix.index`` + ``prefix.data-*``), which is
    what both TF1's ``tf.train.Saver`` and minitf's ``Saver`` write. Accepts
    the ``.index`` or a ``.data-*`` file name too.
    """
    path = _resolve(ckpt)
    if path.endswith(".index") and not os.path.exists(path + ".index"):
        path = path[: -len(".index")]
    path = re.sub(r"\.data-\d{5,}-of-\d{5,}$", "", path)
    if os.path.exists(path + ".index"):
        return TFCheckpointReader(path, verify_checksums=verify_checksums)
    if os.path.isfile(path):
        raise CorruptCheckpointError(path, "looks like a TF V1 checkpoint or another file; only V2 "
                                     "checkpoints (prefix.index + prefix.data-*) are supported")
    raise FileNotFoundError(
        f"No checkpoint found at {path!r}: expected {path}.index. Pass the prefix "
        "(e.g. 'dir/model-100') or the directory holding a 'checkpoint' state file")


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
            raise TypeError(
                f"assignment_map entries must be str -> str, got {ckpt_name!r}: {target!r}")
        if params is not None:
            parts = _partitioned(target, params)
            is_var = parts is not None
        else:
            parts = [target]
            is_var = not ckpt_name.endswith("/") and not target.endswith("/")
        if is_var:
            if ckpt_name not in shapes:
                raise ValueError(
                    f"Tensor {ckpt_name} is not found in {ckpt} checkpoint {_format_map(shapes)}")
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
    axes = {i for s in shapes
            for i, (a, b) in enumerate(zip(s, full.shape, strict=False)) if a != b} or {0}
    if (len(axes) != 1 or any(len(s) != full.ndim for s in shapes)
            or sum(s[min(axes)] for s in shapes) != full.shape[min(axes)]):
        raise ValueError(
            f"Shape of partitioned variable {','.join(names)} ({shapes}) doesn't match with shape "
            f"of tensor {ckpt_name} ({list(full.shape)}) from checkpoint reader.")
    axis = axes.pop()
    bounds = np.cumsum([s[axis] for s in shapes])[:-1]
    return dict(zip(names, np.split(full, bounds, axis=axis), strict=True))


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
            "(64-bit types need jax.config.update('jax_enable_x64', True)); "
            "refusing to cast silently")
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
    pairs = (list(assignment_map.items()) if isinstance(assignment_map, Mapping)
             else list(assignment_map))

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
                    f"Shape of variable {names[0]} ({tuple(template.shape)}) doesn't match "
                    f"with shape of tensor {ckpt_name} ({shapes[ckpt_name]}) from checkpoint "
                    "reader.")

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
