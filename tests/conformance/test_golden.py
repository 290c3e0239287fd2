"""The golden files (``golden/*.json``) are complete, current and still what TF says.

* ``test_golden_is_current``: each file was recorded from today's scenario sources (its
  ``sources_digest``) and holds a log for exactly the family's scenarios;
* ``test_golden_logs_are_meaningful``: no log holds an uncaught error, and each
  scenario's log says more than "ok";
* ``test_golden_matches_tensorflow``: re-runs every scenario, and every fourth program of
  the property tier, under real TensorFlow and compares with the golden logs (about 15 s,
  most of it importing TF).  This is the one test of the suite that imports TensorFlow.
"""

import pytest

import golden
import programs
import scenarios
from backends import TFBackend, diff_logs
from recorder import roundtrip

NAMES = [*scenarios.FAMILIES, golden.PROGRAMS]
PROGRAM_SAMPLE_STRIDE = 4


def _load(name):
    data = golden.load(name)
    if data is None:
        pytest.fail(f"{golden.path(name)} is missing: run `make golden`", pytrace=False)
    return data


@pytest.mark.parametrize("name", NAMES)
def test_golden_is_current(name):
    data = _load(name)
    assert data["sources_digest"] == golden.sources_digest(name), (
        f"golden/{name}.json was recorded from other sources: run `make golden` and review the diff"
    )
    if name != golden.PROGRAMS:
        assert sorted(data["logs"]) == sorted(scenarios.family_scenarios(name))


@pytest.mark.parametrize("name", NAMES)
def test_golden_logs_are_meaningful(name):
    for key, log in _load(name)["logs"].items():
        uncaught = [entry for entry in log if entry[0] == "<uncaught>"]
        assert not uncaught, f"{name}: {key} raised under TF: {uncaught}"
        if name != golden.PROGRAMS:  # a program may log nothing (a call with no template)
            assert any(entry[1] != ["ok"] for entry in log), f"{name}: {key} logs nothing but 'ok'"


_tf = None


def tf_backend():
    global _tf
    if _tf is None:
        pytest.importorskip("tensorflow", reason="re-checking the golden files needs TensorFlow")
        _tf = TFBackend()
    return _tf


def _cases(name):
    if name != golden.PROGRAMS:
        return scenarios.family_scenarios(name).items()
    sources = {golden.program_key(s): s for s in programs.sample_programs()}
    keys = sorted(set(sources) & set(golden.load(name)["logs"]))
    if not keys:
        pytest.skip(
            "the installed Hypothesis draws none of the recorded programs (see test_properties.py)"
        )
    return [(key, programs.replay(sources[key])) for key in keys[::PROGRAM_SAMPLE_STRIDE]]


@pytest.mark.parametrize("name", NAMES)
def test_golden_matches_tensorflow(name):
    data = _load(name)
    backend = tf_backend()
    cases = _cases(name)
    assert cases
    differ = []
    for key, fn in cases:
        expected = data["logs"].get(key)
        actual = roundtrip(backend.run(fn))
        if actual != expected:
            differ.append(f"{key}:\n{diff_logs(expected or [], actual, 'golden', 'tensorflow')}")
    assert not differ, (
        f"golden/{name}.json (TF {data['recorded_with']['tensorflow']}) is not what TF "
        f"{golden.tf_version()} says now; `make golden` re-records it:\n" + "\n".join(differ)
    )
