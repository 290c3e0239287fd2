"""get_variable and tf.Variable: names, reuse decisions, errors, and no side effects on failure.

Run with MINITF_SPEC_BACKEND=tf to check every unmarked expectation against real TF.
"""
import re

import numpy as np
import pytest

from spec_backend import minitf_only, tf

EXISTS = ("Variable x/v already exists, disallowed. Did you mean to set reuse=True or "
          "reuse=tf.AUTO_REUSE in VarScope?")
MISSING = ("Variable x/w does not exist, or was not created with tf.get_variable(). Did you "
           "mean to set reuse=tf.AUTO_REUSE in VarScope?")


def make(name="v", shape=(2,), **kw):
    with tf.variable_scope("x", **kw):
        return tf.get_variable(name, list(shape))


def test_get_variable_name_follows_variable_scope_only(graph):
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            with tf.name_scope("inner"):
                v = tf.get_variable("v", [1])
    assert v.name == "vs/v:0"


def test_variable_name_follows_name_scope_and_is_uniquified(graph):
    with tf.name_scope("ns"):
        a = tf.Variable(1.0, name="v")
        b = tf.Variable(1.0, name="v")
        c = tf.Variable(1.0)
    assert [a.name, b.name, c.name] == ["ns/v:0", "ns/v_1:0", "ns/Variable:0"]


def test_uniquification_ignores_case(graph):
    assert tf.Variable(1.0, name="v").name == "v:0"
    assert tf.Variable(1.0, name="V").name == "V_1:0"


def test_get_variable_name_is_uniquified_against_variables(graph):
    tf.Variable(1.0, name="w")
    assert tf.get_variable("w", [1]).name == "w_1:0"


def test_reuse_false_existing_is_an_error(graph):
    make()
    with pytest.raises(ValueError) as err:
        make()
    assert str(err.value).startswith(EXISTS)


@minitf_only
def test_exists_error_says_where_it_was_created(graph):
    make()
    with pytest.raises(ValueError) as err:
        make()
    assert "Originally defined at:" in str(err.value)
    assert "test_get_variable.py:" in str(err.value)


def test_reuse_true_missing_is_an_error(graph):
    make("v")
    with pytest.raises(ValueError) as err:
        make("w", reuse=True)
    assert str(err.value).startswith(MISSING)


@minitf_only
def test_missing_error_suggests_near_names(graph):
    make("v")
    with pytest.raises(ValueError) as err:
        make("w", reuse=True)
    assert "Near names that do exist: 'x/v'" in str(err.value)


def test_reuse_true_returns_same_object(graph):
    v = make()
    assert make(reuse=True) is v


def test_reuse_without_shape(graph):
    v = make()
    with tf.variable_scope("x", reuse=True):
        assert tf.get_variable("v") is v


def test_auto_reuse_creates_then_reuses(graph):
    v = make(reuse=tf.AUTO_REUSE)
    assert make(reuse=tf.AUTO_REUSE) is v
    assert make("w", reuse=tf.AUTO_REUSE).name == "x/w:0"


def test_reuse_variables_then_get(graph):
    with tf.variable_scope("x") as scope:
        v = tf.get_variable("v", [2])
        scope.reuse_variables()
        assert tf.get_variable("v", [2]) is v


def test_shape_mismatch_on_reuse(graph):
    make(shape=(2,))
    with pytest.raises(ValueError) as err:
        make(shape=(3,), reuse=True)
    assert str(err.value) == ("Trying to share variable x/v, but specified shape (3,) and "
                              "found shape (2,).")


def test_dtype_mismatch_on_reuse(graph):
    with tf.variable_scope("x"):
        tf.get_variable("v", [2], dtype=tf.int32)
    with pytest.raises(ValueError) as err:
        with tf.variable_scope("x", reuse=True):
            tf.get_variable("v", [2])
    assert str(err.value) == ("Trying to share variable x/v, but specified dtype float32 and "
                              "found dtype int32_ref.")


def test_new_variable_needs_shape_without_initializer(graph):
    with pytest.raises(ValueError) as err:
        tf.get_variable("v")
    assert str(err.value) == ("Variable v did not get an initializer, so its `shape` argument "
                              "must be specified.")


def test_constant_initializer_with_shape_is_an_error(graph):
    with pytest.raises(ValueError,
                       match=re.escape("If initializer is a constant, do not specify shape.")):
        tf.get_variable("v", [2], initializer=np.zeros(2, np.float32))


def test_value_initializer_gives_shape_and_dtype(graph):
    v = tf.get_variable("v", initializer=np.arange(3, dtype=np.int32))
    assert tuple(v.shape) == (3,)
    assert v.dtype.name.replace("_ref", "") == "int32"


