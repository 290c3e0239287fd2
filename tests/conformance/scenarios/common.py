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
