"""The recorder a scenario logs through, and the normalisation that makes its log
comparable across TensorFlow and minitf.

A log is a list of ``[label, value]`` pairs whose values are plain JSON (numbers
rounded, arrays as lists, errors as ``["raised", type, first line of message]``), so
that TF's logs can be stored as golden files and compared with minitf's for equality.
"""

import json
import re

import numpy as np

_ADDR_RE = re.compile(r" at 0x[0-9a-fA-F]+")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]{6,}")
_ANGLE_RE = re.compile(r"<[^<>]*>")


def normalize_message(msg):
    """Normalise an exception message so that TF and minitf can be compared.

    * TF appends ``Originally defined at:\\n\\n<traceback>`` to "already
      exists" errors (minitf adds its own creation site): keep only the text
      before `` Originally defined at``.
    * Object reprs (``<function f at 0x...>``, ``<tf.Variable ...>``) differ
      by backend: replace every ``<...>`` by ``<obj>``.
    * Collapse whitespace; keep the first line only.
    """
    msg = str(msg)
    idx = msg.find("Originally defined at")
    if idx >= 0:
        msg = msg[:idx]
    msg = _ADDR_RE.sub("", msg)
    msg = _HEX_RE.sub("0x?", msg)
    # Nested reprs: apply until stable.
    prev = None
    while prev != msg:
        prev = msg
        msg = _ANGLE_RE.sub("<obj>", msg)
    msg = msg.strip().split("\n")[0].strip()
    msg = re.sub(r"\s+", " ", msg)
    return msg


def _jsonable(value):
    """Convert an observation into a JSON-compatible, backend-neutral value."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 6)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    if isinstance(value, np.ndarray):
        if value.dtype == np.bool_ or np.issubdtype(value.dtype, np.integer):
            return value.tolist()
        return _jsonable(np.round(value.astype(np.float64), 5).tolist())
    if isinstance(value, np.bool_):
        return bool(value)
    # Fallback: something odd got logged; keep a neutral tag, not a repr or a
    # type name (both differ by backend by design).
    return "<object>"


def _is_simple(value):
    if value is None or isinstance(value, (bool, str, int, float, np.integer, np.floating)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_simple(v) for v in value)
    return False


# ---------------------------------------------------------------------------
# Recorder
# ---------------------------------------------------------------------------


class Recorder:
    """Collects ``[label, value]`` observations for one scenario run."""

    def __init__(self, backend):
        self.backend = backend
        self.tf = backend.tf
        self.log = []

    # -- logging --------------------------------------------------------
    def __call__(self, label, value):
        self.log.append([label, _jsonable(value)])
        return value

    def expect_error(self, fn, label):
        """Run ``fn``; log either its error (type, normalised message) or
        that it succeeded.  Returns fn's result (or None on error)."""
        try:
            result = fn()
        except Exception as e:
            self.log.append([label, ["raised", type(e).__name__, normalize_message(e)]])
            return None
        if _is_simple(result):
            self.log.append([label, ["ok", _jsonable(result)]])
        else:
            self.log.append([label, ["ok"]])
        return result

    def err(self, label, e):
        """Log an exception caught by the caller."""
        self.log.append([label, ["raised", type(e).__name__, normalize_message(e)]])

    def error_type(self, fn, label):
        """Like expect_error, but log only the exception type (for errors
        whose wording is not part of the contract)."""
        try:
            result = fn()
        except Exception as e:
            self.log.append([label, ["raised", type(e).__name__]])
            return None
        self.log.append([label, ["ok"]])
        return result

    # -- adapters -------------------------------------------------------
    def shape(self, v):
        return self.backend.shape(v)

    def dtype(self, v):
        return self.backend.dtype_name(v)

    def dtype_of(self, dt):
        return self.backend.dtype_obj_name(dt)

    def reuse(self, scope):
        return self.backend.reuse(scope)

    def value(self, v):
        return self.backend.value(v)

    def var(self, label, v):
        """Log name, shape and dtype of a variable under ``label.*``."""
        self(label + ".name", v.name)
        self(label + ".shape", self.shape(v))
        self(label + ".dtype", self.dtype(v))

    def names(self, label, seq):
        self(label, [x.name for x in seq])

    def same(self, label, a, b):
        self(label, a is b)


def roundtrip(log):
    """``log`` as it reads back from JSON (tuples become lists), for comparisons."""
    return json.loads(json.dumps(log))
