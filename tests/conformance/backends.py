"""The two backends a scenario runs under: real TensorFlow (``tensorflow.compat.v1``,
graph mode) and minitf, each with the adapters the recorder needs (shape, dtype and value
of a variable), plus a readable diff of two logs.

A scenario is a function ``scenario_xxx(tf, rec)`` written against the TF1 scoping API
both modules share; ``Backend.run`` runs it in a fresh default graph and returns its log.
TensorFlow is imported only when a ``TFBackend`` is first built.
"""

import difflib
import json
import os
import traceback

import numpy as np

from recorder import Recorder, normalize_message


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
            except Exception as e:
                rec.log.append(["<uncaught>", [type(e).__name__, normalize_message(e)]])
                self.last_traceback = traceback.format_exc()
        return rec.log

    def reuse(self, scope):
        r = scope.reuse
        if r is self.tf.AUTO_REUSE:
            return "AUTO_REUSE"
        if r is True or r is False or r is None:
            return r
        return f"<{r!r}>"


class TFBackend(Backend):
    name = "tensorflow"
    _tf = None

    def __init__(self):
        if TFBackend._tf is None:
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
        tf = self.tf
        with tf.Session(graph=v.graph) as sess:
            sess.run(tf.global_variables_initializer())
            return np.asarray(sess.run(v))


def log_to_text(log):
    return [json.dumps(entry, sort_keys=True) for entry in log]


def diff_logs(expected, actual, a_name="tensorflow", b_name="minitf"):
    """Readable unified diff between two logs ('' if equal)."""
    if expected == actual:
        return ""
    lines = difflib.unified_diff(
        log_to_text(expected), log_to_text(actual), fromfile=a_name, tofile=b_name, lineterm="", n=3
    )
    return "\n".join(lines)
