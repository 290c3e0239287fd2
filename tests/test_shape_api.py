"""TF1's way of reading static shapes: `x.get_shape()`, `Dimension.value`, `as_list()`.

Model inputs and op outputs are JAX arrays (or tracers under jit): their `.shape` and
`get_shape()` are a `TensorShape` whose items are `Dimension`s; variables answer them
too. None of it reaches the compiled computation.
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
    w = tf.get_variable("w", [x.get_shape()[1].value, x.shape[0].value * 2])
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


def every_kind_of_value(x, seq):
    """TF1 model code reading sizes off inputs, ops, layers, convs and RNN cells via `.shape`."""
    widths = []
    widths.append(x.shape[1].value)  # a model input (NumPy when apply runs op by op)
    w = tf.get_variable("w", [x.shape[1].value, 4])
    h = tf.matmul(x, w)  # an op output
    widths.append(h.shape[-1].value)
    d = tf.layers.dense(h, 5, name="dense")  # a layer output
    widths.append(d.shape[1].value)
    img = tf.reshape(d, [-1, 1, 5, 1])
    c = tf.layers.conv2d(img, 2, 3, padding="same", name="conv")
    widths.append(c.get_shape().as_list()[-1])
    flat = tf.reshape(c, [-1, c.shape[1].value * c.shape[2].value * c.shape[3].value])
    widths.append(int(flat.shape[1]))
    cell = tf.nn.rnn_cell.LSTMCell(3, name="lstm")
    out, state = tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)
    widths += [out.shape[2].value, state.c.shape[1].value, seq.shape[1].value]
    assert x.shape[0] == 2 and x.shape.as_list() == [2, 3] and x.shape.ndims == 2
    assert widths == [3, 4, 5, 2, 10, 3, 3, 6], widths
    return tf.reduce_sum(flat) + tf.reduce_sum(out)


def test_every_value_a_model_sees_answers_shape_value():
    """`x.shape[i].value` works on inputs, op/layer/cell outputs: in init, in apply op by
    op (NumPy inputs too, converted as TF converts fed values) and under jit."""
    model = tf.transform(every_kind_of_value)
    x = np.ones((2, 3), np.float32)
    seq = np.random.RandomState(0).normal(size=(2, 6, 4)).astype(np.float32)
    params = model.init(0, x, seq)
    eager = model.apply(params, x, seq)
    np.testing.assert_allclose(jax.jit(model.apply)(params, jnp.asarray(x), seq), eager,
                               rtol=1e-5)


def test_shape_api_on_plain_jax_values_keeps_jax_behaviour():
    """The TF shape is still JAX's tuple: equal, hashable and iterable as one, and
    JAX's own code that indexes shapes runs as before."""
    x = jnp.ones((2, 3))
    assert x.shape == (2, 3) and hash(x.shape) == hash((2, 3)) and list(x.shape) == [2, 3]
    assert type(next(iter(x.shape))) is int and str(x.shape[0]) == "2"
    assert jnp.zeros(x.shape[1]).shape == (3,) and jnp.reshape(x, (x.shape[1], -1)).shape == (3, 2)
    assert jax.jit(lambda a: a.reshape(a.shape[0] * a.shape[1]))(x).shape == (6,)
    assert jnp.einsum("ij,jk->ik", x, x.T).shape == (2, 2) and x.ndim == 2


def test_dimension_arithmetic_and_comparison_match_tf1():
    """Recorded live from real TF's Dimension (arithmetic keeps the type; unknown
    propagates; comparing with an unknown dim is None)."""
    from tf_reference import tf1

    def cases(shape):
        d, u = shape[0], shape[1]
        return [repr(v) for v in (d + 1, 1 + d, d * 2, 2 * d, d // 3, 7 // d, d - 1, d % 3,
                                  d + d, u + 1, u * 0, d == 4, u == 4, d < 5, u < 3, d > u)]

    theirs = cases(tf1.placeholder(tf1.float32, [4, None]).shape)
    assert cases(tf.TensorShape((4, None))) == theirs
    d = jnp.ones((4, 2)).shape[0]  # a JAX array's dims are the same Dimensions
    assert (repr(d * 2), repr(d - 1), repr(d - 9)) == ("Dimension(8)", "Dimension(3)", "-5")


def test_symbolic_dims_of_shape_polymorphic_export_stay_jaxs():
    """`jax.export` with a symbolic batch: indexing the shape gives JAX's symbolic dim
    (not a Dimension, which needs a known int), so shape-polymorphic code still exports."""
    from jax import export

    (batch,) = export.symbolic_shape("b")

    def f(x):
        assert not isinstance(x.shape[0], tf.Dimension) and x.shape[1].value == 3
        return x.reshape(x.shape[0], -1).sum(axis=1) * x.shape[1]

    exported = export.export(jax.jit(f))(jax.ShapeDtypeStruct((batch, 3, 2), jnp.float32))
    np.testing.assert_allclose(exported.call(jnp.ones((5, 3, 2))), np.full(5, 18.0))


def test_tensor_shape_compatibility_methods_match_tf1():
    """merge_with, concatenate, with_rank, is_compatible_with, ... and their errors,
    recorded live from real TF's TensorShape."""
    from tf_reference import tf1

    def cases(shape_type):
        a, b = shape_type([None, 3]), shape_type([2, None])
        out = [str(a.merge_with(b)), str(a.concatenate([4])), str(a.with_rank(2)),
               str(a.with_rank_at_least(1)), str(a.most_specific_compatible_shape(
                   shape_type([2, 3]))), a.is_compatible_with(b),
               a.is_compatible_with([5, 3]), a.is_compatible_with([5, 4]),
               a.is_compatible_with([5])]
        for bad in (lambda: a.merge_with(shape_type([2, 4])), lambda: a.with_rank(3),
                    lambda: a.assert_is_compatible_with(shape_type([1, 2])),
                    lambda: a.with_rank_at_least(3), lambda: a.assert_has_rank(1),
                    lambda: a.assert_same_rank(shape_type([1]))):
            try:
                bad()
                out.append(None)
            except ValueError as err:
                out.append(str(err))
        return out

    assert cases(tf.TensorShape) == cases(tf1.TensorShape)
