"""TF1 summary ops in a graph, written by FileWriter and read back by TensorBoard."""
import numpy as np
import pytest
from harness import tf1
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import summary_pb2

import minitf
from minitf import summary as minitf_summary

X = np.random.RandomState(2).randn(16, 4).astype(np.float32)


def program(tf, logdir):
    """A regression whose loss, weights and an image are logged each step."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(np.ones([4, 1], np.float32), name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=step)
    with tf.name_scope("stats"):
        tf.summary.scalar("loss", loss)
    tf.summary.histogram("w", w)
    tf.summary.image("picture", tf.reshape(tf.sigmoid(x[:2]), [2, 2, 2, 1]), max_outputs=2)
    merged = tf.summary.merge_all()
    losses = []
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(logdir, sess.graph)
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            # (read apart from `train`: TF's reads of variables it updates may race it)
            i, weights = sess.run([step, w])
            serialized, value, _ = sess.run([merged, loss, train], {x: X})
            assert isinstance(serialized, bytes)
            writer.add_summary(serialized, i)
            losses.append(value)
        writer.flush()
        writer.close()
    return losses, weights


def read(logdir):
    acc = event_accumulator.EventAccumulator(str(logdir), size_guidance={
        event_accumulator.IMAGES: 0, event_accumulator.HISTOGRAMS: 0})
    acc.Reload()
    return acc


def test_summaries_read_back_by_tensorboard(tmp_path):
    with minitf.Graph().as_default():
        losses, weights = program(minitf, tmp_path / "minitf")
    with tf1.Graph().as_default():
        tf_losses, _ = program(tf1, tmp_path / "tf")
    np.testing.assert_allclose(losses, tf_losses, rtol=1e-5)
    ours, theirs = read(tmp_path / "minitf"), read(tmp_path / "tf")
    assert ours.Tags()["scalars"] == theirs.Tags()["scalars"] == ["stats/loss"]
    # the variable "w" took the name: the summary is "w_1", as in TF
    assert ours.Tags()["histograms"] == theirs.Tags()["histograms"] == ["w_1"]
    assert sorted(ours.Tags()["images"]) == sorted(theirs.Tags()["images"]) == \
        ["picture/image/0", "picture/image/1"]
    events = ours.Scalars("stats/loss")
    assert [e.step for e in events] == [e.step for e in theirs.Scalars("stats/loss")]
    np.testing.assert_allclose([e.value for e in events], np.float32(losses), rtol=1e-6)
    hist = ours.Histograms("w_1")[-1].histogram_value
    assert hist.num == theirs.Histograms("w_1")[-1].histogram_value.num == 4
    np.testing.assert_allclose([hist.min, hist.max, hist.sum],
                               [weights.min(), weights.max(), weights.sum()], rtol=1e-6)
    image = ours.Images("picture/image/0")[0]
    assert (image.width, image.height) == (2, 2)
    assert ours.Tags()["graph"]
    graph = ours.Graph()
    nodes = {n.name: n for n in graph.node}
    assert nodes["x"].op == "Placeholder"
    assert nodes["stats/loss"].op == "ScalarSummary"
    assert nodes["MatMul"].input[:1] == ["x"]


def test_summary_tensor_is_tf_string_and_merges():
    with minitf.Graph().as_default():
        a = minitf.placeholder(minitf.float32, [], name="a")
        s1 = minitf.summary.scalar("first", a)
        s2 = minitf.summary.scalar("second", a * 2)
        assert s1.dtype == np.dtype(object)
        merged = minitf.summary.merge([s1, s2])
        with minitf.Session() as sess:
            one, both = sess.run([s1, merged], {a: 1.5})
    got = summary_pb2.Summary.FromString(both)
    assert [(v.tag, v.simple_value) for v in got.value] == [("first", 1.5), ("second", 3.0)]
    assert summary_pb2.Summary.FromString(one).value[0].simple_value == 1.5
    with minitf.Graph().as_default():
        assert minitf.summary.merge_all() is None
        with pytest.raises(ValueError, match="scalar"):
            minitf.summary.scalar("v", minitf.placeholder(minitf.float32, [3]))


def test_tf2_style_summary_api_still_works(tmp_path):
    with minitf_summary.create_file_writer(tmp_path).as_default():
        minitf_summary.scalar("loss", 0.5, step=3)
    assert read(tmp_path).Scalars("loss")[0].value == 0.5


def image_pixels(tf, images):
    """The decoded pixels of each image of a tf.summary.image of `images`."""
    with tf.Graph().as_default():
        summary = tf.summary.image("img", tf.constant(images), max_outputs=3)
        with tf.Session() as sess:
            serialized = sess.run(summary)
    values = summary_pb2.Summary.FromString(serialized).value
    with tf1.Graph().as_default():
        png = tf1.placeholder(tf1.string, [])
        decode = tf1.image.decode_png(png)
        with tf1.Session() as sess:
            return [(v.tag, sess.run(decode, {png: v.image.encoded_image_string}))
                    for v in values]


def test_float_images_normalized_as_tf():
    rng = np.random.RandomState(0)
    images = np.stack([rng.rand(3, 4, 3) * 7.0, rng.randn(3, 4, 3), np.zeros([3, 4, 3])])
    images[1, 0, 0, 1] = np.nan
    images = images.astype(np.float32)
    got, want = image_pixels(minitf, images), image_pixels(tf1, images)
    assert [t for t, _ in got] == [t for t, _ in want] == [f"img/image/{i}" for i in range(3)]
    for (_, g), (_, w) in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


def histogram_of(tf, values):
    with tf.Graph().as_default():
        summary = tf.summary.histogram("h", tf.constant(values))
        with tf.Session() as sess:
            return summary_pb2.Summary.FromString(sess.run(summary)).value[0].histo


@pytest.mark.parametrize("values", [
    np.random.RandomState(1).randn(200).astype(np.float32),
    np.float32([0.0, 0.0, 1.0, -3.5, 1e-13, 7e5]),
    np.float64([[2.0, 2.0], [2.0, 2.0]]),
])
def test_histogram_buckets_as_tf(values):
    got, want = histogram_of(minitf, values), histogram_of(tf1, values)
    assert list(got.bucket_limit) == list(want.bucket_limit)
    assert list(got.bucket) == list(want.bucket)
    np.testing.assert_allclose([got.min, got.max, got.num, got.sum, got.sum_squares],
                               [want.min, want.max, want.num, want.sum, want.sum_squares],
                               rtol=1e-6)


def test_control_dependency_on_a_summary_and_no_consumers():
    with minitf.Graph().as_default():
        v = minitf.Variable(1.0, name="v")
        s = minitf.summary.scalar("v", v)
        with minitf.control_dependencies([s]):
            bump = v.assign_add(1.0)
        with pytest.raises(TypeError):
            minitf.identity(s)
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            sess.run(bump)
            value = summary_pb2.Summary.FromString(sess.run(s)).value[0].simple_value
    assert value == 2.0


def naming_program(tf):
    with tf.Graph().as_default():
        with tf.name_scope("outer"):
            s = tf.summary.scalar("loss", tf.constant(1.0), family="fam")
            s2 = tf.summary.scalar("loss", tf.constant(2.0), family="fam")
            s3 = tf.summary.scalar("a b:c", tf.constant(3.0))
        m = tf.summary.merge_all()
        m2 = tf.summary.merge([s, s2])
        with tf.Session() as sess:
            tags = [v.tag for v in summary_pb2.Summary.FromString(sess.run(m)).value]
        return [t.op.name for t in (s, s2, s3, m, m2)], tags


def test_summary_names_and_tags_as_tf():
    assert naming_program(minitf) == naming_program(tf1)
