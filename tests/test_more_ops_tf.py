"""More TF1 ops against real TF1 graph mode: top_k, count_nonzero, segment ops, scatter_nd,
matrix ops, meshgrid, weighted cross-entropy, check_numerics, categorical, tf.Print,
tf.py_func, and the tf.math / tf.linalg / tf.random namespaces.

Each case builds the same program under TF1 and minitf (placeholders with unknown
dimensions where the static shape matters) and compares the values fetched by
`Session.run` and the static shapes (`tensor.shape.as_list()`).
"""
import jax
import numpy as np
import pytest

import minitf
from tf_reference import tf1

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)).astype(np.float32)
SPARSE = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]], np.float32)
SPD = np.array([[4.0, 99.0, 7.0], [1.0, 3.0, 99.0], [0.5, 0.2, 2.0]], np.float32)  # lower SPD


def _run(tf, build, feeds):
    """Build in a fresh graph (inputs as placeholders with the given static shapes),
    run once; returns (values, static shapes) as nested lists."""
    with tf.Graph().as_default():
        holders = [tf.placeholder(tf.as_dtype(value.dtype), shape) for value, shape in feeds]
        out = build(tf, *holders)
        outs = out if isinstance(out, (list, tuple)) else [out]
        shapes = [o.shape.as_list() if o.shape.ndims is not None else None for o in outs]
        with tf.Session() as sess:
            values = sess.run(list(outs), dict(zip(holders, [v for v, _ in feeds],
                                                   strict=True)))
    return values, shapes


def _same(build, *feeds, rtol=1e-5, atol=1e-6, check_dtype=True, minitf_shapes=None):
    """The program's values and static shapes agree under TF1 and minitf (`minitf_shapes`:
    where minitf knows more of a static shape than TF, the shapes minitf must give)."""
    want, want_shapes = _run(tf1, build, feeds)
    got, got_shapes = _run(minitf, build, feeds)
    assert got_shapes == (want_shapes if minitf_shapes is None else minitf_shapes)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
        if check_dtype:
            assert np.asarray(g).dtype == minitf.dtypes.storage_dtype(w.dtype)
    return got


# -- top_k -------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["nn", "math"])
def test_top_k_values_and_indices(where):
    x = np.array([[1.0, 3.0, 3.0, -1.0, 2.0], [5.0, 4.0, 3.0, 2.0, 1.0]], np.float32)
    got = _same(lambda tf, a: list(getattr(tf, where).top_k(a, k=3)), (x, [None, 5]))
    np.testing.assert_array_equal(got[1], [[1, 2, 4], [0, 1, 2]])


def test_top_k_unsorted_holds_the_same_entries():
    want, _ = _run(tf1, lambda tf, a: list(tf.nn.top_k(a, 3, sorted=False)), [(X, [4, 5])])
    got, _ = _run(minitf, lambda tf, a: list(tf.nn.top_k(a, 3, sorted=False)), [(X, [4, 5])])
    np.testing.assert_allclose(np.sort(got[0], -1), np.sort(want[0], -1))
    np.testing.assert_array_equal(np.sort(got[1], -1), np.sort(want[1], -1))


# -- count_nonzero ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {}, dict(axis=1), dict(axis=0, keepdims=True), dict(reduction_indices=[1], keep_dims=True),
    dict(axis=[0, 1], dtype="int32"),
])
def test_count_nonzero(kwargs):
    got = _same(lambda tf, a: tf.count_nonzero(a, **kwargs), (SPARSE, [None, 3]))
    assert np.asarray(got[0]).sum() == 3


def test_count_nonzero_input_spelling_and_ints():
    ints = np.array([[0, 2, 0], [1, 0, 0]], np.int32)
    _same(lambda tf, a: [tf.count_nonzero(input=a, axis=1), tf.math.count_nonzero(a)],
          (ints, [2, 3]))


# -- segments ----------------------------------------------------------------------------------

DATA = np.arange(15, dtype=np.float32).reshape(5, 3) - 7.0
UNSORTED_IDS = np.array([3, 0, 3, 0, 1], np.int32)  # segment 2 empty
SORTED_IDS = np.array([0, 0, 2, 2, 3], np.int32)  # segment 1 empty


@pytest.mark.parametrize("op", ["unsorted_segment_sum", "unsorted_segment_max",
                                "unsorted_segment_min", "unsorted_segment_prod",
                                "unsorted_segment_mean"])
