"""Golden files: TensorFlow's recorded logs, committed under ``golden/``.

``golden/<family>.json`` holds TF's log for every scenario of one rule family;
``golden/programs.json`` holds TF's log for every program the property tier draws, keyed
by a hash of the program's source (the sources are not stored: ``programs.sample_programs``
regenerates them).  Each file also stores ``sources_digest``, a hash of
the code its logs depend on (the family module or ``programs.py``, plus the shared
helpers, recorder and backends); when that code changes the golden file is stale and
``test_golden.py`` says to re-record it with ``make golden`` (``record.py``).

Scenario logs are written one entry per line and program logs one log per line, so that
a re-recording diffs readably.
"""

import hashlib
import json
import os
from importlib.metadata import PackageNotFoundError, version

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.join(HERE, "golden")
PROGRAMS = "programs"

_SHARED_SOURCES = ("recorder.py", "backends.py", os.path.join("scenarios", "common.py"))


def package_version(*dists):
    """The installed version of the first distribution found, or None."""
    for dist in dists:
        try:
            return version(dist)
        except PackageNotFoundError:
            continue
    return None


def tf_version():
    return package_version("tensorflow-cpu", "tensorflow")


def _read(relpath):
    with open(os.path.join(HERE, relpath), encoding="utf-8") as f:
        return f.read()


def sources_digest(name):
    """Hash of the sources that golden file ``name`` was recorded from."""
    own = "programs.py" if name == PROGRAMS else os.path.join("scenarios", name + ".py")
    h = hashlib.sha256()
    for relpath in (own, *_SHARED_SOURCES):
        h.update(relpath.encode())
        h.update(b"\0")
        h.update(_read(relpath).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def program_key(source):
    """The key of a program in ``golden/programs.json``."""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def path(name):
    return os.path.join(GOLDEN_DIR, name + ".json")


def load(name):
    """The golden file ``name`` as a dict, or None if it does not exist."""
    try:
        with open(path(name), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def _dump_log(log):
    if not log:
        return "[]"
    return "[\n" + ",\n".join("   " + json.dumps(e, sort_keys=True) for e in log) + "\n  ]"


def dump(name, header, logs, *, one_line=False):
    """Write golden file ``name``: the ``header`` fields, then ``logs`` (key -> log) with
    one log entry per line, or one log per line when ``one_line``."""

    def render(log):
        return json.dumps(log, sort_keys=True) if one_line else _dump_log(log)

    head = "".join(
        f" {json.dumps(k)}: {json.dumps(v, sort_keys=True)},\n" for k, v in header.items()
    )
    rows = ",\n".join(f"  {json.dumps(key)}: {render(log)}" for key, log in sorted(logs.items()))
    text = "{\n" + head + ' "logs": {\n' + rows + "\n }\n}\n"
    json.loads(text)  # the hand-made layout must still be JSON
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    with open(path(name), "w", encoding="utf-8") as f:
        f.write(text)
