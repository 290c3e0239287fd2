"""CRC-32C (Castagnoli) in numpy, plus TF's checksum masking.

TF's tensor bundles and tables protect bytes with CRC-32C, which the standard
library does not provide (``zlib.crc32`` is the IEEE polynomial). A byte-at-a-
time Python loop manages a few MB/s, too slow for real checkpoints, so this
module uses the linearity of CRCs over GF(2): the data is cut into many equal
chunks whose CRC registers advance in lock-step as numpy vectors, then the
chunk registers are folded pairwise with precomputed "append n zero bytes"
operators. Cost is a few numpy passes over the data (hundreds of MB/s).
"""

from __future__ import annotations

import functools

import numpy as np

_POLY = 0x82F63B78  # reflected Castagnoli polynomial
_MASK_DELTA = 0xA282EAD8
_SMALL = 4096  # below this, a plain table loop is cheaper than setup
_CHUNK = 64  # bytes per lane in the vectorized pass


def _make_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table[i] = c
    return table


_TABLE = _make_table()
_TABLE_LIST = [int(v) for v in _TABLE]


def _register_small(reg: int, data: bytes) -> int:
    """Advances the raw CRC register over ``data`` (no pre/post inversion)."""
    table = _TABLE_LIST
    for b in data:
        reg = table[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg


# GF(2) 32x32 matrices are stored as 32 column ints: column i is M @ e_i.
def _mat_vec(mat: tuple[int, ...], vec: int) -> int:
    out = 0
    i = 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _mat_mul(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(_mat_vec(a, col) for col in b)


@functools.lru_cache(maxsize=2048)
def _zeros_operator(nbytes: int) -> tuple[int, ...]:
    """Matrix advancing a raw register over ``nbytes`` zero bytes."""
    if nbytes == 0:
        return tuple(1 << i for i in range(32))
    if nbytes == 1:
        return tuple(_register_small(1 << i, b"\x00") for i in range(32))
    half = _zeros_operator(nbytes // 2)
    op = _mat_mul(half, half)
    if nbytes % 2:
        op = _mat_mul(_zeros_operator(1), op)
    return op


@functools.lru_cache(maxsize=64)
def _operator_tables(nbytes: int) -> np.ndarray:
    """The zero-append operator as 4 byte-indexed lookup tables (4, 256)."""
    op = _zeros_operator(nbytes)
    tables = np.zeros((4, 256), dtype=np.uint32)
    for k in range(4):
        for v in range(256):
            tables[k, v] = _mat_vec(op, v << (8 * k))
    return tables


def _apply_operator(tables: np.ndarray, regs: np.ndarray) -> np.ndarray:
    return (tables[0][regs & 0xFF] ^ tables[1][(regs >> 8) & 0xFF]
            ^ tables[2][(regs >> 16) & 0xFF] ^ tables[3][regs >> 24])


def _register_from_zero(buf: np.ndarray) -> int:
    """Raw register after ``buf`` starting from 0, computed in parallel lanes.

    Leading zero bytes do not change a zero register, so the buffer is
    left-padded with zeros to a whole number of chunks.
    """
    pad = (-buf.size) % _CHUNK
    if pad:
        buf = np.concatenate([np.zeros(pad, dtype=np.uint8), buf])
    lanes = buf.reshape(-1, _CHUNK).T.copy()  # (CHUNK, n_lanes), rows contiguous
    regs = np.zeros(lanes.shape[1], dtype=np.uint32)
    for row in lanes:
        regs = _TABLE[(regs ^ row) & 0xFF] ^ (regs >> 8)
    span = _CHUNK
    while regs.size > 1:  # fold neighbours: reg(a+b) = shift_b(reg(a)) ^ reg(b)
        if regs.size % 2:  # a zero chunk in front is the identity
            regs = np.concatenate([np.zeros(1, dtype=np.uint32), regs])
        left, right = regs[0::2], regs[1::2]
        regs = _apply_operator(_operator_tables(span), left) ^ right
        span *= 2
    return int(regs[0])


def crc32c(data: bytes | bytearray | memoryview | np.ndarray, crc: int = 0) -> int:
    """CRC-32C of ``data``; pass a previous result as ``crc`` to extend it."""
    if isinstance(data, np.ndarray):
        buf = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    else:
        buf = np.frombuffer(data, dtype=np.uint8)
    start = (crc ^ 0xFFFFFFFF) & 0xFFFFFFFF
    if buf.size < _SMALL:
        return _register_small(start, buf.tobytes()) ^ 0xFFFFFFFF
    # reg(start, D) = zeros_op(len D) @ start  ^  reg(0, D)   (linearity)
    reg = _mat_vec(_zeros_operator(int(buf.size)), start) ^ _register_from_zero(buf)
    return reg ^ 0xFFFFFFFF


def mask(crc: int) -> int:
    """TF/LevelDB masking: rotate right by 15 and add a constant."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Inverse of :func:`mask`."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
