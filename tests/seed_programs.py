"""The user's tutorial programs (../shared/seeds), written once against a `tf` module.

Each function runs a seed example as written (Sessions, initializers, names) and
returns the names it prints. `test_seeds.py` checks them against the names real
TensorFlow 1.x (tensorflow.compat.v1, graph mode, TF 2.21) prints; where a
tutorial's printed comment was wrong, the expected value is TF's.
"""


def zh_variable_scope_reuse(tf):
    """Seed 000: get_variable reuse vs tf.Variable uniquification in a variable_scope."""
    out = []
    with tf.variable_scope("a_variable_scope") as scope:
        initializer = tf.constant_initializer(value=3)
        var3 = tf.get_variable(name="var3", shape=[1], dtype=tf.float32, initializer=initializer)
        scope.reuse_variables()
        var3_reuse = tf.get_variable(name="var3",)
        var4 = tf.Variable(name="var4", initial_value=[4], dtype=tf.float32)
        var4_reuse = tf.Variable(name="var4", initial_value=[4], dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out += [var3.name, sess.run(var3).tolist(), var3_reuse.name, sess.run(var3_reuse).tolist(),
                var4.name, sess.run(var4).tolist(), var4_reuse.name, sess.run(var4_reuse).tolist()]
    out.append(var3 is var3_reuse)
    return out


def zh_name_scope_ignored_by_get_variable(tf):
    """Seed 000: name_scope prefixes tf.Variable but not get_variable."""
    with tf.name_scope("a_name_scope"):
        initializer = tf.constant_initializer(value=1)
        var1 = tf.get_variable(name="var1", shape=[1], dtype=tf.float32, initializer=initializer)
        var2 = tf.Variable(name="var2", initial_value=[2], dtype=tf.float32)
        var21 = tf.Variable(name="var2", initial_value=[2.1], dtype=tf.float32)
        var22 = tf.Variable(name="var2", initial_value=[2.2], dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = [round(float(sess.run(v)[0]), 5) for v in (var1, var2, var21, var22)]
    return [var1.name, var2.name, var21.name, var22.name, *values]


def zh_my_name_scope(tf):
    """Seed 000: get_variable / Variable under name_scope and variable_scope."""
    out = []
    with tf.name_scope("my_name_scope"):
        v1 = tf.get_variable("var1", [1], dtype=tf.float32)
        v2 = tf.Variable(1, name="var2", dtype=tf.float32)
        tf.add(v1, v2)
    out += [v1.name, v2.name]
    with tf.variable_scope("my_variable_scope"):
        v1 = tf.get_variable("var1", [1], dtype=tf.float32)
        v2 = tf.Variable(1, name="var2", dtype=tf.float32)
        tf.add(v1, v2)
    out += [v1.name, v2.name]
    return out


def zh_foo_bar(tf):
    """Seed 000: a name_scope inside a variable_scope leaves get_variable's name alone."""
    with tf.variable_scope("foo"):
        with tf.name_scope("bar"):
            v = tf.get_variable("v", [1])
    return [v.name]


def zh_image_filters_sharing(tf):
    """Seed 000: the two documented ways to share a filter's variables."""

    def my_image_filter():
        with tf.variable_scope("conv1"):
            w = tf.get_variable("weights", [5, 5, 32, 32])
        return w

    names = []
    with tf.variable_scope("image_filters") as scope:
        a = my_image_filter()
        scope.reuse_variables()
        b = my_image_filter()
    names += [a.name, b.name, a is b]
    with tf.variable_scope("image_filters1") as scope1:
        c = my_image_filter()
    with tf.variable_scope(scope1, reuse=True):
        d = my_image_filter()
    names += [c.name, d.name, c is d]
    try:
        my_image_filter()
        my_image_filter()
    except ValueError as exc:
        names.append(str(exc).split(" Originally defined at")[0])
    return names


def tw_name_scope_cases(tf):
    """Seed 001: nested name_scopes and re-entering a captured name_scope string."""
    out = []
    with tf.name_scope("s1"):
        with tf.name_scope("s2"):
            w1 = tf.Variable([1, 2, 3], name="w")
            bias1 = tf.Variable([0.1], name="biases")
    out += [w1.name, bias1.name]
    with tf.name_scope("s1") as scope_1:
        w2 = tf.Variable([1, 2, 3], name="w")
        bias2 = tf.Variable([0.1], name="biases")
    with tf.name_scope("s2"):
        w3 = tf.Variable([1, 2, 3], name="w")
        bias3 = tf.Variable([0.1], name="biases")
    with tf.name_scope(scope_1):
        w4 = tf.Variable([1, 2, 3], name="w")
        bias4 = tf.Variable([0.1], name="biases")
    out += [scope_1, w2.name, bias2.name, w3.name, bias3.name, w4.name, bias4.name]
    return out


def tw_variable_scope_auto_reuse(tf):
    """Seed 001: AUTO_REUSE finds the variables a first block created; reuse=True errors."""
    out = []
    with tf.variable_scope("s1"):
        with tf.variable_scope("s2"):
            w1 = tf.get_variable("w", [2, 2])
            bias1 = tf.get_variable("biases", [2, 2])
    out += [w1.name, bias1.name]
    with tf.variable_scope("s1", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("s2"):
            w2 = tf.get_variable("w", [2, 2])
            bias2 = tf.get_variable("biases", [2, 2])
    out += [w2.name, bias2.name, w1 is w2]
    try:
        with tf.variable_scope("s3", reuse=True):
            with tf.variable_scope("s2"):
                tf.get_variable("w", [2, 2])
    except ValueError as exc:
        out.append(str(exc).split(" Originally")[0])
    try:
        with tf.variable_scope("s1"):
            with tf.variable_scope("s2"):
                tf.get_variable("w", [2, 2])
    except ValueError as exc:
        out.append(str(exc).split(" Originally")[0])
    return out


def ko_scoping(tf):
    """Seed 002: the scoping() helper run with variable_scope and with name_scope."""
    out = []

    def scoping(fn, scope1, scope2, vals):
        with fn(scope1):
            a = tf.Variable(vals[0], name="a")
            b = tf.get_variable("b", initializer=vals[1])
            with fn(scope2):
                pass
            out.extend([scope1, a.name, b.name])

    scoping(tf.variable_scope, "scope_vars", "res", [1, 2, 3])
    scoping(tf.name_scope, "scope_name", "res", [1, 2, 3])
    return out


def ko_shared_across_name_scopes(tf):
    """Seed 002: one variable shared from two different name scopes."""
    with tf.name_scope("foo"):
        with tf.variable_scope("var_scope"):
            v = tf.get_variable("var", [1])
    with tf.name_scope("bar"):
        with tf.variable_scope("var_scope", reuse=True):
            v1 = tf.get_variable("var", [1])
    return [v.name, v1.name, v1 is v]


def ko_ns_vs(tf):
    """Seed 002: name_scope('ns') around variable_scope('vs'); 'foo'/'bar' x2."""
    out = []
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            v1 = tf.get_variable("v1", [1])
            v2 = tf.Variable([2.0], name="v2")
    out += [v1.name, v2.name]
    with tf.name_scope("foo"):
        with tf.variable_scope("bar"):
            x = tf.get_variable("x", shape=())
    out += [x.name]
    return out


def ko_graph_blocks(tf):
    """Seed 002: the `with tf.Graph().as_default()` blocks."""
    out = []
    with tf.Graph().as_default():
        with tf.name_scope("name_scope"):
            v = tf.get_variable("v", [1])
            v2 = tf.Variable([0], name="v2")
        out += [v.name, v2.name]
    with tf.Graph().as_default():
        with tf.variable_scope("name_scope"):
            v = tf.get_variable("v", [1])
            v2 = tf.Variable([0], name="v2")
        out += [v.name, v2.name]
    return out


def en_layer_reuse(tf):
    """Seed 003: variable_scope reuse returns the same variable; name_scope doesn't prefix."""
    out = []
    with tf.variable_scope("layer1"):
        w1 = tf.get_variable("weights", shape=[784, 256],
                             initializer=tf.random_normal_initializer())
        tf.get_variable("biases", shape=[256], initializer=tf.constant_initializer(0.0))
    with tf.variable_scope("layer1", reuse=True):
        w1_reuse = tf.get_variable("weights")
    out += [w1.name, w1_reuse.name, w1_reuse is w1]
    with tf.name_scope("layer2"):
        w2 = tf.get_variable("weights", shape=[256, 128],
                             initializer=tf.random_normal_initializer())
    out.append(w2.name)
    return out


def rnn_train_test_pair(tf):
    """Seed 000: train/test RNNs built in one scope with reuse_variables()."""

    class TrainConfig:
        batch_size = 20
        time_steps = 20
        input_size = 10
        output_size = 2
        cell_size = 11
        learning_rate = 0.01

    class TestConfig(TrainConfig):
        time_steps = 1

    class RNN:
        def __init__(self, config):
            with tf.variable_scope("input_layer"):
                self.w_in = tf.get_variable("weights", [config.input_size, config.cell_size])
            with tf.variable_scope("output_layer"):
                self.w_out = tf.get_variable("weights", [config.cell_size, config.output_size])

    with tf.variable_scope("rnn") as scope:
        train_rnn = RNN(TrainConfig())
        scope.reuse_variables()
        test_rnn = RNN(TestConfig())
    return [train_rnn.w_in.name, test_rnn.w_in.name, train_rnn.w_out is test_rnn.w_out,
            len(tf.global_variables())]


ALL = [zh_variable_scope_reuse, zh_name_scope_ignored_by_get_variable, zh_my_name_scope,
       zh_foo_bar, zh_image_filters_sharing, tw_name_scope_cases, tw_variable_scope_auto_reuse,
       ko_scoping, ko_shared_across_name_scopes, ko_ns_vs, ko_graph_blocks, en_layer_reuse,
       rnn_train_test_pair]
