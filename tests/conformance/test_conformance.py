"""Differential conformance: every scenario in scenarios.py must produce the
same log under real TensorFlow (compat.v1, graph mode) and under minitf.

* ``test_tf_sanity[...]``: the scenario runs under TF, without an uncaught
  exception, and logs something (needs no minitf).
* ``test_conformance[...]``: TF log (cached in .tf_cache/) == minitf log;
  skipped via ``pytest.importorskip("minitf")`` while minitf is missing, or
  with ``--tf-only``.
"""

import inspect

import pytest

import scenarios
import tf_cache
from backends import diff_logs

SCENARIOS = sorted(n for n in dir(scenarios) if n.startswith("scenario_"))


def _helpers_source():
    parts = []
    for name in sorted(dir(scenarios)):
        obj = getattr(scenarios, name)
        if name.startswith("_") and not name.startswith("__") and inspect.isfunction(obj):
            parts.append(inspect.getsource(obj))
    return "\n".join(parts)


_HELPERS = _helpers_source()


def scenario_key(name):
    return tf_cache.make_key(name, inspect.getsource(getattr(scenarios, name)), _HELPERS)


@pytest.fixture(autouse=True, scope="session")
def _configure_cache(request):
    tf_cache.set_enabled(not request.config.getoption("--no-tf-cache"))


def tf_log(name):
    fn = getattr(scenarios, name)
    return tf_cache.cached_tf_log("scenarios", scenario_key(name), lambda backend: backend.run(fn))


_minitf_backend = None


def minitf_backend():
    global _minitf_backend
    if _minitf_backend is None:
        from backends import MinitfBackend

        _minitf_backend = MinitfBackend()
    return _minitf_backend


def test_scenario_count():
    assert len(SCENARIOS) >= 120, len(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_tf_sanity(name):
    log = tf_log(name)
    assert log, "scenario %s logged nothing under TF" % name
    uncaught = [e for e in log if e[0] == "<uncaught>"]
    assert not uncaught, "scenario %s raised under TF: %r" % (name, uncaught)
    # Non-trivial: at least one observation that is not a bare "ok".
    assert any(e[1] != ["ok"] for e in log), log


@pytest.mark.parametrize("name", SCENARIOS)
def test_conformance(name, request):
    if request.config.getoption("--tf-only"):
        pytest.skip("--tf-only")
    expected = tf_log(name)
    pytest.importorskip("minitf")
    backend = minitf_backend()
    actual = tf_cache.roundtrip(backend.run(getattr(scenarios, name)))
    if actual != expected:
        msg = "minitf differs from TensorFlow in %s:\n%s" % (name, diff_logs(expected, actual))
        if backend.last_traceback:
            msg += "\n\nminitf traceback:\n" + backend.last_traceback
        pytest.fail(msg, pytrace=False)
