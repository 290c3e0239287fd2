"""`tf.device`: TF1's device placement scope, accepted and ignored.

TF1 code wraps ops in `with tf.device("/cpu:0"):` or `tf.device("/gpu:1")`.
Placement in minitf is JAX's: `jax.jit` on the default device, or the shardings
of `minitf.sharding` for a mesh. So `device` is a documented no-op that accepts
what TF1 accepts (a string, None, or a device function) and yields nothing.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["device"]


@contextlib.contextmanager
def device(device_name_or_function: Any) -> Iterator[None]:
    """A no-op context manager standing for `tf.device(...)` (placement is JAX's)."""
    if not (device_name_or_function is None or isinstance(device_name_or_function, str)
            or callable(device_name_or_function)):
        raise TypeError(f"device must be a string, None or a function; got "
                        f"{device_name_or_function!r}")
    yield
