"""`tf.DType` against real TF: the dtype objects' API, and the dtypes tensors and
variables report (also still NumPy/JAX dtypes wherever one is expected)."""
import jax.numpy as jnp
import numpy as np
import pytest

import minitf as tf
from tf_reference import tf1

NAMES = ["float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool",
         "complex64"]


@pytest.mark.parametrize("name", NAMES)
def test_dtype_api_matches_tf(name):
    ours, theirs = getattr(tf, name), getattr(tf1, name)
    assert (str(ours), ours.name, ours.as_numpy_dtype) == \
        (str(theirs), theirs.name, theirs.as_numpy_dtype)
    assert (ours.is_floating, ours.is_integer, ours.is_bool, ours.is_complex, ours.size) == \
        (theirs.is_floating, theirs.is_integer, theirs.is_bool, theirs.is_complex, theirs.size)
    assert ours.base_dtype is ours and tf.as_dtype(name) is ours
    assert ours == np.dtype(name) and np.dtype(name) == ours and ours == name
    if not ours.is_complex and not ours.is_bool:
        assert (ours.min, ours.max) == (theirs.min, theirs.max)


def test_dtypes_are_numpy_and_jax_dtypes_too():
    assert jnp.zeros(2, tf.float32).dtype == np.float32
    assert np.dtype(tf.int32) == np.int32 and {np.dtype("int32"): 1}[tf.int32] == 1
    assert tf.float32 != tf.int32 and tf.float32 != "nonsense-dtype"


def test_tensors_and_variables_report_tf_dtypes(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    v = tf.get_variable("v", [2], dtype=tf.int32, initializer=tf.zeros_initializer())
    assert isinstance(x.dtype, tf.DType) and x.dtype is tf.float32
    assert v.dtype is tf.int32 and repr(v.dtype) == "tf.int32"
    assert (x * 2.0).dtype.is_floating
