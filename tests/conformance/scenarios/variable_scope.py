"""``tf.variable_scope``: names, ``default_name`` counters, re-entering by string or by
captured object, the name scope each entry opens, invalid names and types.

Most cases follow TensorFlow's ``variable_scope_test.py`` (test names in comments).
"""

from .common import (
    enter_manually,
    entering,
    ns,
    opened_name_scope,
    variable_name,
    w_and_name_scope,
    w_and_name_scope_in,
)


def _names_in_new_scope(tf, rec, name):
    """Enter ``variable_scope(name)``; log its name, original name scope and the current
    name scope, then the name ``get_variable("v", [])`` gets there."""
    with tf.variable_scope(name) as s:
        rec("s", [s.name, s.original_name_scope, ns(tf)])
        rec("v", tf.get_variable("v", []).name)


def scenario_var_scope_names_and_name_scopes(tf, rec):
    # testVarScope
    with tf.variable_scope("tower4") as tower:
        rec("tower.name", tower.name)
        rec("sc", opened_name_scope(tf, "scope"))
    with tf.variable_scope("tower5"):
        with tf.variable_scope("bar") as bar:
            rec("bar.name", bar.name)
            rec("sc2", opened_name_scope(tf, "scope"))
    with tf.variable_scope("tower6"):
        with tf.variable_scope(tower, reuse=True) as tower_shared:
            rec("tower_shared.name", tower_shared.name)
            rec("sc3", opened_name_scope(tf, "scope"))


def scenario_var_scope_name_scope_uniquified_on_reentry(tf, rec):
    # testVarScopeNameScope
    with tf.name_scope("n1"):
        with tf.variable_scope("tower") as tower:
            rec("a", opened_name_scope(tf, "scope2"))
        with tf.variable_scope(tower):
            rec("b", opened_name_scope(tf, "scope2"))
        with tf.variable_scope("tower"):
            rec("c", opened_name_scope(tf, "scope2"))
    with tf.name_scope("n2"):
        with tf.variable_scope("tower"):
            rec("d", opened_name_scope(tf, "scope2"))
        with tf.variable_scope(tower):
            rec("e", opened_name_scope(tf, "scope2"))
    root = tf.get_variable_scope()
    with tf.name_scope("n3"):
        with tf.variable_scope(root):
            rec("f", opened_name_scope(tf, "scope2"))


def scenario_var_scope_original_name_scope(tf, rec):
    # testVarScopeOriginalNameScope
    with tf.name_scope("scope1"):
        with tf.variable_scope("tower") as tower:
            rec("orig", tower.original_name_scope)
            rec("sc2", opened_name_scope(tf, "scope2"))
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower) as tower1:
            rec("orig reentered", tower1.original_name_scope)
            rec("foo", opened_name_scope(tf, "foo"))
        with tf.name_scope(tower.original_name_scope):
            rec("bar", opened_name_scope(tf, "bar"))
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower):
            with tf.name_scope(tower.original_name_scope):
                rec("bar_1", opened_name_scope(tf, "bar"))


def scenario_var_scope_string_reentry_gets_new_name_scope(tf, rec):
    for i in range(3):
        with tf.variable_scope("foo") as s:
            rec(f"iter{i}", [s.name, s.original_name_scope, ns(tf)])
            rec(f"var{i}", variable_name(tf, "x"))


def scenario_var_scope_default_name_uniquification(tf, rec):
    # testVarOpScope (second half)
    with tf.name_scope("testVarOpScope2"):
        with tf.variable_scope(None, "default", []):
            w_and_name_scope("w", tf, rec, "testVarOpScope2")
        with tf.variable_scope(None, "default", []):
            w_and_name_scope("w_1", tf, rec, "testVarOpScope2")


def scenario_var_scope_name_with_default_name_ignores_default(tf, rec):
    # testVarOpScope (first half)
    with tf.name_scope("testVarOpScope1"):
        with tf.variable_scope("tower", "default", []):
            w_and_name_scope("w", tf, rec, "testVarOpScope2")
        with tf.variable_scope("tower", "default", []):
            rec.expect_error(lambda: tf.get_variable("w", []), "w again")
            rec("sc2_1", opened_name_scope(tf, "testVarOpScope2"))


