"""What a variable inherits from its scope: ``initializer``, ``dtype`` and ``regularizer``
(set on entry or through the ``set_*`` setters), and how explicit arguments override them.
"""

import numpy as np


def scenario_init_scope_initializer(tf, rec):
    # testVarScopeInitializer
    init = tf.constant_initializer(0.3)
    with tf.variable_scope("tower0") as tower:
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v", [])
            rec("v", rec.value(v))
        with tf.variable_scope(tower, initializer=init):
            w = tf.get_variable("w", [])
            rec("w", rec.value(w))


def scenario_init_inherited_and_overridden(tf, rec):
    with tf.variable_scope("a", initializer=tf.constant_initializer(1.0)) as a:
        rec("a.initializer set", a.initializer is not None)
        v1 = tf.get_variable("v1", [2])
        with tf.variable_scope("b"):
            v2 = tf.get_variable("v2", [2])
            v3 = tf.get_variable("v3", [2], initializer=tf.constant_initializer(3.0))
        with tf.variable_scope("c", initializer=tf.constant_initializer(2.0)):
            v4 = tf.get_variable("v4", [2])
    v5 = tf.get_variable("v5", [2], initializer=tf.ones_initializer())
    rec("values", [rec.value(v).tolist() for v in (v1, v2, v3, v4, v5)])


def scenario_init_captured_scope_keeps_initializer(tf, rec):
    with tf.variable_scope("a", initializer=tf.constant_initializer(5.0)) as a:
        pass
    with tf.variable_scope("b", initializer=tf.constant_initializer(7.0)):
        with tf.variable_scope(a):
            v = tf.get_variable("v", [])
        with tf.variable_scope(a, initializer=tf.constant_initializer(9.0)):
            w = tf.get_variable("w", [])
    with tf.variable_scope(a):
        u = tf.get_variable("u", [])
    rec("values", [float(rec.value(x)) for x in (v, w, u)])


def scenario_init_set_initializer_persists_on_object(tf, rec):
    with tf.variable_scope("a") as a:
        a.set_initializer(tf.constant_initializer(4.0))
        v = tf.get_variable("v", [])
    with tf.variable_scope(a):
        w = tf.get_variable("w", [])
    with tf.variable_scope("a"):
        rec("string reentry initializer", tf.get_variable_scope().initializer is None)
    rec("values", [float(rec.value(v)), float(rec.value(w))])


def scenario_dtype_scope_dtype(tf, rec):
    # testVarScopeDType
    with tf.variable_scope("tower2") as tower:
        with tf.variable_scope("foo", dtype=tf.float16):
            rec("v", rec.dtype(tf.get_variable("v", [])))
        with tf.variable_scope(tower, dtype=tf.float16):
            rec("w", rec.dtype(tf.get_variable("w", [])))


def scenario_dtype_inheritance_and_override(tf, rec):
    with tf.variable_scope("a", dtype=tf.float64) as a:
        rec("a.dtype", rec.dtype_of(a.dtype))
        v1 = tf.get_variable("v1", [1])
        with tf.variable_scope("b") as b:
            rec("b.dtype", rec.dtype_of(b.dtype))
            v2 = tf.get_variable("v2", [1])
            v3 = tf.get_variable("v3", [1], dtype=tf.float32)
        a.set_dtype(tf.float16)
        v4 = tf.get_variable("v4", [1])
    rec("root dtype", rec.dtype_of(tf.get_variable_scope().dtype))
    rec("dtypes", [rec.dtype(v) for v in (v1, v2, v3, v4)])


def scenario_dtype_all_supported(tf, rec):
    for i, dt in enumerate(
        [tf.float32, tf.float64, tf.float16, tf.bfloat16, tf.int32, tf.int64, tf.bool]
    ):
        v = tf.get_variable(f"v{i}", [2], dtype=dt, initializer=tf.zeros_initializer())
        rec(f"dtype{i}", rec.dtype(v))