def test_unsorted_segment_ops(op):
    def build(tf, data, ids):
        return [getattr(tf, op)(data, ids, 4), getattr(tf.math, op)(data, ids, num_segments=5)]

    _same(build, (DATA, [None, 3]), (UNSORTED_IDS, [None]))


def test_unsorted_segment_sum_drops_negative_ids_and_takes_matrix_ids():
    ids = np.array([[0, -1], [2, 0]], np.int32)
    data = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    got = _same(lambda tf, d, i: tf.unsorted_segment_sum(d, i, tf.constant(3)),
                (data, [2, 2, 2]), (ids, [2, 2]))
    np.testing.assert_allclose(got[0][1], [0.0, 0.0])


@pytest.mark.parametrize("op", ["segment_sum", "segment_mean", "segment_max", "segment_min",
                                "segment_prod"])
def test_sorted_segment_ops_with_constant_ids(op):
    """TF leaves the segment count unknown statically; minitf reads it off the constant ids."""
    got = _same(lambda tf, data: getattr(tf, op)(data, tf.constant(SORTED_IDS)), (DATA, [5, 3]),
                minitf_shapes=[[4, 3]])
    assert got[0].shape == (4, 3)


def test_sorted_segment_ops_need_constant_ids_in_minitf():
    with minitf.Graph().as_default():
        ids = minitf.placeholder(minitf.int32, [5])
        with pytest.raises(TypeError, match="unsorted_segment"):
            minitf.segment_sum(DATA, ids)


# -- scatter_nd ----------------------------------------------------------------------------

def test_scatter_nd_rows_and_elements_duplicates_add():
    rows = np.array([[0], [2], [0]], np.int32)
    updates = np.arange(6, dtype=np.float32).reshape(3, 2)
    cells = np.array([[0, 1], [1, 0], [0, 1]], np.int32)

    def build(tf, r, u, c):
        return [tf.scatter_nd(r, u, [4, 2]), tf.scatter_nd(c, u[:, 0], tf.constant([2, 2]))]

    _same(build, (rows, [None, 1]), (updates, [None, 2]), (cells, [None, 2]))


# -- matrix ops ------------------------------------------------------------------------------

@pytest.mark.parametrize("bands", [(1, 0), (-1, 0), (0, -1), (1, 2)])
def test_matrix_band_part(bands):
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    _same(lambda tf, a: [tf.matrix_band_part(a, *bands), tf.linalg.band_part(a[0], *bands)],
          (x, [None, 3, 4]))


def test_diag_and_diag_part_of_any_rank():
    v = np.array([1.0, 2.0, 3.0], np.float32)
    m = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)

    def build(tf, a, b):
        return [tf.diag(a), tf.diag(b), tf.diag_part(tf.diag(b)), tf.diag_part(b),
                tf.linalg.tensor_diag(a)]

    _same(build, (v, [3]), (m, [2, 2]))


def test_linalg_diag_is_batched_matrix_diag():
    x = RNG.standard_normal((2, 3)).astype(np.float32)

    def build(tf, a):
        return [tf.linalg.diag(a), tf.matrix_diag(a), tf.linalg.diag_part(tf.linalg.diag(a)),
                tf.matrix_diag_part(tf.linalg.diag(a)[:, :2])]

    _same(build, (x, [None, 3]))


def test_trace_inverse_determinant_cholesky():
    m = RNG.standard_normal((3, 3)).astype(np.float32)
    other = np.tril(m @ m.T + 3 * np.eye(3, dtype=np.float32)) + np.triu(np.full((3, 3), 9.0), 1)
    batch = np.stack([SPD, other.astype(np.float32)])

    def build(tf, a, b):
        return [tf.trace(a), tf.linalg.trace(b), tf.matrix_inverse(a), tf.linalg.inv(b),
                tf.matrix_inverse(a, adjoint=True), tf.matrix_determinant(a),
                tf.linalg.det(b), tf.cholesky(a), tf.linalg.cholesky(b),
                tf.matrix_transpose(b), tf.linalg.transpose(b)]

    _same(build, (SPD, [3, 3]), (batch, [None, 3, 3]), rtol=1e-4, atol=1e-5)


