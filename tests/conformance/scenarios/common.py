"""Helpers shared by the scenario families (TF1 API only, through the ``tf`` argument)."""


def enter_manually(cm):
    """Enter a context manager and return (cm, value) so that a scenario can
    exit it explicitly (used to test __exit__ ordering errors)."""
    return cm, cm.__enter__()


def in_scope(tf, name_or_scope, fn, **kw):
    with tf.variable_scope(name_or_scope, **kw):
        return fn()


def ns(tf):
    return tf.get_default_graph().get_name_scope()


def dummy(tf):
    return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def scoped_dummy(tf, scope_name):
    with tf.variable_scope(scope_name):
        return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def image_filter(tf):
    # tutorial-style two conv layers built with get_variable
    for layer, shape in (("conv1", [5, 5, 32, 32]), ("conv2", [5, 5, 32, 32])):
        with tf.variable_scope(layer):
            tf.get_variable("weights", shape, initializer=tf.random_normal_initializer())
            tf.get_variable("biases", [shape[-1]], initializer=tf.constant_initializer(0.0))
    return [v.name for v in tf.global_variables()]


def opened_name_scope(tf, name):
    """The string ``tf.name_scope(name)`` returns here (the scope is left at once)."""
    with tf.name_scope(name) as scope:
        return scope


def w_and_name_scope(label, tf, rec, name_scope="scope2"):
    """Log, under ``label``, the name ``get_variable("w", [])`` gets here and the name
    scope a fresh ``name_scope(name_scope)`` opens here (TF's variable_scope_test idiom)."""
    rec(label, [tf.get_variable("w", []).name, opened_name_scope(tf, name_scope)])


def enter_and_exit(cm):
    """Enter and leave a context manager at once, returning what ``__enter__`` returned
    (for checking what entering raises)."""
    with cm as value:
        return value


def variable_name(tf, name):
    """The name a new ``tf.Variable(0.0, name=name)`` gets here."""
    return tf.Variable(0.0, name=name).name


def names_inside(label, tf, rec, scope, suffix=""):
    """Log, under ``label``, ``scope``'s original name scope and the names that
    ``get_variable("w" + suffix, [])`` and ``Variable(name="c" + suffix)`` get here."""
    rec(
        label,
        [
            scope.original_name_scope,
            tf.get_variable("w" + suffix, []).name,
            variable_name(tf, "c" + suffix),
        ],
    )


def entering(rec, label, make_cm, *args, type_only=False, **kwargs):
    """Log what building and entering ``make_cm(*args, **kwargs)`` raises, or that it
    did not (``type_only``: the error's type alone, where TF's wording is not the rule)."""
    check = rec.error_type if type_only else rec.expect_error
    return check(lambda: enter_and_exit(make_cm(*args, **kwargs)), label)


def reuse_inside(tf, rec, name_or_scope, **kwargs):
    """The reuse flag (as ``rec.reuse`` logs it) of ``variable_scope(name_or_scope,
    **kwargs)`` once entered here."""
    with tf.variable_scope(name_or_scope, **kwargs) as scope:
        return rec.reuse(scope)


def names_and_values(rec, **variables):
    """Log each variable's name and value under its keyword."""
    for label, v in variables.items():
        rec(label, [v.name, rec.value(v)])


def w_and_name_scope_in(label, tf, rec, *scope_args, **scope_kwargs):
    """``w_and_name_scope`` inside ``variable_scope(*scope_args, **scope_kwargs)``."""
    with tf.variable_scope(*scope_args, **scope_kwargs):
        w_and_name_scope(label, tf, rec)
