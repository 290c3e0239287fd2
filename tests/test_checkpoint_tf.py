"""Both directions against real TensorFlow: TF reads and restores what minitf's
Saver / write_bundle write (bfloat16, partitioned variables, several data
shards), minitf restores what TF1's tf.train.Saver writes, and the state file
means the same to both."""

from __future__ import annotations

import os
from pathlib import Path

import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

from minitf.checkpoint import (
    Sliced,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
    write_bundle,
)
from minitf.train import Saver, load_checkpoint


@pytest.fixture(scope="module")
def tf1():
    import tensorflow.compat.v1 as tf1

    tf1.disable_v2_behavior()
    return tf1


def _params():
    rng = np.random.default_rng(0)
    return {
        "dense/kernel": jnp.asarray(rng.standard_normal((5, 4)), jnp.float32),
        "dense/bias": jnp.asarray([1.5, -2.25, 3.0, 0.0078125], jnp.bfloat16),
        "emb/w/part_0": jnp.asarray(rng.standard_normal((4, 3)), jnp.float32),  # 10 rows, 3 parts
        "emb/w/part_1": jnp.asarray(rng.standard_normal((3, 3)), jnp.float32),
        "emb/w/part_2": jnp.asarray(rng.standard_normal((3, 3)), jnp.float32),
        "cols/part_0": jnp.asarray(rng.standard_normal((2, 4)), jnp.float32),  # axis 1
        "cols/part_1": jnp.asarray(rng.standard_normal((2, 3)), jnp.float32),
        "count": jnp.asarray(7, jnp.int32),
        "half": jnp.asarray([65504.0, -1e-4], jnp.float16),
        "mask": jnp.asarray([True, False]),
    }


def _full(params):
    return {**{k: np.asarray(v) for k, v in params.items() if "/part_" not in k},
            "emb/w": np.concatenate([np.asarray(params[f"emb/w/part_{i}"]) for i in range(3)], 0),
            "cols": np.concatenate([np.asarray(params[f"cols/part_{i}"]) for i in range(2)], 1)}


def _tf_graph(tf1, full):
    """A TF1 graph with the same variables (partitioned where ours are)."""
    graph = tf1.Graph()
    with graph.as_default():
        for name, value in full.items():
            if name == "emb/w":
                tf1.get_variable(name, shape=[10, 3], partitioner=tf1.fixed_size_partitioner(3),
                                 initializer=tf1.zeros_initializer())
            elif name == "cols":
                tf1.get_variable(name, shape=[2, 7],
                                 partitioner=tf1.fixed_size_partitioner(2, axis=1),
                                 initializer=tf1.zeros_initializer())
            else:
                tf1.get_variable(name, shape=value.shape, dtype=tf1.as_dtype(value.dtype),
                                 initializer=tf1.zeros_initializer())
    return graph


@pytest.mark.parametrize("num_shards", [1, 3])
def test_tf_restores_what_minitf_saves(tf1, tmp_path, num_shards):
    params = _params()
    full = _full(params)
    prefix = Saver(num_shards=num_shards).save(params, str(tmp_path / "model"), global_step=5)
    assert sum(".data-" in f for f in os.listdir(tmp_path)) == num_shards
    reader = tf1.train.load_checkpoint(prefix)
    assert reader.get_variable_to_shape_map() == {k: list(v.shape) for k, v in full.items()}
    assert reader.get_variable_to_dtype_map()["dense/bias"] == tf1.bfloat16
    for name, value in full.items():
        got = reader.get_tensor(name)
        assert got.dtype == value.dtype and got.tobytes() == value.tobytes(), name
    # TF1 Saver.restore into a graph with the same names (partitioned variables too).
    graph = _tf_graph(tf1, full)
    with graph.as_default(), tf1.Session(graph=graph) as sess:
        tf1.train.Saver().restore(sess, tf1.train.latest_checkpoint(str(tmp_path)))
        for var in tf1.global_variables():
            name = var.op.name
            want = np.asarray(params[name])
            assert sess.run(var).tobytes() == want.tobytes(), name


def test_minitf_restores_what_tf_saves_sharded(tf1, tmp_path):
    """TF's sharded Saver over two CPU devices: 2 data files, merged index."""
    full = _full(_params())
    graph = tf1.Graph()
    with graph.as_default():
        variables = {}
        for i, (name, value) in enumerate(sorted(full.items())):
            with tf1.device(f"/cpu:{i % 2}"):
                kwargs = {}
                if name == "emb/w":
                    kwargs["partitioner"] = tf1.fixed_size_partitioner(3)
                elif name == "cols":
                    kwargs["partitioner"] = tf1.fixed_size_partitioner(2, axis=1)
                variables[name] = tf1.get_variable(name, initializer=tf1.constant(value), **kwargs)
        saver = tf1.train.Saver(sharded=True)
    config = tf1.ConfigProto(device_count={"CPU": 2})
    with tf1.Session(graph=graph, config=config) as sess:
        sess.run(tf1.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "tfmodel"), global_step=9)
    assert sorted(f for f in os.listdir(tmp_path) if ".data-" in f) == [
        "tfmodel-9.data-00000-of-00002", "tfmodel-9.data-00001-of-00002"]
    assert latest_checkpoint(tmp_path) == prefix
    reader = load_checkpoint(tmp_path)
    for name, value in full.items():
        got = reader.get_tensor(name)
        assert got.dtype == value.dtype and got.tobytes() == value.tobytes(), name
    restored = Saver().restore(prefix)
    params = _params()
    assert sorted(restored) == sorted(params)  # partitioned tensors come back as their parts
    for name, value in params.items():
        assert restored[name].dtype == value.dtype
        np.testing.assert_array_equal(np.asarray(restored[name]), np.asarray(value))
    whole = Saver().restore(prefix,
                            {**full, "emb/w": jnp.zeros((10, 3)), "cols": jnp.zeros((2, 7))})
    np.testing.assert_array_equal(np.asarray(whole["emb/w"]), full["emb/w"])
    # Other partitionings of the template are cut from the full tensor.
    other = {k: v for k, v in params.items() if not k.startswith("emb/w/")}
    other.update({"emb/w/part_0": jnp.zeros((5, 3)), "emb/w/part_1": jnp.zeros((5, 3))})
    np.testing.assert_array_equal(np.asarray(Saver().restore(prefix, other)["emb/w/part_1"]),
                                  full["emb/w"][5:])


