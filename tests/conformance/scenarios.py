"""Conformance scenarios: each ``scenario_<rule>(tf, rec)`` is run under real
TensorFlow (compat.v1, graph mode) and under minitf; the logs must match.

Rules of the game:
* only the API shared by both modules (see README in this folder / the
  module docstring of ``backends.py``);
* observations go through ``rec(label, value)``; shapes/dtypes/values/reuse
  flags through the ``rec.shape/dtype/value/reuse`` adapters;
* expected errors through ``rec.expect_error(lambda: ..., label)`` (logs
  the exception type and the normalised first line of the message);
* values only with constant initializers (random initializers differ by
  design).

Sources: TensorFlow's variable_scope_test.py and template_test.py (graph
mode cases that fit the API), the user's tutorials in /work/shared/seeds,
and extra rules (uniquification, collections, error wording...).
"""

import threading

import numpy as np

# ---------------------------------------------------------------------------
# helpers (every module-level callable starting with "_" is part of the cache
# key of every scenario; see test_conformance.py)
# ---------------------------------------------------------------------------


def _enter(cm):
    """Enter a context manager and return (cm, value) so that a scenario can
    exit it explicitly (used to test __exit__ ordering errors)."""
    return cm, cm.__enter__()


def _in_scope(tf, name_or_scope, fn, **kw):
    with tf.variable_scope(name_or_scope, **kw):
        return fn()


def _ns(tf):
    return tf.get_default_graph().get_name_scope()


def _dummy(tf):
    return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def _scoped_dummy(tf, scope_name):
    with tf.variable_scope(scope_name):
        return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def _image_filter(tf):
    # tutorial-style two conv layers built with get_variable
    for layer, shape in (("conv1", [5, 5, 32, 32]), ("conv2", [5, 5, 32, 32])):
        with tf.variable_scope(layer):
            tf.get_variable("weights", shape, initializer=tf.random_normal_initializer())
            tf.get_variable("biases", [shape[-1]], initializer=tf.constant_initializer(0.0))
    return [v.name for v in tf.global_variables()]


# ===========================================================================
# 1. basic get_variable naming and sharing
# ===========================================================================


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
        rec("ns", _ns(tf))
    rec("v1", v1.name)
    rec("v2", v2.name)


def scenario_get_variable_and_variable_in_variable_scope(tf, rec):
    with tf.variable_scope("my_variable_scope"):
        v1 = tf.get_variable("var1", [1], dtype=tf.float32)
        v2 = tf.Variable(1, name="var2", dtype=tf.float32)
    rec("v1", v1.name)
    rec("v2", v2.name)
    rec("dtypes", [rec.dtype(v1), rec.dtype(v2)])


# ===========================================================================
# 2. tf.Variable naming and uniquification
# ===========================================================================


def scenario_variable_uniquification(tf, rec):
    names = [tf.Variable(1.0, name="v").name for _ in range(3)]
    rec("names", names)
    rec("default", [tf.Variable(0.0).name, tf.Variable(0.0).name])


def scenario_variable_case_insensitive_uniquification(tf, rec):
    a = tf.Variable(1.0, name="V")
    b = tf.Variable(1.0, name="v")
    c = tf.Variable(1.0, name="V")
    rec("names", [a.name, b.name, c.name])


def scenario_name_scope_case_insensitive_uniquification(tf, rec):
    with tf.name_scope("Foo") as a:
        pass
    with tf.name_scope("foo") as b:
        pass
    with tf.variable_scope("FOO") as s:
        c = tf.Variable(0.0, name="x").name
    rec("scopes", [a, b, s.original_name_scope, c, s.name])


def scenario_variable_suffix_collision(tf, rec):
    # a user name that looks like a uniquified one
    a = tf.Variable(1.0, name="v_1")
    b = tf.Variable(1.0, name="v")
    c = tf.Variable(1.0, name="v")
    rec("names", [a.name, b.name, c.name])


def scenario_variable_after_get_variable_same_name(tf, rec):
    g = tf.get_variable("v", [1])
    v = tf.Variable(1.0, name="v")
    rec("names", [g.name, v.name])


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


def scenario_variable_values_tutorial_name_scope(tf, rec):
    # tutorial 000: a_name_scope
    with tf.name_scope("a_name_scope"):
        initializer = tf.constant_initializer(value=1)
        var1 = tf.get_variable(name="var1", shape=[1], dtype=tf.float32, initializer=initializer)
        var2 = tf.Variable(name="var2", initial_value=[2], dtype=tf.float32)
        var21 = tf.Variable(name="var2", initial_value=[2.1], dtype=tf.float32)
        var22 = tf.Variable(name="var2", initial_value=[2.2], dtype=tf.float32)
    for label, v in (("var1", var1), ("var2", var2), ("var21", var21), ("var22", var22)):
        rec(label, v.name)
        rec(label + ".value", rec.value(v))


def scenario_variable_values_tutorial_variable_scope_reuse(tf, rec):
    # tutorial 000: a_variable_scope with reuse_variables
    with tf.variable_scope("a_variable_scope") as scope:
        initializer = tf.constant_initializer(value=3)
        var3 = tf.get_variable(name="var3", shape=[1], dtype=tf.float32, initializer=initializer)
        scope.reuse_variables()
        var3_reuse = tf.get_variable(name="var3")
        var4 = tf.Variable(name="var4", initial_value=[4], dtype=tf.float32)
        var4_reuse = tf.Variable(name="var4", initial_value=[4], dtype=tf.float32)
    rec.same("var3 is var3_reuse", var3, var3_reuse)
    for label, v in (("var3", var3), ("var3_reuse", var3_reuse), ("var4", var4), ("var4_reuse", var4_reuse)):
        rec(label, v.name)
        rec(label + ".value", rec.value(v))


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


def scenario_variable_name_with_slash(tf, rec):
    with tf.name_scope("outer"):
        v = tf.Variable(1.0, name="inner/x")
    rec("name", v.name)


def scenario_variable_invalid_names(tf, rec):
    rec.error_type(lambda: tf.Variable(1.0, name="a b"), "space")
    with tf.name_scope("ok"):
        rec.expect_error(lambda: tf.Variable(1.0, name="_x").name, "underscore nested")
    rec.error_type(lambda: tf.Variable(1.0, name="_x"), "underscore root")


# ===========================================================================
# 3. variable_scope naming, default_name, re-entering
# ===========================================================================


def scenario_var_scope_names_and_name_scopes(tf, rec):
    # testVarScope
    with tf.variable_scope("tower4") as tower:
        rec("tower.name", tower.name)
        with tf.name_scope("scope") as sc:
            rec("sc", sc)
    with tf.variable_scope("tower5"):
        with tf.variable_scope("bar") as bar:
            rec("bar.name", bar.name)
            with tf.name_scope("scope") as sc:
                rec("sc2", sc)
    with tf.variable_scope("tower6"):
        with tf.variable_scope(tower, reuse=True) as tower_shared:
            rec("tower_shared.name", tower_shared.name)
            with tf.name_scope("scope") as sc:
                rec("sc3", sc)


def scenario_var_scope_name_scope_uniquified_on_reentry(tf, rec):
    # testVarScopeNameScope
    with tf.name_scope("n1"):
        with tf.variable_scope("tower") as tower:
            with tf.name_scope("scope2") as sc2:
                rec("a", sc2)
        with tf.variable_scope(tower):
            with tf.name_scope("scope2") as sc2:
                rec("b", sc2)
        with tf.variable_scope("tower"):
            with tf.name_scope("scope2") as sc2:
                rec("c", sc2)
    with tf.name_scope("n2"):
        with tf.variable_scope("tower"):
            with tf.name_scope("scope2") as sc2:
                rec("d", sc2)
        with tf.variable_scope(tower):
            with tf.name_scope("scope2") as sc2:
                rec("e", sc2)
    root = tf.get_variable_scope()
    with tf.name_scope("n3"):
        with tf.variable_scope(root):
            with tf.name_scope("scope2") as sc2:
                rec("f", sc2)