def scenario_dtype_ref_dtype_passthrough(tf, rec):
    # testGetVariableWithRefDtype
    v = tf.get_variable("v", shape=[3, 4], dtype=tf.float32)
    w = tf.get_variable("w", shape=[5, 6], dtype=v.dtype)
    rec("w", rec.dtype(w))


def scenario_dtype_int_scope_with_float_initializer(tf, rec):
    with tf.variable_scope("s", dtype=tf.int32):
        v = tf.get_variable("v", [2], initializer=tf.constant_initializer(3))
        rec.var("v", v)
        rec("value", rec.value(v))


def scenario_regularizer_scope(tf, rec):
    # testVarScopeRegularizer (regularizers that return v*k so they work in both)
    init = tf.constant_initializer(0.3)

    def regularizer1(v):
        return v + 0.1

    def regularizer2(v):
        return v + 0.2

    def losses():
        return tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)

    with tf.variable_scope("tower3", regularizer=regularizer1) as tower:
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v", [])
            rec("n1", len(losses()))
            rec("loss0", float(rec.value(losses()[0])))
        with tf.variable_scope(tower, initializer=init) as vs:
            tf.get_variable("u", [])
            vs.set_regularizer(regularizer2)
            tf.get_variable("w", [])
            rec("n3", len(losses()))
            rec("losses", [float(rec.value(x)) for x in losses()])
    with tf.variable_scope("tower3/foo", reuse=True):
        tf.get_variable("v", [])
        rec("no new loss on reuse", len(losses()))
    rec(v.name, True)


def scenario_regularizer_get_variable_argument(tf, rec):
    with tf.variable_scope("s", regularizer=lambda v: v * 2.0):
        a = tf.get_variable("a", [], initializer=tf.constant_initializer(1.0))
        b = tf.get_variable(
            "b", [], initializer=tf.constant_initializer(1.0), regularizer=lambda v: v * 10.0
        )
    c = tf.get_variable("c", [], initializer=tf.constant_initializer(1.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    rec("n", len(losses))
    rec("values", [float(rec.value(x)) for x in losses])
    rec("names", [a.name, b.name, c.name])


def scenario_regularizer_returning_none_not_collected(tf, rec):
    tf.get_variable("a", [], regularizer=lambda v: None)
    rec("n", len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def scenario_regularizer_not_applied_to_tf_variable(tf, rec):
    with tf.variable_scope("s", regularizer=lambda v: v * 2.0):
        tf.Variable(1.0, name="x")
    rec("n", len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def scenario_regularizer_scope_attribute(tf, rec):
    reg = lambda v: v * 1.0  # noqa: E731
    with tf.variable_scope("a", regularizer=reg) as a:
        rec("a", a.regularizer is reg)
        with tf.variable_scope("b") as b:
            rec("b inherits", b.regularizer is reg)
    rec("root", tf.get_variable_scope().regularizer is None)


def scenario_scope_setters(tf, rec):
    with tf.variable_scope("a") as a:
        init = tf.constant_initializer(2.0)
        a.set_initializer(init)
        a.set_dtype(tf.float64)
        rec("initializer", a.initializer is init)
        rec("dtype", rec.dtype_of(a.dtype))
        v = tf.get_variable("v", [1])
        rec.var("v", v)
        rec("value", rec.value(v))
        with tf.variable_scope("b") as b:
            rec("b inherits", [b.initializer is init, rec.dtype_of(b.dtype)])


def scenario_dtype_scope_vs_argument_precedence(tf, rec):
    with tf.variable_scope("s", dtype=tf.float64):
        a = tf.get_variable("a", [1], dtype=tf.int32)
        b = tf.get_variable("b", [1])
        c = tf.get_variable("c", initializer=np.float32(1.0))
    rec("dtypes", [rec.dtype(a), rec.dtype(b), rec.dtype(c)])
