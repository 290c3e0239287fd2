"""Differential conformance: every scenario's minitf log must equal TensorFlow's, as
recorded in ``golden/<family>.json`` (no TensorFlow needed here; ``test_golden.py``
checks that the golden files are current and still what TF says)."""

import pytest

import golden
import scenarios
from backends import MinitfBackend, diff_logs
from recorder import roundtrip

SCENARIOS = scenarios.all_scenarios()

# The figure README.md quotes; change both together.
EXPECTED_SCENARIOS = 249


def test_scenario_count():
    assert len(SCENARIOS) == EXPECTED_SCENARIOS


_golden_logs: dict[str, dict] = {}


def golden_log(family, name):
    if family not in _golden_logs:
        data = golden.load(family)
        _golden_logs[family] = {} if data is None else data["logs"]
    log = _golden_logs[family].get(name)
    if log is None:
        pytest.fail(f"no golden log for {family}.{name}: run `make golden`", pytrace=False)
    return log


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_conformance(name):
    family, fn = SCENARIOS[name]
    expected = golden_log(family, name)
    backend = MinitfBackend()
    actual = roundtrip(backend.run(fn))
    if actual != expected:
        msg = f"minitf differs from TensorFlow in {family}.{name}:\n{diff_logs(expected, actual)}"
        if backend.last_traceback:
            msg += "\n\nminitf traceback:\n" + backend.last_traceback
        pytest.fail(msg, pytrace=False)
