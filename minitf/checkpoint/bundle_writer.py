"""Write TensorFlow V2 tensor bundles (``prefix.index`` + ``prefix.data-*``).

``write_bundle(prefix, {name: array})`` writes what TF1's ``tf.train.Saver``
writes: real TF (``tf.train.load_checkpoint``, ``Saver.restore``) reads it.
Partitioned variables go in as :class:`Sliced` values (the full shape and
the pieces with their offsets) and become TF's one full-name entry with slice
specs plus one OrderedCode-keyed data entry per slice.

Durability: data shards and the index are written to flocked temp files in
the target directory (short names: ``.<tag>-<random>.tmp``), fsynced, then
renamed - the data shards first, the index last, so an index on disk always
describes complete data. :func:`stage_bundle` splits the writing from that
commit so that a caller (the Saver) can do the renames under its lock.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import sys
from collections.abc import Mapping, Sequence

import numpy as np

from minitf.checkpoint.crc32c import crc32c_many, mask
from minitf.checkpoint.fileio import TempFile, check_name_length, fsync_dir, temp_tag
from minitf.checkpoint.sstable import build_table, write_varint
from minitf.checkpoint.tf_bundle import DTYPE_ENUMS, data_file_name, slice_key

__all__ = [
    "Sliced",
    "StagedBundle",
    "bundle_files",
    "remove_bundle",
    "stage_bundle",
    "write_bundle",
]


@dataclasses.dataclass(frozen=True)
class Sliced:
    """A tensor saved in pieces: ``full_shape`` and [(offsets, piece)], the
    pieces tiling the full shape (as TF saves a partitioned variable)."""

    full_shape: tuple[int, ...]
    pieces: Sequence[tuple[Sequence[int], np.ndarray]]


# --------------------------------------------------------------------------
# Protos (hand-encoded wire format; see tf_bundle for the reader).


def _field_varint(number: int, value: int) -> bytes:
    return write_varint(number << 3) + write_varint(value)


def _field_bytes(number: int, value: bytes) -> bytes:
    return write_varint(number << 3 | 2) + write_varint(len(value)) + value


def _shape_proto(shape: Sequence[int]) -> bytes:
    return b"".join(_field_bytes(2, _field_varint(1, d) if d else b"") for d in shape)


def _slice_proto(extents: Sequence[tuple[int, int]]) -> bytes:
    out = b""
    for start, length in extents:
        if length == -1:
            ext = b""
        else:
            ext = (_field_varint(1, start) if start else b"") + _field_varint(2, length)
        out += _field_bytes(1, ext)
    return out


def _entry_proto(dtype: int, shape: Sequence[int], shard: int = 0, offset: int = 0, size: int = 0,
                 crc: int | None = None, slices: Sequence[Sequence[tuple[int, int]]] = ()) -> bytes:
    out = _field_varint(1, dtype) + _field_bytes(2, _shape_proto(shape))
    if shard:
        out += _field_varint(3, shard)
    if offset:
        out += _field_varint(4, offset)
    if size:
        out += _field_varint(5, size)
    if crc is not None:
        out += write_varint(6 << 3 | 5) + int(crc).to_bytes(4, "little")
    for extents in slices:
        out += _field_bytes(7, _slice_proto(extents))
    return out


def _header_proto(num_shards: int) -> bytes:
    # num_shards, endianness LITTLE (0, the default), version {producer: 1}
    return _field_varint(1, num_shards) + _field_bytes(3, _field_varint(1, 1))


# --------------------------------------------------------------------------
# Values.


def _as_array(name: str, value: object) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype not in DTYPE_ENUMS:
        raise TypeError(
            f"Cannot write tensor {name!r}: dtype {arr.dtype} has no TF checkpoint encoding "
            f"here (supported: {', '.join(sorted(d.name for d in DTYPE_ENUMS))})")
    if sys.byteorder != "little" and arr.dtype.itemsize > 1:
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr if arr.flags.c_contiguous else arr.copy(order="C")  # keeps 0-d shapes


def _extents(name: str, full: tuple[int, ...], offsets: Sequence[int], shape: tuple[int, ...]
             ) -> tuple[tuple[int, int], ...]:
    if len(offsets) != len(full) or len(shape) != len(full):
        raise ValueError(f"slice of {name!r}: offsets {list(offsets)} / shape {list(shape)} do not "
                         f"match the rank of full shape {list(full)}")
    out = []
    for o, n, d in zip(offsets, shape, full, strict=True):
        if o < 0 or o + n > d:
            raise ValueError(f"slice of {name!r} at {list(offsets)} with shape {list(shape)} lies "
                             f"outside full shape {list(full)}")
        out.append((0, -1) if (o == 0 and n == d) else (int(o), int(n)))
    return tuple(out)


def bundle_files(prefix: str, num_shards: int) -> list[str]:
    """The files of a bundle: data shards, then the index."""
    return [data_file_name(prefix, i, num_shards) for i in range(num_shards)] + [prefix + ".index"]


# --------------------------------------------------------------------------
# Writing.


class StagedBundle:
    """A bundle written to temp files; :meth:`commit` renames them into place
    (data shards, then the index), :meth:`discard` removes them."""

    def __init__(self, prefix: str, temps: list[TempFile], num_shards: int) -> None:
        self.prefix, self.num_shards, self._temps = prefix, num_shards, temps

    @property
    def files(self) -> list[str]:
        """Final file names, data shards first, index last."""
        return bundle_files(self.prefix, self.num_shards)

    def commit(self) -> None:
        for temp, final in zip(self._temps, self.files, strict=True):
            temp.commit(final)
        fsync_dir(os.path.dirname(self.prefix) or ".")

    def discard(self) -> None:
        for temp in self._temps:
            temp.discard()


def stage_bundle(prefix: str | os.PathLike, tensors: Mapping[str, object], num_shards: int = 1,
                 tag: str | None = None) -> StagedBundle:
    """Writes and fsyncs a bundle into temp files next to ``prefix``.

    ``tensors``: {name: array-like or :class:`Sliced`}. Tensors are spread
    over ``num_shards`` data files (largest first, to the lightest shard).
    ``tag`` names the temp files (default: derived from the prefix's name).
    """
    prefix = os.fspath(prefix)
    if not isinstance(num_shards, int) or num_shards < 1:
        raise ValueError(f"num_shards must be a positive int, got {num_shards!r}")
    directory = os.path.dirname(prefix) or "."
    for path in bundle_files(prefix, num_shards)[-2:]:
        check_name_length(path)
    # Collect (index key, dtype enum, shape, array or None for a sliced full entry).
    items: list[tuple[bytes, bytes | None, np.ndarray | None]] = []
    for name, value in tensors.items():
        if not isinstance(name, str) or not name or name.startswith("\x00"):
            raise TypeError(
                f"tensor names must be non-empty strings not starting with NUL, got {name!r}")
        if isinstance(value, Sliced) and len(value.pieces) == 1 and (
                tuple(np.shape(value.pieces[0][1])) == tuple(value.full_shape)):
            value = value.pieces[0][1]  # one piece covering it all: TF saves it whole
        if isinstance(value, Sliced):
            full = tuple(int(d) for d in value.full_shape)
            specs, dtype = [], None
            for offsets, piece in value.pieces:
                arr = _as_array(name, piece)
                if dtype is not None and arr.dtype != dtype:
                    raise TypeError(
                        f"slices of {name!r} have different dtypes ({dtype}, {arr.dtype})")
                dtype = arr.dtype
                extents = _extents(name, full, [int(o) for o in offsets], arr.shape)
                specs.append(extents)
                items.append((slice_key(name, extents), None, arr))
            if dtype is None:
                raise ValueError(f"Sliced tensor {name!r} has no pieces")
            proto = _entry_proto(DTYPE_ENUMS[dtype], full, slices=specs)
            items.append((name.encode(), proto, None))
        else:
            items.append((name.encode(), None, _as_array(name, value)))
    items.sort(key=lambda item: item[0])
    # Assign data entries to shards: greedy by size, deterministic.
    loads = [0] * num_shards
    shard_of: dict[bytes, int] = {}
    for key, _, arr in sorted((i for i in items if i[2] is not None),
                              key=lambda i: (-i[2].nbytes, i[0])):
        shard = loads.index(min(loads))
        shard_of[key] = shard
        loads[shard] += arr.nbytes

    tag = tag or temp_tag(os.path.basename(prefix))
    temps = [TempFile(directory, tag) for _ in range(num_shards + 1)]
    try:
        offsets = [0] * num_shards
        entries: list[tuple[bytes, bytes]] = [(b"", _header_proto(num_shards))]
        datas = [arr.reshape(-1).view(np.uint8) if arr.size else b"" for _, _, arr in items
                 if arr is not None]
        crcs = iter(crc32c_many(datas))
        datas = iter(datas)
        for key, proto, arr in items:
            if arr is None:
                entries.append((key, proto))
                continue
            shard = shard_of[key]
            temps[shard].write(next(datas))
            entries.append((key, _entry_proto(DTYPE_ENUMS[arr.dtype], arr.shape, shard,
                                              offsets[shard], arr.nbytes, mask(next(crcs)))))
            offsets[shard] += arr.nbytes
        temps[-1].write(build_table(entries))
        for temp in temps:
            temp.finish()
    except BaseException:
        for temp in temps:
            temp.discard()
        raise
    return StagedBundle(prefix, temps, num_shards)


def write_bundle(prefix: str | os.PathLike, tensors: Mapping[str, object],
                 num_shards: int = 1) -> list[str]:

    """Writes a TF V2 checkpoint at ``prefix``; returns its files.

    ``tensors``: {name: numpy-convertible array or :class:`Sliced`}. Atomic per
    file (temp + fsync + rename), index last. Overwriting an existing prefix is
    not atomic as a whole: the old index is removed first, so a crash leaves
    no checkpoint there rather than a mix of old and new.
    """
    staged = stage_bundle(prefix, tensors, num_shards)
    try:
        remove_bundle(os.fspath(prefix))  # index first: never a mix of old and new
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    return staged.files


def remove_bundle(prefix: str) -> list[str]:
    """Deletes ``prefix.index``, then its ``prefix.data-*`` files (only those
    names: nothing else is touched); returns what was deleted."""
    removed = []
    names = [prefix + ".index"]
    names += sorted(glob.glob(glob.escape(prefix) + ".data-[0-9][0-9][0-9][0-9][0-9]*-of-[0-9]*"))
    for path in names:
        try:
            os.unlink(path)
            removed.append(path)
        except FileNotFoundError:
            pass
    return removed
