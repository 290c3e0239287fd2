"""Custom getters: the keyword interface they receive, renaming, composition order of
nested getters, getters that build several variables.
"""

import numpy as np


def scenario_custom_getter_identity_call_count(tf, rec):
    # testNoSideEffectsWithIdentityCustomGetter
    called = [0]

    def custom_getter(getter, *args, **kwargs):
        called[0] += 1
        return getter(*args, **kwargs)

    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        v = tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        v2 = tf.get_variable("v", [1])
    with tf.variable_scope("new_scope") as new_scope:
        v3 = tf.get_variable("v3", [1])
    with tf.variable_scope(new_scope, reuse=True, custom_getter=custom_getter):
        v4 = tf.get_variable("v3", [1])
    rec("same", [v is v2, v3 is v4])
    rec("called", called[0])


def scenario_custom_getter_kwargs(tf, rec):
    calls = []

    def getter(getter, name, *args, **kwargs):
        keys = ["shape", "dtype", "initializer", "regularizer", "reuse", "trainable", "collections"]
        calls.append(
            {
                "name": name,
                "args": len(args),
                "has": {k: k in kwargs for k in keys},
                "shape": list(kwargs["shape"]) if kwargs.get("shape") is not None else None,
                "reuse": rec.backend.reuse(type("S", (), {"reuse": kwargs.get("reuse")})()),
                "trainable": kwargs.get("trainable"),
            }
        )
        return getter(name, *args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        tf.get_variable("v", [2, 3])
        tf.get_variable("nt", [1], trainable=False)
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        tf.get_variable("v", [2, 3])
    with tf.variable_scope("s", custom_getter=getter, reuse=tf.AUTO_REUSE):
        tf.get_variable("v")
    rec("calls", calls)


def scenario_custom_getter_reuse_kwarg(tf, rec):
    # testCustomGetterWithReuse (observing kwargs["reuse"] instead of identity op names)
    seen = []

    def custom_getter(getter, *args, **kwargs):
        var = getter(*args, **kwargs)
        seen.append([var.name, bool(kwargs["reuse"])])
        return var

    with tf.variable_scope("scope", custom_getter=custom_getter) as scope:
        tf.get_variable("v", [1])
    with tf.variable_scope(scope, reuse=True):
        tf.get_variable("v", [1])
    rec("seen", seen)


def scenario_custom_getter_rename(tf, rec):
    def rename(getter, name, *args, **kwargs):
        return getter(name + "_renamed", *args, **kwargs)

    with tf.variable_scope("s", custom_getter=rename):
        v = tf.get_variable("v", [1])
    rec("name", v.name)
    with tf.variable_scope("s", reuse=True):
        rec("plain reuse renamed", tf.get_variable("v_renamed", [1]).name)
        rec.expect_error(lambda: tf.get_variable("v", [1]), "plain reuse original")


def scenario_custom_getter_two_variables_sum(tf, rec):
    # testGetterThatCreatesTwoVariablesAndSumsThem (values instead of op names)
    def custom_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/0", *args, **kwargs)
        g_1 = getter(f"{name}/1", *args, **kwargs)
        return g_0 + g_1

    with tf.variable_scope(
        "scope", custom_getter=custom_getter, initializer=tf.constant_initializer(1.5)
    ):
        v = tf.get_variable("v", [1, 2, 3])
    rec("shape", list(np.shape(rec.value(v))))
    rec.names("trainable", tf.trainable_variables())
    rec("value", rec.value(v))


def scenario_custom_getter_nested_composition_order(tf, rec):
    # testNestedCustomGetters: inner getter runs first and wraps the outer
    def sum_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/sum_0", *args, **kwargs)
        g_1 = getter(f"{name}/sum_1", *args, **kwargs)
        return g_0 + g_1

    def prod_getter(getter, name, *args, **kwargs):
        g_0 = getter(f"{name}/prod_0", *args, **kwargs)
        g_1 = getter(f"{name}/prod_1", *args, **kwargs)
        return g_0 * g_1

    with tf.variable_scope("prod_scope", custom_getter=prod_getter):
        with tf.variable_scope("sum_scope", custom_getter=sum_getter):
            with tf.variable_scope(
                "inner_sum_scope",
                custom_getter=sum_getter,
                initializer=tf.constant_initializer(2.0),
            ):
                v = tf.get_variable("v", [1, 2, 3])
    rec.names("trainable", tf.trainable_variables())
    rec("value", rec.value(v))


def scenario_custom_getter_order_recording(tf, rec):
    order = []

    def make(tag):
        def g(getter, name, *args, **kwargs):
            order.append(tag + ":" + name)
            return getter(name, *args, **kwargs)

        return g

    with tf.variable_scope("a", custom_getter=make("outer")):
        with tf.variable_scope("b", custom_getter=make("inner")):
            with tf.variable_scope("c"):
                tf.get_variable("v", [])
    rec("order", order)


def scenario_custom_getter_scale_and_initializer_override(tf, rec):
    def scale(getter, *args, **kwargs):
        kwargs["initializer"] = tf.constant_initializer(3.0)
        return getter(*args, **kwargs) * 2.0

    with tf.variable_scope("s", custom_getter=scale):
        v = tf.get_variable("v", [2])
    rec("scaled value", rec.value(v))
    with tf.variable_scope("s", reuse=True):
        raw = tf.get_variable("v", [2])
    rec("raw", [raw.name, rec.value(raw).tolist()])


def scenario_custom_getter_captured_scope_keeps_getter(tf, rec):
    names = []

    def g(getter, name, *args, **kwargs):
        names.append(name)
        return getter(name, *args, **kwargs)

    with tf.variable_scope("a", custom_getter=g) as a:
        pass
    with tf.variable_scope(a):
        tf.get_variable("x", [])
    with tf.variable_scope("a"):
        tf.get_variable("y", [])
    rec("names", names)


def scenario_custom_getter_non_callable_errors(tf, rec):
    # testNonCallableGetterFails
    def f():
        with tf.variable_scope("scope0", custom_getter=3):
            tf.get_variable("name0")

    rec.expect_error(f, "non-callable getter")


def scenario_custom_getter_applies_to_tf_variable_not(tf, rec):
    called = [0]

    def g(getter, *args, **kwargs):
        called[0] += 1
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=g):
        tf.Variable(1.0, name="x")
    rec("called", called[0])


def scenario_custom_getter_returns_existing_variable(tf, rec):
    shared = tf.get_variable("shared", [1])

    def redirect(getter, name, *args, **kwargs):
        return shared

    with tf.variable_scope("s", custom_getter=redirect):
        v = tf.get_variable("anything", [5])
    rec("redirected", v is shared)
    rec.names("all", tf.global_variables())
