"""CRC-32C: known values, the numpy path against a byte loop and against the
optional google-crc32c C path, extension, and the parallel helper."""

from __future__ import annotations

import numpy as np
import pytest

from minitf.checkpoint import crc32c as impl


def _byte_loop(data: bytes, crc: int = 0) -> int:
    return impl._register_small((crc ^ 0xFFFFFFFF) & 0xFFFFFFFF, data) ^ 0xFFFFFFFF


def test_known_values():
    # 0xE3069283 is the check value.
    assert impl.crc32c(b"123456789") == impl.crc32c_numpy(b"123456789") == 0xE3069283
    assert impl.crc32c(b"") == 0
    assert impl.crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720 B.4: 32 zero bytes
    assert impl.crc32c(b"\xff" * 32) == 0x62A8AB43


@pytest.mark.parametrize("n",
                         [1, 4095, 4096, 4097, 5000, 65536 + 3, (2 << 20) + 129, (4 << 20) + 7])
def test_numpy_path_matches_byte_loop_and_extends(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8)
    got = impl.crc32c_numpy(data)
    if n < 70000:
        assert got == _byte_loop(data.tobytes())
    k = n // 3
    assert impl.crc32c_numpy(data[k:], impl.crc32c_numpy(data[:k])) == got
    assert impl.crc32c(data) == got  # the C path, where installed, agrees
    assert impl.crc32c(data[k:], impl.crc32c(data[:k])) == got


def test_c_accelerator_is_used_when_installed():
    pytest.importorskip("google_crc32c")
    assert impl._HAVE_C  # installed by the test extra; without it the numpy path runs


def test_parallel_map_keeps_order(monkeypatch):
    monkeypatch.setattr(impl, "_HAVE_C", False)  # the threaded numpy path
    bufs = [np.full(3 << 20, i, np.uint8) for i in range(6)]
    assert impl.crc32c_many(bufs) == [impl.crc32c_numpy(b) for b in bufs]
    doubled = impl.parallel_map(lambda x: x * 2, range(10), nbytes=1 << 30)
    assert doubled == [x * 2 for x in range(10)]