def scenario_var_scope_original_name_scope(tf, rec):
    # testVarScopeOriginalNameScope
    with tf.name_scope("scope1"):
        with tf.variable_scope("tower") as tower:
            rec("orig", tower.original_name_scope)
            with tf.name_scope("scope2") as sc2:
                rec("sc2", sc2)
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower) as tower1:
            rec("orig reentered", tower1.original_name_scope)
            with tf.name_scope("foo") as sc2:
                rec("foo", sc2)
        with tf.name_scope(tower.original_name_scope):
            with tf.name_scope("bar") as sc3:
                rec("bar", sc3)
    with tf.name_scope("scope2"):
        with tf.variable_scope(tower):
            with tf.name_scope(tower.original_name_scope):
                with tf.name_scope("bar") as sc3:
                    rec("bar_1", sc3)


def scenario_var_scope_string_reentry_gets_new_name_scope(tf, rec):
    for i in range(3):
        with tf.variable_scope("foo") as s:
            rec("iter%d" % i, [s.name, s.original_name_scope, _ns(tf)])
            rec("var%d" % i, tf.Variable(0.0, name="x").name)


def scenario_var_scope_default_name_uniquification(tf, rec):
    # testVarOpScope (second half)
    with tf.name_scope("testVarOpScope2"):
        with tf.variable_scope(None, "default", []):
            rec("w", tf.get_variable("w", []).name)
            with tf.name_scope("testVarOpScope2") as sc2:
                rec("sc2", sc2)
        with tf.variable_scope(None, "default", []):
            rec("w_1", tf.get_variable("w", []).name)
            with tf.name_scope("testVarOpScope2") as sc2:
                rec("sc2_1", sc2)


