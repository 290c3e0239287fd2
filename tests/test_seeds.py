"""Every seed tutorial runs under minitf at top level and prints what TF1 prints.

The expected values were recorded from tensorflow.compat.v1 (TF 2.21, graph
mode) by running the same functions (tests/seed_programs.py); the differential
tier (tests/conformance) re-runs them under real TensorFlow live.
"""
import json
import pathlib

import pytest

import minitf as tf
import seed_programs

EXPECTED = json.loads((pathlib.Path(__file__).parent / "data" / "seeds_tf_2.21.json").read_text())


def _first_paragraph(value):
    # minitf adds near names / creation sites after TF's text, separated by a blank line.
    return value.split("\n\n")[0] if isinstance(value, str) else value


@pytest.mark.parametrize("program", seed_programs.ALL, ids=lambda f: f.__name__)
def test_seed_prints_what_tf_prints(program):
    with tf.Graph().as_default():
        got = program(tf)
    got = json.loads(json.dumps([_first_paragraph(v) for v in got]))
    assert got == EXPECTED[program.__name__]


def test_seed_runs_in_the_global_default_graph():
    tf.reset_default_graph()
    got = seed_programs.zh_variable_scope_reuse(tf)
    assert got[0] == "a_variable_scope/var3:0"
    assert [v.name for v in tf.global_variables()] == [
        "a_variable_scope/var3:0", "a_variable_scope/var4:0", "a_variable_scope/var4_1:0"]
    tf.reset_default_graph()
    assert tf.global_variables() == []
