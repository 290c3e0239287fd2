"""Reuse: ``reuse=True/False/None/AUTO_REUSE``, inheritance (``False`` cannot undo an
inherited ``True``), ``reuse_variables()``, captured scope objects.
"""

from .common import entering, image_filter, reuse_inside


def scenario_reuse_flag_values(tf, rec):
    rec("root", rec.reuse(tf.get_variable_scope()))
    rec("not given", reuse_inside(tf, rec, "a"))
    for name, reuse in [("b", True), ("c", tf.AUTO_REUSE), ("d", False), ("e", None)]:
        rec(f"reuse={reuse!r}", reuse_inside(tf, rec, name, reuse=reuse))


def scenario_reuse_inherited_and_false_cannot_undo(tf, rec):
    with tf.variable_scope("outer", reuse=True) as o:
        rec("outer", rec.reuse(o))
        with tf.variable_scope("inner") as i:
            rec("inner", rec.reuse(i))
        with tf.variable_scope("inner2", reuse=False) as i2:
            rec("inner2 reuse=False", rec.reuse(i2))
            rec.expect_error(lambda: tf.get_variable("w", [1]), "create under inherited reuse")
        with tf.variable_scope(None, default_name="dflt") as d:
            rec("default_name inherits", rec.reuse(d))


def scenario_reuse_captured_object(tf, rec):
    # testVarScopeObjectReuse: re-entered with reuse None/True/False
    for captured_reuse in (True, False):
        with tf.variable_scope("jump", reuse=captured_reuse) as captured:
            pass
        rec(
            f"captured with reuse={captured_reuse}",
            [reuse_inside(tf, rec, captured)]
            + [reuse_inside(tf, rec, captured, reuse=r) for r in (True, False)],
        )


def scenario_reuse_captured_scope_inside_reusing_parent(tf, rec):
    with tf.variable_scope("plain") as plain:
        tf.get_variable("v", [])
    with tf.variable_scope("r", reuse=True):
        with tf.variable_scope(plain) as p:
            rec("captured in reuse parent", rec.reuse(p))
            rec.expect_error(lambda: tf.get_variable("v", []).name, "get v")
            rec.expect_error(lambda: tf.get_variable("new", []).name, "get new")


def scenario_reuse_variables_method(tf, rec):
    with tf.variable_scope("s") as s:
        rec("before", rec.reuse(s))
        tf.get_variable("w", [2])
        s.reuse_variables()
        rec("after", rec.reuse(s))
        rec("current", rec.reuse(tf.get_variable_scope()))
        with tf.variable_scope("child") as c:
            rec("child", rec.reuse(c))
            rec.expect_error(lambda: tf.get_variable("x", [1]), "child create")
    rec("root after", rec.reuse(tf.get_variable_scope()))
    with tf.variable_scope("s") as s2:
        rec("string reentry", rec.reuse(s2))
    with tf.variable_scope(s) as s3:
        rec("object reentry", rec.reuse(s3))


def scenario_reuse_variables_via_get_variable_scope(tf, rec):
    with tf.variable_scope("image_filters"):
        first = image_filter(tf)
        tf.get_variable_scope().reuse_variables()
        second = image_filter(tf)
    rec("first", first)
    rec("second", second)


def scenario_reuse_root_reuse_variables(tf, rec):
    tf.get_variable("a", [1])
    tf.get_variable_scope().reuse_variables()
    rec("root reuse", rec.reuse(tf.get_variable_scope()))
    rec("get a", tf.get_variable("a", [1]).name)
    rec.expect_error(lambda: tf.get_variable("b", [1]), "create b")
    with tf.variable_scope("x") as x:
        rec("x inherits", rec.reuse(x))


def scenario_reuse_get_variable_scope_set_reuse_and_initializer(tf, rec):
    # testGetVariableScope
    init = tf.constant_initializer(0.3)
    with tf.variable_scope("bar"):
        rec("init None", tf.get_variable_scope().initializer is None)
        tf.get_variable_scope().set_initializer(init)
        v = tf.get_variable("v", [])
        rec("v", rec.value(v))
        tf.get_variable_scope().reuse_variables()
        rec.expect_error(lambda: tf.get_variable("w", [1]), "w missing")
    rec("init gone", tf.get_variable_scope().initializer is None)


def scenario_auto_reuse_get_or_create(tf, rec):
    # testVarScopeGetOrCreateReuse
    out = []
    for _ in range(3):
        with tf.variable_scope("bar", reuse=tf.AUTO_REUSE):
            out.append(tf.get_variable("var", []))
        with tf.variable_scope("bar", reuse=tf.AUTO_REUSE):
            out.append(tf.get_variable("var", []))
    rec("all same", all(v is out[0] for v in out))
    rec("name", out[0].name)
    rec("count", len(tf.global_variables()))


def scenario_auto_reuse_inheritance(tf, rec):
    with tf.variable_scope("a", reuse=tf.AUTO_REUSE) as a:
        rec("a", rec.reuse(a))
        with tf.variable_scope("b") as b:
            rec("b inherits", rec.reuse(b))
            v = tf.get_variable("v", [1])
            v2 = tf.get_variable("v", [1])
            rec.same("same", v, v2)
        with tf.variable_scope("c", reuse=False) as c:
            rec("c reuse=False", rec.reuse(c))
        with tf.variable_scope("d", reuse=True) as d:
            rec("d reuse=True", rec.reuse(d))
            rec.expect_error(lambda: tf.get_variable("new", [1]), "new under True")
    with tf.variable_scope("r", reuse=True):
        with tf.variable_scope("x", reuse=tf.AUTO_REUSE) as x:
            rec("auto inside True", rec.reuse(x))
            rec("create", tf.get_variable("z", [1]).name)


def scenario_auto_reuse_shape_mismatch(tf, rec):
    with tf.variable_scope("a", reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [2])
        rec.expect_error(lambda: tf.get_variable("v", [3]), "mismatch")
        rec("no shape", rec.shape(tf.get_variable("v")))


def scenario_reuse_false_explicit_at_root(tf, rec):
    with tf.variable_scope("a", reuse=False):
        tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=False):
        rec.expect_error(lambda: tf.get_variable("v", [1]), "again")


def scenario_reuse_invalid_value(tf, rec):
    entering(rec, "string reuse", tf.variable_scope, "a", reuse="yes")


def scenario_reuse_does_not_leak_after_exit(tf, rec):
    with tf.variable_scope("a"):
        tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        pass
    with tf.variable_scope("b"):
        rec("b create", tf.get_variable("v", [1]).name)
    with tf.variable_scope("a") as s:
        rec("a not reusing", rec.reuse(s))


def scenario_scope_object_reuse_variables_after_exit(tf, rec):
    with tf.variable_scope("s") as s:
        v = tf.get_variable("v", [1])
    s.reuse_variables()
    rec("root unaffected", rec.reuse(tf.get_variable_scope()))
    with tf.variable_scope(s) as s2:
        rec("reentered", rec.reuse(s2))
        rec.same("shared", tf.get_variable("v", [1]), v)
    with tf.variable_scope("s") as s3:
        rec("by string", rec.reuse(s3))


def scenario_reuse_variables_inside_name_scope(tf, rec):
    with tf.variable_scope("a"):
        tf.get_variable("v", [1])
        with tf.name_scope("n"):
            tf.get_variable_scope().reuse_variables()
            rec("in ns", rec.reuse(tf.get_variable_scope()))
        rec("after ns", rec.reuse(tf.get_variable_scope()))
        rec("get", tf.get_variable("v", [1]).name)
