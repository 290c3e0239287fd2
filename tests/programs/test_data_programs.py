"""TF1's `tf.data` under real TF and minitf: pipelines, iterators, and training loops
that run `sess.run(train_op)` with no feed_dict until `OutOfRangeError`.

Every value is compared to TF's (integers as values: without `jax_enable_x64` an
int64 component is stored as int32, the README's 64-bit policy).
"""
import numpy as np
from harness import assert_same_run

import minitf
from tf_reference import tf1

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10, dtype=np.int64)


def _first_line(err):
    return str(err).split("\n")[0]


def pipelines(tf):
    """One-shot, initializable (placeholder-fed, re-initialized) and reinitializable
    iterators over map / filter / batch / repeat / zip / concatenate / range / skip / take."""
    out = []
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).map(
        lambda x, y: (x * 2.0, y + 1)).batch(4).repeat(2)
    x, y = ds.make_one_shot_iterator().get_next()
    out.append([str(s) for s in (*ds.output_shapes, x.shape, y.shape)])
    w = tf.Variable(1.0)
    loss = tf.reduce_sum(x * w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        try:
            while True:
                out.append(sess.run([loss, y]))
        except tf.errors.OutOfRangeError as err:
            out.append(type(err).__name__)
    xp = tf.placeholder(tf.float32, [None, 2])
    ds2 = tf.data.Dataset.from_tensor_slices({"a": xp}).filter(
        lambda d: tf.reduce_sum(d["a"]) > 10.0).batch(3, drop_remainder=True)
    it2 = ds2.make_initializable_iterator()
    nxt = it2.get_next()
    out.append(str(nxt["a"].shape))
    with tf.Session() as sess:
        try:
            sess.run(nxt)
        except tf.errors.FailedPreconditionError as err:
            out.append(_first_line(err) if tf is minitf else None)
        for feed in (X, X[:7]):
            sess.run(it2.initializer, {xp: feed})
            try:
                while True:
                    out.append(sess.run(nxt)["a"])
            except tf.errors.OutOfRangeError:
                out.append("end")
    r = tf.data.Dataset.range(5).skip(1).take(3).concatenate(tf.data.Dataset.range(2))
    zipped = tf.data.Dataset.zip((r, r.map(lambda v: v * 10)))
    it3 = tf.data.Iterator.from_structure(zipped.output_types, zipped.output_shapes)
    init = it3.make_initializer(zipped)
    n = it3.get_next()
    with tf.Session() as sess:
        sess.run(init)
        out += [sess.run(n) for _ in range(5)]
    return out


def test_pipelines_and_iterators_match_tf():
    with tf1.Graph().as_default():
        want = pipelines(tf1)
    with minitf.Graph().as_default():
        got = pipelines(minitf)
    uninit = got[1 + 7 + 1]
    assert uninit.startswith("GetNext() failed because the iterator has not been initialized")
    got[1 + 7 + 1] = want[1 + 7 + 1] = None  # (TF's message arrives wrapped: checked above)
    _assert_same(got, want)


def _assert_same(got, want):
    """Equal structure, strings and values (integers compared as values)."""
    if isinstance(want, (str, type(None))):
        assert got == want
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            _assert_same(g, w)
    else:
        np.testing.assert_array_equal(np.asarray(got, np.float64), np.asarray(want, np.float64))


def training_program(tf, start):
    """Softmax regression fed by a dataset: `sess.run(train_op)` until the data runs out."""
    rng = np.random.RandomState(0)
    images = rng.normal(size=(60, 8)).astype(np.float32)
    labels = rng.randint(0, 3, size=60).astype(np.int32)
    batch = tf.data.Dataset.from_tensor_slices((images, labels)).batch(16).repeat(3)
    x, y = batch.make_one_shot_iterator().get_next()
    logits = tf.layers.dense(x, 3, name="softmax")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        try:
            while True:
                losses.append(sess.run([train, loss])[1])
        except tf.errors.OutOfRangeError:
            pass
        if tf is minitf:  # full batches and the short last one: two compilations
            assert sess.compile_count <= 3
    return losses


def test_training_from_a_dataset_matches_tf_step_for_step():
    got, _ = assert_same_run(training_program)
    assert len(got) == 12 and got[-1] < got[0]


def test_shuffle_permutes_each_epoch_and_a_seed_repeats_it():
    def epochs(seed):
        ds = minitf.data.Dataset.range(10).shuffle(10, seed=seed).repeat(2)
        return [int(v) for v in ds]

    a, b = epochs(3), epochs(3)
    assert a == b and sorted(a[:10]) == sorted(a[10:]) == list(range(10))
    assert a[:10] != a[10:] and a[:10] != list(range(10))


def padded_and_generated(tf):
    """`padded_batch` (to the longest, and to fixed sizes with a padding value) and
    `from_generator` with `args` and `output_shapes`."""
    def sequences(n):
        for i in range(n):
            yield np.arange(i + 1, dtype=np.int32), np.float32(i)

    gen = tf.data.Dataset.from_generator(sequences, (tf.int32, tf.float32),
                                         ([None], []), args=(5,))
    longest = gen.padded_batch(2, padded_shapes=([None], []))
    fixed = gen.padded_batch(3, padded_shapes=([6], []), padding_values=(-1, 0.0),
                             drop_remainder=True)
    out = [str(s) for s in (*longest.output_shapes, *fixed.output_shapes)]
    fetches = [d.make_one_shot_iterator().get_next() for d in (longest, fixed)]
    with tf.Session() as sess:
        for nxt in fetches:
            try:
                while True:
                    out.append(sess.run(nxt))
            except tf.errors.OutOfRangeError:
                out.append("end")
    return out


def test_padded_batch_and_from_generator_match_tf():
    with tf1.Graph().as_default():
        want = padded_and_generated(tf1)
    with minitf.Graph().as_default():
        got = padded_and_generated(minitf)
    _assert_same(got, want)
