"""``tf.get_variable``: names from variable scopes only, sharing, and the errors TF raises
(already exists, does not exist, shape/dtype mismatch, bad names and shapes).
"""

import numpy as np

from .common import ns


def scenario_get_variable_root_name(tf, rec):
    v = tf.get_variable("v", [1])
    rec.var("v", v)
    rec("trainable", v in tf.trainable_variables())


def scenario_get_variable_nested_scope_names(tf, rec):
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            with tf.variable_scope("c"):
                rec.var("v", tf.get_variable("v", [2, 3]))
    rec("scope_after", tf.get_variable_scope().name)


def scenario_get_variable_existing_without_reuse_errors(tf, rec):
    # testNameExists / tutorials: already exists, disallowed
    with tf.variable_scope("a"):
        tf.get_variable("v", [1])
        rec.expect_error(lambda: tf.get_variable("v", [1]), "second get_variable")
        rec("w", tf.get_variable("w", [1]).name)


def scenario_get_variable_reuse_true_returns_same(tf, rec):
    with tf.variable_scope("a"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        v1 = tf.get_variable("v", [1])
    rec.same("same", v, v1)
    rec("names", [v.name, v1.name])


def scenario_get_variable_reuse_true_missing_errors(tf, rec):
    with tf.variable_scope("a", reuse=True):
        rec.expect_error(lambda: tf.get_variable("u", [1]), "missing")
    with tf.variable_scope("a"):
        rec("u", tf.get_variable("u", [1]).name)


def scenario_get_variable_reuse_without_shape(tf, rec):
    with tf.variable_scope("rnn") as s:
        v = tf.get_variable("w", [3, 4])
        s.reuse_variables()
        v2 = tf.get_variable("w")
    rec.same("same", v, v2)
    rec("shape", rec.shape(v2))


def scenario_get_variable_reuse_shape_mismatch(tf, rec):
    with tf.variable_scope("root"):
        with tf.variable_scope("towerA") as tower_a:
            tf.get_variable("v", [1])
        with tf.variable_scope(tower_a, reuse=True):
            rec.expect_error(lambda: tf.get_variable("v", [2]), "shape mismatch")
            rec.expect_error(lambda: tf.get_variable("v", [1, 1]), "rank mismatch")


def scenario_get_variable_reuse_dtype_mismatch(tf, rec):
    with tf.variable_scope("root"):
        with tf.variable_scope("towerA") as tower_a:
            tf.get_variable("v", [1])
        with tf.variable_scope(tower_a, reuse=True):
            rec.error_type(lambda: tf.get_variable("v", [1], dtype=tf.int32), "dtype mismatch type")
            msg = []
            try:
                tf.get_variable("v", [1], dtype=tf.int32)
            except ValueError as e:
                msg.append(str(e))
            rec("message mentions dtype", "dtype" in msg[0])
            rec("message prefix", msg[0].split(" but ")[0])


def scenario_get_variable_reuse_dtype_mismatch_message(tf, rec):
    # exact wording; TF1 graph mode uses ref dtypes ("float32_ref") for the
    # found dtype
    v = tf.get_variable("v", [1])
    tf.get_variable_scope().reuse_variables()
    rec.expect_error(lambda: tf.get_variable("v", [1], dtype=tf.float64), "float64 vs float32")
    rec(v.name, True)


def scenario_get_variable_mismatch_without_reuse_reports_exists(tf, rec):
    tf.get_variable("v", [1])
    rec.expect_error(lambda: tf.get_variable("v", [2]), "exists beats shape")


def scenario_get_variable_no_shape_no_initializer_errors(tf, rec):
    rec.expect_error(lambda: tf.get_variable("w"), "no shape")
    with tf.variable_scope("s"):
        rec.expect_error(lambda: tf.get_variable("w"), "no shape nested")
    rec("then Variable w", tf.Variable(1.0, name="w").name)


def scenario_get_variable_partially_defined_shape_errors(tf, rec):
    rec.expect_error(lambda: tf.get_variable("w", [None, 3]), "partial shape")


def scenario_get_variable_scalar_and_shapes(tf, rec):
    rec.var("scalar", tf.get_variable("s", []))
    rec.var("tuple", tf.get_variable("t", (2, 3)))
    rec.var("zero", tf.get_variable("z", [0, 4]))
    rec.var("np_shape", tf.get_variable("n", np.array([2, 2])))


def scenario_get_variable_float_shape_errors(tf, rec):
    # tutorial: tf.get_variable("v1", [1.0])
    rec.error_type(lambda: tf.get_variable("v1", [1.0]), "float dim")
    rec("after", tf.get_variable("v1", [1]).name)


def scenario_get_variable_positional_args(tf, rec):
    v = tf.get_variable("v", [2], tf.float64, tf.constant_initializer(1.5))
    rec.var("v", v)
    rec("value", rec.value(v))


def scenario_get_variable_in_name_scope_ignores_name_scope(tf, rec):
    with tf.name_scope("my_name_scope"):
        v1 = tf.get_variable("var1", [1], dtype=tf.float32)
        v2 = tf.Variable(1, name="var2", dtype=tf.float32)
        rec("ns", ns(tf))
    rec("v1", v1.name)
    rec("v2", v2.name)


def scenario_get_variable_and_variable_in_variable_scope(tf, rec):
    with tf.variable_scope("my_variable_scope"):
        v1 = tf.get_variable("var1", [1], dtype=tf.float32)
        v2 = tf.Variable(1, name="var2", dtype=tf.float32)
    rec("v1", v1.name)
    rec("v2", v2.name)
    rec("dtypes", [rec.dtype(v1), rec.dtype(v2)])


def scenario_get_variable_after_variable_same_name(tf, rec):
    # the store does not know tf.Variable names; the op name is uniquified
    with tf.variable_scope("a"):
        v = tf.Variable(1.0, name="w")
        g = tf.get_variable("w", [1])
    rec("names", [v.name, g.name])
    with tf.variable_scope("a", reuse=True):
        rec("reuse", tf.get_variable("w", [1]).name)


def scenario_get_variable_after_variable_reuse_missing(tf, rec):
    with tf.variable_scope("a"):
        tf.Variable(1.0, name="w")
    with tf.variable_scope("a", reuse=True):
        rec.expect_error(lambda: tf.get_variable("w", [1]), "Variable not in store")


def scenario_get_variable_failed_creation_uses_name(tf, rec):
    calls = [0]

    def flaky(shape, dtype=None, partition_info=None):
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("boom")
        return np.zeros(shape, np.float32)

    with tf.variable_scope("s"):
        rec.expect_error(lambda: tf.get_variable("v", [1], initializer=flaky), "first attempt")
        v = tf.get_variable("v", [1], initializer=flaky)
        rec("retry name", v.name)
    with tf.variable_scope("s", reuse=True):
        rec("reuse name", tf.get_variable("v", [1]).name)


def scenario_get_variable_name_with_slash(tf, rec):
    with tf.variable_scope("a"):
        v = tf.get_variable("b/c", [1])
    rec("name", v.name)
    with tf.variable_scope("a"):
        with tf.variable_scope("b", reuse=True):
            rec("via nested scope", tf.get_variable("c", [1]) is v)


def scenario_get_variable_invalid_names(tf, rec):
    rec.error_type(lambda: tf.get_variable("a b", [1]), "space")
    rec.expect_error(lambda: tf.get_variable("_x", [1]).name, "leading underscore at root")
    with tf.variable_scope("s"):
        rec.expect_error(lambda: tf.get_variable("_y", [1]).name, "leading underscore nested")


def scenario_get_variable_returns_same_object_many_ways(tf, rec):
    with tf.variable_scope("a") as a:
        with tf.variable_scope("b"):
            v = tf.get_variable("v", [1])
    ways = []
    with tf.variable_scope("a/b", reuse=True):
        ways.append(tf.get_variable("v", [1]))
    with tf.variable_scope(a, reuse=True):
        ways.append(tf.get_variable("b/v", [1]))
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        ways.append(tf.get_variable("a/b/v", [1]))
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b"):
            ways.append(tf.get_variable("v"))
    rec("all same", [w is v for w in ways])


def scenario_trainable_arg_none_defaults_true(tf, rec):
    v = tf.get_variable("v", [], trainable=None)
    w = tf.get_variable("w", [], trainable=True)
    rec.names("trainable", tf.trainable_variables())
    rec(v.name + w.name, True)


def scenario_get_variable_reuse_with_different_trainable(tf, rec):
    v = tf.get_variable("v", [], trainable=False)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        v2 = tf.get_variable("v", [], trainable=True)
    rec("same", v is v2)
    rec.names("trainable", tf.trainable_variables())


def scenario_get_variable_reuse_with_different_initializer_keeps_value(tf, rec):
    v = tf.get_variable("v", [2], initializer=tf.constant_initializer(1.0))
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        v2 = tf.get_variable("v", [2], initializer=tf.constant_initializer(5.0))
    rec("same", v is v2)
    rec("value", rec.value(v2))


def scenario_get_variable_shape_int_and_numpy_dims(tf, rec):
    rec.expect_error(lambda: rec.shape(tf.get_variable("i", 3)), "int shape")
    rec.var("npdims", tf.get_variable("n", [np.int64(2), np.int32(3)]))
    rec.var("tuple_empty", tf.get_variable("e", ()))


def scenario_get_variable_reuse_compatible_partial_shape(tf, rec):
    v = tf.get_variable("v", [3])
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        rec.expect_error(lambda: tf.get_variable("v", [None]) is v, "[None] vs [3]")
        rec.expect_error(lambda: tf.get_variable("v", []) is v, "[] vs [3]")
        rec.expect_error(lambda: tf.get_variable("v", (3,)) is v, "(3,) vs [3]")


def scenario_get_variable_reuse_explicit_same_dtype(tf, rec):
    v = tf.get_variable("v", [1], dtype=tf.float64)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        rec.expect_error(lambda: tf.get_variable("v", [1], dtype=tf.float64) is v, "float64 again")
        rec.expect_error(lambda: tf.get_variable("v", [1]) is v, "default dtype vs float64")