def scenario_var_scope_default_name_interleaved_substrings(tf, rec):
    # testVarOpScopeUniqueNamesInterleavedSubstringScopes
    out = []
    for outer in ("defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"):
        with tf.variable_scope(None, outer):
            with tf.variable_scope(None, "layer"):
                out.append(tf.get_variable("w", []).name)
    rec("names", out)


def scenario_var_scope_default_name_numbering_survives_jump(tf, rec):
    # testVarOpScopeUniqueNamesWithJump
    with tf.variable_scope("default") as default:
        with tf.variable_scope(None, "layer"):
            rec("a", tf.get_variable("w", []).name)
        with tf.variable_scope(None, "layer"):
            rec("b", tf.get_variable("w", []).name)
        with tf.variable_scope(default):
            pass
        with tf.variable_scope(None, "layer"):
            rec("c", tf.get_variable("w", []).name)


def scenario_var_scope_default_name_counts_per_parent(tf, rec):
    with tf.variable_scope("a"):
        with tf.variable_scope(None, default_name="layer") as s1:
            pass
    with tf.variable_scope("b"):
        with tf.variable_scope(None, default_name="layer") as s2:
            pass
    with tf.variable_scope("a"):
        with tf.variable_scope(None, default_name="layer") as s3:
            pass
    rec("names", [s1.name, s2.name, s3.name])
    rec("orig", [s1.original_name_scope, s2.original_name_scope, s3.original_name_scope])


def scenario_var_scope_default_name_vs_explicit_name(tf, rec):
    with tf.variable_scope("layer"):
        pass
    with tf.variable_scope(None, default_name="layer") as s:
        rec("default after explicit", [s.name, s.original_name_scope])
    with tf.variable_scope(None, default_name="layer") as s:
        rec("again", [s.name, s.original_name_scope])
    with tf.variable_scope("layer_1") as s:
        rec("explicit layer_1", [s.name, s.original_name_scope])


def scenario_var_scope_default_name_not_counting_name_scopes(tf, rec):
    # the default_name counter is about variable scopes, not name scopes
    with tf.name_scope("layer"):
        pass
    tf.Variable(0.0, name="layer")
    with tf.variable_scope(None, default_name="layer") as s:
        rec("name", [s.name, s.original_name_scope])


def scenario_var_scope_none_without_default_name_errors(tf, rec):
    entering(rec, "None scope", tf.variable_scope, None)


def scenario_var_scope_default_name_with_reuse_true_errors(tf, rec):
    # testVarOpScopeReuseError
    def f():
        with tf.variable_scope(None, "default", reuse=True):
            tf.get_variable("w", [])

    rec.expect_error(f, "reuse=True with default_name")


def scenario_var_scope_capture_and_reenter_outer(tf, rec):
    # testVarScopeOuterScope
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer):
        w_and_name_scope("w", tf, rec)
        w_and_name_scope_in("default/w", tf, rec, "default")
    with tf.variable_scope(outer, reuse=True):
        w_and_name_scope("w reuse", tf, rec)
        w_and_name_scope_in("default/w reuse", tf, rec, "default", reuse=True)


def scenario_var_scope_nested_outer_scope(tf, rec):
    # testVarScopeNestedOuterScope
    with tf.variable_scope("outer") as outer:
        w_and_name_scope_in("w", tf, rec, outer)
        w_and_name_scope_in("default/w", tf, rec, "default")
        w_and_name_scope_in("w reuse", tf, rec, outer, reuse=True)
        w_and_name_scope_in("default/w reuse", tf, rec, "default", reuse=True)


def scenario_var_op_scope_reuse(tf, rec):
    # testVarOpScopeReuse
    with tf.variable_scope("outer") as outer:
        w_and_name_scope_in("a", tf, rec, "tower", "default", [])
        w_and_name_scope_in("b", tf, rec, None, "default", [])
    with tf.variable_scope(outer, reuse=True) as outer:
        w_and_name_scope_in("c", tf, rec, "tower", "default", [])
        w_and_name_scope_in("d", tf, rec, None, "default", [])


