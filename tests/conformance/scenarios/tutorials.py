"""The user's tutorials (``/work/shared/seeds``) and common idioms, pinned to what real
TensorFlow prints (some tutorials print names wrongly; see MISMATCHES.md).
"""

from .common import image_filter, names_and_values, ns


def scenario_variable_values_tutorial_name_scope(tf, rec):
    # tutorial 000: a_name_scope
    with tf.name_scope("a_name_scope"):
        initializer = tf.constant_initializer(value=1)
        var1 = tf.get_variable(name="var1", shape=[1], dtype=tf.float32, initializer=initializer)
        var2 = tf.Variable(name="var2", initial_value=[2], dtype=tf.float32)
        var21 = tf.Variable(name="var2", initial_value=[2.1], dtype=tf.float32)
        var22 = tf.Variable(name="var2", initial_value=[2.2], dtype=tf.float32)
    names_and_values(rec, var1=var1, var2=var2, var21=var21, var22=var22)


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
    names_and_values(rec, var3=var3, var3_reuse=var3_reuse, var4=var4, var4_reuse=var4_reuse)


def scenario_reuse_image_filters_tutorial(tf, rec):
    # tutorial: calling twice without reuse raises "conv1/weights already exists"
    image_filter(tf)
    rec.expect_error(lambda: image_filter(tf), "second call")
    with tf.variable_scope("image_filters") as scope:
        image_filter(tf)
        scope.reuse_variables()
        rec("reused", len(image_filter(tf)))
    with tf.variable_scope("image_filters1") as scope1:
        image_filter(tf)
    with tf.variable_scope(scope1, reuse=True):
        rec("via object", len(image_filter(tf)))
    rec.names("all", tf.global_variables())


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
            w_in = tf.get_variable(
                "weights", [cfg[0], cfg[1]], initializer=tf.random_normal_initializer(0.0, 1.0)
            )
            b_in = tf.get_variable("biases", [cfg[1]], initializer=tf.constant_initializer(0.1))
        with tf.variable_scope("out_hidden"):
            w_out = tf.get_variable(
                "weights", [cfg[1], 2], initializer=tf.random_normal_initializer(0.0, 1.0)
            )
        return [w_in, b_in, w_out]

    with tf.variable_scope("rnn") as scope:
        train = rnn((10, 11))
        scope.reuse_variables()
        test = rnn((10, 11))
    rec("train", [v.name for v in train])
    rec("shared", [a is b for a, b in zip(train, test, strict=False)])
    rec("b value", rec.value(test[1]))


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
        w1 = tf.get_variable(
            "weights", shape=[784, 256], initializer=tf.random_normal_initializer()
        )
        b1 = tf.get_variable("biases", shape=[256], initializer=tf.constant_initializer(0.0))
    with tf.variable_scope("layer1", reuse=True):
        w1_reuse = tf.get_variable("weights")
    rec("reuse is", w1_reuse is w1)
    with tf.name_scope("layer2"):
        w2 = tf.get_variable(
            "weights", shape=[256, 128], initializer=tf.random_normal_initializer()
        )
    rec("w2", w2.name)
    with tf.name_scope("layer2"):
        rec("second layer2 name scope", ns(tf))
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
    rec.expect_error(
        lambda: list(mysum(tf.Variable(1), tf.Variable(2), name="named")), "mysum again"
    )
