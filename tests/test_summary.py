"""minitf.summary writes event files that TensorBoard's own reader accepts."""

import io
import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto import graph_pb2

from minitf import summary


def _load(logdir):
    acc = EventAccumulator(str(logdir), size_guidance={"images": 0, "scalars": 0,
                                                       "histograms": 0})
    acc.Reload()
    return acc


def _png_pixels(image_event):
    return np.asarray(Image.open(io.BytesIO(image_event.encoded_image_string)))


def test_scalars_from_jitted_step_round_trip(tmp_path):
    @jax.jit
    def step(x):
        return {"loss": jnp.mean(x ** 2), "acc": jnp.float32(0.25) * x[0]}

    expected = {}
    with summary.FileWriter(tmp_path) as writer:
        for i in range(5):
            metrics = step(jnp.arange(3.0) + i)
            writer.scalar("train/loss", metrics["loss"], step=jnp.int32(i * 10))
            writer.scalar("train/acc", metrics["acc"], step=i * 10)
            expected[i * 10] = float(metrics["loss"])

    acc = _load(tmp_path)
    assert sorted(acc.Tags()["scalars"]) == ["train/acc", "train/loss"]
    events = acc.Scalars("train/loss")
    assert [e.step for e in events] == [0, 10, 20, 30, 40]
    np.testing.assert_allclose([e.value for e in events],
                               [expected[s] for s in sorted(expected)], rtol=1e-6)
    accs = [e.value for e in acc.Scalars("train/acc")]
    assert accs == pytest.approx([0.25 * i for i in range(5)])



def test_histogram_round_trip(tmp_path):
    values = np.random.default_rng(0).normal(size=(40, 25)).astype(np.float32)
    with summary.create_file_writer(tmp_path) as writer:
        writer.histogram("weights", jnp.asarray(values), step=3, bins=12)

    (event,) = _load(tmp_path).Histograms("weights")
    h = event.histogram_value
    assert event.step == 3
    assert h.num == values.size
    assert h.min == pytest.approx(values.min()) and h.max == pytest.approx(values.max())
    assert h.sum == pytest.approx(values.astype(np.float64).sum(), abs=1e-3)
    assert h.sum_squares == pytest.approx((values.astype(np.float64) ** 2).sum(), rel=1e-6)
    assert len(h.bucket) == len(h.bucket_limit) == 12
    assert sum(h.bucket) == values.size
    counts, edges = np.histogram(values.astype(np.float64), bins=12)
    assert list(h.bucket) == counts.tolist()
    np.testing.assert_allclose(h.bucket_limit, edges[1:])


def test_images_float_uint8_and_batch(tmp_path):
    gray = np.linspace(0.0, 1.0, 6 * 4, dtype=np.float32).reshape(6, 4)  # HxW
    rgb = np.random.default_rng(1).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    batch = np.random.default_rng(2).random((4, 3, 2, 4), dtype=np.float32)  # NHWC RGBA
    with summary.FileWriter(tmp_path) as writer:
        writer.image("gray", jnp.asarray(gray), step=1)
        writer.image("rgb", rgb, step=2)
        writer.image("batch", batch, step=3, max_outputs=2)

    acc = _load(tmp_path)
    assert sorted(acc.Tags()["images"]) == ["batch/0", "batch/1", "gray", "rgb"]

    (g,) = acc.Images("gray")
    assert (g.step, g.height, g.width) == (1, 6, 4)
    np.testing.assert_array_equal(_png_pixels(g), np.round(gray * 255).astype(np.uint8))

    (c,) = acc.Images("rgb")
    assert (c.step, c.height, c.width) == (2, 5, 7)
    np.testing.assert_array_equal(_png_pixels(c), rgb)

    (b1,) = acc.Images("batch/1")
    assert (b1.height, b1.width) == (3, 2)
    pixels = _png_pixels(b1)
    assert pixels.shape == (3, 2, 4)
    np.testing.assert_array_equal(pixels, np.round(batch[1] * 255).astype(np.uint8))


def test_low_precision_device_values(tmp_path):
    with summary.FileWriter(tmp_path) as writer:
        writer.scalar("bf16", jnp.bfloat16(1.5), step=0)
        writer.histogram("f16", jnp.arange(4, dtype=jnp.float16), step=0)
        writer.image("bf16_img", jnp.full((2, 3), 0.5, jnp.bfloat16), step=0)
    acc = _load(tmp_path)
    assert acc.Scalars("bf16")[0].value == 1.5
    assert acc.Histograms("f16")[0].histogram_value.sum == 6.0
    assert _png_pixels(acc.Images("bf16_img")[0]).tolist() == [[128] * 3] * 2


def test_add_graph_and_add_summary(tmp_path):
    graph = graph_pb2.GraphDef()
    graph.node.add(name="scope/x", op="Placeholder")
    graph.node.add(name="scope/y", op="Identity", input=["scope/x"])
    with summary.FileWriter(tmp_path, graph_def=graph) as writer:
        writer.add_summary(summary.merge([summary.scalar_pb("a", 1.5),
                                          summary.scalar_pb("b", 2)]), global_step=7)

    acc = _load(tmp_path)
    assert [n.name for n in acc.Graph().node] == ["scope/x", "scope/y"]
    assert [(e.step, e.value) for e in acc.Scalars("a")] == [(7, 1.5)]
    assert [(e.step, e.value) for e in acc.Scalars("b")] == [(7, 2.0)]


def test_default_writer_module_functions(tmp_path):
    with pytest.raises(RuntimeError, match="default writer"):
        summary.scalar("loss", 1.0, step=0)
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        assert summary.get_default_writer() is writer
        summary.scalar("loss", 0.5, step=1)
        summary.histogram("h", [1.0, 2.0, 3.0], step=1)
    assert summary.get_default_writer() is None
    writer.close()
    acc = _load(tmp_path)
    assert [e.value for e in acc.Scalars("loss")] == [0.5]
    assert acc.Histograms("h")[0].histogram_value.num == 3


def test_flush_makes_events_visible_before_close(tmp_path):
    writer = summary.FileWriter(tmp_path)
    writer.scalar("x", 3.0, step=0)
    writer.flush()
    assert [e.value for e in _load(tmp_path).Scalars("x")] == [3.0]
    writer.close()
    writer.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        writer.scalar("x", 1.0, step=1)


def test_bad_values_give_clear_errors(tmp_path):
    with summary.FileWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match="single value"):
            writer.scalar("s", np.ones(3), step=0)
        with pytest.raises(ValueError, match="NaN or inf"):
            writer.histogram("h", np.array([1.0, np.nan]), step=0)
        with pytest.raises(ValueError, match="HxWxC"):
            writer.image("i", np.zeros((4, 4, 7)), step=0)
        with pytest.raises(ValueError, match=r"\[0, 255\]"):
            writer.image("i", np.full((2, 2), 300, dtype=np.int32), step=0)
        with pytest.raises(ValueError, match="step"):
            writer.scalar("s", 1.0, step=1.5)
    assert len(os.listdir(tmp_path)) == 1


def test_summary_and_viz_do_not_import_tensorflow():
    code = ("import sys, minitf.summary, minitf.viz; "
            "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert result.returncode == 0, result.stderr
