"""``tf.Variable``: names from name scopes, case-insensitive uniquification, dtype and shape
inference, ``trainable``/``collections`` arguments, invalid names.
"""

import numpy as np

from .common import variable_name


def scenario_variable_uniquification(tf, rec):
    names = [tf.Variable(1.0, name="v").name for _ in range(3)]
    rec("names", names)
    rec("default", [tf.Variable(0.0).name, tf.Variable(0.0).name])


def scenario_variable_case_insensitive_uniquification(tf, rec):
    rec("names", [variable_name(tf, name) for name in ("V", "v", "V")])


def scenario_variable_suffix_collision(tf, rec):
    # a user name that looks like a uniquified one
    rec("names", [variable_name(tf, name) for name in ("v_1", "v", "v")])


def scenario_variable_after_get_variable_same_name(tf, rec):
    g = tf.get_variable("v", [1])
    v = tf.Variable(1.0, name="v")
    rec("names", [g.name, v.name])


def scenario_variable_in_nested_name_scopes(tf, rec):
    # tutorial 002 case 1
    with tf.name_scope("s1"):
        with tf.name_scope("s2"):
            w1 = tf.Variable([1, 2, 3], name="w")
            b1 = tf.Variable([0.1], name="biases")
    rec("names", [w1.name, b1.name])
    rec("dtypes", [rec.dtype(w1), rec.dtype(b1)])


def scenario_variable_reentering_captured_name_scope(tf, rec):
    # tutorial 002 case 2 (printed output there is wrong; TF decides)
    with tf.name_scope("s1"):
        with tf.name_scope("s2"):
            tf.Variable([1, 2, 3], name="w")
    with tf.name_scope("s1") as scope_1:
        w2 = tf.Variable([1, 2, 3], name="w")
        b2 = tf.Variable([0.1], name="biases")
        with tf.name_scope("s2"):
            w3 = tf.Variable([1, 2, 3], name="w")
            b3 = tf.Variable([0.1], name="biases")
        with tf.name_scope(scope_1):
            w4 = tf.Variable([1, 2, 3], name="w")
            b4 = tf.Variable([0.1], name="biases")
    rec("scope_1", scope_1)
    rec("names", [w2.name, b2.name, w3.name, b3.name, w4.name, b4.name])


def scenario_variable_dtype_inference(tf, rec):
    rec("int", rec.dtype(tf.Variable(1)))
    rec("float", rec.dtype(tf.Variable(1.0)))
    rec("int list", rec.dtype(tf.Variable([1, 2])))
    rec("float list", rec.dtype(tf.Variable([1.0, 2.0])))
    rec("bool", rec.dtype(tf.Variable(True)))
    rec("explicit", rec.dtype(tf.Variable(1, dtype=tf.float32)))
    rec("np float32", rec.dtype(tf.Variable(np.zeros([2], np.float32))))


def scenario_variable_shapes(tf, rec):
    rec("scalar", rec.shape(tf.Variable(1.0)))
    rec("vector", rec.shape(tf.Variable([1.0, 2.0, 3.0])))
    rec("matrix", rec.shape(tf.Variable(np.ones([2, 3], np.float32))))


def scenario_variable_callable_initial_value(tf, rec):
    v = tf.Variable(lambda: np.full([2], 7.0, np.float32), name="cv")
    rec.var("v", v)
    rec("value", rec.value(v))


def scenario_variable_trainable_false(tf, rec):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())
    rec.names("coll trainable", tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES))
    rec("a,b", [a.name, b.name])


def scenario_variable_collections_argument(tf, rec):
    a = tf.Variable(1.0, name="a", collections=["mine"])
    b = tf.Variable(1.0, name="b", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    c = tf.Variable(1.0, name="c", collections=["mine", tf.GraphKeys.GLOBAL_VARIABLES])
    rec.names("mine", tf.get_collection("mine"))
    rec.names("global", tf.global_variables())
    rec.names("local", tf.get_collection(tf.GraphKeys.LOCAL_VARIABLES))
    rec.names("trainable", tf.trainable_variables())
    rec("names", [a.name, b.name, c.name])


def scenario_variable_failed_creation_uses_name(tf, rec):
    rec.error_type(lambda: tf.Variable({}, name="bad"), "dict initial value")
    rec("next bad", tf.Variable(1.0, name="bad").name)
    rec.error_type(lambda: tf.Variable({}), "dict default name")
    rec("next default", tf.Variable(1.0).name)


def scenario_variable_name_with_slash(tf, rec):
    with tf.name_scope("outer"):
        v = tf.Variable(1.0, name="inner/x")
    rec("name", v.name)


def scenario_variable_invalid_names(tf, rec):
    rec.error_type(lambda: tf.Variable(1.0, name="a b"), "space")
    with tf.name_scope("ok"):
        rec.expect_error(lambda: tf.Variable(1.0, name="_x").name, "underscore nested")
    rec.error_type(lambda: tf.Variable(1.0, name="_x"), "underscore root")


def scenario_variable_value_int_and_float(tf, rec):
    a = tf.Variable([1, 2, 3], name="a")
    b = tf.Variable(np.array([[1.5, 2.5]], np.float32), name="b")
    c = tf.Variable(2, dtype=tf.float64)
    rec("a", rec.value(a))
    rec("b", rec.value(b))
    rec("c", [float(rec.value(c)), rec.dtype(c)])


def scenario_variable_dtype_conversion_errors(tf, rec):
    rec.error_type(lambda: tf.Variable(1.5, dtype=tf.int32), "float -> int32")


def scenario_variable_name_trailing_slash(tf, rec):
    rec.expect_error(lambda: tf.Variable(0.0, name="x/").name, "x/")
    with tf.name_scope("s"):
        rec.expect_error(lambda: tf.Variable(0.0, name="y/").name, "y/ in s")
    rec.expect_error(lambda: tf.Variable(0.0, name="z").name, "z")


def scenario_variable_without_initial_value_errors(tf, rec):
    rec.expect_error(lambda: tf.Variable(), "no initial value")
    rec.expect_error(lambda: tf.Variable(None, name="n"), "None initial value")


def scenario_variable_from_variable(tf, rec):
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable(a)
    rec("b", [b.name, rec.shape(b), rec.dtype(b)])
    rec("b value", rec.value(b))
    c = tf.get_variable("c", initializer=np.float32(5.0))
    d = tf.Variable(c, name="d")
    rec("d value", float(rec.value(d)))


def scenario_variable_trainable_attribute(tf, rec):
    a = tf.Variable(1.0)
    b = tf.Variable(1.0, trainable=False)
    c = tf.get_variable("c", [])
    d = tf.get_variable("d", [], trainable=False)
    rec("trainable", [x.trainable for x in (a, b, c, d)])


def scenario_variable_in_template_name_default(tf, rec):
    with tf.variable_scope("vs"):
        a = tf.Variable(1.0)
        with tf.name_scope("ns"):
            b = tf.Variable(1.0)
    rec("names", [a.name, b.name])
