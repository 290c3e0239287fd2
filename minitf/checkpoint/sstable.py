"""Reader and writer for the LevelDB-style immutable table TF uses for ``.index``.

Layout (all integers little-endian):

* data blocks, each followed by a 5-byte trailer: compression type (1 byte,
  TF bundles always write 0 = none) and the masked CRC-32C of block + type;
* an index block whose values are ``BlockHandle``s (varint64 offset, size)
  of the data blocks, and a (usually empty) metaindex block;
* a 48-byte footer: metaindex handle, index handle, zero padding to 40 bytes,
  then the 8-byte magic number.

A block is a run of entries ``varint32 shared, varint32 non_shared,
varint32 value_len, key[shared:] delta, value`` (keys are prefix-compressed
against the previous key), then a ``uint32`` restart array and its length.

The reader trusts nothing: every handle, length and count is checked against
the bytes actually present, and any problem is a :class:`CorruptTableError`
(a :class:`CorruptCheckpointError`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from minitf.checkpoint.crc32c import crc32c, mask, unmask
from minitf.checkpoint.errors import CorruptCheckpointError

__all__ = [
    "TABLE_MAGIC",
    "CorruptTableError",
    "build_table",
    "read_table",
    "read_varint",
    "write_varint",
]

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
BLOCK_SIZE = 4096  # LevelDB's (and TF's) default target block size
RESTART_INTERVAL = 16


class CorruptTableError(CorruptCheckpointError):
    """The ``.index`` file is not a valid (uncompressed) TF table."""


def read_varint(buf: bytes, pos: int, limit: int | None = None, bits: int = 64,
                where: str = "table") -> tuple[int, int]:
    """Decodes a base-128 varint at ``pos`` (at most ``bits`` bits, not past
    ``limit``); returns (value, new_pos)."""
    end = len(buf) if limit is None else limit
    result = shift = 0
    while True:
        if pos >= end:
            raise CorruptTableError(where, "truncated varint", f"offset {pos}")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            if result >> bits:
                raise CorruptTableError(where, f"varint wider than {bits} bits", f"offset {pos}")
            return result, pos
        shift += 7
        if shift >= 70 or (bits == 32 and shift >= 35):
            raise CorruptTableError(where, "varint too long", f"offset {pos}")


def write_varint(value: int) -> bytes:
    """Base-128 varint of a non-negative int (negative int64s: two's complement)."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _block_handle(buf: bytes, pos: int, where: str) -> tuple[tuple[int, int], int]:
    offset, pos = read_varint(buf, pos, where=where)
    size, pos = read_varint(buf, pos, where=where)
    return (offset, size), pos


def _read_block(table: bytes, handle: tuple[int, int], verify: bool, where: str) -> bytes:
    offset, size = handle
    end = offset + size
    if end + BLOCK_TRAILER_SIZE > len(table):
        raise CorruptTableError(where, f"block [{offset}, {end}) runs past the end of the "
                                f"{len(table)}-byte file", f"offset {offset}")
    contents = table[offset:end]
    ctype = table[end]
    if verify:
        (stored,) = struct.unpack_from("<I", table, end + 1)
        if unmask(stored) != crc32c(table[offset:end + 1]):
            raise CorruptTableError(where, "block checksum mismatch", f"offset {offset}")
    if ctype != 0:
        raise CorruptTableError(where, f"block uses compression type {ctype}; only uncompressed "
                                "tables (what TF's BundleWriter writes) are supported",
                                f"offset {offset}")
    return contents


def _block_entries(block: bytes, where: str) -> list[tuple[bytes, bytes]]:
    if len(block) < 4:
        raise CorruptTableError(where, f"block of {len(block)} bytes is too small")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    if num_restarts > (len(block) - 4) // 4:
        raise CorruptTableError(where, f"block claims {num_restarts} restart points, more than fit")
    limit = len(block) - 4 * (num_restarts + 1)
    entries = []
    key = b""
    pos = 0
    while pos < limit:
        shared, pos = read_varint(block, pos, limit, 32, where)
        non_shared, pos = read_varint(block, pos, limit, 32, where)
        value_len, pos = read_varint(block, pos, limit, 32, where)
        if shared > len(key) or non_shared > limit - pos or value_len > limit - pos - non_shared:
            raise CorruptTableError(where, "block entry runs past its block", f"block offset {pos}")
        key = key[:shared] + block[pos:pos + non_shared]
        pos += non_shared
        entries.append((key, block[pos:pos + value_len]))
        pos += value_len
    return entries


def read_table(table: bytes, verify: bool = True,
               where: str = "table") -> list[tuple[bytes, bytes]]:
    """All (key, value) pairs of a table held in memory, in file order."""
    if len(table) < FOOTER_SIZE:
        raise CorruptTableError(where, f"file too short ({len(table)} bytes) to be a TF table")
    footer = table[-FOOTER_SIZE:]
    (magic,) = struct.unpack_from("<Q", footer, FOOTER_SIZE - 8)
    if magic != TABLE_MAGIC:
        raise CorruptTableError(where, f"bad magic number {magic:#x}; not a TF V2 checkpoint index",
                                "footer")
    _metaindex, pos = _block_handle(footer, 0, where)
    index_handle, _ = _block_handle(footer, pos, where)
    index = _read_block(table, index_handle, verify, where)
    out: list[tuple[bytes, bytes]] = []
    for _sep, handle_bytes in _block_entries(index, where):
        handle, _ = _block_handle(handle_bytes, 0, where)
        out.extend(_block_entries(_read_block(table, handle, verify, where), where))
    return out


# --------------------------------------------------------------------------
# Writing.


class _BlockBuilder:
    def __init__(self) -> None:
        self.buf = bytearray()
        self.restarts = [0]
        self.counter = 0
        self.last_key = b""

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.counter < RESTART_INTERVAL:
            n = min(len(key), len(self.last_key))
            while shared < n and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buf))
            self.counter = 0
        self.buf += (write_varint(shared) + write_varint(len(key) - shared)
                     + write_varint(len(value)))
        self.buf += key[shared:] + value
        self.last_key = key
        self.counter += 1

    def finish(self) -> bytes:
        tail = b"".join(struct.pack("<I", r) for r in self.restarts)
        return bytes(self.buf) + tail + struct.pack("<I", len(self.restarts))

    def size(self) -> int:
        return len(self.buf) + 4 * len(self.restarts) + 4


def build_table(items: Iterable[tuple[bytes, bytes]]) -> bytes:
    """A complete table of ``items`` (keys strictly increasing, bytewise)."""
    out = bytearray()
    index = _BlockBuilder()

    def emit(block: bytes) -> bytes:
        handle = write_varint(len(out)) + write_varint(len(block))
        out.extend(block + b"\x00" + struct.pack("<I", mask(crc32c(block + b"\x00"))))
        return handle

    block, last = _BlockBuilder(), None
    for key, value in items:
        if last is not None and key <= last:
            raise ValueError(f"table keys must be strictly increasing: {key!r} after {last!r}")
        block.add(key, value)
        last = key
        if block.size() >= BLOCK_SIZE:
            # The last key separates (it is >= every key in it).
            index.add(last, emit(block.finish()))

            block = _BlockBuilder()
    if block.counter or not index.counter:
        index.add(last if last is not None else b"", emit(block.finish()))
    meta_handle = emit(_BlockBuilder().finish())
    index_handle = emit(index.finish())
    footer = (meta_handle + index_handle).ljust(FOOTER_SIZE - 8, b"\x00")
    return bytes(out) + footer + struct.pack("<Q", TABLE_MAGIC)
