"""`tf.contrib.framework` / slim helpers against tf-slim under TF1: arg_scope rules,
repeat/stack default scopes, variable lookup, regularizer validation, initializer scales."""
import numpy as np
import pytest
from contrib_reference import TF, compare_model, compare_structure

import minitf

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
X = np.random.default_rng(6).standard_normal((2, 5, 5, 3)).astype(np.float32)


def arg_scopes_and_default_scopes(tf, x):
    slim = tf.contrib.slim
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=None):
        with slim.arg_scope([slim.conv2d], padding="VALID", stride=1) as saved:
            a = slim.conv2d(x, 2, [3, 3])                   # VALID, no activation
            b = slim.conv2d(x, 2, [3, 3], padding="SAME")   # explicit wins
        c = slim.conv2d(x, 2, [3, 3])                       # outer scope only: SAME
    with slim.arg_scope(saved):
        d = slim.conv2d(x, 2, [1, 1], activation_fn=tf.nn.relu)
    e = slim.repeat(x, 2, slim.conv2d, 3, [1, 1])
    f = slim.stack(x, slim.fully_connected, [4, 2])
    with tf.variable_scope("outer"):
        g = slim.stack(x, slim.conv2d, [(2, [1, 1]), (3, [3, 3], 2)], scope="s")
    names = [v.op.name if hasattr(v, "op") else v.name.split(":")[0]
             for v in slim.get_variables(suffix="biases")]
    restore = slim.get_variables_to_restore(exclude=["Repeat", "Stack"])
    counts = [len(names), len(slim.get_model_variables("outer")), len(restore),
              len(slim.get_variables_by_name("weights")),
              slim.utils.last_dimension(x.shape if not hasattr(x, "get_shape")
                                        else x.get_shape(), min_rank=4)]
    return a, b, c, d, e, f, g, tf.constant(counts)


def test_arg_scope_nesting_reuse_and_repeat_stack_scopes():
    compare_model(arg_scopes_and_default_scopes, X)


@pytest.mark.parametrize("slim", [TF.contrib.slim, minitf.contrib.slim], ids=["tf", "minitf"])
def test_arg_scope_errors(slim):
    with pytest.raises(ValueError):
        with slim.arg_scope([np.sum], x=1):
            pass
    with pytest.raises(TypeError):
        with slim.arg_scope(slim.conv2d, padding="SAME"):
            pass
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with slim.arg_scope({}, padding="SAME"):
            pass
    with pytest.raises(ValueError, match="scale cannot be an integer"):
        slim.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        slim.l1_regularizer(-0.5)
    assert slim.l2_regularizer(0.0)(np.ones(3)) is None
    if slim is minitf.contrib.slim:  # a tuple shape (JAX's) as well as a TensorShape
        assert slim.utils.last_dimension((2, 3, 4)) == 4


def big_initialized(tf, x):
    layers = tf.contrib.layers
    for i, init in enumerate([layers.xavier_initializer(), layers.xavier_initializer(False),
                              layers.variance_scaling_initializer(),
                              layers.variance_scaling_initializer(1.0, "FAN_AVG", True)]):
        tf.get_variable(f"w{i}", [200, 300], initializer=init)
    return x


def test_contrib_initializers_have_tf_scales():
    import tensorflow.compat.v1 as tf1
    with tf1.Graph().as_default():
        big_initialized(TF, None)
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            tf_values = sess.run(tf1.global_variables())
    compare_structure(big_initialized, X)
    params = minitf.transform(lambda x: big_initialized(minitf, x)).init(0, X)
    for ours, theirs in zip(params.values(), tf_values, strict=True):
        assert abs(np.std(ours) / np.std(theirs) - 1) < 0.03
        assert abs(np.abs(ours).max() / np.abs(theirs).max() - 1) < 0.05
