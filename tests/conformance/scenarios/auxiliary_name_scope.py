"""``variable_scope(..., auxiliary_name_scope=False)``: no name scope is opened, so
``tf.Variable`` names and later name scopes are unaffected.
"""

from .common import in_scope, ns


def scenario_aux_name_scope_false_basic(tf, rec):
    # testBasicWhenAuxiliaryNameScopeIsFalse
    with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
        rec("orig", scope.original_name_scope)
        rec("w", tf.get_variable("w", []).name)
        rec("c", tf.Variable(0.0, name="c").name)
        rec("gns", ns(tf))
    with tf.variable_scope(scope, auxiliary_name_scope=False):
        rec("orig2", scope.original_name_scope)
        rec("w1", tf.get_variable("w1", []).name)
        rec("c1", tf.Variable(0.0, name="c1").name)
    with tf.name_scope("scope"):
        rec("scope/c", tf.Variable(0.0, name="c").name)


def scenario_aux_name_scope_false_nested(tf, rec):
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner", auxiliary_name_scope=False) as inner:
            rec("orig", inner.original_name_scope)
            rec("w", tf.get_variable("w", []).name)
            rec("c", tf.Variable(0.0, name="c").name)
        with tf.variable_scope(inner, auxiliary_name_scope=False) as inner1:
            rec("orig1", inner1.original_name_scope)
            rec("w1", tf.get_variable("w1", []).name)
            rec("c1", tf.Variable(0.0, name="c1").name)
        with tf.name_scope("inner"):
            rec("inner/c", tf.Variable(0.0, name="c").name)


def scenario_aux_name_scope_false_default_name(tf, rec):
    # testCreatedByDefaultNameWhenAuxiliaryNameScopeIsFalse
    with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as scope:
        rec("orig", scope.original_name_scope)
        rec("w", tf.get_variable("w", []).name)
        rec("c", tf.Variable(0.0, name="c").name)
    with tf.name_scope("default"):
        rec("default/c", tf.Variable(0.0, name="c").name)
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as inner:
            rec("inner orig", inner.original_name_scope)
            rec("inner w", tf.get_variable("w", []).name)
            rec("inner c", tf.Variable(0.0, name="c").name)
        with tf.name_scope("default"):
            rec("outer/default/c", tf.Variable(0.0, name="c").name)


def scenario_aux_name_scope_false_reenter_root(tf, rec):
    # testReenterRootScopeWhenAuxiliaryNameScopeIsFalse
    root_scope = tf.get_variable_scope()
    with tf.variable_scope(root_scope, auxiliary_name_scope=False) as scope:
        rec("orig", scope.original_name_scope)
        rec("w", tf.get_variable("w", []).name)
        rec("c", tf.Variable(0.0, name="c").name)
    with tf.variable_scope("outer"):
        with tf.variable_scope(root_scope, auxiliary_name_scope=False) as inner:
            rec("inner orig", inner.original_name_scope)
            rec("w1", tf.get_variable("w1", []).name)
            rec("c1", tf.Variable(0.0, name="c1").name)


def scenario_aux_name_scope_invalid_type(tf, rec):
    # testAuxiliaryNameScopeIsInvalid
    def a():
        with tf.variable_scope(None, default_name="scope", auxiliary_name_scope="invalid"):
            pass

    def b():
        with tf.variable_scope("scope", auxiliary_name_scope="invalid"):
            pass

    rec.expect_error(a, "default_name")
    rec.expect_error(b, "string")
    with tf.variable_scope("scope") as scope:
        pass

    def c():
        with tf.variable_scope(scope, auxiliary_name_scope="invalid"):
            pass

    rec.expect_error(c, "captured")
    rec.expect_error(lambda: in_scope(tf, "s2", lambda: None, auxiliary_name_scope=1), "int 1")


def scenario_aux_name_scope_reuse_without_collision(tf, rec):
    # testReuseScopeWithoutNameScopeCollision (GitHub #13429)
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner") as inner:
            pass
    with tf.variable_scope(inner, auxiliary_name_scope=False) as scope:
        with tf.name_scope(scope.original_name_scope):
            rec("w", tf.get_variable("w", []).name)
            rec("c", tf.Variable(0.0, name="c").name)
        with tf.name_scope("inner"):
            rec("inner/c", tf.Variable(0.0, name="c").name)
    with tf.variable_scope("another"):
        with tf.variable_scope(inner, auxiliary_name_scope=False) as scope1:
            with tf.name_scope(scope1.original_name_scope):
                rec("w1", tf.get_variable("w1", []).name)
                rec("c1", tf.Variable(0.0, name="c1").name)
            with tf.name_scope("inner"):
                rec("another/inner/c", tf.Variable(0.0, name="c").name)


def scenario_aux_name_scope_false_does_not_consume_name(tf, rec):
    with tf.variable_scope("blk", auxiliary_name_scope=False):
        pass
    with tf.variable_scope("blk") as s:
        rec("first real", s.original_name_scope)
    with tf.variable_scope("blk") as s:
        rec("second real", s.original_name_scope)
