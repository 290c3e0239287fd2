"""name_scope and variable_scope entry rules, as TF1 graph mode has them.

Run with MINITF_SPEC_BACKEND=tf to check every expectation against real TF.
"""
import re

import pytest

from spec_backend import tf


def names(*vs):
    return [v.name for v in vs]


def test_name_scope_yields_scope_string(graph):
    with tf.name_scope("a") as a:
        with tf.name_scope("b") as b:
            assert graph.get_name_scope() == "a/b"
    assert (a, b) == ("a/", "a/b/")


def test_name_scope_reopened_by_string_is_uniquified(graph):
    with tf.name_scope("a") as first:
        pass
    with tf.name_scope("a") as second:
        pass
    assert (first, second) == ("a/", "a_1/")


def test_name_scope_with_trailing_slash_reenters_exactly(graph):
    with tf.name_scope("a") as a:
        pass
    with tf.name_scope("other"):
        with tf.name_scope(a) as again:
            v = tf.Variable(1.0, name="v")
    assert again == "a/"
    assert v.name == "a/v:0"


def test_name_scope_none_resets_to_root(graph):
    with tf.name_scope("a"):
        with tf.name_scope(None) as root:
            v = tf.Variable(1.0, name="v")
    assert root == ""
    assert v.name == "v:0"


def test_name_scope_default_name(graph):
    with tf.name_scope(None, default_name="d") as d1:
        pass
    with tf.name_scope(None, default_name="d") as d2:
        pass
    assert (d1, d2) == ("d/", "d_1/")


def test_name_scope_invalid_root_name(graph):
    with pytest.raises(ValueError) as err:
        with tf.name_scope("a b"):
            pass
    assert str(err.value) == (
        "'a b' is not a valid root scope name. A root scope name has to match the "
        "following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$")


def test_nested_name_scope_may_start_with_underscore(graph):
    with tf.name_scope("a"):
        with tf.name_scope("_b") as b:
            pass
    assert b == "a/_b/"


def test_variable_scope_reopened_by_string_shares_prefix_new_name_scope(graph):
    with tf.variable_scope("foo"):
        pass
    with tf.variable_scope("foo") as s:
        v = tf.get_variable("v", [1])
        x = tf.Variable(1.0, name="x")
        assert graph.get_name_scope() == "foo_1"
    assert (s.name, s.original_name_scope) == ("foo", "foo_1/")
    assert names(v, x) == ["foo/v:0", "foo_1/x:0"]


def test_captured_scope_opens_name_scope_under_current_one(graph):
    with tf.variable_scope("foo") as s:
        pass
    with tf.name_scope("bar"):
        with tf.variable_scope(s) as s2:
            x = tf.Variable(1.0, name="x")
            v = tf.get_variable("v", [1])
    assert (s2.name, s2.original_name_scope) == ("foo", "foo/")
    assert names(x, v) == ["bar/foo/x:0", "foo/v:0"]


def test_captured_scope_inside_other_variable_scope_jumps(graph):
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope("other"):
        with tf.variable_scope(outer):
            v = tf.get_variable("v", [1])
            assert tf.get_variable_scope().name == "outer"
    assert v.name == "outer/v:0"


def test_default_name_is_uniquified_among_variable_scopes(graph):
    with tf.variable_scope(None, default_name="d") as a:
        pass
    with tf.variable_scope(None, default_name="d") as b:
        pass
    with tf.variable_scope("d_2"):
        pass
    with tf.variable_scope(None, default_name="d") as c:
        pass
    assert (a.name, b.name, c.name) == ("d", "d_1", "d_3")
    assert (a.original_name_scope, c.original_name_scope) == ("d/", "d_3/")


def test_default_name_counts_reset_when_parent_closes(graph):
    for _ in range(2):
        with tf.variable_scope("outer") :
            with tf.variable_scope(None, default_name="layer") as s:
                pass
    assert s.name == "outer/layer"


def test_default_name_with_reuse_true_is_an_error(graph):
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="d", reuse=True):
            pass


def test_name_or_scope_and_default_name_both_none(graph):
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        tf.variable_scope(None)


