"""``tf.name_scope``: returned strings, uniquification, re-entering an absolute scope,
``None``/empty resets, and how name scopes interact with variable scopes.
"""

from .common import entering, ns, opened_name_scope


def scenario_name_scope_case_insensitive_uniquification(tf, rec):
    a = opened_name_scope(tf, "Foo")
    b = opened_name_scope(tf, "foo")
    with tf.variable_scope("FOO") as s:
        c = tf.Variable(0.0, name="x").name
    rec("scopes", [a, b, s.original_name_scope, c, s.name])


def scenario_name_scope_invalid_names(tf, rec):
    entering(rec, "space", tf.name_scope, "a b")
    entering(rec, "underscore root", tf.name_scope, "_x")
    with tf.name_scope("ok"):
        entering(rec, "underscore nested", tf.name_scope, "_x")


def scenario_name_scope_returns_strings(tf, rec):
    with tf.name_scope("a") as a:
        rec("a", a)
        rec("gns", ns(tf))
        with tf.name_scope("b") as b:
            rec("b", b)
            rec("gns b", ns(tf))
    rec("root gns", ns(tf))


def scenario_name_scope_uniquification(tf, rec):
    out = []
    for _ in range(3):
        with tf.name_scope("a") as a:
            out.append(a)
    with tf.name_scope("a_1") as x:
        out.append(x)
    rec("scopes", out)


def scenario_name_scope_reenter_absolute_string(tf, rec):
    a = opened_name_scope(tf, "a")
    with tf.name_scope("other"):
        with tf.name_scope(a) as again:
            rec("again", again)
            rec("gns", ns(tf))
            rec("t", tf.Variable(0.0, name="t").name)
        with tf.name_scope(a):
            rec("t2", tf.Variable(0.0, name="t").name)


def scenario_name_scope_none_resets_to_root(tf, rec):
    with tf.name_scope("a"):
        with tf.name_scope(None) as n:
            rec("none", n)
            rec("gns", ns(tf))
            rec("t", tf.Variable(0.0, name="t").name)
        rec("back", ns(tf))


def scenario_name_scope_empty_string_resets(tf, rec):
    with tf.name_scope("a"):
        with tf.name_scope("") as n:
            rec("empty", n)
            rec("gns", ns(tf))


def scenario_name_scope_default_name(tf, rec):
    out = []
    with tf.name_scope(None, default_name="dflt") as a:
        out.append(a)
    with tf.name_scope(None, default_name="dflt") as b:
        out.append(b)
    with tf.name_scope("given", default_name="dflt") as c:
        out.append(c)
    rec("scopes", out)


def scenario_name_scope_with_values(tf, rec):
    v = tf.Variable(1.0, name="v")
    with tf.name_scope("with_values", values=[v]) as s:
        rec("s", s)
    with tf.name_scope(None, "dv", [v]) as s2:
        rec("s2", s2)


def scenario_name_scope_does_not_affect_variable_scope(tf, rec):
    with tf.variable_scope("foo"):
        with tf.name_scope("bar"):
            v = tf.get_variable("v", [1])
            rec("gvs", tf.get_variable_scope().name)
            rec("gns", ns(tf))
            x = tf.Variable(1.0, name="x")
    rec("v", v.name)
    rec("x", x.name)


def scenario_name_scope_outside_variable_scope(tf, rec):
    # tutorial: name_scope('foo') > variable_scope('bar')
    with tf.name_scope("foo"):
        with tf.variable_scope("bar") as s:
            x = tf.get_variable("x", shape=())
            rec("gns", ns(tf))
            rec("orig", s.original_name_scope)
            x2 = tf.Variable(1.0, name="x2")
    rec("x", x.name)
    rec("x2", x2.name)


def scenario_name_scope_ns_vs(tf, rec):
    # tutorial: ns/vs example
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            v1 = tf.get_variable("v1", [1])
            v2 = tf.Variable([2.0], name="v2")
    rec("names", [v1.name, v2.name])


def scenario_name_scope_share_across_name_scopes(tf, rec):
    # tutorial: sharing across different name scopes
    with tf.name_scope("foo"):
        with tf.variable_scope("var_scope"):
            v = tf.get_variable("var", [1])
    with tf.name_scope("bar"):
        with tf.variable_scope("var_scope", reuse=True):
            v1 = tf.get_variable("var", [1])
            rec("gns", ns(tf))
    rec.same("same", v, v1)
    rec("names", [v.name, v1.name])


def scenario_name_scope_after_variable_scope_same_name(tf, rec):
    with tf.variable_scope("x"):
        pass
    rec("ns", opened_name_scope(tf, "x"))
    with tf.variable_scope("x") as s:
        rec("vs", [s.name, s.original_name_scope])


def scenario_name_scope_trailing_slash_inside_scope(tf, rec):
    with tf.variable_scope("a"):
        with tf.name_scope("b/") as n:
            rec("abs b/", n)
            rec("var", tf.Variable(0.0, name="v").name)
            rec("gv", tf.get_variable("g", []).name)


def scenario_get_name_scope_tracks_everything(tf, rec):
    g = tf.get_default_graph()
    rec("root", g.get_name_scope())
    with tf.variable_scope("v1"):
        rec("vs", g.get_name_scope())
        with tf.name_scope("n1"):
            rec("ns", g.get_name_scope())
            with tf.variable_scope("v2"):
                rec("vs2", g.get_name_scope())
    rec("end", g.get_name_scope())


def scenario_name_scope_numbering_past_ten(tf, rec):
    names = []
    for _ in range(12):
        with tf.name_scope("x") as n:
            names.append(n)
    rec("names", names)
    rec("var", tf.Variable(0.0, name="x_11").name)


def scenario_name_shared_between_variable_and_name_scope(tf, rec):
    tf.Variable(0.0, name="foo")
    rec("ns after Variable foo", opened_name_scope(tf, "foo"))
    with tf.variable_scope("bar") as s:
        pass
    rec("Variable bar at root", tf.Variable(0.0, name="bar").name)
    tf.get_variable("g", [])
    rec("ns after get_variable g", opened_name_scope(tf, "g"))
    rec("scope", s.original_name_scope)


def scenario_name_scope_with_inner_slash(tf, rec):
    n1 = opened_name_scope(tf, "a/b")
    n2 = opened_name_scope(tf, "a/b")
    with tf.name_scope("a") as n3:
        n4 = opened_name_scope(tf, "b")
    rec("scopes", [n1, n2, n3, n4])


def scenario_name_scope_bad_types(tf, rec):
    entering(rec, "int", tf.name_scope, 123, type_only=True)