def test_meshgrid_indexings_and_unknown_sizes():
    a = np.arange(3, dtype=np.float32)
    b = np.arange(4, dtype=np.float32) * 10

    def build(tf, x, y):
        return [*tf.meshgrid(x, y), *tf.meshgrid(x, y, indexing="ij")]

    _same(build, (a, [None]), (b, [4]))


# -- losses and checks -----------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["targets", "labels"])
@pytest.mark.parametrize("pos_weight", [2.5, np.array([0.5, 1.0, 3.0, 1.5, 2.0], np.float32)])
def test_weighted_cross_entropy_with_logits(spelling, pos_weight):
    labels = (RNG.random((4, 5)) > 0.5).astype(np.float32)

    def build(tf, z, x):
        return tf.nn.weighted_cross_entropy_with_logits(**{spelling: z}, logits=x * 4,
                                                        pos_weight=pos_weight)

    _same(build, (labels, [None, 5]), (X, [None, 5]))


def test_check_numerics_passes_finite_values():
    _same(lambda tf, a: tf.check_numerics(a * 2, "x is bad"), (X, [None, 5]))


def test_check_numerics_raises_on_nan_and_inf_when_run():
    bad = np.array([1.0, np.inf], np.float32)
    with tf1.Graph().as_default():
        p = tf1.placeholder(tf1.float32, [None])
        checked = tf1.check_numerics(p, "x is bad")
        with tf1.Session() as sess, pytest.raises(tf1.errors.InvalidArgumentError,
                                                  match="x is bad"):
            sess.run(checked, {p: bad})
    with minitf.Graph().as_default():
        p = minitf.placeholder(minitf.float32, [None])
        checked = minitf.check_numerics(p, "x is bad")
        with minitf.Session() as sess:
            np.testing.assert_array_equal(sess.run(checked, {p: bad[:1]}), bad[:1])
            with pytest.raises(Exception, match="x is bad : Tensor had Inf values"):
                sess.run(checked, {p: bad})

    def model(x):
        return minitf.check_numerics(x, "in jit")

    apply = jax.jit(minitf.transform(model).apply)
    np.testing.assert_array_equal(apply({}, np.ones(2, np.float32)), np.ones(2))
    with pytest.raises(Exception, match="in jit : Tensor had NaN values"):
        jax.block_until_ready(apply({}, np.array([np.nan], np.float32)))


def test_check_numerics_raises_at_once_in_eager_mode(eager):
    np.testing.assert_array_equal(minitf.check_numerics(np.ones(2, np.float32), "ok"), 1.0)
    with pytest.raises(FloatingPointError, match="eager : Tensor had NaN values"):
        minitf.check_numerics(np.array([np.nan], np.float32), "eager")


def test_random_categorical_matches_tf_in_shape_and_support():
    logits = np.log(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], np.float32) + 1e-30)
    for tf in (tf1, minitf):
        with tf.Graph().as_default():
            draws = tf.random.categorical(tf.constant(logits), 6)
            ints = tf.random.categorical(tf.constant(logits), 2, dtype=tf.int32)
            assert draws.shape.as_list() == [2, 6]
            with tf.Session() as sess:
                value, small = sess.run([draws, ints])
        np.testing.assert_array_equal(value, [[2] * 6, [0] * 6])
        assert small.dtype == np.int32


# -- namespaces ------------------------------------------------------------------------------

@pytest.mark.parametrize("namespace", ["math", "linalg", "random"])
def test_namespaces_hold_only_tf1_names(namespace):
    ours = getattr(minitf, namespace)
    assert len(ours.__all__) > 5
    missing = [n for n in ours.__all__ if not hasattr(getattr(tf1, namespace), n)]
    assert not missing
    assert all(callable(getattr(ours, n)) for n in ours.__all__)


def test_namespace_aliases_are_the_ops():
    assert minitf.math.log1p is minitf.log1p and minitf.math.reduce_sum is minitf.reduce_sum
    assert minitf.math.top_k is minitf.nn.top_k
    assert minitf.linalg.inv is minitf.matrix_inverse and minitf.linalg.diag is minitf.matrix_diag
    assert minitf.random.categorical is minitf.categorical


# -- tf.Print --------------------------------------------------------------------------------

