"""Initializers: constant/zeros/ones values, Python and NumPy initial values, callables,
and the random initializers (checked by shape, bounds and statistics, never by value:
the random streams differ by design).
"""

import numpy as np


def scenario_init_default_initializers_by_dtype(tf, rec):
    # testInitFromNonInitializer (defaults: zeros for int/bool)
    x = tf.get_variable("xi32", shape=(3, 4), dtype=tf.int32)
    y = tf.get_variable(
        "yi32", shape=(3, 4), dtype=tf.int32, initializer=tf.zeros_initializer(dtype=tf.int32)
    )
    b = tf.get_variable("xb", shape=(2,), dtype=tf.bool)
    rec("int", rec.value(x).tolist() == rec.value(y).tolist())
    rec("int value", rec.value(x))
    rec("bool value", rec.value(b))
    rec("dtypes", [rec.dtype(x), rec.dtype(b)])


def scenario_init_default_initializer_int64(tf, rec):
    x = tf.get_variable("xi64", shape=(2,), dtype=tf.int64)
    rec("dtype", rec.dtype(x))
    rec("value", rec.value(x))


def scenario_init_from_python_values(tf, rec):
    # testInitFromNonTensorValue
    v = tf.get_variable("v4", initializer=4, dtype=tf.int32)
    rec.var("v", v)
    rec("v value", rec.value(v))
    w = tf.get_variable("w4", initializer=np.array([1, 2, 3]), dtype=tf.int64)
    rec.var("w", w)
    rec("w value", rec.value(w))
    rec.error_type(lambda: tf.get_variable("x4", initializer={}), "dict")


def scenario_init_list_initializer_infers_dtype_and_shape(tf, rec):
    v = tf.get_variable("l", initializer=[0.5, 1.5])
    rec.var("v", v)
    rec("value", rec.value(v))
    i = tf.get_variable("i", initializer=[1, 2, 3])
    rec.var("i", i)
    f = tf.get_variable("f", initializer=np.float32(2.5))
    rec.var("f", f)


def scenario_init_constant_with_shape_errors(tf, rec):
    # testInitializeFromValue: no explicit shape with a constant initializer
    rec.expect_error(lambda: tf.get_variable("u", [1], initializer=[0.1]), "list + shape")
    rec.expect_error(
        lambda: tf.get_variable("u2", [3], initializer=np.zeros([3], np.float32)), "ndarray + shape"
    )


def scenario_init_constant_through_scope(tf, rec):
    # testInitializeFromValue: constant initializer passed through scopes
    with tf.variable_scope("foo", initializer=np.float32(0.1)):
        v = tf.get_variable("v")
        rec.var("v", v)
        rec("value", rec.value(v))


def scenario_init_value_and_dtype_mismatch(tf, rec):
    rec.error_type(
        lambda: tf.get_variable("s", initializer=np.int32(1), dtype=tf.float64),
        "int32 init, float64 dtype",
    )


def scenario_init_callable_no_args(tf, rec):
    # testGetVariableWithInitializerWhichTakesNoArgs / OptionalArgs
    v = tf.get_variable("foo", initializer=lambda: [2])
    rec.var("v", v)
    rec("value", rec.value(v))
    w = tf.get_variable("bar", initializer=lambda x=True: [2.0, 3.0])
    rec.var("w", w)


def scenario_init_callable_with_required_args_no_shape_errors(tf, rec):
    # testGetVariableWithInitializerWhichTakesUnprovidedArgsAndNoShape
    rec.expect_error(lambda: tf.get_variable("foo", initializer=lambda x: [2]), "unprovided args")


def scenario_init_custom_callable_initializer_signature(tf, rec):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append([list(shape), rec.dtype_of(dtype)])
        return np.full(shape, 6.0, np.float32)

    v = tf.get_variable("v", [2, 1], initializer=init)
    rec("seen", seen)
    rec("value", rec.value(v))


def scenario_init_constant_initializer_values(tf, rec):
    a = tf.get_variable("a", [2, 2], initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0]))
    b = tf.get_variable("b", [3], initializer=tf.constant_initializer(7))
    c = tf.get_variable("c", [2], initializer=tf.zeros_initializer())
    d = tf.get_variable("d", [2], initializer=tf.ones_initializer())
    e = tf.get_variable("e", [2], dtype=tf.int32, initializer=tf.constant_initializer(3))
    rec("values", [rec.value(x).tolist() for x in (a, b, c, d, e)])
    rec("dtypes", [rec.dtype(x) for x in (a, b, c, d, e)])


def scenario_init_random_initializers_shapes_only(tf, rec):
    inits = [
        ("rn", tf.random_normal_initializer()),
        ("tn", tf.truncated_normal_initializer(stddev=0.1)),
        ("ru", tf.random_uniform_initializer(-1, 1)),
        ("gu", tf.glorot_uniform_initializer()),
        ("gn", tf.glorot_normal_initializer()),
        ("vs", tf.variance_scaling_initializer()),
        ("orth", tf.orthogonal_initializer()),
    ]
    for name, init in inits:
        v = tf.get_variable(name, [4, 3], initializer=init)
        rec.var(name, v)
        rec(name + ".finite", bool(np.all(np.isfinite(rec.value(v)))))


def scenario_init_truncated_normal_within_two_stddev(tf, rec):
    v = tf.get_variable(
        "t", [50, 50], initializer=tf.truncated_normal_initializer(mean=1.0, stddev=0.5)
    )
    val = rec.value(v)
    rec("within", bool(np.all(np.abs(val - 1.0) <= 1.0 + 1e-6)))


def scenario_init_random_uniform_range(tf, rec):
    v = tf.get_variable("u", [40, 40], initializer=tf.random_uniform_initializer(2.0, 3.0))
    val = rec.value(v)
    rec("range", bool(val.min() >= 2.0 and val.max() <= 3.0))


