"""Build `Summary` protos (scalar, histogram, image) from host or device arrays.

These are the TF1 "summary ops" minus the graph: each function takes concrete
values (numpy, Python numbers, or jax arrays straight out of a jitted step,
which are copied to the host here) and returns a `summary_pb2.Summary` that a
`FileWriter` can add at a step. Legacy value kinds (`simple_value`, `histo`,
`image`) are used because every TensorBoard version reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import numpy as np
from tensorboard.compat.proto import summary_pb2

from ._png import encode_png

Summary = summary_pb2.Summary


def to_host(value: Any) -> np.ndarray:
    """Copy `value` (jax array, numpy array, number) to a numpy array.

    For a jax array this blocks until the device has computed it. ml_dtypes
    types numpy does not know as numbers (bfloat16, float8_*) become float32.
    """
    array = np.asarray(value)
    if array.dtype.kind == "V":
        with contextlib.suppress(TypeError, ValueError):
            array = array.astype(np.float32)
    return array


def _real_numbers(what: str, array: np.ndarray) -> np.ndarray:
    """Refuses what TF1's summary ops refuse: complex, strings, objects."""
    if array.dtype.kind == "c":
        raise TypeError(
            f"{what} got complex values (dtype {array.dtype}); TF's summary ops accept "
            "only real numbers. Log np.real(x) and np.imag(x) (or np.abs(x)) separately.")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{what} needs real numbers, got dtype {array.dtype}")
    return array


def _check_tag(tag: str) -> str:
    if not isinstance(tag, str) or not tag:
        raise ValueError(f"summary tag must be a non-empty string, got {tag!r}")
    return tag


def scalar_pb(tag: str, value: Any) -> Summary:
    """A summary holding one scalar (any single-element array or number)."""
    array = _real_numbers(f"scalar summary {tag!r}", to_host(value))
    if array.size != 1:
        raise ValueError(
            f"scalar summary {tag!r} needs a single value, got shape {array.shape}")
    # NaN and inf are written as they are, as TF's scalar summary does.
    return Summary(value=[Summary.Value(tag=_check_tag(tag),
                                        simple_value=float(array.reshape(())))])


def histogram_pb(tag: str, values: Any, bins: int = 30) -> Summary:
    """A summary holding a histogram of `values` (any shape, flattened).

    Buckets are `bins` equal-width bins between min and max. Like TF1, NaN or
    infinite values are an error rather than silently dropped.
    """
    data = _real_numbers(f"histogram {tag!r}", to_host(values)).astype(np.float64).ravel()
    if not np.all(np.isfinite(data)):
        bad = int(np.sum(~np.isfinite(data)))
        raise ValueError(f"histogram {tag!r}: {bad} of {data.size} values are NaN or inf")
    histo = summary_pb2.HistogramProto(num=float(data.size))
    if data.size:
        lo, hi = float(data.min()), float(data.max())
        counts, edges = np.histogram(data, bins=bins, range=(lo, hi) if hi > lo else None)
        histo.min, histo.max = float(edges[0]), float(edges[-1])
        histo.sum = float(data.sum())
        histo.sum_squares = float(np.dot(data, data))
        # TensorBoard reads bucket i as (bucket_limit[i-1], bucket_limit[i]],
        # with `min` as the first left edge.
        histo.bucket_limit.extend(edges[1:].tolist())
        histo.bucket.extend(counts.astype(np.float64).tolist())
    return Summary(value=[Summary.Value(tag=_check_tag(tag), histo=histo)])


def to_uint8_images(image: Any) -> np.ndarray:
    """Normalise HxW, HxWxC or NHWC data to a uint8 NHWC array (C in 1..4).

    Floats are taken to be in [0, 1] (clipped), bools map to 0/255, integer
    types must already lie in [0, 255].
    """
    array = to_host(image)
    if array.ndim == 2:
        array = array[None, :, :, None]
    elif array.ndim == 3:
        if array.shape[-1] not in (1, 2, 3, 4):
            raise ValueError(
                f"a 3-d image must be HxWxC with C in 1..4, got shape {array.shape}; "
                f"pass a batch of grayscale images as NxHxWx1")
        array = array[None]
    elif array.ndim != 4 or array.shape[-1] not in (1, 2, 3, 4):
        raise ValueError(
            f"image must be HxW, HxWxC or NHWC with C in 1..4, got shape {array.shape}")

    if array.dtype == np.uint8:
        return array
    if array.dtype == np.bool_:
        return array.astype(np.uint8) * 255
    if np.issubdtype(array.dtype, np.integer):
        if array.size and (array.min() < 0 or array.max() > 255):
            raise ValueError(
                f"integer image values must lie in [0, 255], got "
                f"[{array.min()}, {array.max()}]")
        return array.astype(np.uint8)
    if np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float32)
        if np.isnan(array).any():
            raise ValueError("image contains NaN")
        return np.round(np.clip(array, 0.0, 1.0) * 255.0).astype(np.uint8)
    raise TypeError(f"unsupported image dtype {array.dtype}")


def image_pb(tag: str, image: Any, max_outputs: int = 3) -> Summary:
    """A summary holding PNG-encoded images.

    A single image is written under `tag`; a batch of N > 1 images under
    `tag/0`, `tag/1`, ... for the first `max_outputs` of them.
    """
    _check_tag(tag)
    batch = to_uint8_images(image)
    n = batch.shape[0]
    values = []
    for i in range(min(n, max_outputs)):
        img = batch[i]
        height, width, channels = img.shape
        values.append(Summary.Value(
            tag=tag if n == 1 else f"{tag}/{i}",
            image=Summary.Image(height=height, width=width, colorspace=channels,
                                encoded_image_string=encode_png(img))))
    return Summary(value=values)


def merge(summaries: Iterable[Summary]) -> Summary:
    """Concatenate the values of several summaries (TF1's `merge`)."""
    merged = Summary()
    for s in summaries:
        merged.value.extend(s.value)
    return merged
