"""``tf.make_template``: naming, sharing across calls, ``unique_name_``,
``create_scope_now_``, the no-new-trainable-variables rule, template properties.

Most cases follow TensorFlow's ``template_test.py`` (test names in comments).
"""

from .common import dummy, ns, scoped_dummy


def _two_templates(tf, rec, fn, *args, bound=None):
    """TF's template_test idiom: two templates both named "s1" over ``fn`` (with the
    keyword arguments ``bound``); call the first twice and the second once (with
    ``args``), then log which calls shared a variable and the names the two templates gave
    it.  Returns the first template."""
    tmpl1 = tf.make_template("s1", fn, **(bound or {}))
    tmpl2 = tf.make_template("s1", fn, **(bound or {}))
    v1, v2, v3 = tmpl1(*args), tmpl1(*args), tmpl2(*args)
    rec("1st call is 2nd, 1st call is other template's", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])
    return tmpl1


def _new_variable_each_call(tf):
    """A template body that makes a new ``tf.Variable`` (trainable as told) on every call,
    then returns the shared dummy variable."""

    def fn(trainable):
        tf.Variable(0, trainable=trainable)
        return dummy(tf)

    return fn


def scenario_template_with_name(tf, rec):
    # test_template_with_name
    _two_templates(tf, rec, lambda: dummy(tf))


def scenario_template_same_unique_name_errors(tf, rec):
    # test_same_unique_name_raise_error
    tmpl1 = tf.make_template("_", lambda: dummy(tf), unique_name_="s1")
    tmpl1()
    tmpl2 = tf.make_template("_", lambda: dummy(tf), unique_name_="s1")
    rec.expect_error(tmpl2, "second template same unique name")


def scenario_template_unique_name_and_reuse(tf, rec):
    # test_unique_name_and_reuse
    tmpl1 = tf.make_template("_", lambda: dummy(tf), unique_name_="s1")
    v1 = tmpl1()
    v2 = tmpl1()
    tf.get_variable_scope().reuse_variables()
    tmpl2 = tf.make_template("_", lambda: dummy(tf), unique_name_="s1")
    v3 = tmpl2()
    rec("same", [v1 is v2, v1 is v3])
    rec("name", v1.name)


def scenario_template_in_scope(tf, rec):
    # test_template_in_scope
    tmpl1 = tf.make_template("s1", lambda: dummy(tf))
    tmpl2 = tf.make_template("s1", lambda: dummy(tf))
    with tf.variable_scope("scope"):
        v1 = tmpl1()
        v3 = tmpl2()
    with tf.variable_scope("scope2"):
        v2 = tmpl1()
    rec("same", [v1 is v2, v1 is v3])
    rec("names", [v1.name, v3.name])


def scenario_template_with_internal_reuse(tf, rec):
    # test_template_with_internal_reuse
    tmpl1 = _two_templates(tf, rec, lambda name: scoped_dummy(tf, name), "test")
    rec.expect_error(lambda: tmpl1("not_test"), "new scope on second call")


def scenario_template_without_name_errors(tf, rec):
    rec.expect_error(lambda: tf.make_template(None, lambda: dummy(tf)), "None name")


def scenario_template_kwargs_bound(tf, rec):
    # test_make_template
    _two_templates(tf, rec, scoped_dummy, bound={"tf": tf, "scope_name": "test"})


def scenario_template_enforces_no_extra_trainable_variables(tf, rec):
    # test_enforces_no_extra_trainable_variables
    fn = _new_variable_each_call(tf)
    tmpl = tf.make_template("s", fn, trainable=True)
    tmpl()
    rec.expect_error(tmpl, "second call creates trainable tf.Variable")


def scenario_template_enforces_no_extra_trainable_get_variable(tf, rec):
    # test_enforces_no_extra_trainable_variables_eager, in graph mode
    def fn(trainable, name="side"):
        tf.get_variable(name, shape=[1], trainable=trainable)
        return dummy(tf)

    tmpl = tf.make_template("s", fn, trainable=True)
    tmpl(name="1")
    rec.expect_error(lambda: tmpl(name="2"), "second call new get_variable")


def scenario_template_permits_extra_non_trainable(tf, rec):
    # test_permits_extra_non_trainable_variables
    fn = _new_variable_each_call(tf)
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

    _two_templates(tf, rec, nested)


def scenario_template_nested_templates(tf, rec):
    # test_nested_templates
    def nested_template():
        nested1 = tf.make_template("nested", lambda: dummy(tf))
        nested2 = tf.make_template("nested", lambda: dummy(tf))
        v1 = nested1()
        v2 = nested2()
        rec("inner distinct", v1 is not v2)
        return v2

    _two_templates(tf, rec, nested_template)


def scenario_template_immediate_scope_creation(tf, rec):
    # test_immediate_scope_creation
    with tf.variable_scope("ctor_scope"):
        tmpl_immed = tf.make_template("a", lambda: dummy(tf), True)
        tmpl_defer = tf.make_template("b", lambda: dummy(tf), False)
    with tf.variable_scope("call_scope"):
        inner_imm_var = tmpl_immed()
        inner_defer_var = tmpl_defer()
    outer_imm_var = tmpl_immed()
    outer_defer_var = tmpl_defer()
    rec(
        "same",
        [
            inner_imm_var is inner_defer_var,
            outer_imm_var is inner_imm_var,
            outer_defer_var is inner_defer_var,
        ],
    )
    rec("names", [inner_imm_var.name, inner_defer_var.name])