def scenario_var_op_scope_reuse_param(tf, rec):
    # testVarOpScopeReuseParam
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            rec("a", tf.get_variable("w", []).name)
        with tf.variable_scope(None, "default", []):
            rec("b", tf.get_variable("w", []).name)
    with tf.variable_scope(outer) as outer:
        w_and_name_scope_in("c", tf, rec, "tower", "default", reuse=True)
        outer.reuse_variables()
        w_and_name_scope_in("d", tf, rec, None, "default", [])


def scenario_var_op_scope_outer_scope(tf, rec):
    # testVarOpScopeOuterScope
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer, "default", []):
        w_and_name_scope("a", tf, rec)
        w_and_name_scope_in("b", tf, rec, None, "default", [])
    with tf.variable_scope(outer, "default", reuse=True):
        w_and_name_scope("c", tf, rec)
        outer.reuse_variables()
        w_and_name_scope_in("d", tf, rec, None, "default", [])


def scenario_var_op_scope_nested_outer_scope(tf, rec):
    # testVarOpScopeNestedOuterScope
    with tf.variable_scope("outer") as outer:
        w_and_name_scope_in("a", tf, rec, outer, "default", [])
        w_and_name_scope_in("b", tf, rec, None, "default", [])
    with tf.variable_scope(outer, "default", reuse=True):
        w_and_name_scope("c", tf, rec)
        w_and_name_scope_in("d", tf, rec, None, "default", [])


def scenario_var_scope_get_var_jumps(tf, rec):
    # testVarScopeGetVar
    with tf.variable_scope("root"):
        with tf.variable_scope("towerA") as tower_a:
            va = tf.get_variable("v", [1])
            rec("va", va.name)
        with tf.variable_scope(tower_a, reuse=True):
            rec.same("va2 is va", tf.get_variable("v", [1]), va)
        with tf.variable_scope("towerB"):
            rec("vb", tf.get_variable("v", [1]).name)

        def again():
            with tf.variable_scope("towerA"):
                tf.get_variable("v", [1])

        rec.expect_error(again, "towerA again")
        with tf.variable_scope("towerA", reuse=True):
            rec.same("by string reuse", tf.get_variable("v", [1]), va)
        with tf.variable_scope("foo"):
            with tf.variable_scope("bar"):
                rec("foo/bar/v", tf.get_variable("v", [1]).name)
                with tf.variable_scope(tower_a, reuse=True):
                    rec.same("jump from deep", tf.get_variable("v", [1]), va)

        def baz():
            with tf.variable_scope(tower_a, reuse=True):
                with tf.variable_scope("baz"):
                    tf.get_variable("v", [1])

        rec.expect_error(baz, "baz under reuse")


def scenario_var_scope_captured_jump_ignores_current_prefix(tf, rec):
    with tf.variable_scope("a") as a:
        pass
    with tf.variable_scope("b"):
        with tf.variable_scope("c"):
            with tf.variable_scope(a) as s:
                rec("s.name", s.name)
                rec("gvs", tf.get_variable_scope().name)
                rec("v", tf.get_variable("v", []).name)
                rec("ns", ns(tf))
                rec("tfvar", tf.Variable(0.0, name="t").name)
            rec("back", tf.get_variable_scope().name)


def scenario_var_scope_reenter_root(tf, rec):
    root = tf.get_variable_scope()
    rec("root name", root.name)
    rec("root orig", root.original_name_scope)
    with tf.variable_scope("a"):
        with tf.variable_scope(root) as r:
            rec("inside", [r.name, ns(tf)])
            rec("v", tf.get_variable("v", []).name)
            rec("t", tf.Variable(0.0, name="t").name)


def scenario_var_scope_reenter_inside_itself(tf, rec):
    with tf.variable_scope("foo") as foo:
        with tf.variable_scope(foo) as foo2:
            rec("names", [foo2.name, foo2.original_name_scope, ns(tf)])
            with tf.variable_scope(foo) as foo3:
                rec("names3", [foo3.name, ns(tf)])


def scenario_var_scope_slash_in_name(tf, rec):
    _names_in_new_scope(tf, rec, "a/b")
    with tf.variable_scope("a"):
        with tf.variable_scope("b", reuse=True):
            rec("v reuse", tf.get_variable("v", []).name)


