"""``variable_scope(..., auxiliary_name_scope=False)``: no name scope is opened, so
``tf.Variable`` names and later name scopes are unaffected.
"""

from .common import entering, names_inside, ns, variable_name


def scenario_aux_name_scope_false_basic(tf, rec):
    # testBasicWhenAuxiliaryNameScopeIsFalse
    with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
        names_inside("first", tf, rec, scope)
        rec("gns", ns(tf))
    with tf.variable_scope(scope, auxiliary_name_scope=False):
        names_inside("reentered", tf, rec, scope, "1")
    with tf.name_scope("scope"):
        rec("scope/c", variable_name(tf, "c"))


def scenario_aux_name_scope_false_nested(tf, rec):
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner", auxiliary_name_scope=False) as inner:
            names_inside("inner", tf, rec, inner)
        with tf.variable_scope(inner, auxiliary_name_scope=False) as inner1:
            names_inside("reentered", tf, rec, inner1, "1")
        with tf.name_scope("inner"):
            rec("inner/c", variable_name(tf, "c"))


def scenario_aux_name_scope_false_default_name(tf, rec):
    # testCreatedByDefaultNameWhenAuxiliaryNameScopeIsFalse
    with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as scope:
        names_inside("root", tf, rec, scope)
    with tf.name_scope("default"):
        rec("default/c", variable_name(tf, "c"))
    with tf.variable_scope("outer"):
        with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as inner:
            names_inside("inner", tf, rec, inner)
        with tf.name_scope("default"):
            rec("outer/default/c", variable_name(tf, "c"))


def scenario_aux_name_scope_false_reenter_root(tf, rec):
    # testReenterRootScopeWhenAuxiliaryNameScopeIsFalse
    root_scope = tf.get_variable_scope()
    with tf.variable_scope(root_scope, auxiliary_name_scope=False) as scope:
        names_inside("root", tf, rec, scope)
    with tf.variable_scope("outer"):
        with tf.variable_scope(root_scope, auxiliary_name_scope=False) as inner:
            names_inside("inside outer", tf, rec, inner, "1")


def scenario_aux_name_scope_invalid_type(tf, rec):
    # testAuxiliaryNameScopeIsInvalid
    vs = tf.variable_scope
    entering(rec, "default_name", vs, None, default_name="scope", auxiliary_name_scope="invalid")
    entering(rec, "string", vs, "scope", auxiliary_name_scope="invalid")
    with tf.variable_scope("scope") as scope:
        pass
    entering(rec, "captured", vs, scope, auxiliary_name_scope="invalid")
    entering(rec, "int 1", vs, "s2", auxiliary_name_scope=1)


def scenario_aux_name_scope_reuse_without_collision(tf, rec):
    # testReuseScopeWithoutNameScopeCollision (GitHub #13429)
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner") as inner:
            pass
    with tf.variable_scope(inner, auxiliary_name_scope=False) as scope:
        with tf.name_scope(scope.original_name_scope):
            names_inside("outer/inner", tf, rec, scope)
        with tf.name_scope("inner"):
            rec("inner/c", variable_name(tf, "c"))
    with tf.variable_scope("another"):
        with tf.variable_scope(inner, auxiliary_name_scope=False) as scope1:
            with tf.name_scope(scope1.original_name_scope):
                names_inside("from another", tf, rec, scope1, "1")
            with tf.name_scope("inner"):
                rec("another/inner/c", variable_name(tf, "c"))


def scenario_aux_name_scope_false_does_not_consume_name(tf, rec):
    with tf.variable_scope("blk", auxiliary_name_scope=False):
        pass
    with tf.variable_scope("blk") as s:
        rec("first real", s.original_name_scope)
    with tf.variable_scope("blk") as s:
        rec("second real", s.original_name_scope)
