"""Reading real TF1 checkpoints with minitf.train (TensorFlow only writes them).

Checkpoints are written by ``tf.compat.v1.train.Saver`` in graph mode and read
back with minitf's TF-free reader; names, shapes, dtypes and values must match
TF's own reader exactly. ``init_from_checkpoint`` is compared with TF's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

from minitf.checkpoint import tf_bundle
from minitf.checkpoint.sstable import CorruptTableError
from minitf.train import (
    CheckpointReader,
    Saver,
    TFCheckpointReader,
    init_from_checkpoint,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
)


@pytest.fixture(scope="module")
def tf1():
    import tensorflow.compat.v1 as tf1

    tf1.disable_v2_behavior()
    return tf1


def _save_graph(tf1, graph, prefix, global_step=None):
    """Initializes ``graph``'s variables, saves them, returns {name: value}."""
    with graph.as_default():
        saver = tf1.train.Saver()
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            path = saver.save(sess, prefix, global_step=global_step)
            values = {v.op.name: sess.run(v) for v in tf1.global_variables()}
    return path, values


_RNG = np.random.default_rng(1234)
_CONSTANTS = {
    "f32": _RNG.standard_normal((3, 4)).astype(np.float32),
    "f16": _RNG.standard_normal(5).astype(np.float16),
    "f64": _RNG.standard_normal((2, 2)),
    "bf16": _RNG.standard_normal((4, 3)).astype(ml_dtypes.bfloat16),
    "i8": np.array([-128, 0, 127], np.int8),
    "i16": np.array([[-30000, 5], [7, 30000]], np.int16),
    "i32": np.array([-(2**31), 2**31 - 1], np.int32),
    "i64": np.array([-(2**62), 3, 2**62 + 1], np.int64),
    "u8": np.array([0, 200, 255], np.uint8),
    "flag": np.array([[True, False, True], [False, False, True]]),
    "scalar_f": np.float32(2.5),
    "scalar_i": np.int64(-7),
}
_EXTRA = {
    "u16": np.array([0, 65535], np.uint16),
    "u32": np.array([0, 2**32 - 1], np.uint32),
    "u64": np.array([0, 2**64 - 1], np.uint64),
    "c64": np.array([1 + 2j, -3.5j], np.complex64),
    "c128": np.array([[1e300 - 1j]], np.complex128),
}
_STRINGS = np.array([b"ab", b"", b"c\x00d\xff", b"x" * 300, bytes(range(256)) * 300], dtype=object)


@pytest.fixture(scope="module")
def dtype_ckpt(tf1, tmp_path_factory):
    """A checkpoint with every supported dtype, partitioned variables and strings."""
    graph = tf1.Graph()
    with graph.as_default():
        with tf1.variable_scope("model"):
            for name, value in _CONSTANTS.items():
                tf1.get_variable(name,
                                 initializer=tf1.constant(value, dtype=tf1.as_dtype(value.dtype)))
            with tf1.variable_scope("sub"):
                tf1.get_variable("rows", shape=[10, 4], partitioner=tf1.fixed_size_partitioner(3),
                                 initializer=tf1.random_normal_initializer(seed=1))
                tf1.get_variable("cols", shape=[4, 7], dtype=tf1.float64,
                                 partitioner=tf1.fixed_size_partitioner(2, axis=1),
                                 initializer=tf1.random_normal_initializer(
                                     seed=2, dtype=tf1.float64))
        with tf1.variable_scope("extra"):  # dtypes get_variable cannot assign on CPU
            for name, value in _EXTRA.items():
                tf1.Variable(tf1.constant(value, dtype=tf1.as_dtype(value.dtype)), name=name)
        tf1.Variable(_STRINGS, name="strings")
        tf1.train.get_or_create_global_step()
    prefix = str(tmp_path_factory.mktemp("dtypes") / "model.ckpt")
    path, _ = _save_graph(tf1, graph, prefix)
    return path


def test_list_variables_matches_tf(tf1, dtype_ckpt):
    ours = list_variables(dtype_ckpt)
    theirs = tf1.train.list_variables(dtype_ckpt)
    assert ours == [(n, list(s)) for n, s in theirs]
    assert ("model/sub/rows", [10, 4]) in ours  # partitioned: one full-size entry
    assert [n for n, _ in ours] == sorted(n for n, _ in ours)


