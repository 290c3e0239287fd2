"""On-disk cache of TensorFlow logs (tests/conformance/.tf_cache/, gitignored).

Logs are keyed by a hash of the code that produced them (scenario source,
helpers, backends.py, TF version), so a stale entry is never used; when an
entry is missing TensorFlow is run for real."""

import hashlib
import json
import os
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE_DIR = os.path.join(HERE, ".tf_cache")

_enabled = True
_tf_backend = None


def set_enabled(flag):
    global _enabled
    _enabled = flag


def tf_version():
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return "?"
    for dist in ("tensorflow-cpu", "tensorflow"):
        try:
            return version(dist)
        except PackageNotFoundError:
            continue
    return "?"


def _backends_source():
    with open(os.path.join(HERE, "backends.py"), encoding="utf-8") as f:
        return f.read()


def make_key(*parts):
    h = hashlib.sha256()
    for p in (tf_version(), _backends_source()) + parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def tf_backend():
    global _tf_backend
    if _tf_backend is None:
        from backends import TFBackend

        _tf_backend = TFBackend()
    return _tf_backend


def _atomic_write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def roundtrip(log):
    return json.loads(json.dumps(log))


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