def test_write_bundle_and_tf_reader_agree(tf1, tmp_path):
    rng = np.random.default_rng(1)
    tensors = {
        f"t{i:03d}/{'long_name_' * 3}": rng.standard_normal(i % 5 + 1).astype(np.float32)
        for i in range(400)  # several index blocks
    }
    tensors.update({
        "bf16": np.asarray([[1.0, -2.5]], ml_dtypes.bfloat16),
        "u64": np.asarray([2**64 - 1], np.uint64),
        "c128": np.asarray([1 + 2j], np.complex128),
        "empty": np.zeros((0, 4), np.float32),
        "scalar": np.asarray(3.5, np.float64),
        "sliced": Sliced((4, 2), [((0, 0), np.ones((3, 2), np.int8)),
                                  ((3, 0), np.full((1, 2), 2, np.int8))]),
    })
    files = write_bundle(str(tmp_path / "b"), tensors, num_shards=2)
    assert [os.path.basename(f) for f in files] == ["b.data-00000-of-00002",
                                                    "b.data-00001-of-00002",
                                                    "b.index"]
    reader = tf1.train.load_checkpoint(str(tmp_path / "b"))
    ours = load_checkpoint(str(tmp_path / "b"))
    assert reader.get_variable_to_shape_map() == ours.get_variable_to_shape_map()
    for name in tensors:
        a, b = reader.get_tensor(name), ours.get_tensor(name)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name
    assert reader.get_tensor("sliced").tolist() == [[1, 1], [1, 1], [1, 1], [2, 2]]


def test_state_file_means_the_same_to_tf(tf1, tmp_path):
    d = str(tmp_path)
    for step in (1, 2):
        write_bundle(os.path.join(d, f"m-{step}"), {"w": np.ones(1, np.float32)})
    # Ours, read by TF.
    update_checkpoint_state(d, os.path.join(d, "m-2"), [os.path.join(d, "m-1")])
    tf_state = tf1.train.get_checkpoint_state(d)
    ours = get_checkpoint_state(d)
    assert tf_state.model_checkpoint_path == ours.model_checkpoint_path == os.path.join(d, "m-2")
    assert list(tf_state.all_model_checkpoint_paths) == ours.all_model_checkpoint_paths == [
        os.path.join(d, "m-1"), os.path.join(d, "m-2")]
    assert tf1.train.latest_checkpoint(d) == latest_checkpoint(d)
    # Same text as TF's for the same call (relative save_dir: relative paths;
    # the newest path appended when it is not last).
    cwd = os.getcwd()
    os.chdir(d)
    try:
        for args in (("m-1", ["m-2", "m-1"]), ("m-1", ["m-2"]), ("m-2", None)):
            tf1.train.update_checkpoint_state(".", *args)
            text_tf = Path("checkpoint").read_text()
            update_checkpoint_state(".", *args)
            assert Path("checkpoint").read_text() == text_tf, args
    finally:
        os.chdir(cwd)
    update_checkpoint_state(d, "m-1", ["m-2"])
    assert latest_checkpoint(d) == os.path.join(d, "m-1")
    with pytest.raises(RuntimeError, match="conflicts with path used for checkpoint state"):
        update_checkpoint_state(d, os.path.join(d, "checkpoint"))


def test_one_part_partition_is_saved_whole_as_tf_does(tf1, tmp_path):
    """TF1 saves a variable with a 1-way partitioner as a plain entry."""
    graph = tf1.Graph()
    with graph.as_default():
        v = tf1.get_variable("x", [4, 3], partitioner=tf1.fixed_size_partitioner(1),
                             initializer=tf1.ones_initializer())
        saver = tf1.train.Saver()
    with tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        tf_prefix = saver.save(sess, str(tmp_path / "tf"))
    assert load_checkpoint(tf_prefix).get_slices("x") == []
    template = {"x/part_0": jnp.zeros((4, 3))}
    assert np.asarray(Saver().restore(tf_prefix, template)["x/part_0"]).tolist() == [[1.0] * 3] * 4
    ours = Saver().save({"x/part_0": jnp.full((4, 3), 2.0)}, str(tmp_path / "ours"))
    assert load_checkpoint(ours).get_slices("x") == []
    with graph.as_default(), tf1.Session(graph=graph) as sess:
        saver.restore(sess, ours)
        assert sess.run(v.as_tensor()).tolist() == [[2.0] * 3] * 4