def test_every_tensor_matches_tf_reader(tf1, dtype_ckpt):
    ours = load_checkpoint(dtype_ckpt)
    theirs = tf1.train.load_checkpoint(dtype_ckpt)
    assert isinstance(ours, TFCheckpointReader)
    tf_dtypes = theirs.get_variable_to_dtype_map()
    assert ours.get_variable_to_shape_map() == theirs.get_variable_to_shape_map()
    for name, dtype in ours.get_variable_to_dtype_map().items():
        want = theirs.get_tensor(name)
        got = ours.get_tensor(name)
        assert ours.has_tensor(name)
        if tf_dtypes[name] == tf1.string:
            assert dtype == np.dtype(object)
            assert got.tolist() == want.tolist()
            continue
        assert dtype == np.dtype(tf_dtypes[name].as_numpy_dtype), name
        assert got.dtype == dtype and got.shape == want.shape, name
        assert got.tobytes() == np.asarray(want, dtype=dtype).tobytes(), name  # bit-exact
    assert not ours.has_tensor("model/nope")


def test_values_match_what_was_written(dtype_ckpt):
    reader = load_checkpoint(dtype_ckpt)
    for name, value in _CONSTANTS.items():
        got = reader.get_tensor(f"model/{name}")
        assert got.dtype == value.dtype and got.shape == np.shape(value), name
        assert got.tobytes() == np.asarray(value).tobytes(), name
    for name, value in _EXTRA.items():
        got = reader.get_tensor(f"extra/{name}")
        assert got.dtype == value.dtype and got.tobytes() == value.tobytes(), name
    assert reader.get_tensor("strings").tolist() == _STRINGS.tolist()
    assert reader.get_tensor("global_step").dtype == np.int64


def test_partitioned_variables_are_reassembled(tf1, dtype_ckpt):
    """TF1 writes a partitioned variable as one full-name entry with `slices`
    (not as name/part_N keys); both axes of partitioning are put back."""
    reader = load_checkpoint(dtype_ckpt)
    assert not any("part_" in n for n in reader.get_variable_to_shape_map())
    entry = reader._entries["model/sub/rows"]
    assert len(entry.slices) == 3 and entry.size == 0
    theirs = tf1.train.load_checkpoint(dtype_ckpt)
    for name in ("model/sub/rows", "model/sub/cols"):
        np.testing.assert_array_equal(reader.get_tensor(name), theirs.get_tensor(name))


def test_directory_and_file_names_resolve(tf1, tmp_path):
    graph = tf1.Graph()
    with graph.as_default():
        w = tf1.get_variable("w", initializer=tf1.constant([1.0, 2.0]))
        new_value = tf1.placeholder(tf1.float32, [2])
        assign = tf1.assign(w, new_value)
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            saver = tf1.train.Saver(max_to_keep=2)
            for step in (10, 20, 30):
                sess.run(assign, {new_value: [step, step + 1.0]})
                saver.save(sess, str(tmp_path / "model"), global_step=step)
    assert latest_checkpoint(tmp_path) == tf1.train.latest_checkpoint(str(tmp_path))
    assert latest_checkpoint(tmp_path).endswith("model-30")
    np.testing.assert_array_equal(load_checkpoint(tmp_path).get_tensor("w"), [30.0, 31.0])
    for name in ("model-20", "model-20.index", "model-20.data-00000-of-00001"):
        np.testing.assert_array_equal(load_checkpoint(tmp_path / name).get_tensor("w"),
                                      [20.0, 21.0])
    with pytest.raises(FileNotFoundError, match="model-10"):  # deleted by max_to_keep
        load_checkpoint(tmp_path / "model-10")
    os.makedirs(tmp_path / "empty")
    assert latest_checkpoint(tmp_path / "empty") is None
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        load_checkpoint(tmp_path / "empty")


