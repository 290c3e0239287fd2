"""Minimal reader for the LevelDB-style immutable table TF uses for ``.index``.

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
Index files are small, so the whole table is decoded into a list eagerly.
"""

from __future__ import annotations

import struct

from minitf.checkpoint.crc32c import crc32c, unmask

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5


class CorruptTableError(ValueError):
    """The ``.index`` file is not a valid (uncompressed) TF table."""


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Decodes a base-128 varint at ``pos``; returns (value, new_pos)."""
    result = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise CorruptTableError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise CorruptTableError("varint longer than 64 bits")


def _block_handle(buf: bytes, pos: int) -> tuple[tuple[int, int], int]:
    offset, pos = read_varint(buf, pos)
    size, pos = read_varint(buf, pos)
    return (offset, size), pos


def _read_block(table: bytes, handle: tuple[int, int], verify: bool, where: str) -> bytes:
    offset, size = handle
    end = offset + size
    if end + BLOCK_TRAILER_SIZE > len(table):
        raise CorruptTableError(f"{where}: block [{offset}, {end}) runs past end of file")
    contents = table[offset:end]
    ctype = table[end]
    if verify:
        (stored,) = struct.unpack_from("<I", table, end + 1)
        actual = crc32c(table[offset:end + 1])
        if unmask(stored) != actual:
            raise CorruptTableError(f"{where}: block checksum mismatch at offset {offset}")
    if ctype != 0:
        raise CorruptTableError(
            f"{where}: block at offset {offset} uses compression type {ctype}; only "
            "uncompressed tables (what TF's BundleWriter writes) are supported")
    return contents


def _block_entries(block: bytes, where: str) -> list[tuple[bytes, bytes]]:
    if len(block) < 4:
        raise CorruptTableError(f"{where}: block too small")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 * (num_restarts + 1)
    if limit < 0:
        raise CorruptTableError(f"{where}: bad restart count {num_restarts}")
    entries = []
    key = b""
    pos = 0
    while pos < limit:
        shared, pos = read_varint(block, pos)
        non_shared, pos = read_varint(block, pos)
        value_len, pos = read_varint(block, pos)
        if shared > len(key) or pos + non_shared + value_len > limit:
            raise CorruptTableError(f"{where}: corrupt entry at offset {pos}")
        key = key[:shared] + block[pos:pos + non_shared]
        pos += non_shared
        entries.append((key, block[pos:pos + value_len]))
        pos += value_len
    return entries


def read_table(table: bytes, verify: bool = True, where: str = "table") -> list[tuple[bytes, bytes]]:
    """All (key, value) pairs of a table held in memory, in key order."""
    if len(table) < FOOTER_SIZE:
        raise CorruptTableError(f"{where}: file too short ({len(table)} bytes) to be a TF table")
    footer = table[-FOOTER_SIZE:]
    (magic,) = struct.unpack_from("<Q", footer, FOOTER_SIZE - 8)
    if magic != TABLE_MAGIC:
        raise CorruptTableError(f"{where}: bad magic number {magic:#x}; not a TF V2 checkpoint index")
    _metaindex, pos = _block_handle(footer, 0)
    index_handle, _ = _block_handle(footer, pos)
    index = _read_block(table, index_handle, verify, where)
    out: list[tuple[bytes, bytes]] = []
    for _sep, handle_bytes in _block_entries(index, where):
        handle, _ = _block_handle(handle_bytes, 0)
        out.extend(_block_entries(_read_block(table, handle, verify, where), where))
    return out
