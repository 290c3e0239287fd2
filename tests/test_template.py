"""make_template: shared variables across calls, TF1 naming and errors.

Run with MINITF_SPEC_BACKEND=tf to check the expectations against real TF.
"""
import re

import pytest

from spec_backend import tf


def linear(x_unused, size=2):
    return tf.get_variable("w", [size])


def test_calls_share_variables(graph):
    t = tf.make_template("lin", linear)
    a = t(None)
    b = t(None)
    assert a is b
    assert a.name == "lin/w:0"
    assert [v.name for v in tf.global_variables()] == ["lin/w:0"]


def test_two_templates_with_one_name_are_uniquified(graph):
    t1 = tf.make_template("lin", linear)
    t2 = tf.make_template("lin", linear)
    assert t1(None).name == "lin/w:0"
    assert t2(None).name == "lin_1/w:0"


def test_kwargs_are_bound(graph):
    t = tf.make_template("lin", linear, size=5)
    assert tuple(t(None).shape) == (5,)


def test_create_scope_now_and_unique_name(graph):
    t = tf.make_template("lin", linear, create_scope_now_=True)
    assert t.variable_scope.name == "lin"
    u = tf.make_template("lin", linear, unique_name_="custom")
    assert u(None).name == "custom/w:0"
    assert t(None).name == "lin/w:0"


def test_template_properties(graph):
    t = tf.make_template("lin", linear)
    assert t.variable_scope_name is None
    t(None)
    assert t.name == "lin"
    assert t.variable_scope_name == "lin/"
    assert [v.name for v in t.trainable_variables] == ["lin/w:0"]
    assert [v.name for v in t.variables] == ["lin/w:0"]


def test_new_trainable_variable_on_second_call_is_an_error(graph):
    def bad(x):
        return tf.Variable(1.0, name="v")

    t = tf.make_template("bad", bad)
    t(None)
    with pytest.raises(ValueError) as err:
        t(None)
    assert str(err.value).startswith(
        "Trainable variable created when calling a template after the first time, perhaps "
        "you used tf.Variable when you meant tf.get_variable:")
    assert "originally defined at:" in str(err.value)


def test_template_inside_variable_scope(graph):
    with tf.variable_scope("outer"):
        t = tf.make_template("lin", linear)
        a = t(None)
    with tf.variable_scope("other"):
        b = t(None)
    assert a is b and a.name == "outer/lin/w:0"


def test_name_none_is_an_error(graph):
    with pytest.raises(ValueError, match=re.escape("name cannot be None.")):
        tf.make_template(None, linear)