def test_print_passes_its_input_through_and_prints_when_run(capfd):
    data = np.array([1.5, 2.0, 3.0, 4.0], np.float32)
    _same(lambda tf, a: tf.Print(a, [a], "unused: ") * 2, (data, [None]))
    capfd.readouterr()
    with minitf.Graph().as_default():
        p = minitf.placeholder(minitf.float32, [None])
        shown = minitf.Print(p + 1, [p, minitf.shape(p)], message="values: ")
        once = minitf.Print(p, [p], "once: ", first_n=1, summarize=2)
        constant = minitf.Print(minitf.constant(1.0), [minitf.constant([7, 8])], "const: ")
        assert shown.shape.as_list() == [None]
        assert "values" not in capfd.readouterr().err  # building prints nothing
        with minitf.Session() as sess:
            for _ in range(2):
                value = sess.run([shown, once, constant], {p: data})
                np.testing.assert_array_equal(value[0], data + 1)
                assert value[2] == 1.0
    err = capfd.readouterr().err
    assert err.count("values: [1.5 2 3...][4]") == 2
    assert err.count("once: [1.5 2...]") == 1
    assert err.count("const: [7 8]") == 2  # not folded into a constant at trace time


def test_print_under_jit_of_a_transform(capfd):
    def model(x):
        return minitf.Print(x * 3, [x], "in jit: ", summarize=-1)

    apply = jax.jit(minitf.transform(model).apply)
    out = jax.block_until_ready(apply({}, np.arange(4, dtype=np.float32)))
    np.testing.assert_array_equal(out, np.arange(4) * 3)
    jax.effects_barrier()
    assert "in jit: [0 1 2 3]" in capfd.readouterr().err


# -- tf.py_func --------------------------------------------------------------------------------

def _scaled(x, y):
    return (x * y).astype(np.float32), np.int32(x.shape[0])


def test_py_func_values_match_tf_in_a_session():
    x = RNG.standard_normal((3, 2)).astype(np.float32)
    want, want_shapes = _run(tf1, lambda tf, a: tf.py_func(_scaled, [a, 2.0], [tf.float32,
                                                                             tf.int32]),
                             [(x, [None, 2])])
    got, got_shapes = _run(minitf, lambda tf, a: tf.py_func(_scaled, [a, 2.0],
                                                            [tf.float32, tf.int32]),
                           [(x, [None, 2])])
    assert want_shapes == [None, None]  # TF knows nothing of a py_func's output shapes
    assert got_shapes == [[None, 2], []]  # minitf infers them by calling the function
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w)


def test_py_func_on_an_unknown_batch_never_calls_with_probe_sizes():
    """Shape inference gives an unknown dim a probe size in the millions; the py_func's
    shape call gets a small stand-in (before: 35.8 GiB of ones for [None, 784])."""
    seen = []

    def head(a):
        seen.append(a.shape)
        return a[:, :10] * 2

    with minitf.Graph().as_default():
        x = minitf.placeholder(minitf.float32, [None, 784])
        y = minitf.py_func(head, [x], minitf.float32)
        assert y.shape.as_list() == [None, 10]
        with minitf.Session() as sess:
            out = sess.run(y, {x: np.ones((2, 784), np.float32)})
    np.testing.assert_array_equal(out, np.full((2, 10), 2.0))
    assert max(shape[0] for shape in seen) <= 7


def test_numpy_function_runs_on_every_session_run():
    calls = []

    def record(a):
        calls.append(a.copy())
        return a + np.float32(len(calls))

    with minitf.Graph().as_default():
        p = minitf.constant([1.0, 2.0])
        out = minitf.numpy_function(record, [p], minitf.float32) * 10
        with minitf.Session() as sess:
            first, second = sess.run(out), sess.run(out)
    assert first[0] != second[0]  # a constant input does not fold the call away
    np.testing.assert_array_equal(calls[-1], [1.0, 2.0])


def test_py_func_under_jit_of_a_transform_and_eagerly(eager):
    def model(x):
        doubled = minitf.py_func(lambda a: np.sort(a)[::-1] * 2, [x], minitf.float32)
        return doubled + 1

    apply = jax.jit(minitf.transform(model).apply)
    x = np.array([3.0, 1.0, 2.0], np.float32)
    np.testing.assert_array_equal(apply({}, x), [7.0, 5.0, 3.0])
    np.testing.assert_array_equal(apply({}, x[:2]), [7.0, 3.0])  # retraced: new shape
    np.testing.assert_array_equal(model(x), [7.0, 5.0, 3.0])