def test_reuse_must_be_bool_none_or_auto(graph):
    with pytest.raises(ValueError,
                       match=re.escape("The reuse parameter must be True or False or None.")):
        tf.variable_scope("x", reuse=1)


def test_reuse_true_is_sticky_in_children(graph):
    with tf.variable_scope("x", reuse=True):
        with tf.variable_scope("y", reuse=False) as s:
            assert s.reuse is True


def test_reuse_false_means_inherit(graph):
    with tf.variable_scope("x") as s:
        assert s.reuse is False
        with tf.variable_scope("y", reuse=tf.AUTO_REUSE):
            with tf.variable_scope("z", reuse=False) as z:
                assert z.reuse is tf.AUTO_REUSE


def test_captured_scope_keeps_its_own_reuse_not_parents(graph):
    with tf.variable_scope("x") as s:
        pass
    with tf.variable_scope("z", reuse=True):
        with tf.variable_scope(s) as s2:
            assert s2.reuse is False


def test_reuse_variables_on_captured_scope(graph):
    with tf.variable_scope("x") as s:
        v = tf.get_variable("v", [1])
    s.reuse_variables()
    with tf.variable_scope(s) as s2:
        assert s2.reuse is True
        assert tf.get_variable("v") is v


def test_auxiliary_name_scope_false_keeps_name_scope(graph):
    with tf.name_scope("outer"):
        with tf.variable_scope("a", auxiliary_name_scope=False) as s:
            x = tf.Variable(1.0, name="x")
            v = tf.get_variable("v", [1])
    assert s.original_name_scope == "outer/"
    assert names(x, v) == ["outer/x:0", "a/v:0"]


def test_auxiliary_name_scope_must_be_bool(graph):
    with pytest.raises(TypeError, match="The auxiliary_name_scope must be `True` or `False`"):
        tf.variable_scope("a", auxiliary_name_scope=1)


def test_variable_scope_invalid_name_changes_nothing(graph):
    with pytest.raises(ValueError, match="'a b' is not a valid root scope name"):
        with tf.variable_scope("a b"):
            pass
    assert tf.get_variable_scope().name == ""
    assert graph.get_name_scope() == ""
    with tf.variable_scope("ok"):
        assert tf.get_variable("v", [1]).name == "ok/v:0"


def test_scope_initializer_is_inherited_and_overridden(graph):
    with tf.variable_scope("a", initializer=tf.constant_initializer(2.0)):
        v = tf.get_variable("v", [1])
        with tf.variable_scope("b"):
            w = tf.get_variable("w", [1])
        with tf.variable_scope("c", initializer=tf.constant_initializer(3.0)):
            u = tf.get_variable("u", [1])
        x = tf.get_variable("x", [1], initializer=tf.constant_initializer(4.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [float(sess.run(t)[0]) for t in (v, w, u, x)] == [2.0, 2.0, 3.0, 4.0]


def test_scope_dtype_is_inherited(graph):
    with tf.variable_scope("a", dtype=tf.float64):
        v = tf.get_variable("v", [1])
        with tf.variable_scope("b"):
            w = tf.get_variable("w", [1])
    assert v.dtype.name.replace("_ref", "") == "float64"
    assert w.dtype.name.replace("_ref", "") == "float64"


def test_custom_getters_compose_outer_called_first_inner_wraps(graph):
    calls = []

    def outer(getter, name, *args, **kwargs):
        calls.append(("outer", name))
        return getter(name, *args, **kwargs)

    def inner(getter, name, *args, **kwargs):
        calls.append(("inner", name))
        return getter(name + "_inner", *args, **kwargs)

    with tf.variable_scope("a", custom_getter=outer):
        with tf.variable_scope("b", custom_getter=inner):
            v = tf.get_variable("v", [1])
    assert calls == [("inner", "a/b/v"), ("outer", "a/b/v_inner")]
    assert v.name == "a/b/v_inner:0"


def test_improper_nesting_is_an_error(graph):
    a = tf.variable_scope("a")
    b = tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    with pytest.raises(RuntimeError, match=re.escape("Improper nesting of variable_scope.")):
        a.__exit__(None, None, None)