def test_initializer_dtype_must_match_explicit_dtype(graph):
    with pytest.raises(ValueError) as err:
        tf.get_variable("v", initializer=np.zeros(2, np.int32), dtype=tf.float32)
    assert str(err.value) == ("Initializer type '<dtype: 'int32'>' and explicit dtype "
                              "'<dtype: 'float32'>' don't match.")


def test_failed_get_variable_leaves_store_unchanged(graph):
    make()
    with pytest.raises(ValueError):
        make(shape=(3,), reuse=True)
    with pytest.raises(ValueError):
        make("w", reuse=True)
    assert [v.name for v in tf.global_variables()] == ["x/v:0"]
    assert make("w").name == "x/w:0"


def test_failed_variable_creation_still_uses_up_its_name(graph):
    with pytest.raises((TypeError, ValueError)):
        tf.Variable("abc", name="w", dtype=tf.float32)
    assert tf.Variable(1.0, name="w").name == "w_1:0"


def test_variable_needs_initial_value(graph):
    with pytest.raises(ValueError, match=re.escape("initial_value must be specified.")):
        tf.Variable(name="v")


def test_collections_and_trainable(graph):
    with tf.variable_scope("s"):
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
        c = tf.get_variable("c", [1], collections=["mine"])
        d = tf.Variable(1.0, name="d", trainable=False)
    assert tf.global_variables() == [a, b, d]
    assert tf.trainable_variables() == [a, c]
    assert tf.get_collection("mine") == [c]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="s/a") == [a]


def test_get_collection_scope_is_a_regex_prefix(graph):
    with tf.variable_scope("disc"):
        a = tf.get_variable("w", [1])
    with tf.variable_scope("discriminator_pair"):
        b = tf.get_variable("w", [1])
    assert tf.trainable_variables(scope="disc") == [a, b]
    assert tf.trainable_variables(scope="disc/") == [a]


def test_regularizer_adds_loss_to_collection(graph):
    with tf.variable_scope("s", regularizer=lambda v: 2.0 * tf.reduce_sum(v)):
        tf.get_variable("w", [2], initializer=tf.ones_initializer())
        tf.get_variable("b", [2], initializer=tf.ones_initializer(), regularizer=lambda v: None)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert float(sess.run(losses[0])) == 4.0


def test_default_initializer_is_glorot_uniform_for_floats_zero_for_ints(graph):
    w = tf.get_variable("w", [100, 100])
    i = tf.get_variable("i", [3], dtype=tf.int32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        wv, iv = sess.run(w), sess.run(i)
    limit = np.sqrt(6.0 / 200)
    assert np.abs(wv).max() <= limit and np.abs(wv).max() > 0.9 * limit
    assert iv.tolist() == [0, 0, 0]


def test_custom_getter_not_callable(graph):
    with pytest.raises(ValueError, match="Passed a custom_getter which is not callable"):
        tf.get_variable("v", [1], custom_getter=3)


def test_partitioned_variable_parts_are_named_part_i(graph):
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(3)):
        pv = tf.get_variable("w", [7, 2])
    assert [v.name for v in tf.global_variables()] == ["p/w/part_0:0", "p/w/part_1:0",
                                                       "p/w/part_2:0"]
    assert [tuple(v.shape) for v in tf.global_variables()] == [(3, 2), (2, 2), (2, 2)]
    assert len(list(pv)) == 3


@minitf_only
def test_conflicting_sharding_on_reuse_is_an_error(graph):
    with tf.variable_scope("d"):
        tf.get_variable("w", [4, 4], sharding=(None, "model"))
    with pytest.raises(ValueError, match="specified sharding"):
        with tf.variable_scope("d", reuse=True):
            tf.get_variable("w", [4, 4], sharding=("model", None))


@minitf_only
def test_partitioned_parts_keep_the_sharding_annotation(graph):
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        tf.get_variable("v", [4, 4], sharding=(None, "model"))
    assert [v.sharding for v in tf.global_variables()] == [(None, "model")] * 2


# -- Fidelity cases found by fuzzing against TF (issue 10), each checked on real TF ------------

def test_python_float_constant_for_an_integer_variable_is_tf_type_error(graph):
    with pytest.raises(TypeError, match=r"^Expected int32, but got 7.0 of type 'float'.$"):
        tf.get_variable("b", [2, 3], dtype=tf.int32, initializer=tf.constant_initializer(7.0))
    with pytest.raises(TypeError, match=r"^Expected int32, but got 1.5 of type 'float'.$"):
        tf.get_variable("c", [2], dtype=tf.int32, initializer=tf.constant_initializer([1.5, 2.0]))
    assert tf.get_variable("d", [2], dtype=tf.int32,
                           initializer=tf.constant_initializer(3)).name == "d:0"