def scenario_template_scope_access(tf, rec):
    # test_scope_access
    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", lambda: dummy(tf), True)
        tb = tf.make_template("bar", lambda: dummy(tf), True)
    rec("ta", ta.variable_scope.name)
    rec("tb", tb.variable_scope.name)
    with tf.variable_scope("foo_2"):
        tc = tf.make_template("blah", lambda: dummy(tf), False)
    rec("tc before call", tc.variable_scope is None)
    tc()
    rec("tc after call", tc.variable_scope.name)


def scenario_template_name_properties(tf, rec):
    with tf.variable_scope("outer"):
        t = tf.make_template("mod", lambda: dummy(tf), create_scope_now_=True)
        d = tf.make_template("mod", lambda: dummy(tf))
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
        rec.error_type(lambda: t(1.0, is_training=True), f"bad kwarg {create_scope_now}")  # noqa: B023 (called at once)
        w = t(1.0)
        rec(f"w {create_scope_now}", w.name)
        rec(f"w again {create_scope_now}", t(1.0) is w)


def scenario_template_name_scopes_for_variable_scopes(tf, rec):
    # test_name_scopes_for_variable_scopes: observe the name scope inside
    seen = []

    def linear_module(x, output_size):
        w = tf.get_variable("w", shape=[4, output_size], initializer=tf.zeros_initializer())
        tf.get_variable("b", shape=[output_size], initializer=tf.zeros_initializer())
        seen.append(ns(tf))
        return w

    def make_linear_module(output_size, name):
        return tf.make_template(
            name, linear_module, output_size=output_size, create_scope_now_=True
        )

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
        seen.append(ns(tf))
        return dummy(tf)

    t = tf.make_template("mod", fn)
    t()
    t()
    with tf.variable_scope("x"):
        t()
    rec("name scopes", seen)


def scenario_template_variables_properties(tf, rec):
    # test_global_variables / test_trainable_variables
    with_create = _new_variable_each_call(tf)
    with tf.variable_scope("foo"):
        ta = tf.make_template("bar", lambda: dummy(tf), True)
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
        ta = tf.make_template("bar", lambda: dummy(tf), True)
        tb = tf.make_template("bar", lambda: dummy(tf), True)
    ta()
    tb()
    rec.names("ta", ta.trainable_variables)
    rec.names("tb", tb.trainable_variables)


def scenario_template_variables_prefix_collision(tf, rec):
    # template.variables filters by scope-name prefix: "bar" vs "bar_1"
    ta = tf.make_template("bar", lambda: dummy(tf))
    ta()
    with tf.variable_scope("bar_extra"):
        dummy(tf)
    tb = tf.make_template("bar", lambda: dummy(tf))
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
    t = tf.make_template("m", lambda: dummy(tf))
    with tf.variable_scope("r", reuse=True):
        rec.expect_error(t, "first call inside reuse=True")


def scenario_template_first_call_under_auto_reuse(tf, rec):
    t = tf.make_template("m", lambda: dummy(tf))
    with tf.variable_scope("r", reuse=tf.AUTO_REUSE):
        v = t()
        rec("name", v.name)
        rec("again", t() is v)


def scenario_template_create_scope_now_scope_in_reuse(tf, rec):
    with tf.variable_scope("outer"):
        t = tf.make_template("m", lambda: dummy(tf), create_scope_now_=True)
    with tf.variable_scope("other"):
        v = t()
    rec("name", v.name)
    with tf.variable_scope("outer", reuse=True):
        rec("reuse by path", tf.get_variable("m/dummy", [1]) is v)


def scenario_template_returns_function_result(tf, rec):
    t = tf.make_template("m", lambda a, b=2: (a, b, dummy(tf).name))
    rec("first", list(t(1)))
    rec("second", list(t(3, b=4)))


def scenario_template_get_variable_scope_inside(tf, rec):
    seen = []

    def fn():
        s = tf.get_variable_scope()
        seen.append([s.name, rec.reuse(s)])
        return dummy(tf)

    t = tf.make_template("m", fn)
    t()
    t()
    rec("seen", seen)


def scenario_template_raises_after_creating_variable(tf, rec):
    calls = [0]

    def fn():
        v = dummy(tf)
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
        t = tf.make_template(
            "ignored", lambda: dummy(tf), create_scope_now_=True, unique_name_="exact"
        )
    rec("scope", t.variable_scope.name)
    rec("v", t().name)
    rec("name", t.name)


def scenario_template_invalid_name(tf, rec):
    t = tf.make_template("a b", lambda: dummy(tf))
    rec.error_type(t, "call with invalid name")


def scenario_template_non_callable(tf, rec):
    t = tf.make_template("t", 3)
    rec.error_type(t, "call non-callable")


def scenario_template_called_in_name_scopes(tf, rec):
    seen = []

    def fn():
        seen.append([ns(tf), tf.get_variable_scope().name])
        return dummy(tf)

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
        return dummy(tf)

    t = tf.make_template("m", fn)
    t()
    t()
    rec.names("variables", t.variables)
    rec.names("trainable", t.trainable_variables)


def scenario_template_sibling_templates_by_same_func(tf, rec):
    def fn():
        return dummy(tf)

    ts = [tf.make_template("layer", fn) for _ in range(3)]
    with tf.variable_scope("net"):
        names = [t().name for t in ts]
    rec("names", names)
    rec("scope names", [t.variable_scope.name for t in ts])
