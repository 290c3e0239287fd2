"""On-disk cache of live TensorFlow logs (``tests/conformance/.tf_cache/``, gitignored).

Only the property tier uses it, for programs that ``golden/programs.json`` does not hold
(a Hypothesis version that draws other programs).  Logs are keyed by a hash of the
program source, the recorder, the backends and the TF version, so a stale entry is never
used; when an entry is missing TensorFlow is run for real."""

import hashlib
import json
import os
import tempfile

import golden
from backends import TFBackend
from recorder import roundtrip

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE_DIR = os.path.join(HERE, ".tf_cache")

_enabled = True
_tf_backend = None


def set_enabled(flag):
    global _enabled
    _enabled = flag


def _source(filename):
    with open(os.path.join(HERE, filename), encoding="utf-8") as f:
        return f.read()


def make_key(*parts):
    h = hashlib.sha256()
    for p in (golden.tf_version() or "?", _source("recorder.py"), _source("backends.py"), *parts):
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def tf_backend():
    global _tf_backend
    if _tf_backend is None:
        _tf_backend = TFBackend()
    return _tf_backend


def _atomic_write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def cached_tf_log(bucket, key, run):
    """Return the TF log for ``key`` from ``.tf_cache/<bucket>.json`` or
    compute it with ``run(tf_backend())`` and store it."""
    path = os.path.join(CACHE_DIR, bucket + ".json")
    data = {}
    if _enabled and os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            data = {}
        if key in data:
            return data[key]
    log = roundtrip(run(tf_backend()))
    if _enabled:
        # Re-read to merge concurrent writers (pytest-xdist), then write.
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            data = {}
        data[key] = log
        _atomic_write(path, data)
    return log