def test_collections_must_be_a_list_tuple_or_set(graph):
    msg = ("collections argument to Variable constructor must be a list, tuple, or set. "
           "Got x of type <class 'str'>")
    with pytest.raises(ValueError, match="^" + re.escape(msg) + "$"):
        tf.get_variable("b", [2], collections="x")
    with pytest.raises(ValueError, match="^" + re.escape(msg) + "$"):
        tf.Variable(1.0, collections="x")


def test_initializer_returning_the_wrong_shape_is_an_error(graph):
    def init(shape, dtype=None, partition_info=None):
        return np.zeros([3], np.float32)

    with pytest.raises(ValueError, match=r"^Shapes must be equal rank, but are 2 and 1 for "):
        tf.get_variable("b", [2, 3], initializer=init)


def test_negative_dimension_is_tf_value_error(graph):
    with pytest.raises(ValueError, match=r"^Dimension -1 must be >= 0$"):
        tf.get_variable("b", [-1])
    with pytest.raises(ValueError, match=r"^Dimension -3 must be >= 0$"):
        tf.get_variable("c", [2, -3])


def test_boolean_shapes_are_type_errors(graph):
    with pytest.raises(TypeError, match=r"^Value passed to parameter 'shape' has DataType bool"):
        tf.get_variable("b", True)
    with pytest.raises(TypeError, match=r"Expected an int, got a boolean\.$"):
        tf.get_variable("c", [True, 2])


def test_more_than_2_63_entries_is_a_value_error(graph):
    with pytest.raises(ValueError, match=r"^Shape \[4611686018427387904,? ?4611686018427387904\] "
                                         r"is too large \(more than 2\*\*63 - 1 entries\)"):
        tf.get_variable("b", [1 << 62, 1 << 62])


@minitf_only
def test_a_shape_no_machine_here_could_hold_fails_before_allocating(graph):
    # TF builds the graph and fails at run time; minitf would make XLA abort the process.
    with pytest.raises(ValueError, match=r"^Variable b has shape \[1099511627776\]: "):
        tf.get_variable("b", [1 << 40])
    assert "b" not in [v.op.name for v in tf.global_variables()]


@pytest.mark.parametrize("parts, message", [
    ([2], "Partitioner returned a partition list that does not match the Variable's rank: "
          "[2] vs. (6, 2)"),
    ([7, 1], "Expected 0 <= offset < shape but found offset=6, shape=6 for var_offset=[6, 0], "
             "full_shape=[6, 2]"),
    ([0, 1], "Partitioner returned zero partitions for some axes: [0, 1]"),
    ([2, 2], "Can only slice a variable along one dimension: shape: (6, 2), partitioning: [2, 2]"),
])
def test_partitioner_results_tf_refuses(graph, parts, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        tf.get_variable("b", [6, 2], partitioner=lambda shape, dtype: parts)


def test_partitioned_variable_reused_without_repeating_the_partitioner(graph):
    with tf.variable_scope("s"):
        v = tf.get_variable("b", [6, 2], partitioner=tf.fixed_size_partitioner(2))
    with tf.variable_scope("s", reuse=True):
        w = tf.get_variable("b", [6, 2])
        u = tf.get_variable("b")
    assert w is v and u is v
    assert [p.name for p in w] == ["s/b/part_0:0", "s/b/part_1:0"]


def test_empty_name_in_a_scope_names_the_variable_after_the_scope(graph):
    with tf.variable_scope("s"):
        assert tf.get_variable("", [1]).name == "s:0"


def test_name_scope_accepts_bytes(graph):
    with tf.name_scope(b"bytes") as scope:
        v = tf.Variable(1.0, name="v")
    assert scope == "bytes/" and v.name == "bytes/v:0"


def test_isinstance_of_tf_variable_holds_for_both_constructors(graph):
    a = tf.get_variable("a", [1])
    b = tf.Variable(1.0, name="b")
    assert isinstance(a, tf.Variable) and isinstance(b, tf.Variable)
    assert not isinstance(np.zeros(1), tf.Variable)


def test_constraint_is_kept_on_the_variable_from_scope_or_call(graph):
    def clip(x):
        return x

    def other(x):
        return x

    with tf.variable_scope("s", constraint=clip):
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], constraint=other)
    assert a.constraint is clip and b.constraint is other


def test_custom_getter_receives_tfs_keyword_interface(graph):
    seen = {}

    def getter(getter, *args, **kwargs):
        seen.update(kwargs)
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        tf.get_variable("v", [1])
    assert sorted(seen) == ["aggregation", "caching_device", "collections", "constraint", "dtype",
                            "initializer", "name", "partitioner", "regularizer", "reuse", "shape",
                            "synchronization", "trainable", "use_resource", "validate_shape"]


def test_arguments_meaningless_on_jax_are_accepted(graph):
    v = tf.get_variable("c", [1], caching_device="/cpu:0", use_resource=True)
    assert v.name == "c:0"
