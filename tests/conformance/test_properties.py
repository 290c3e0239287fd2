"""Property tier: random scoping programs (``programs.py``) run under minitf, each log
compared with TensorFlow's.

The 500 programs are drawn with a fixed seed, so TF's logs come from
``golden/programs.json`` and this tier needs no TensorFlow.  Under a Hypothesis version
other than the one the golden file was recorded with, the draws may differ: the programs
the golden file lacks are run under TF live (cached in ``.tf_cache/``); its time is
bounded by the 500 examples (TF takes about 20 ms a program).  On a mismatch Hypothesis
shrinks the program and prints it as a scenario to paste into a family module.
"""

import hashlib

import pytest
from hypothesis import given, note, seed

import golden
import tf_cache
from backends import MinitfBackend, diff_logs
from programs import SEED, as_scenario, hypothesis_settings, programs, render, replay
from recorder import roundtrip

_GOLDEN = golden.load(golden.PROGRAMS) or {"logs": {}, "recorded_with": {}}
_misses: list[str] = []


@pytest.fixture(autouse=True, scope="module")
def _configure_cache(request):
    tf_cache.set_enabled(not request.config.getoption("--no-tf-cache"))


def tf_program_log(source):
    """TF's log for ``source``: from the golden file, else live (and cached)."""
    log = _GOLDEN["logs"].get(golden.program_key(source))
    if log is not None:
        return log
    _misses.append(source)
    key = tf_cache.make_key("program", source)
    return tf_cache.cached_tf_log("properties", key, lambda backend: backend.run(replay(source)))


def test_render_is_valid_python():
    src = render(
        [
            (
                "vs_str",
                "a",
                "None",
                [("get_var", "v", "[1]", "None"), ("ns_captured", 0, [("observe",)])],
            )
        ]
    )
    compile(src, "<program>", "exec")


def test_programs_agree():
    _misses.clear()
    _programs_agree()
    recorded = _GOLDEN["recorded_with"].get("hypothesis")
    if recorded == golden.package_version("hypothesis"):
        # Same Hypothesis, same seed: every program must come from the golden file.
        assert not _misses, (
            f"{len(_misses)} programs not in golden/programs.json: run `make golden`"
        )


@seed(SEED)
@hypothesis_settings()
@given(program=programs)
def _programs_agree(program):
    source = render(program)
    expected = tf_program_log(source)
    backend = MinitfBackend()
    actual = roundtrip(backend.run(replay(source)))
    if actual != expected:
        digest = hashlib.sha256(source.encode()).hexdigest()[:10]
        msg = "minitf differs from TensorFlow on program {}:\n\n{}\n{}".format(
            digest,
            as_scenario(source, f"scenario_hypothesis_{digest}"),
            diff_logs(expected, actual),
        )
        if backend.last_traceback:
            msg += "\n\nminitf traceback:\n" + backend.last_traceback
        note(msg)
        raise AssertionError(msg)