def scenario_var_scope_name_with_default_name_ignores_default(tf, rec):
    # testVarOpScope (first half)
    with tf.name_scope("testVarOpScope1"):
        with tf.variable_scope("tower", "default", []):
            rec("w", tf.get_variable("w", []).name)
            with tf.name_scope("testVarOpScope2") as sc2:
                rec("sc2", sc2)
        with tf.variable_scope("tower", "default", []):
            rec.expect_error(lambda: tf.get_variable("w", []), "w again")
            with tf.name_scope("testVarOpScope2") as sc2:
                rec("sc2_1", sc2)


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
    def f():
        with tf.variable_scope(None):
            pass

    rec.expect_error(f, "None scope")


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
        rec("w", tf.get_variable("w", []).name)
        with tf.name_scope("scope2") as sc2:
            rec("sc2", sc2)
        with tf.variable_scope("default"):
            rec("default/w", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("default sc2", sc2)
    with tf.variable_scope(outer, reuse=True):
        rec("w reuse", tf.get_variable("w", []).name)
        with tf.name_scope("scope2") as sc2:
            rec("sc2 reuse", sc2)
        with tf.variable_scope("default", reuse=True):
            rec("default/w reuse", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("default sc2 reuse", sc2)


def scenario_var_scope_nested_outer_scope(tf, rec):
    # testVarScopeNestedOuterScope
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer):
            rec("w", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("sc2", sc2)
        with tf.variable_scope("default"):
            rec("default/w", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("default sc2", sc2)
        with tf.variable_scope(outer, reuse=True):
            rec("w reuse", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("sc2 reuse", sc2)
        with tf.variable_scope("default", reuse=True):
            rec("default/w reuse", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("default sc2 reuse", sc2)


def scenario_var_op_scope_reuse(tf, rec):
    # testVarOpScopeReuse
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            rec("a", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("a sc", sc2)
        with tf.variable_scope(None, "default", []):
            rec("b", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("b sc", sc2)
    with tf.variable_scope(outer, reuse=True) as outer:
        with tf.variable_scope("tower", "default", []):
            rec("c", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("c sc", sc2)
        with tf.variable_scope(None, "default", []):
            rec("d", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("d sc", sc2)


def scenario_var_op_scope_reuse_param(tf, rec):
    # testVarOpScopeReuseParam
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("tower", "default", []):
            rec("a", tf.get_variable("w", []).name)
        with tf.variable_scope(None, "default", []):
            rec("b", tf.get_variable("w", []).name)
    with tf.variable_scope(outer) as outer:
        with tf.variable_scope("tower", "default", reuse=True):
            rec("c", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("c sc", sc2)
        outer.reuse_variables()
        with tf.variable_scope(None, "default", []):
            rec("d", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("d sc", sc2)


def scenario_var_op_scope_outer_scope(tf, rec):
    # testVarOpScopeOuterScope
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope(outer, "default", []):
        rec("a", tf.get_variable("w", []).name)
        with tf.name_scope("scope2") as sc2:
            rec("a sc", sc2)
        with tf.variable_scope(None, "default", []):
            rec("b", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("b sc", sc2)
    with tf.variable_scope(outer, "default", reuse=True):
        rec("c", tf.get_variable("w", []).name)
        with tf.name_scope("scope2") as sc2:
            rec("c sc", sc2)
        outer.reuse_variables()
        with tf.variable_scope(None, "default", []):
            rec("d", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("d sc", sc2)


def scenario_var_op_scope_nested_outer_scope(tf, rec):
    # testVarOpScopeNestedOuterScope
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer, "default", []):
            rec("a", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("a sc", sc2)
        with tf.variable_scope(None, "default", []):
            rec("b", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("b sc", sc2)
    with tf.variable_scope(outer, "default", reuse=True):
        rec("c", tf.get_variable("w", []).name)
        with tf.name_scope("scope2") as sc2:
            rec("c sc", sc2)
        with tf.variable_scope(None, "default", []):
            rec("d", tf.get_variable("w", []).name)
            with tf.name_scope("scope2") as sc2:
                rec("d sc", sc2)


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
                rec("ns", _ns(tf))
                rec("tfvar", tf.Variable(0.0, name="t").name)
            rec("back", tf.get_variable_scope().name)


def scenario_var_scope_reenter_root(tf, rec):
    root = tf.get_variable_scope()
    rec("root name", root.name)
    rec("root orig", root.original_name_scope)
    with tf.variable_scope("a"):
        with tf.variable_scope(root) as r:
            rec("inside", [r.name, _ns(tf)])
            rec("v", tf.get_variable("v", []).name)
            rec("t", tf.Variable(0.0, name="t").name)


def scenario_var_scope_reenter_inside_itself(tf, rec):
    with tf.variable_scope("foo") as foo:
        with tf.variable_scope(foo) as foo2:
            rec("names", [foo2.name, foo2.original_name_scope, _ns(tf)])
            with tf.variable_scope(foo) as foo3:
                rec("names3", [foo3.name, _ns(tf)])


def scenario_var_scope_slash_in_name(tf, rec):
    with tf.variable_scope("a/b") as s:
        rec("s", [s.name, s.original_name_scope, _ns(tf)])
        rec("v", tf.get_variable("v", []).name)
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
        scope, _ = _enter(tf.variable_scope("bb"))
        with tf.variable_scope("cc"):
            rec.error_type(lambda: scope.__exit__(None, None, None), "exit out of order")
        scope.__exit__(None, None, None)
    rec("after", tf.get_variable_scope().name)


def scenario_var_scope_empty_string_name(tf, rec):
    def f():
        with tf.variable_scope("") as s:
            rec("s", [s.name, s.original_name_scope, _ns(tf)])
            rec("v", tf.get_variable("v", []).name)

    rec.expect_error(f, "empty scope name")


def scenario_var_scope_invalid_names(tf, rec):
    def enter(name):
        def f():
            with tf.variable_scope(name):
                pass

        return f

    rec.expect_error(enter("a b"), "space at root")
    rec.expect_error(enter("_foo"), "underscore at root")
    rec.expect_error(enter("-foo"), "dash at root")
    rec.expect_error(enter("foo!"), "bang at root")
    with tf.variable_scope("outer"):
        rec.expect_error(enter("a b"), "space nested")
        rec.expect_error(enter("_foo"), "underscore nested")
        rec.expect_error(enter("-foo"), "dash nested")
    rec.expect_error(enter(".foo"), "dot at root")


def scenario_var_scope_underscore_nested_creates_vars(tf, rec):
    with tf.variable_scope("outer"):
        with tf.variable_scope("_inner") as s:
            rec("name", s.name)
            rec("v", tf.get_variable("v", []).name)


def scenario_var_scope_two_graphs_invalid_root(tf, rec):
    # testTwoGraphs
    def f():
        g1 = tf.Graph()
        g2 = tf.Graph()
        with g1.as_default():
            with g2.as_default():
                with tf.variable_scope("_"):
                    pass

    rec.expect_error(f, "underscore in nested graphs")


def scenario_var_scope_invalid_name_with_aux_false(tf, rec):
    def f():
        with tf.variable_scope("a b", auxiliary_name_scope=False) as s:
            rec("name", s.name)
            rec.error_type(lambda: tf.get_variable("v", []).name, "get_variable")

    rec.expect_error(f, "aux false invalid")


def scenario_name_scope_invalid_names(tf, rec):
    def enter(name):
        def f():
            with tf.name_scope(name):
                pass

        return f

    rec.expect_error(enter("a b"), "space")
    rec.expect_error(enter("_x"), "underscore root")
    with tf.name_scope("ok"):
        rec.expect_error(enter("_x"), "underscore nested")


# ===========================================================================
# 4. name_scope behaviour
# ===========================================================================


def scenario_name_scope_returns_strings(tf, rec):
    with tf.name_scope("a") as a:
        rec("a", a)
        rec("gns", _ns(tf))
        with tf.name_scope("b") as b:
            rec("b", b)
            rec("gns b", _ns(tf))
    rec("root gns", _ns(tf))


def scenario_name_scope_uniquification(tf, rec):
    out = []
    for _ in range(3):
        with tf.name_scope("a") as a:
            out.append(a)
    with tf.name_scope("a_1") as x:
        out.append(x)
    rec("scopes", out)


def scenario_name_scope_reenter_absolute_string(tf, rec):
    with tf.name_scope("a") as a:
        pass
    with tf.name_scope("other"):
        with tf.name_scope(a) as again:
            rec("again", again)
            rec("gns", _ns(tf))
            rec("t", tf.Variable(0.0, name="t").name)
        with tf.name_scope(a):
            rec("t2", tf.Variable(0.0, name="t").name)


def scenario_name_scope_none_resets_to_root(tf, rec):
    with tf.name_scope("a"):
        with tf.name_scope(None) as n:
            rec("none", n)
            rec("gns", _ns(tf))
            rec("t", tf.Variable(0.0, name="t").name)
        rec("back", _ns(tf))


def scenario_name_scope_empty_string_resets(tf, rec):
    with tf.name_scope("a"):
        with tf.name_scope("") as n:
            rec("empty", n)
            rec("gns", _ns(tf))


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
            rec("gns", _ns(tf))
            x = tf.Variable(1.0, name="x")
    rec("v", v.name)
    rec("x", x.name)


def scenario_name_scope_outside_variable_scope(tf, rec):
    # tutorial: name_scope('foo') > variable_scope('bar')
    with tf.name_scope("foo"):
        with tf.variable_scope("bar") as s:
            x = tf.get_variable("x", shape=())
            rec("gns", _ns(tf))
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
            rec("gns", _ns(tf))
    rec.same("same", v, v1)
    rec("names", [v.name, v1.name])


def scenario_name_scope_after_variable_scope_same_name(tf, rec):
    with tf.variable_scope("x"):
        pass
    with tf.name_scope("x") as n:
        rec("ns", n)
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


def scenario_default_graph_identity(tf, rec):
    g = tf.Graph()
    with g.as_default():
        rec("is default", tf.get_default_graph() is g)
        with tf.variable_scope("a"):
            tf.get_variable("v", [])
        rec("n vars", len(tf.global_variables()))
    rec("outer has none", len(tf.global_variables()))
    rec("is default after", tf.get_default_graph() is g)


def scenario_graphs_have_separate_stores(tf, rec):
    g1 = tf.Graph()
    g2 = tf.Graph()
    with g1.as_default():
        with tf.variable_scope("a"):
            v1 = tf.get_variable("v", [1])
    with g2.as_default():
        with tf.variable_scope("a"):
            v2 = tf.get_variable("v", [1])
        with tf.variable_scope("a") as s:
            rec("ns in g2", s.original_name_scope)
    rec("names", [v1.name, v2.name])
    rec.same("distinct", v1, v2)
    with g1.as_default():
        with tf.variable_scope("a") as s:
            rec("ns in g1", s.original_name_scope)
        with tf.variable_scope("a", reuse=True):
            rec.same("g1 reuse", tf.get_variable("v", [1]), v1)


# ===========================================================================
# 5. auxiliary_name_scope
# ===========================================================================


def scenario_aux_name_scope_false_basic(tf, rec):
    # testBasicWhenAuxiliaryNameScopeIsFalse
    with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
        rec("orig", scope.original_name_scope)
        rec("w", tf.get_variable("w", []).name)
        rec("c", tf.Variable(0.0, name="c").name)
        rec("gns", _ns(tf))
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
    rec.expect_error(lambda: _in_scope(tf, "s2", lambda: None, auxiliary_name_scope=1), "int 1")


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


# ===========================================================================
# 6. reuse semantics
# ===========================================================================


def scenario_reuse_flag_values(tf, rec):
    rec("root", rec.reuse(tf.get_variable_scope()))
    with tf.variable_scope("a") as a:
        rec("a", rec.reuse(a))
    with tf.variable_scope("b", reuse=True) as b:
        rec("b", rec.reuse(b))
    with tf.variable_scope("c", reuse=tf.AUTO_REUSE) as c:
        rec("c", rec.reuse(c))
    with tf.variable_scope("d", reuse=False) as d:
        rec("d", rec.reuse(d))
    with tf.variable_scope("e", reuse=None) as e:
        rec("e", rec.reuse(e))


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
    # testVarScopeObjectReuse
    with tf.variable_scope("jump", reuse=True) as scope:
        vs = scope
    with tf.variable_scope(vs) as jump:
        rec("a", rec.reuse(jump))
    with tf.variable_scope(vs, reuse=True) as jump_reuse:
        rec("b", rec.reuse(jump_reuse))
    with tf.variable_scope(vs, reuse=False) as jump_no_reuse:
        rec("c", rec.reuse(jump_no_reuse))
    with tf.variable_scope("jump", reuse=False) as scope:
        vs = scope
    with tf.variable_scope(vs) as jump:
        rec("d", rec.reuse(jump))
    with tf.variable_scope(vs, reuse=True) as jump_reuse:
        rec("e", rec.reuse(jump_reuse))
    with tf.variable_scope(vs, reuse=False) as jump_no_reuse:
        rec("f", rec.reuse(jump_no_reuse))


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
        first = _image_filter(tf)
        tf.get_variable_scope().reuse_variables()
        second = _image_filter(tf)
    rec("first", first)
    rec("second", second)


def scenario_reuse_image_filters_tutorial(tf, rec):
    # tutorial: calling twice without reuse raises "conv1/weights already exists"
    _image_filter(tf)
    rec.expect_error(lambda: _image_filter(tf), "second call")
    with tf.variable_scope("image_filters") as scope:
        _image_filter(tf)
        scope.reuse_variables()
        rec("reused", len(_image_filter(tf)))
    with tf.variable_scope("image_filters1") as scope1:
        _image_filter(tf)
    with tf.variable_scope(scope1, reuse=True):
        rec("via object", len(_image_filter(tf)))
    rec.names("all", tf.global_variables())


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


def scenario_auto_reuse_tutorial(tf, rec):
    # tutorial 002 (printed "biases_1" there is wrong; TF decides)
    with tf.variable_scope("s1"):
        with tf.variable_scope("s2"):
            w1 = tf.get_variable("w", [2, 2])
            b1 = tf.get_variable("biases", [2, 2])
    rec("first", [w1.name, b1.name])
    with tf.variable_scope("s1", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("s2"):
            w2 = tf.get_variable("w", [2, 2])
            b2 = tf.get_variable("biases", [2, 2])
    rec("second", [w2.name, b2.name])
    rec("same", [w1 is w2, b1 is b2])

    def missing():
        with tf.variable_scope("t1", reuse=True):
            with tf.variable_scope("s2"):
                tf.get_variable("w", [2, 2])

    rec.expect_error(missing, "reuse=True on new")

    def rerun():
        with tf.variable_scope("s1", reuse=False):
            with tf.variable_scope("s2"):
                tf.get_variable("w", [2, 2])

    rec.expect_error(rerun, "reuse=False on existing")


def scenario_reuse_in_rnn_tutorial(tf, rec):
    # tutorial 000: train/test RNN sharing via scope.reuse_variables()
    def rnn(cfg):
        with tf.variable_scope("in_hidden"):
            w_in = tf.get_variable("weights", [cfg[0], cfg[1]], initializer=tf.random_normal_initializer(0.0, 1.0))
            b_in = tf.get_variable("biases", [cfg[1]], initializer=tf.constant_initializer(0.1))
        with tf.variable_scope("out_hidden"):
            w_out = tf.get_variable("weights", [cfg[1], 2], initializer=tf.random_normal_initializer(0.0, 1.0))
        return [w_in, b_in, w_out]

    with tf.variable_scope("rnn") as scope:
        train = rnn((10, 11))
        scope.reuse_variables()
        test = rnn((10, 11))
    rec("train", [v.name for v in train])
    rec("shared", [a is b for a, b in zip(train, test)])
    rec("b value", rec.value(test[1]))


def scenario_reuse_false_explicit_at_root(tf, rec):
    with tf.variable_scope("a", reuse=False):
        tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=False):
        rec.expect_error(lambda: tf.get_variable("v", [1]), "again")


def scenario_reuse_invalid_value(tf, rec):
    def f():
        with tf.variable_scope("a", reuse="yes") as s:
            rec("reuse", rec.reuse(s))

    rec.expect_error(f, "string reuse")


def scenario_reuse_does_not_leak_after_exit(tf, rec):
    with tf.variable_scope("a"):
        tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        pass
    with tf.variable_scope("b"):
        rec("b create", tf.get_variable("v", [1]).name)
    with tf.variable_scope("a") as s:
        rec("a not reusing", rec.reuse(s))


# ===========================================================================
# 7. initializer / dtype / regularizer inheritance
# ===========================================================================


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


def scenario_init_default_initializers_by_dtype(tf, rec):
    # testInitFromNonInitializer (defaults: zeros for int/bool)
    x = tf.get_variable("xi32", shape=(3, 4), dtype=tf.int32)
    y = tf.get_variable("yi32", shape=(3, 4), dtype=tf.int32, initializer=tf.zeros_initializer(dtype=tf.int32))
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
    rec.expect_error(lambda: tf.get_variable("u2", [3], initializer=np.zeros([3], np.float32)), "ndarray + shape")


def scenario_init_constant_through_scope(tf, rec):
    # testInitializeFromValue: constant initializer passed through scopes
    with tf.variable_scope("foo", initializer=np.float32(0.1)):
        v = tf.get_variable("v")
        rec.var("v", v)
        rec("value", rec.value(v))


def scenario_init_value_and_dtype_mismatch(tf, rec):
    rec.error_type(lambda: tf.get_variable("s", initializer=np.int32(1), dtype=tf.float64), "int32 init, float64 dtype")


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
    v = tf.get_variable("t", [50, 50], initializer=tf.truncated_normal_initializer(mean=1.0, stddev=0.5))
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
    for i, dt in enumerate([tf.float32, tf.float64, tf.float16, tf.bfloat16, tf.int32, tf.int64, tf.bool]):
        v = tf.get_variable("v%d" % i, [2], dtype=dt, initializer=tf.zeros_initializer())
        rec("dtype%d" % i, rec.dtype(v))


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
        b = tf.get_variable("b", [], initializer=tf.constant_initializer(1.0), regularizer=lambda v: v * 10.0)
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


# ===========================================================================
# 8. custom getters
# ===========================================================================


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
        g_0 = getter("%s/0" % name, *args, **kwargs)
        g_1 = getter("%s/1" % name, *args, **kwargs)
        return g_0 + g_1

    with tf.variable_scope("scope", custom_getter=custom_getter, initializer=tf.constant_initializer(1.5)):
        v = tf.get_variable("v", [1, 2, 3])
    rec("shape", list(np.shape(rec.value(v))))
    rec.names("trainable", tf.trainable_variables())
    rec("value", rec.value(v))


def scenario_custom_getter_nested_composition_order(tf, rec):
    # testNestedCustomGetters: inner getter runs first and wraps the outer
    def sum_getter(getter, name, *args, **kwargs):
        g_0 = getter("%s/sum_0" % name, *args, **kwargs)
        g_1 = getter("%s/sum_1" % name, *args, **kwargs)
        return g_0 + g_1

    def prod_getter(getter, name, *args, **kwargs):
        g_0 = getter("%s/prod_0" % name, *args, **kwargs)
        g_1 = getter("%s/prod_1" % name, *args, **kwargs)
        return g_0 * g_1

    with tf.variable_scope("prod_scope", custom_getter=prod_getter):
        with tf.variable_scope("sum_scope", custom_getter=sum_getter):
            with tf.variable_scope("inner_sum_scope", custom_getter=sum_getter, initializer=tf.constant_initializer(2.0)):
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


# ===========================================================================
# 9. collections
# ===========================================================================


def scenario_collections_get_collection_scope_filter(tf, rec):
    # testGetCollection, with tf.get_collection(key, scope)
    tf.get_variable("a", [])
    tf.get_variable("b", [], trainable=False)
    with tf.variable_scope("foo_") as scope1:
        tf.get_variable("a", [])
        tf.get_variable("b", [], trainable=False)
    with tf.variable_scope("foo") as scope2:
        tf.get_variable("a", [])
        tf.get_variable("b", [], trainable=False)
    G, T = tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES
    rec.names("foo_/ T", tf.get_collection(T, scope1.name + "/"))
    rec.names("foo_/ G", tf.get_collection(G, scope1.name + "/"))
    rec.names("foo/ T", tf.get_collection(T, scope2.name + "/"))
    rec.names("foo G (prefix match)", tf.get_collection(G, "foo"))
    rec.names("all G", tf.get_collection(G))
    rec.names("all T", tf.get_collection(T))


def scenario_collections_regex_prefix_match(tf, rec):
    with tf.variable_scope("discriminator_pair"):
        tf.get_variable("w", [1])
    with tf.variable_scope("disc"):
        tf.get_variable("w", [1])
    with tf.variable_scope("generator"):
        tf.get_variable("w", [1])
    with tf.variable_scope("a.c"):
        tf.get_variable("w", [1])
    with tf.variable_scope("abc"):
        tf.get_variable("w", [1])
    G = tf.GraphKeys.GLOBAL_VARIABLES
    rec.names("disc", tf.get_collection(G, "disc"))
    rec.names("disc/", tf.get_collection(G, "disc/"))
    rec.names("regex a.c", tf.get_collection(G, "a.c"))
    rec.names("regex alternation", tf.get_collection(G, "gen|abc"))
    rec.names("not anchored at end", tf.get_collection(G, "w"))
    rec.names("dot star", tf.get_collection(G, ".*w"))
    rec.names("trainable_variables(scope)", tf.trainable_variables("disc"))
    rec.names("global_variables(scope)", tf.global_variables("generator"))


def scenario_collections_scope_filter_skips_nameless_items(tf, rec):
    tf.add_to_collection("mixed", 3)
    tf.add_to_collection("mixed", "str")
    v = tf.get_variable("v", [])
    tf.add_to_collection("mixed", v)
    rec("all len", len(tf.get_collection("mixed")))
    rec.names("filtered", tf.get_collection("mixed", "v"))


def scenario_collections_add_to_collection(tf, rec):
    v = tf.get_variable("v", [])
    tf.add_to_collection("mine", v)
    tf.add_to_collection("mine", v)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, v)
    rec.names("mine", tf.get_collection("mine"))
    rec.names("update", tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    rec("empty", tf.get_collection("nothing"))


def scenario_collections_get_collection_returns_copy(tf, rec):
    tf.get_variable("v", [])
    c = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    c.append("junk")
    rec("len", len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)))


def scenario_collections_get_variable_trainable_false(tf, rec):
    # testGetTrainableVariablesWithGetVariable (no sync args)
    tf.get_variable("a", [])
    with tf.variable_scope("foo"):
        tf.get_variable("b", [])
        nt = tf.get_variable("c", [], trainable=False)
    rec.names("trainable foo", tf.trainable_variables("foo"))
    rec.names("global foo", tf.global_variables("foo"))
    rec.names("all trainable", tf.trainable_variables())
    rec("nt.trainable", getattr(nt, "trainable", None))


def scenario_collections_tf_variable_trainable_scope(tf, rec):
    # testGetTrainableVariablesWithVariable
    tf.Variable(1.0, name="a")
    with tf.variable_scope("foo"):
        tf.Variable(1.0, name="b")
        tf.Variable(1.0, name="c", trainable=False)
    rec.names("trainable foo", tf.trainable_variables("foo"))
    rec.names("global", tf.global_variables())


def scenario_collections_get_variable_collections_arg(tf, rec):
    # testGetLocalVariables via collections=[LOCAL_VARIABLES]
    tf.get_variable("a", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.variable_scope("foo"):
        tf.get_variable("b", [], collections=[tf.GraphKeys.LOCAL_VARIABLES])
        tf.get_variable("c", [])
    L = tf.GraphKeys.LOCAL_VARIABLES
    rec.names("local foo", tf.get_collection(L, "foo/"))
    rec.names("local", tf.get_collection(L))
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())


def scenario_collections_custom_collection_and_trainable(tf, rec):
    v = tf.get_variable("v", [], collections=["mine"])
    w = tf.get_variable("w", [], collections=["mine"], trainable=False)
    rec.names("mine", tf.get_collection("mine"))
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        rec.same("reuse from store", tf.get_variable("v", []), v)
    rec(w.name, True)


def scenario_collections_global_variables_order(tf, rec):
    tf.get_variable("z", [])
    tf.Variable(0.0, name="a")
    with tf.variable_scope("m"):
        tf.get_variable("b", [])
    tf.get_variable("c", [], trainable=False)
    rec.names("order", tf.global_variables())
    rec.names("trainable order", tf.trainable_variables())


def scenario_collections_graphkeys_values(tf, rec):
    K = tf.GraphKeys
    rec(
        "keys",
        [K.GLOBAL_VARIABLES, K.TRAINABLE_VARIABLES, K.REGULARIZATION_LOSSES, K.UPDATE_OPS, K.LOCAL_VARIABLES],
    )


# ===========================================================================
# 10. make_template
# ===========================================================================


def scenario_template_with_name(tf, rec):
    # test_template_with_name
    tmpl1 = tf.make_template("s1", lambda: _dummy(tf))
    tmpl2 = tf.make_template("s1", lambda: _dummy(tf))
    v1 = tmpl1()
    v2 = tmpl1()
    v3 = tmpl2()
    rec("v1 is v2", v1 is v2)
    rec("v1 is v3", v1 is v3)
    rec("names", [v1.name, v3.name])


def scenario_template_same_unique_name_errors(tf, rec):
    # test_same_unique_name_raise_error
    tmpl1 = tf.make_template("_", lambda: _dummy(tf), unique_name_="s1")
    tmpl1()
    tmpl2 = tf.make_template("_", lambda: _dummy(tf), unique_name_="s1")
    rec.expect_error(tmpl2, "second template same unique name")


def scenario_template_unique_name_and_reuse(tf, rec):
    # test_unique_name_and_reuse
    tmpl1 = tf.make_template("_", lambda: _dummy(tf), unique_name_="s1")
    v1 = tmpl1()
    v2 = tmpl1()
    tf.get_variable_scope().reuse_variables()
    tmpl2 = tf.make_template("_", lambda: _dummy(tf), unique_name_="s1")
    v3 = tmpl2()
    rec("same", [v1 is v2, v1 is v3])
    rec("name", v1.name)


def scenario_template_in_scope(tf, rec):
    # test_template_in_scope
    tmpl1 = tf.make_template("s1", lambda: _dummy(tf))
    tmpl2 = tf.make_template("s1", lambda: _dummy(tf))
    with tf.variable_scope("scope"):
        v1 = tmpl1()
        v3 = tmpl2()
    with tf.variable_scope("scope2"):
        v2 = tmpl1()
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])


def scenario_template_with_internal_reuse(tf, rec):
    # test_template_with_internal_reuse
    tmpl1 = tf.make_template("s1", lambda name: _scoped_dummy(tf, name))
    tmpl2 = tf.make_template("s1", lambda name: _scoped_dummy(tf, name))
    v1 = tmpl1("test")
    v2 = tmpl1("test")
    v3 = tmpl2("test")
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])
    rec.expect_error(lambda: tmpl1("not_test"), "new scope on second call")


def scenario_template_without_name_errors(tf, rec):
    rec.expect_error(lambda: tf.make_template(None, lambda: _dummy(tf)), "None name")


def scenario_template_kwargs_bound(tf, rec):
    # test_make_template
    tmpl1 = tf.make_template("s1", _scoped_dummy, tf=tf, scope_name="test")
    tmpl2 = tf.make_template("s1", _scoped_dummy, tf=tf, scope_name="test")
    v1 = tmpl1()
    v2 = tmpl1()
    v3 = tmpl2()
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])


def scenario_template_enforces_no_extra_trainable_variables(tf, rec):
    # test_enforces_no_extra_trainable_variables
    def fn(trainable):
        tf.Variable(0, trainable=trainable)
        return _dummy(tf)

    tmpl = tf.make_template("s", fn, trainable=True)
    tmpl()
    rec.expect_error(tmpl, "second call creates trainable tf.Variable")


def scenario_template_enforces_no_extra_trainable_get_variable(tf, rec):
    # test_enforces_no_extra_trainable_variables_eager, in graph mode
    def fn(trainable, name="side"):
        tf.get_variable(name, shape=[1], trainable=trainable)
        return _dummy(tf)

    tmpl = tf.make_template("s", fn, trainable=True)
    tmpl(name="1")
    rec.expect_error(lambda: tmpl(name="2"), "second call new get_variable")


def scenario_template_permits_extra_non_trainable(tf, rec):
    # test_permits_extra_non_trainable_variables
    def fn(trainable):
        tf.Variable(0, trainable=trainable)
        return _dummy(tf)

    tmpl = tf.make_template("s", fn, trainable=False)
    a = tmpl()
    b = tmpl()
    rec("same", a is b)
    rec.names("globals", tf.global_variables())


def scenario_template_internal_variable_reuse(tf, rec):
    # test_internal_variable_reuse
    def nested():
        with tf.variable_scope("nested") as vs:
            v1 = tf.get_variable("x", initializer=tf.zeros_initializer(), shape=[])
        with tf.variable_scope(vs, reuse=True):
            v2 = tf.get_variable("x")
        rec("inner same", v1 is v2)
        return v1

    tmpl1 = tf.make_template("s1", nested)
    tmpl2 = tf.make_template("s1", nested)
    v1 = tmpl1()
    v2 = tmpl1()
    v3 = tmpl2()
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])


def scenario_template_nested_templates(tf, rec):
    # test_nested_templates
    def nested_template():
        nested1 = tf.make_template("nested", lambda: _dummy(tf))
        nested2 = tf.make_template("nested", lambda: _dummy(tf))
        v1 = nested1()
        v2 = nested2()
        rec("inner distinct", v1 is not v2)
        return v2

    tmpl1 = tf.make_template("s1", nested_template)
    tmpl2 = tf.make_template("s1", nested_template)
    v1 = tmpl1()
    v2 = tmpl1()
    v3 = tmpl2()
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v2.name, v3.name])


def scenario_template_immediate_scope_creation(tf, rec):
    # test_immediate_scope_creation
    with tf.variable_scope("ctor_scope"):
        tmpl_immed = tf.make_template("a", lambda: _dummy(tf), True)
        tmpl_defer = tf.make_template("b", lambda: _dummy(tf), False)
    with tf.variable_scope("call_scope"):
        inner_imm_var = tmpl_immed()
        inner_defer_var = tmpl_defer()
    outer_imm_var = tmpl_immed()
    outer_defer_var = tmpl_defer()
    rec("same", [inner_imm_var is inner_defer_var, outer_imm_var is inner_imm_var, outer_defer_var is inner_defer_var])
    rec("names", [inner_imm_var.name, inner_defer_var.name])


def scenario_template_scope_access(tf, rec):
    # test_scope_access
    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", lambda: _dummy(tf), True)
        tb = tf.make_template("bar", lambda: _dummy(tf), True)
    rec("ta", ta.variable_scope.name)
    rec("tb", tb.variable_scope.name)
    with tf.variable_scope("foo_2"):
        tc = tf.make_template("blah", lambda: _dummy(tf), False)
    rec("tc before call", tc.variable_scope is None)
    tc()
    rec("tc after call", tc.variable_scope.name)


def scenario_template_name_properties(tf, rec):
    with tf.variable_scope("outer"):
        t = tf.make_template("mod", lambda: _dummy(tf), create_scope_now_=True)
        d = tf.make_template("mod", lambda: _dummy(tf))
    rec("t.name", t.name)
    rec("t.variable_scope_name", t.variable_scope_name)
    rec("d.name", d.name)
    rec.expect_error(lambda: d.variable_scope_name, "deferred variable_scope_name")
    rec.expect_error(lambda: d.variable_scope is None, "deferred variable_scope is None")
    d()
    rec("d.variable_scope_name after", d.variable_scope_name)
    rec("d.variable_scope.name after", d.variable_scope.name)


def scenario_template_fails_gracefully(tf, rec):
    # test_fails_gracefully (TypeError from a bad kwarg leaves no state)
    for create_scope_now in (True, False):

        def module_function_with_one_arg(inputs):
            w = tf.get_variable("w", shape=[1], initializer=tf.zeros_initializer())
            return w

        t = tf.make_template("f1", module_function_with_one_arg, create_scope_now_=create_scope_now)
        rec.error_type(lambda: t(1.0, is_training=True), "bad kwarg %s" % create_scope_now)
        w = t(1.0)
        rec("w %s" % create_scope_now, w.name)
        rec("w again %s" % create_scope_now, t(1.0) is w)


def scenario_template_name_scopes_for_variable_scopes(tf, rec):
    # test_name_scopes_for_variable_scopes: observe the name scope inside
    seen = []

    def linear_module(x, output_size):
        w = tf.get_variable("w", shape=[4, output_size], initializer=tf.zeros_initializer())
        tf.get_variable("b", shape=[output_size], initializer=tf.zeros_initializer())
        seen.append(_ns(tf))
        return w

    def make_linear_module(output_size, name):
        return tf.make_template(name, linear_module, output_size=output_size, create_scope_now_=True)

    linear1 = make_linear_module(output_size=2, name="foo")
    w1 = linear1(None)
    linear1(None)
    rec("linear1 scope", linear1.variable_scope.name)
    rec("w1", w1.name)
    linear2 = make_linear_module(output_size=2, name="foo")
    w2 = linear2(None)
    linear2(None)
    rec("linear2 scope", linear2.variable_scope.name)
    rec("w2", w2.name)
    rec("name scopes", seen)


def scenario_template_deferred_name_scopes(tf, rec):
    seen = []

    def fn():
        seen.append(_ns(tf))
        return _dummy(tf)

    t = tf.make_template("mod", fn)
    t()
    t()
    with tf.variable_scope("x"):
        t()
    rec("name scopes", seen)


def scenario_template_variables_properties(tf, rec):
    # test_global_variables / test_trainable_variables
    def with_create(trainable):
        tf.Variable(0, trainable=trainable)
        return _dummy(tf)

    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", lambda: _dummy(tf), True)
        tb = tf.make_template("s", with_create, trainable=False)
    rec("before", [list(ta.variables), list(tb.variables), list(ta.trainable_variables)])
    ta()
    tb()
    rec.names("ta.variables", ta.variables)
    rec.names("tb.variables", tb.variables)
    rec.names("ta.trainable", ta.trainable_variables)
    rec.names("tb.trainable", tb.trainable_variables)


def scenario_template_trainable_variables_two_templates(tf, rec):
    with tf.variable_scope("foo2"):
        ta = tf.make_template("bar", lambda: _dummy(tf), True)
        tb = tf.make_template("bar", lambda: _dummy(tf), True)
    ta()
    tb()
    rec.names("ta", ta.trainable_variables)
    rec.names("tb", tb.trainable_variables)


def scenario_template_variables_prefix_collision(tf, rec):
    # template.variables filters by scope-name prefix: "bar" vs "bar_1"
    ta = tf.make_template("bar", lambda: _dummy(tf))
    ta()
    with tf.variable_scope("bar_extra"):
        _dummy(tf)
    tb = tf.make_template("bar", lambda: _dummy(tf))
    tb()
    rec.names("ta.variables", ta.variables)
    rec.names("tb.variables", tb.variables)


def scenario_template_shares_across_calls_with_args(tf, rec):
    def line(x, scale):
        m = tf.get_variable("w", shape=[], initializer=tf.constant_initializer(2.0))
        b = tf.get_variable("b", shape=[], initializer=tf.constant_initializer(1.0))
        return m * (x * scale) + b

    t = tf.make_template("line", line, scale=1.0)
    a = t(3.0)
    b = t(5.0)
    rec("values", [float(rec.value(a)), float(rec.value(b))])
    rec.names("vars", tf.global_variables())


def scenario_template_reuse_inside_reuse_scope(tf, rec):
    t = tf.make_template("m", lambda: _dummy(tf))
    with tf.variable_scope("r", reuse=True):
        rec.expect_error(t, "first call inside reuse=True")


def scenario_template_first_call_under_auto_reuse(tf, rec):
    t = tf.make_template("m", lambda: _dummy(tf))
    with tf.variable_scope("r", reuse=tf.AUTO_REUSE):
        v = t()
        rec("name", v.name)
        rec("again", t() is v)


def scenario_template_create_scope_now_scope_in_reuse(tf, rec):
    with tf.variable_scope("outer"):
        t = tf.make_template("m", lambda: _dummy(tf), create_scope_now_=True)
    with tf.variable_scope("other"):
        v = t()
    rec("name", v.name)
    with tf.variable_scope("outer", reuse=True):
        rec("reuse by path", tf.get_variable("m/dummy", [1]) is v)


def scenario_template_returns_function_result(tf, rec):
    t = tf.make_template("m", lambda a, b=2: (a, b, _dummy(tf).name))
    rec("first", list(t(1)))
    rec("second", list(t(3, b=4)))


def scenario_template_get_variable_scope_inside(tf, rec):
    seen = []

    def fn():
        s = tf.get_variable_scope()
        seen.append([s.name, rec.reuse(s)])
        return _dummy(tf)

    t = tf.make_template("m", fn)
    t()
    t()
    rec("seen", seen)


# ===========================================================================
# 11. threads
# ===========================================================================


def scenario_thread_disjoint_scope_entry(tf, rec):
    # testTwoThreadsDisjointScopeEntry
    graph = tf.get_default_graph()
    out = []

    def thread_fn(i):
        with graph.as_default():
            with tf.variable_scope("foo"):
                if i == 0:
                    out.append(tf.get_variable("v", []).name)
                else:
                    try:
                        tf.get_variable("v", [])
                        out.append("no error")
                    except ValueError:
                        out.append("ValueError")

    for i in range(2):
        t = threading.Thread(target=thread_fn, args=(i,))
        t.start()
        t.join()
    rec("out", out)


def scenario_thread_reenter_main_scope(tf, rec):
    # testReenterMainScope
    graph = tf.get_default_graph()
    out = []

    def thread_fn(main_thread_scope):
        with graph.as_default():
            with tf.variable_scope(main_thread_scope):
                with tf.variable_scope("foo"):
                    out.append(tf.get_variable("v", []).name)
            with tf.variable_scope("bar"):
                out.append(tf.get_variable("v", []).name)

    with tf.variable_scope("main") as main_thread_scope:
        t = threading.Thread(target=thread_fn, args=(main_thread_scope,))
        t.start()
        t.join()
        rec("main still", tf.get_variable_scope().name)
    rec("out", out)


# ===========================================================================
# 12. misc / tutorials
# ===========================================================================


def scenario_tutorial_scoping_function(tf, rec):
    # tutorial 003: scoping(fn, scope1, scope2, vals) with both scope kinds
    def scoping(fn, scope1, scope2, vals):
        with fn(scope1):
            a = tf.Variable(vals[0], name="a")
            b = tf.get_variable("b", initializer=vals[1])
            c = tf.Variable(vals[2], name="c")
            with fn(scope2):
                d = tf.Variable(vals[0], name="res")
        return [a.name, b.name, c.name, d.name, rec.dtype(b)]

    rec("vars", scoping(tf.variable_scope, "scope_vars", "res", [1, 2, 3]))
    rec("names", scoping(tf.name_scope, "scope_name", "res", [1, 2, 3]))


def scenario_tutorial_layers_example(tf, rec):
    # tutorial (last): layer1 reuse, get_variable under name_scope, op name scope
    with tf.variable_scope("layer1"):
        w1 = tf.get_variable("weights", shape=[784, 256], initializer=tf.random_normal_initializer())
        b1 = tf.get_variable("biases", shape=[256], initializer=tf.constant_initializer(0.0))
    with tf.variable_scope("layer1", reuse=True):
        w1_reuse = tf.get_variable("weights")
    rec("reuse is", w1_reuse is w1)
    with tf.name_scope("layer2"):
        w2 = tf.get_variable("weights", shape=[256, 128], initializer=tf.random_normal_initializer())
    rec("w2", w2.name)
    with tf.name_scope("layer2"):
        rec("second layer2 name scope", _ns(tf))
    rec("b1", [b1.name, rec.shape(b1)])


def scenario_tutorial_name_scope_get_variable_vs_variable(tf, rec):
    # tutorial 003: op_scope replacement with name_scope/variable_scope
    with tf.name_scope("name_scope"):
        v = tf.get_variable("v", [1])
        v2 = tf.Variable([0], name="v2")
    rec("ns", [v.name, v2.name])
    with tf.variable_scope("name_scope"):
        v = tf.get_variable("v", [1])
        v2 = tf.Variable([0], name="v2")
    rec("vs", [v.name, v2.name])


def scenario_gan_discriminator_sharing(tf, rec):
    def disc(reuse):
        with tf.variable_scope("discriminator", reuse=reuse):
            w = tf.get_variable("w", [4, 1], initializer=tf.constant_initializer(0.5))
            return w

    real = disc(None)
    fake = disc(True)
    rec("same", real is fake)
    with tf.variable_scope("generator"):
        tf.get_variable("w", [2, 4])
    rec.names("d vars", tf.trainable_variables("discriminator"))
    rec.names("g vars", tf.trainable_variables("generator"))


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


def scenario_variable_value_int_and_float(tf, rec):
    a = tf.Variable([1, 2, 3], name="a")
    b = tf.Variable(np.array([[1.5, 2.5]], np.float32), name="b")
    c = tf.Variable(2, dtype=tf.float64)
    rec("a", rec.value(a))
    rec("b", rec.value(b))
    rec("c", [float(rec.value(c)), rec.dtype(c)])


def scenario_variable_dtype_conversion_errors(tf, rec):
    rec.error_type(lambda: tf.Variable(1.5, dtype=tf.int32), "float -> int32")


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


def scenario_name_scope_numbering_past_ten(tf, rec):
    names = []
    for _ in range(12):
        with tf.name_scope("x") as n:
            names.append(n)
    rec("names", names)
    rec("var", tf.Variable(0.0, name="x_11").name)


def scenario_variable_scope_reentry_after_name_scope_taken(tf, rec):
    with tf.name_scope("foo"):
        pass
    with tf.variable_scope("foo") as s:
        rec("vs", [s.name, s.original_name_scope])
        rec("v", tf.get_variable("v", []).name)
    with tf.variable_scope("foo_1") as s:
        rec("foo_1", [s.name, s.original_name_scope])


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


# ===========================================================================
# 13. more edges: names shared between ops/scopes, initializers, errors
# ===========================================================================


def scenario_name_shared_between_variable_and_name_scope(tf, rec):
    tf.Variable(0.0, name="foo")
    with tf.name_scope("foo") as n:
        rec("ns after Variable foo", n)
    with tf.variable_scope("bar") as s:
        pass
    rec("Variable bar at root", tf.Variable(0.0, name="bar").name)
    tf.get_variable("g", [])
    with tf.name_scope("g") as n:
        rec("ns after get_variable g", n)
    rec("scope", s.original_name_scope)


def scenario_variable_name_trailing_slash(tf, rec):
    rec.expect_error(lambda: tf.Variable(0.0, name="x/").name, "x/")
    with tf.name_scope("s"):
        rec.expect_error(lambda: tf.Variable(0.0, name="y/").name, "y/ in s")
    rec.expect_error(lambda: tf.Variable(0.0, name="z").name, "z")


def scenario_var_scope_name_trailing_slash(tf, rec):
    def f():
        with tf.variable_scope("foo/") as s:
            rec("s", [s.name, s.original_name_scope, _ns(tf)])
            rec("v", tf.get_variable("v", []).name)

    rec.expect_error(f, "trailing slash scope")


def scenario_name_scope_with_inner_slash(tf, rec):
    with tf.name_scope("a/b") as n1:
        pass
    with tf.name_scope("a/b") as n2:
        pass
    with tf.name_scope("a") as n3:
        with tf.name_scope("b") as n4:
            pass
    rec("scopes", [n1, n2, n3, n4])


def scenario_exception_inside_scopes_restores_state(tf, rec):
    def boom():
        with tf.variable_scope("a", reuse=True):
            with tf.name_scope("n"):
                raise KeyError("inner")

    rec.expect_error(boom, "raise inside")
    rec("vs", [tf.get_variable_scope().name, rec.reuse(tf.get_variable_scope())])
    rec("ns", _ns(tf))
    with tf.variable_scope("a") as s:
        rec("a again", s.original_name_scope)


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


def scenario_var_scope_bad_types(tf, rec):
    def enter(x):
        def f():
            with tf.variable_scope(x):
                pass

        return f

    rec.expect_error(enter(123), "int")
    rec.error_type(enter(["a"]), "list")


def scenario_name_scope_bad_types(tf, rec):
    def enter(x):
        def f():
            with tf.name_scope(x) as n:
                rec("n", n)

        return f

    rec.error_type(enter(123), "int")


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


def scenario_dtype_scope_vs_argument_precedence(tf, rec):
    with tf.variable_scope("s", dtype=tf.float64):
        a = tf.get_variable("a", [1], dtype=tf.int32)
        b = tf.get_variable("b", [1])
        c = tf.get_variable("c", initializer=np.float32(1.0))
    rec("dtypes", [rec.dtype(a), rec.dtype(b), rec.dtype(c)])


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
    rec.error_type(lambda: tf.get_variable("v", [2], initializer=tf.constant_initializer([1.0, 2.0, 3.0])), "too many")


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
    w = tf.get_variable("w", [2], initializer=tf.constant_initializer(2, dtype=tf.float64), dtype=tf.float64)
    rec.var("w", w)


def scenario_init_random_normal_statistics(tf, rec):
    v = tf.get_variable("v", [100, 100], initializer=tf.random_normal_initializer(mean=3.0, stddev=2.0))
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
    u = tf.get_variable("u", [fan_in, 30], initializer=tf.variance_scaling_initializer(scale=2.0, mode="fan_avg", distribution="uniform"))
    lim = np.sqrt(3.0 * 2.0 / ((fan_in + 30) / 2.0))
    uval = rec.value(u)
    rec("uniform limit", bool(np.all(np.abs(uval) <= lim + 1e-6) and np.abs(uval).max() > 0.8 * lim))


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


def scenario_collections_empty_list_and_trainable(tf, rec):
    tf.get_variable("a", [], collections=[])
    tf.get_variable("b", [], collections=[], trainable=False)
    tf.get_variable("c", [], collections=[tf.GraphKeys.TRAINABLE_VARIABLES], trainable=False)
    tf.Variable(0.0, name="d", collections=[])
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())


def scenario_collections_empty_scope_filter(tf, rec):
    tf.add_to_collection("mixed", 3)
    tf.get_variable("v", [])
    tf.add_to_collection("mixed", tf.global_variables()[0])
    rec("None scope", len(tf.get_collection("mixed", None)))
    rec("empty scope", len(tf.get_collection("mixed", "")))


def scenario_collections_trainable_variables_after_reuse(tf, rec):
    with tf.variable_scope("a"):
        tf.get_variable("v", [])
    for _ in range(3):
        with tf.variable_scope("a", reuse=True):
            tf.get_variable("v", [])
    rec.names("global", tf.global_variables())
    rec.names("trainable", tf.trainable_variables())


def scenario_template_raises_after_creating_variable(tf, rec):
    calls = [0]

    def fn():
        v = _dummy(tf)
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("fail after create")
        return v

    t = tf.make_template("f", fn)
    rec.expect_error(t, "first call fails")
    rec.expect_error(lambda: t().name, "second call")
    rec.expect_error(lambda: t().name, "third call")


def scenario_template_unique_name_with_create_scope_now(tf, rec):
    with tf.variable_scope("outer"):
        t = tf.make_template("ignored", lambda: _dummy(tf), create_scope_now_=True, unique_name_="exact")
    rec("scope", t.variable_scope.name)
    rec("v", t().name)
    rec("name", t.name)


def scenario_template_invalid_name(tf, rec):
    t = tf.make_template("a b", lambda: _dummy(tf))
    rec.error_type(t, "call with invalid name")


def scenario_template_non_callable(tf, rec):
    t = tf.make_template("t", 3)
    rec.error_type(t, "call non-callable")


def scenario_template_called_in_name_scopes(tf, rec):
    seen = []

    def fn():
        seen.append([_ns(tf), tf.get_variable_scope().name])
        return _dummy(tf)

    t = tf.make_template("m", fn, create_scope_now_=True)
    with tf.name_scope("ns1"):
        t()
    with tf.variable_scope("vs1"):
        with tf.name_scope("ns2"):
            t()
    rec("seen", seen)


def scenario_template_variables_non_trainable_get_variable(tf, rec):
    def fn():
        tf.get_variable("count", [], trainable=False, initializer=tf.zeros_initializer())
        return _dummy(tf)

    t = tf.make_template("m", fn)
    t()
    t()
    rec.names("variables", t.variables)
    rec.names("trainable", t.trainable_variables)


def scenario_template_sibling_templates_by_same_func(tf, rec):
    def fn():
        return _dummy(tf)

    ts = [tf.make_template("layer", fn) for _ in range(3)]
    with tf.variable_scope("net"):
        names = [t().name for t in ts]
    rec("names", names)
    rec("scope names", [t.variable_scope.name for t in ts])


def scenario_tutorial_op_scope_mysum2_variable_scope(tf, rec):
    # tutorial 003 (mysum2 with variable_scope(name, default_name, values))
    def mysum2(a, b, name=None):
        with tf.variable_scope(name, "mysum2", [a, b]):
            v = tf.get_variable("v", 1)
            v2 = tf.Variable([0], name="v2")
            return v.name, v2.name

    rec.expect_error(lambda: mysum2(tf.Variable(1), tf.Variable(2)), "mysum2")


def scenario_tutorial_op_scope_mysum_name_scope(tf, rec):
    # tutorial 003 (mysum with name_scope(name, default_name, values))
    def mysum(a, b, name=None):
        with tf.name_scope(name, "mysum", [a, b]) as scope:
            v = tf.get_variable("v", [1])
            v2 = tf.Variable([0], name="v2")
            return scope, v.name, v2.name

    rec("mysum", list(mysum(tf.Variable(1), tf.Variable(2))))
    rec.expect_error(lambda: list(mysum(tf.Variable(1), tf.Variable(2), name="named")), "mysum again")