def test_checksums_are_verified(dtype_ckpt, tmp_path):
    prefix = str(tmp_path / "copy")
    for suffix in (".index", ".data-00000-of-00001"):
        shutil.copy(dtype_ckpt + suffix, prefix + suffix)
    reader = load_checkpoint(prefix)
    entry = reader._entries["model/f32"]
    with open(prefix + ".data-00000-of-00001", "r+b") as f:  # flip one bit of model/f32
        f.seek(entry.offset + 5)
        byte = f.read(1)
        f.seek(entry.offset + 5)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ValueError, match=r"checksum mismatch.*tensor .model/f32"):
        reader.get_tensor("model/f32")
    unverified = load_checkpoint(prefix, verify_checksums=False)
    assert not np.array_equal(unverified.get_tensor("model/f32"),

                              _CONSTANTS["f32"])
    reader.get_tensor("model/f64")  # other tensors are still fine

    index = bytearray(Path(prefix + ".index").read_bytes())
    index[20] ^= 0x40
    Path(prefix + ".index").write_bytes(bytes(index))
    with pytest.raises(CorruptTableError, match="checksum mismatch"):
        load_checkpoint(prefix)


def test_unsupported_dtypes_are_skipped_with_a_message(dtype_ckpt, monkeypatch):
    monkeypatch.delitem(tf_bundle._DTYPES, 19)  # pretend float16 were unsupported
    with pytest.warns(UserWarning, match=r"skipping 1 tensor.*model/f16 \(dtype enum 19"):
        reader = load_checkpoint(dtype_ckpt)
    assert "model/f16" not in reader.get_variable_to_shape_map()
    assert not reader.has_tensor("model/f16")
    with pytest.raises(ValueError, match=r"Cannot read tensor 'model/f16'.*not supported"):
        reader.get_tensor("model/f16")


