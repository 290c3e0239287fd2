"""Backends for the differential conformance suite.

Every scenario is a plain function ``scenario_xxx(tf, rec)`` that builds a
model with the shared TF1 scoping API and logs observations through ``rec``.
It is run once against real TensorFlow (``tensorflow.compat.v1`` in graph
mode) and once against ``minitf``; the two logs must be identical.

The recorder normalises everything into JSON-compatible values so that TF
logs can be cached on disk (see ``test_conformance.py``).
"""

import json
import re
import traceback

import numpy as np

# ---------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------

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


class UncaughtError(Exception):
    pass


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
        except Exception as e:  # noqa: BLE001 - we log every error
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
        except Exception as e:  # noqa: BLE001
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
        """Log name, shape, dtype (and trainable where available)."""
        self(label + ".name", v.name)
        self(label + ".shape", self.shape(v))
        self(label + ".dtype", self.dtype(v))

    def names(self, label, seq):
        self(label, [x.name for x in seq])

    def same(self, label, a, b):
        self(label, a is b)


# ---------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------


class Backend:
    name = "?"
    tf = None

    def run(self, scenario):
        """Run ``scenario(tf, rec)`` in a fresh default graph.  Returns the log.

        An exception escaping the scenario is logged as a final
        ``["<uncaught>", [type, message]]`` entry, so a crash shows up as a
        log difference instead of a test error."""
        rec = Recorder(self)
        self.last_traceback = None
        with self.tf.Graph().as_default() as g:
            self.graph = g
            try:
                scenario(self.tf, rec)
            except Exception as e:  # noqa: BLE001
                rec.log.append(["<uncaught>", [type(e).__name__, normalize_message(e)]])
                self.last_traceback = traceback.format_exc()
        return rec.log

    def reuse(self, scope):
        r = scope.reuse
        if r is self.tf.AUTO_REUSE:
            return "AUTO_REUSE"
        if r is True or r is False or r is None:
            return r
        return "<%r>" % (r,)


class TFBackend(Backend):
    name = "tensorflow"
    _tf = None

    def __init__(self):
        if TFBackend._tf is None:
            import os

            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            import tensorflow.compat.v1 as tf

            tf.disable_v2_behavior()
            tf.logging.set_verbosity(tf.logging.ERROR)
            TFBackend._tf = tf
        self.tf = TFBackend._tf

    def shape(self, v):
        s = v.shape
        if s.dims is None:
            return None
        return tuple(s.as_list())

    def dtype_name(self, v):
        return v.dtype.base_dtype.name

    def dtype_obj_name(self, dt):
        if dt is None:
            return None
        return self.tf.as_dtype(dt).base_dtype.name

    def value(self, v):
        tf = self.tf
        with tf.Session(graph=self.graph) as sess:
            sess.run(tf.global_variables_initializer())
            return np.asarray(sess.run(v))


class MinitfBackend(Backend):
    name = "minitf"
    _tf = None

    def __init__(self):
        if MinitfBackend._tf is None:
            import minitf

            MinitfBackend._tf = minitf
        self.tf = MinitfBackend._tf

    def shape(self, v):
        s = v.shape
        if s is None:
            return None
        if hasattr(s, "as_list"):
            try:
                return tuple(s.as_list())
            except ValueError:
                return None
        return tuple(int(d) if d is not None else None for d in s)

    def dtype_name(self, v):
        return self.dtype_obj_name(v.dtype)

    def dtype_obj_name(self, dt):
        if dt is None:
            return None
        base = getattr(dt, "base_dtype", None)
        if base is not None and hasattr(base, "name"):
            return base.name
        import jax.numpy as jnp

        try:
            return str(jnp.dtype(dt))
        except TypeError:
            return getattr(dt, "name", str(dt))

    def value(self, v):
        return np.asarray(v)


def log_to_text(log):
    return [json.dumps(entry, sort_keys=True) for entry in log]


def diff_logs(expected, actual, a_name="tensorflow", b_name="minitf"):
    """Readable unified diff between two logs ('' if equal)."""
    import difflib

    if expected == actual:
        return ""
    lines = difflib.unified_diff(
        log_to_text(expected), log_to_text(actual), fromfile=a_name, tofile=b_name, lineterm="", n=3
    )
    return "\n".join(lines)
