"""TF1's way of reading static shapes: `x.get_shape()`, `Dimension.value`, `as_list()`.

Model inputs and op outputs are JAX arrays (or tracers under jit): they answer
`get_shape()` with a `TensorShape` whose items are `Dimension`s; variables answer
`.shape[i].value` too. None of it reaches the compiled computation.
"""
import jax
import jax.numpy as jnp
import numpy as np

import minitf as tf

X = jnp.ones((2, 3))


def flatten_model(x):
    """A conv-net idiom: the flatten size computed from get_shape()."""
    dims = x.get_shape().as_list()
    assert dims == [2, 3] and x.get_shape().ndims == 2
    w = tf.get_variable("w", [x.get_shape()[1].value, 4])
    assert w.get_shape()[0].value == 3 and w.shape[1].value == 4
    h = tf.matmul(x, w)
    assert h.get_shape().as_list() == [2, 4]
    size = h.get_shape()[1].value * 1
    return tf.reshape(h, [-1, size])


def test_inputs_outputs_and_variables_answer_tf1_shape_calls_eagerly_and_under_jit():
    model = tf.transform(flatten_model)
    params = model.init(0, X)
    np.testing.assert_allclose(jax.jit(model.apply)(params, X), model.apply(params, X),
                               rtol=1e-6)


def test_reading_shapes_costs_nothing_in_the_jaxpr():
    def plain(x):
        w = tf.get_variable("w", [3, 4])
        return tf.reshape(tf.matmul(x, w), [-1, 4])

    a, b = tf.transform(flatten_model), tf.transform(plain)
    params = a.init(0, X)
    assert str(jax.make_jaxpr(a.apply)(params, X)) == str(jax.make_jaxpr(b.apply)(params, X))


def test_dimensions_are_ints_with_tf1s_value():
    shape = tf.TensorShape((2, None, 5))
    assert shape[0].value == 2 and shape[0] == 2 and shape[0] + 1 == 3
    assert shape[1].value is None and repr(shape[1]) == "Dimension(None)"
    assert repr(shape[2]) == "Dimension(5)" and int(shape[2]) == 5
    assert shape[1:] == (None, 5) and isinstance(shape[1:], tf.TensorShape)
    assert shape.num_elements() is None and tf.TensorShape((2, 5)).num_elements() == 10
    assert [d.value for d in shape.dims] == [2, None, 5]
    assert jnp.zeros(tf.TensorShape((2, 5))).shape == (2, 5)  # iterates as plain ints