def test_mlp_forward_matches_tensorflow(tf1, tmp_path):
    """A 2-layer MLP saved by TF1 gives the same outputs when run with jax.numpy."""
    x_val = np.random.default_rng(0).standard_normal((8, 5)).astype(np.float32)
    graph = tf1.Graph()
    with graph.as_default():
        tf1.set_random_seed(42)
        x = tf1.placeholder(tf1.float32, [None, 5])
        with tf1.variable_scope("mlp"):
            with tf1.variable_scope("layer1"):
                w1 = tf1.get_variable("W", [5, 16])
                b1 = tf1.get_variable("b", [16], initializer=tf1.random_normal_initializer())
            with tf1.variable_scope("layer2"):
                w2 = tf1.get_variable("W", [16, 3])
                b2 = tf1.get_variable("b", [3], initializer=tf1.random_normal_initializer())
        y = tf1.matmul(tf1.tanh(tf1.matmul(x, w1) + b1), w2) + b2
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            y_tf = sess.run(y, {x: x_val})
            prefix = tf1.train.Saver().save(sess, str(tmp_path / "mlp"))

    assert [n for n, _ in list_variables(prefix)] == [
        "mlp/layer1/W", "mlp/layer1/b", "mlp/layer2/W", "mlp/layer2/b"]
    p = init_from_checkpoint(prefix, {"mlp/": "mlp/"})
    h = jnp.tanh(x_val @ p["mlp/layer1/W"] + p["mlp/layer1/b"])
    y_jax = h @ p["mlp/layer2/W"] + p["mlp/layer2/b"]
    np.testing.assert_allclose(np.asarray(y_jax), y_tf, rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------
# init_from_checkpoint, compared with TF's own.


@pytest.fixture(scope="module")
def src_ckpt(tf1, tmp_path_factory):
    graph = tf1.Graph()
    with graph.as_default():
        tf1.set_random_seed(7)
        with tf1.variable_scope("old_scope_1"):
            tf1.get_variable("var1", [20, 2])
            tf1.get_variable("var2", [50, 4])
        with tf1.variable_scope("old_scope_2"):
            tf1.get_variable("var3", [100, 10], partitioner=tf1.fixed_size_partitioner(5))
            tf1.get_variable("var4", [6, 3])
        tf1.get_variable("var1", [20, 2])  # root level, same names as old_scope_1
        tf1.get_variable("var2", [50, 4])
        tf1.train.get_or_create_global_step()
    prefix = str(tmp_path_factory.mktemp("src") / "model.ckpt")
    return _save_graph(tf1, graph, prefix)[0]


# name -> (shape, partitions) of the variables of the "new" model.
_NEW_VARS = {
    "new_scope_1/var1": ([20, 2], None),
    "new_scope_1/var2": ([50, 4], None),
    "new_scope_2/var2": ([50, 4], None),
    "new_scope_2/var3": ([100, 10], 4),  # partitioned differently than in the checkpoint
    "new_scope_2/var4": ([6, 3], None),
    "new_scope_3/var1": ([20, 2], None),
    "new_scope_3/var2": ([50, 4], None),
}


def _tf_init(tf1, ckpt, assignment_map, new_vars):
    """Runs TF's init_from_checkpoint; returns {variable name: value}."""
    graph = tf1.Graph()
    with graph.as_default():
        for name, (shape, parts) in new_vars.items():
            scope, base = name.rsplit("/", 1)
            with tf1.variable_scope(scope):
                tf1.get_variable(base, shape, initializer=tf1.zeros_initializer(),
                                 partitioner=tf1.fixed_size_partitioner(parts) if parts else None)
        tf1.train.init_from_checkpoint(ckpt, assignment_map)
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            return {v.op.name: sess.run(v) for v in tf1.global_variables()}


def _template_for(new_vars):
    """Zeros named like TF's variables (partitioned ones as name/part_N)."""
    out = {}
    for name, (shape, parts) in new_vars.items():
        if not parts:
            out[name] = jnp.zeros(shape)
            continue
        for i in range(parts):
            rows = shape[0] // parts + (i < shape[0] % parts)
            out[f"{name}/part_{i}"] = jnp.zeros([rows, *shape[1:]])
    return out


@pytest.mark.parametrize("assignment_map,drop", [
    ({"old_scope_1/": "new_scope_1/"}, ()),
    ({"old_scope_1/var1": "new_scope_1/var1", "old_scope_1/var2": "new_scope_2/var2"}, ()),
    ({"/": "new_scope_3/"}, ()),
    ({"old_scope_2/var3": "new_scope_2/var3"}, ()),
    ({"old_scope_2/": "new_scope_2/", "old_scope_1/var1": "new_scope_1/var1"},
     ("new_scope_2/var2",)),
    ([("old_scope_1/var2", "new_scope_1/var2"), ("old_scope_1/var2", "new_scope_2/var2")], ()),
], ids=["scope", "names", "root", "partitioned", "scope+name", "pairs"])
def test_init_from_checkpoint_matches_tf(tf1, src_ckpt, assignment_map, drop):
    new_vars = {k: v for k, v in _NEW_VARS.items() if k not in drop}
    expected = _tf_init(tf1, src_ckpt, assignment_map, new_vars)
    template = _template_for(new_vars)
    assert sorted(template) == sorted(expected)
    got = init_from_checkpoint(src_ckpt, assignment_map, params=template)
    assert sorted(got) == sorted(expected)
    changed = set()
    for name, value in expected.items():
        np.testing.assert_array_equal(np.asarray(got[name]), value, err_msg=name)
        assert got[name].dtype == template[name].dtype
        if np.any(value != 0):
            changed.add(name)
    assert changed  # the case actually loaded something


def test_init_from_checkpoint_root_to_scope_and_back(tf1, src_ckpt):
    """'old_scope_1/': '/' loads a scope of the checkpoint into the root."""
    new_vars = {"var1": ([20, 2], None), "var2": ([50, 4], None)}
    graph = tf1.Graph()
    with graph.as_default():
        for name, (shape, _) in new_vars.items():
            tf1.get_variable(name, shape, initializer=tf1.zeros_initializer())
        tf1.train.init_from_checkpoint(src_ckpt, {"old_scope_1/": "/"})
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            expected = {v.op.name: sess.run(v) for v in tf1.global_variables()}
    got = init_from_checkpoint(src_ckpt, {"old_scope_1/": "/"},
                               params={n: jnp.zeros_like(v) for n, v in expected.items()})
    reader = load_checkpoint(src_ckpt)
    for name in new_vars:
        np.testing.assert_array_equal(np.asarray(got[name]), expected[name])
        np.testing.assert_array_equal(expected[name], reader.get_tensor(f"old_scope_1/{name}"))


def _tf_error(tf1, ckpt, assignment_map, new_vars):
    with pytest.raises(ValueError) as info:
        _tf_init(tf1, ckpt, assignment_map, new_vars)
    return str(info.value)


@pytest.mark.parametrize("assignment_map,upto", [
    ({"nope/w": "new_scope_1/var1"}, " checkpoint "),  # TF then prints its variable map
    ({"old_missing/": "new_scope_1/"}, None),
    ({"old_scope_1/var1": "new_scope_1/"}, None),
    ({"old_scope_1/var1": "new_scope_1/var2"}, None),  # shape mismatch
], ids=["missing-tensor", "missing-scope", "scope-only", "shape"])
def test_init_from_checkpoint_errors_match_tf(tf1, src_ckpt, assignment_map, upto):
    tf_msg = _tf_error(tf1, src_ckpt, assignment_map, _NEW_VARS).replace(":0", "")
    with pytest.raises(ValueError) as info:
        init_from_checkpoint(src_ckpt, assignment_map, params=_template_for(_NEW_VARS))
    ours = str(info.value)
    if upto:
        tf_msg, ours = tf_msg[:tf_msg.index(upto)], ours[:ours.index(upto)]
    assert ours == tf_msg


def test_init_from_checkpoint_refuses_dtype_change(src_ckpt):
    template = {"new_scope_1/var1": jnp.zeros((20, 2), jnp.bfloat16)}
    with pytest.raises(ValueError, match=r"Dtype of variable new_scope_1/var1 \(bfloat16\) "
                                         r"doesn't match with dtype of tensor old_scope_1/var1 "
                                         r"\(float32\)"):

        init_from_checkpoint(src_ckpt, {"old_scope_1/var1": "new_scope_1/var1"}, params=template)


def test_init_from_checkpoint_without_template(src_ckpt):
    reader = load_checkpoint(src_ckpt)
    got = init_from_checkpoint(os.path.dirname(src_ckpt),
                               {"old_scope_2/": "enc/", "var1": "root_w"})
    assert sorted(got) == ["enc/var3", "enc/var4", "root_w"]
    np.testing.assert_array_equal(got["enc/var3"], reader.get_tensor("old_scope_2/var3"))
    np.testing.assert_array_equal(got["root_w"], reader.get_tensor("var1"))
    everything = init_from_checkpoint(src_ckpt, {"/": "m/"})
    assert "m/global_step" not in everything and "m/old_scope_1/var1" in everything
    with pytest.raises(ValueError, match="Assignment map with scope only name"):
        init_from_checkpoint(src_ckpt, {"var1": "new/"})
    with pytest.raises(ValueError, match="No tensor under scope nope/"):
        init_from_checkpoint(src_ckpt, {"nope/": "new/"})


def test_global_step_is_available_but_not_required(src_ckpt):
    reader = load_checkpoint(src_ckpt)
    assert reader.get_tensor("global_step").dtype == np.int64
    got = init_from_checkpoint(src_ckpt, {"old_scope_1/var1": "w"})
    assert list(got) == ["w"]


# ----------------------------------------------------------------------------
# One entry point for minitf's own checkpoints too.


def test_entry_points_read_minitf_checkpoints(tf1, tmp_path):
    params = {"enc/w": jnp.arange(6.0).reshape(2, 3), "enc/b": jnp.ones(3, jnp.bfloat16),
              "step": jnp.asarray(3, jnp.int32)}
    prefix = Saver().save(params, str(tmp_path / "model"), global_step=3)
    assert isinstance(load_checkpoint(tmp_path), CheckpointReader)
    assert list_variables(tmp_path) == [("enc/b", [3]), ("enc/w", [2, 3]), ("step", [])]
    got = init_from_checkpoint(prefix, {"enc/": "dec/"})
    assert sorted(got) == ["dec/b", "dec/w"]
    assert got["dec/b"].dtype == jnp.bfloat16
    np.testing.assert_array_equal(got["dec/w"], params["enc/w"])
    # TF itself parses the state file we write.
    state = tf1.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == prefix  # TF makes relative paths absolute
    assert list(state.all_model_checkpoint_paths) == [prefix]
    assert (tmp_path / "checkpoint").read_text().startswith('model_checkpoint_path: "model-3"\n')
