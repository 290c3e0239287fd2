"""CRC-32C (Castagnoli) in numpy, plus TF's checksum masking.

TF's tensor bundles and tables protect bytes with CRC-32C, which the standard
library does not provide (``zlib.crc32`` is the IEEE polynomial). A byte-at-a-
time Python loop manages a few MB/s, too slow for real checkpoints, so this
module uses the linearity of CRCs over GF(2): the data is cut into many equal
chunks whose CRC registers advance in lock-step as numpy vectors, two bytes
per step through a 16-bit table, then the chunk registers are folded pairwise
with precomputed "append n zero bytes" operators; long inputs go block by
block so the working set stays in cache. About 0.3-0.5 GB/s per core.

When the optional ``google-crc32c`` package (C, hardware CRC instructions;
``pip install minitf[fast]``) is installed, large inputs go through it
instead (several GB/s); both give the same values (tested).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

__all__ = ["crc32c", "crc32c_many", "crc32c_numpy", "mask", "parallel_map", "unmask"]

_POLY = 0x82F63B78  # reflected Castagnoli polynomial
_MASK_DELTA = 0xA282EAD8
_SMALL = 4096  # below this, a plain table loop is cheaper than setup
_CHUNK = 128  # bytes per lane in the vectorized pass
_BLOCK = 2 << 20  # bytes per block: lane registers and the 16-bit table stay in cache


def _make_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table[i] = c
    return table


try:  # optional accelerator
    import google_crc32c as _google

    _HAVE_C = _google.implementation == "c"
except ImportError:  # pragma: no cover - depends on the environment
    _google, _HAVE_C = None, False
_C_STEP = 4 << 20  # google_crc32c takes bytes only: copy this much at a time

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


@functools.lru_cache(maxsize=1)
def _table16() -> np.ndarray:
    """Register update for two data bytes at once: 65536 entries (256 KiB)."""
    regs = np.arange(1 << 16, dtype=np.uint32)
    for _ in range(2):
        regs = _TABLE[regs & 0xFF] ^ (regs >> 8)
    return regs


def _block_register(buf: np.ndarray) -> int:
    """Raw register after ``buf`` starting from 0, computed in parallel lanes
    of ``_CHUNK`` bytes advanced two bytes per step, then folded.

    Leading zero bytes do not change a zero register, so the buffer is
    left-padded with zeros to a whole number of chunks.
    """
    pad = (-buf.size) % _CHUNK
    if pad:
        buf = np.concatenate([np.zeros(pad, dtype=np.uint8), buf])
    lanes = buf.view("<u2").reshape(-1, _CHUNK // 2).T.copy()  # (CHUNK/2, n_lanes)
    table = _table16()
    regs = np.zeros(lanes.shape[1], dtype=np.uint32)
    low = np.empty_like(regs)
    for row in lanes:
        np.bitwise_xor(regs, row, out=regs)
        np.bitwise_and(regs, 0xFFFF, out=low)
        np.right_shift(regs, 16, out=regs)
        np.bitwise_xor(regs, table[low], out=regs)
    span = _CHUNK
    while regs.size > 1:  # fold neighbours: reg(a+b) = shift_b(reg(a)) ^ reg(b)
        if regs.size % 2:  # a zero chunk in front is the identity
            regs = np.concatenate([np.zeros(1, dtype=np.uint32), regs])
        left, right = regs[0::2], regs[1::2]
        regs = _apply_operator(_operator_tables(span), left) ^ right
        span *= 2
    return int(regs[0])


def _register_from(reg: int, buf: np.ndarray) -> int:
    """Advances ``reg`` over ``buf`` block by block (blocks sized to stay in
    cache): reg(r, D) = zeros_op(len D) @ r  ^  reg(0, D), by linearity."""
    for start in range(0, buf.size, _BLOCK):
        block = buf[start:start + _BLOCK]
        reg = _mat_vec(_zeros_operator(int(block.size)), reg) ^ _block_register(block)
    return reg


def _bytes_of(data: bytes | bytearray | memoryview | np.ndarray) -> np.ndarray:
    """`data`'s bytes as a flat uint8 array (no copy when already contiguous)."""
    if isinstance(data, np.ndarray):
        return np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    return np.frombuffer(data, dtype=np.uint8)


def crc32c(data: bytes | bytearray | memoryview | np.ndarray, crc: int = 0) -> int:
    """CRC-32C of ``data``; pass a previous result as ``crc`` to extend it."""
    buf = _bytes_of(data)
    if _HAVE_C and buf.size >= _SMALL:
        crc &= 0xFFFFFFFF
        for i in range(0, buf.size, _C_STEP):
            crc = _google.extend(crc, buf[i:i + _C_STEP].tobytes())
        return crc
    return crc32c_numpy(buf, crc)


def crc32c_numpy(data: bytes | bytearray | memoryview | np.ndarray, crc: int = 0) -> int:
    """:func:`crc32c` computed with numpy only (what runs without google-crc32c)."""
    buf = _bytes_of(data)
    start = (crc ^ 0xFFFFFFFF) & 0xFFFFFFFF
    if buf.size < _SMALL:
        return _register_small(start, buf.tobytes()) ^ 0xFFFFFFFF
    return _register_from(start, buf) ^ 0xFFFFFFFF


_T = TypeVar("_T")
_R = TypeVar("_R")
_PARALLEL_BYTES = 8 << 20  # below this, threads cost more than they save


def parallel_map(fn: Callable[[_T], _R], items: Iterable[_T], nbytes: int) -> list[_R]:
    """``[fn(x) for x in items]``, on up to 4 threads when ``nbytes`` is large
    and the numpy CRC is in use: numpy releases the GIL in its vector loop, so
    checksums of several tensors run on several cores."""
    items = list(items)
    workers = min(4, os.cpu_count() or 1, len(items))
    if workers < 2 or nbytes < _PARALLEL_BYTES or _HAVE_C:  # the C path is fast and holds the GIL
        return [fn(x) for x in items]
    with ThreadPoolExecutor(workers, thread_name_prefix="minitf-crc") as pool:
        return list(pool.map(fn, items))


def crc32c_many(buffers: Sequence[bytes | bytearray | memoryview | np.ndarray]) -> list[int]:
    """CRC-32C of each buffer, in parallel for large inputs."""
    total = sum(np.asarray(b).nbytes if isinstance(b, np.ndarray) else len(memoryview(b).cast("B"))
                for b in buffers)
    return parallel_map(crc32c, buffers, total)


def mask(crc: int) -> int:
    """TF/LevelDB masking: rotate right by 15 and add a constant."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Inverse of :func:`mask`."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