def scenario_init_orthogonal_is_orthogonal(tf, rec):
    v = tf.get_variable("o", [5, 5], initializer=tf.orthogonal_initializer())
    val = rec.value(v).astype(np.float64)
    rec("orthogonal", bool(np.allclose(val.T @ val, np.eye(5), atol=1e-4)))


def scenario_init_default_glorot_uniform_bounds(tf, rec):
    v = tf.get_variable("g", [30, 20])
    val = rec.value(v)
    limit = np.sqrt(6.0 / (30 + 20))
    rec("in bounds", bool(np.all(np.abs(val) <= limit + 1e-6)))
    rec("not constant", bool(val.std() > 0))


def scenario_init_numpy_float64_initializer_dtype(tf, rec):
    v = tf.get_variable("v", initializer=np.array([1.0, 2.0]))
    rec.var("v", v)
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    rec.var("w", w)


def scenario_init_constant_initializer_fewer_values_fills(tf, rec):
    # TF1 constant_initializer: shorter lists are padded with the last value
    v = tf.get_variable("v", [4], initializer=tf.constant_initializer([1.0, 2.0]))
    rec("value", rec.value(v))


def scenario_init_constant_initializer_too_many_values_errors(tf, rec):
    rec.error_type(
        lambda: tf.get_variable("v", [2], initializer=tf.constant_initializer([1.0, 2.0, 3.0])),
        "too many",
    )


def scenario_init_ones_zeros_int_bool(tf, rec):
    a = tf.get_variable("a", [2], dtype=tf.int32, initializer=tf.ones_initializer())
    b = tf.get_variable("b", [2], dtype=tf.bool, initializer=tf.zeros_initializer())
    c = tf.get_variable("c", [2], dtype=tf.bool, initializer=tf.ones_initializer())
    d = tf.get_variable("d", [2], dtype=tf.float16, initializer=tf.constant_initializer(0.5))
    rec("values", [rec.value(x).tolist() for x in (a, b, c, d)])
    rec("dtypes", [rec.dtype(x) for x in (a, b, c, d)])


def scenario_init_initializer_dtype_argument(tf, rec):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer(dtype=tf.int32), dtype=tf.int32)
    rec.var("v", v)
    w = tf.get_variable(
        "w", [2], initializer=tf.constant_initializer(2, dtype=tf.float64), dtype=tf.float64
    )
    rec.var("w", w)


def scenario_init_random_normal_statistics(tf, rec):
    v = tf.get_variable(
        "v", [100, 100], initializer=tf.random_normal_initializer(mean=3.0, stddev=2.0)
    )
    val = rec.value(v).astype(np.float64)
    rec("mean ok", bool(abs(val.mean() - 3.0) < 0.1))
    rec("std ok", bool(abs(val.std() - 2.0) < 0.1))


def scenario_init_random_uniform_default_range(tf, rec):
    v = tf.get_variable("v", [50, 50], initializer=tf.random_uniform_initializer())
    val = rec.value(v)
    rec("in [0,1)", bool(val.min() >= 0.0 and val.max() < 1.0))
    rec("spread", bool(val.max() - val.min() > 0.9))


def scenario_init_variance_scaling_bounds(tf, rec):
    fan_in = 40
    v = tf.get_variable("v", [fan_in, 30], initializer=tf.variance_scaling_initializer())
    val = rec.value(v).astype(np.float64)
    stddev = np.sqrt(1.0 / fan_in) / 0.87962566103423978
    rec("truncated at 2 stddev", bool(np.all(np.abs(val) <= 2 * stddev + 1e-6)))
    rec("std close", bool(abs(val.std() - np.sqrt(1.0 / fan_in)) < 0.02))
    u = tf.get_variable(
        "u",
        [fan_in, 30],
        initializer=tf.variance_scaling_initializer(
            scale=2.0, mode="fan_avg", distribution="uniform"
        ),
    )
    lim = np.sqrt(3.0 * 2.0 / ((fan_in + 30) / 2.0))
    uval = rec.value(u)
    rec(
        "uniform limit", bool(np.all(np.abs(uval) <= lim + 1e-6) and np.abs(uval).max() > 0.8 * lim)
    )


def scenario_init_glorot_normal_bounds(tf, rec):
    v = tf.get_variable("v", [30, 50], initializer=tf.glorot_normal_initializer())
    val = rec.value(v).astype(np.float64)
    stddev = np.sqrt(2.0 / 80) / 0.87962566103423978
    rec("bounded", bool(np.all(np.abs(val) <= 2 * stddev + 1e-6)))
    rec("std close", bool(abs(val.std() - np.sqrt(2.0 / 80)) < 0.02))


def scenario_init_orthogonal_non_square_and_gain(tf, rec):
    v = tf.get_variable("v", [6, 3], initializer=tf.orthogonal_initializer(gain=2.0))
    val = rec.value(v).astype(np.float64)
    rec("cols orthogonal", bool(np.allclose(val.T @ val, 4.0 * np.eye(3), atol=1e-3)))
    w = tf.get_variable("w", [3, 6], initializer=tf.orthogonal_initializer())
    wval = rec.value(w).astype(np.float64)
    rec("rows orthogonal", bool(np.allclose(wval @ wval.T, np.eye(3), atol=1e-3)))


def scenario_init_default_float16_glorot(tf, rec):
    v = tf.get_variable("v", [8, 8], dtype=tf.float16)
    rec.var("v", v)
    val = rec.value(v).astype(np.float64)
    rec("bounded", bool(np.all(np.abs(val) <= np.sqrt(6.0 / 16) + 1e-2)))