def scenario_var_scope_get_variable_scope_inside(tf, rec):
    rec("root", tf.get_variable_scope().name)
    with tf.variable_scope("a") as a:
        rec.same("is current", tf.get_variable_scope(), a)
        with tf.variable_scope("b"):
            rec("b", tf.get_variable_scope().name)
        rec("back to a", tf.get_variable_scope().name)
    rec("root again", tf.get_variable_scope().name)


def scenario_var_scope_nesting_error(tf, rec):
    # testVarScopeNestingError
    with tf.variable_scope("aa"):
        scope, _ = enter_manually(tf.variable_scope("bb"))
        with tf.variable_scope("cc"):
            rec.error_type(lambda: scope.__exit__(None, None, None), "exit out of order")
        scope.__exit__(None, None, None)
    rec("after", tf.get_variable_scope().name)


def scenario_var_scope_empty_string_name(tf, rec):
    rec.expect_error(lambda: _names_in_new_scope(tf, rec, ""), "empty scope name")


def scenario_var_scope_invalid_names(tf, rec):
    for name in ("a b", "_foo", "-foo", "foo!"):
        entering(rec, f"{name!r} at root", tf.variable_scope, name)
    with tf.variable_scope("outer"):
        for name in ("a b", "_foo", "-foo"):
            entering(rec, f"{name!r} nested", tf.variable_scope, name)
    entering(rec, "'.foo' at root", tf.variable_scope, ".foo")


def scenario_var_scope_underscore_nested_creates_vars(tf, rec):
    with tf.variable_scope("outer"):
        with tf.variable_scope("_inner") as s:
            rec("name", s.name)
            rec("v", tf.get_variable("v", []).name)


def scenario_var_scope_invalid_name_with_aux_false(tf, rec):
    def f():
        with tf.variable_scope("a b", auxiliary_name_scope=False) as s:
            rec("name", s.name)
            rec.error_type(lambda: tf.get_variable("v", []).name, "get_variable")

    rec.expect_error(f, "aux false invalid")


def scenario_scope_name_attribute_types(tf, rec):
    with tf.variable_scope("a") as a:
        rec("types", [type(a.name).__name__, type(a.original_name_scope).__name__])
    with tf.name_scope("n") as n:
        rec("name_scope type", type(n).__name__)


def scenario_variable_scope_values_argument(tf, rec):
    v = tf.Variable(1.0, name="x")
    with tf.variable_scope("s", values=[v]) as s:
        rec("s", [s.name, s.original_name_scope])
    with tf.variable_scope(None, "dflt", [v]) as d:
        rec("d", [d.name, d.original_name_scope])


def scenario_many_default_name_scopes(tf, rec):
    names = []
    for _ in range(12):
        with tf.variable_scope(None, default_name="blk") as s:
            names.append(s.name)
    rec("names", names)


def scenario_variable_scope_reentry_after_name_scope_taken(tf, rec):
    with tf.name_scope("foo"):
        pass
    with tf.variable_scope("foo") as s:
        rec("vs", [s.name, s.original_name_scope])
        rec("v", tf.get_variable("v", []).name)
    with tf.variable_scope("foo_1") as s:
        rec("foo_1", [s.name, s.original_name_scope])


def scenario_var_scope_name_trailing_slash(tf, rec):
    rec.expect_error(lambda: _names_in_new_scope(tf, rec, "foo/"), "trailing slash scope")


def scenario_exception_inside_scopes_restores_state(tf, rec):
    def boom():
        with tf.variable_scope("a", reuse=True):
            with tf.name_scope("n"):
                raise KeyError("inner")

    rec.expect_error(boom, "raise inside")
    rec("vs", [tf.get_variable_scope().name, rec.reuse(tf.get_variable_scope())])
    rec("ns", ns(tf))
    with tf.variable_scope("a") as s:
        rec("a again", s.original_name_scope)


def scenario_var_scope_bad_types(tf, rec):
    entering(rec, "int", tf.variable_scope, 123)
    entering(rec, "list", tf.variable_scope, ["a"], type_only=True)
