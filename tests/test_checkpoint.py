"""minitf.train.Saver: round trips, naming, retention, errors, crash safety."""

from __future__ import annotations

import io
import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import zipfile

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

from minitf.train import CheckpointFormatError, Saver, latest_checkpoint, load_checkpoint
from minitf.checkpoint import saver as ckpt_module

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _params():
    return {
        "dense/kernel": jnp.arange(12, dtype=jnp.float32).reshape(3, 4) / 7,
        "dense/bias": jnp.asarray([1.5, -2.25, 3.0], jnp.bfloat16),
        "embed/ids": jnp.asarray([[1, -2], [2**31 - 1, -(2**31)]], jnp.int32),
        "mask": jnp.asarray([True, False, True]),
        "scale": jnp.asarray(0.5, jnp.float32),
        "count": jnp.asarray(7, jnp.int32),
        "half": jnp.asarray([65504.0, -1e-4], jnp.float16),
        "bytes": jnp.asarray([0, 255], jnp.uint8),
    }


def _assert_same(got, want):
    assert sorted(got) == sorted(want)
    for name, value in want.items():
        assert isinstance(got[name], jax.Array), name
        assert got[name].dtype == value.dtype and got[name].shape == value.shape, name
        assert np.asarray(got[name]).tobytes() == np.asarray(value).tobytes(), name


def test_round_trip_all_dtypes(tmp_path):
    params = _params()
    saver = Saver()
    prefix = saver.save(params, str(tmp_path / "model"))
    assert prefix == str(tmp_path / "model")
    _assert_same(saver.restore(prefix), params)
    _assert_same(saver.restore(prefix, params=params), params)
    _assert_same(saver.restore(tmp_path), params)  # a directory means its latest
    assert saver.restore(prefix)["scale"].shape == ()
    reader = load_checkpoint(prefix)
    assert reader.get_variable_to_dtype_map()["dense/bias"] == np.dtype(ml_dtypes.bfloat16)
    assert reader.get_tensor("dense/bias").tolist() == [1.5, -2.25, 3.0]


def test_numpy_values_and_sharding_of_template(tmp_path):
    params = {"w": np.ones((2, 2), np.float32), "s": np.float32(3)}
    prefix = Saver().save(params, str(tmp_path / "np"))
    template = {"w": jnp.zeros((2, 2)), "s": jnp.zeros(())}
    out = Saver().restore(prefix, params=template)
    assert out["w"].sharding == template["w"].sharding
    np.testing.assert_array_equal(out["s"], 3)


def test_global_step_naming_and_state_file(tmp_path):
    saver = Saver()
    base = str(tmp_path / "ckpts" / "model")  # the directory is created
    assert saver.save(_params(), base, global_step=100) == base + "-100"
    assert saver.save(_params(), base, global_step=jnp.asarray(200)) == base + "-200"
    assert os.path.isfile(base + "-100.npz") and os.path.isfile(base + "-200.npz")
    assert latest_checkpoint(tmp_path / "ckpts") == base + "-200"
    assert (tmp_path / "ckpts" / "checkpoint").read_text() == (
        'model_checkpoint_path: "model-200"\n'
        'all_model_checkpoint_paths: "model-100"\n'
        'all_model_checkpoint_paths: "model-200"\n')
    assert latest_checkpoint(tmp_path) is None  # no state file there
    assert [f for f in os.listdir(tmp_path / "ckpts") if f.endswith(".tmp")] == []


def test_max_to_keep(tmp_path):
    saver = Saver(max_to_keep=2)
    for step in range(5):
        saver.save(_params(), str(tmp_path / "model"), global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-3.npz", "model-4.npz"]
    assert saver.last_checkpoints == [str(tmp_path / "model-3"), str(tmp_path / "model-4")]
    # A new Saver (e.g. after a restart) continues from the state file.
    Saver(max_to_keep=2).save(_params(), str(tmp_path / "model"), global_step=5)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-4.npz", "model-5.npz"]
    # Re-saving the same step does not count twice.
    keep_all = Saver(max_to_keep=None)
    for step in (5, 6, 6, 7):
        keep_all.save(_params(), str(tmp_path / "model"), global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"] + [f"model-{i}.npz" for i in (4, 5, 6, 7)]
    assert ckpt_module.read_state(str(tmp_path))[1] == ["model-4", "model-5", "model-6", "model-7"]


def test_var_list_selects_and_renames(tmp_path):
    params = _params()
    prefix = Saver(var_list=["mask", "scale"]).save(params, str(tmp_path / "sub"))
    assert sorted(load_checkpoint(prefix).get_variable_to_shape_map()) == ["mask", "scale"]
    renamed = Saver(var_list={"old/w": "dense/kernel", "old/b": "dense/bias"})
    prefix = renamed.save(params, str(tmp_path / "ren"))
    assert sorted(load_checkpoint(prefix).get_variable_to_shape_map()) == ["old/b", "old/w"]
    out = renamed.restore(prefix, params=params)  # only the var_list names are checked
    _assert_same(out, {"dense/kernel": params["dense/kernel"], "dense/bias": params["dense/bias"]})
    with pytest.raises(KeyError, match=r"\['nope'\]"):
        Saver(var_list=["nope", "mask"]).save(params, str(tmp_path / "x"))
    with pytest.raises(ValueError, match=r"lacks names in var_list: \['dense/kernel'\]"):
        Saver(var_list=["dense/kernel"]).restore(str(tmp_path / "sub"))
    with pytest.raises(TypeError, match="var_list must be"):
        Saver(var_list="mask")
    with pytest.raises(ValueError, match="needs a file prefix"):
        Saver().save(params, str(tmp_path))


def test_restore_mismatch_lists_every_problem(tmp_path):
    saver = Saver()
    prefix = saver.save({"a": jnp.zeros((2, 3)), "b": jnp.zeros(4, jnp.int32), "c": jnp.zeros(()),
                         "z": jnp.zeros(1), "y": jnp.zeros(1)}, str(tmp_path / "m"))
    template = {"a": jnp.zeros((3, 2)), "b": jnp.zeros(4, jnp.float32), "c": jnp.zeros(()),
                "x2": jnp.zeros(1), "x1": jnp.zeros(1)}
    with pytest.raises(ValueError) as info:
        saver.restore(prefix, params=template)
    assert str(info.value) == (
        f"Checkpoint {prefix} does not match the given params:\n"
        "  missing (in params, not in checkpoint): ['x1', 'x2']\n"
        "  unexpected (in checkpoint, not in params): ['y', 'z']\n"
        "  mismatched (shape or dtype):\n"
        "    a: checkpoint has float32[2, 3], params have float32[3, 2]\n"
        "    b: checkpoint has int32[4], params have float32[4]\n"
        "Restore without params to get the checkpoint as-is, or pass "
        "Saver(var_list=...) to select or rename entries.")


def test_restore_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="No minitf checkpoint at"):
        Saver().restore(str(tmp_path / "nothing"))
    with pytest.raises(FileNotFoundError, match="No checkpoint found in directory"):
        Saver().restore(tmp_path)
    (tmp_path / "tf.index").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="TensorFlow checkpoint: use minitf.train.init_from"):
        Saver().restore(str(tmp_path / "tf"))
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(CheckpointFormatError, match="not a readable minitf checkpoint"):
        Saver().restore(str(tmp_path / "bad"))
    np.savez(tmp_path / "plain.npz", w=np.ones(2))
    with pytest.raises(CheckpointFormatError, match="no minitf header"):
        Saver().restore(str(tmp_path / "plain"))


def test_64bit_values_need_x64_instead_of_silent_cast(tmp_path):
    prefix = Saver().save({"i": np.arange(3, dtype=np.int64)}, str(tmp_path / "m"))
    assert load_checkpoint(prefix).get_tensor("i").dtype == np.int64
    if not jax.config.jax_enable_x64:
        with pytest.raises(ValueError, match="jax_enable_x64"):
            Saver().restore(prefix)


# ----------------------------------------------------------------------------
# Failures leave the previous checkpoint intact.


def _snapshot(directory):
    return {f: open(os.path.join(directory, f), "rb").read() for f in sorted(os.listdir(directory))}


def test_non_array_value_fails_before_writing(tmp_path):
    saver = Saver()
    saver.save(_params(), str(tmp_path / "model"), global_step=1)
    before = _snapshot(tmp_path)
    for bad, match in [("a string", "it is a str, not an array"),
                       ([1.0, 2.0], "it is a list, not an array"),
                       (np.array(["x"]), "dtype <U1 is not supported"),
                       (np.array([object()]), "dtype object is not supported")]:
        with pytest.raises(TypeError, match=f"Cannot checkpoint 'bad': {match}"):
            saver.save({**_params(), "bad": bad}, str(tmp_path / "model"), global_step=2)
    assert _snapshot(tmp_path) == before
    _assert_same(saver.restore(tmp_path), _params())


def test_unwritable_target_fails_cleanly(tmp_path):
    saver = Saver()
    saver.save(_params(), str(tmp_path / "model"), global_step=1)
    before = _snapshot(tmp_path)
    (tmp_path / "afile").write_text("not a directory")
    with pytest.raises(OSError, match="Could not save checkpoint .*afile/model-2"):
        saver.save(_params(), str(tmp_path / "afile" / "model"), global_step=2)
    before["afile"] = b"not a directory"
    assert _snapshot(tmp_path) == before
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model-1")


@pytest.mark.parametrize("fail_at", ["data", "state"])
def test_failure_mid_write_leaves_previous(tmp_path, monkeypatch, fail_at):
    saver = Saver(max_to_keep=1)
    saver.save(_params(), str(tmp_path / "model"), global_step=1)
    before = _snapshot(tmp_path)
    real_savez = np.savez
    real_write_state = ckpt_module._write_state

    def broken_savez(f, **members):  # half a file, then the disk fills up
        buf = io.BytesIO()
        real_savez(buf, **members)
        f.write(buf.getvalue()[: len(buf.getvalue()) // 2])
        raise OSError(28, "No space left on device")

    def broken_state(*args):
        raise OSError(28, "No space left on device")

    if fail_at == "data":
        monkeypatch.setattr(np, "savez", broken_savez)
    else:
        monkeypatch.setattr(ckpt_module, "_write_state", broken_state)
    with pytest.raises(OSError, match="No space left on device.*previous checkpoint is unchanged"):
        saver.save({k: v + 1 for k, v in _params().items() if v.dtype != jnp.bool_},
                   str(tmp_path / "model"), global_step=2)
    monkeypatch.setattr(np, "savez", real_savez)
    monkeypatch.setattr(ckpt_module, "_write_state", real_write_state)
    after = _snapshot(tmp_path)
    if fail_at == "state":  # the new data file may exist, but nothing points to it
        after.pop("model-2.npz")
    assert after == before
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model-1")
    _assert_same(saver.restore(tmp_path), _params())


# ----------------------------------------------------------------------------
# No pickle, ever.


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_pickled_content_is_refused(tmp_path):
    marker = str(tmp_path / "pwned")
    header = np.array([_Evil(marker)], dtype=object)
    with zipfile.ZipFile(tmp_path / "obj.npz", "w") as z:  # an object-array header
        buf = io.BytesIO()
        np.save(buf, header, allow_pickle=True)
        z.writestr(ckpt_module._HEADER_KEY + ".npy", buf.getvalue())
    with pytest.raises(CheckpointFormatError, match="refusing to load pickled data"):
        Saver().restore(str(tmp_path / "obj"))
    with pytest.raises(CheckpointFormatError, match="refusing to load pickled data"):
        load_checkpoint(str(tmp_path / "obj"))

    (tmp_path / "raw.npz").write_bytes(pickle.dumps(_Evil(marker)))  # a bare pickle
    with pytest.raises(CheckpointFormatError, match="pickled data"):
        Saver().restore(str(tmp_path / "raw"))

    # A valid header whose data member is an object array is refused too.
    prefix = Saver().save({"w": np.ones(2, np.float32)}, str(tmp_path / "ok"))
    with zipfile.ZipFile(prefix + ".npz", "a") as z:
        buf = io.BytesIO()
        np.save(buf, np.array([_Evil(marker)], dtype=object), allow_pickle=True)
        z.writestr("t0.npy", buf.getvalue())  # shadows the real member
    with pytest.raises(CheckpointFormatError, match="refusing to load pickled data for 'w'"):
        Saver().restore(prefix)
    assert not os.path.exists(marker)


def test_header_dtypes_are_allow_listed(tmp_path):
    prefix = Saver().save({"w": np.ones(2, np.float32)}, str(tmp_path / "m"))
    with np.load(prefix + ".npz") as z:
        members = {k: z[k] for k in z.files}
    header = members[ckpt_module._HEADER_KEY].tobytes().replace(b'"float32"', b'"object"')
    members[ckpt_module._HEADER_KEY] = np.frombuffer(header, np.uint8)
    np.savez(prefix + ".npz", **members)
    with pytest.raises(CheckpointFormatError, match="disallowed dtype 'object'"):
        Saver().restore(prefix)


# ----------------------------------------------------------------------------
# Crash safety: SIGKILL a writer at random moments and at every step of a save.

_WRITER = textwrap.dedent("""
    import importlib.util, os, signal, sys
    import numpy as np
    # Load checkpoint.py on its own: it needs only numpy, and skipping the
    # package import (jax) keeps each writer start fast.
    spec = importlib.util.spec_from_file_location("ckpt", sys.argv[1])
    ckpt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ckpt)
    directory, step, kill_at, mode = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    calls = {"replace": 0, "fsync": 0}

    def die_at(kind, real):
        def wrapped(*args):
            calls[kind] += 1
            if kill_at == f"{kind}:{calls[kind]}:before":
                os.kill(os.getpid(), signal.SIGKILL)
            out = real(*args)
            if kill_at == f"{kind}:{calls[kind]}:after":
                os.kill(os.getpid(), signal.SIGKILL)
            return out
        return wrapped

    os.replace = die_at("replace", os.replace)
    os.fsync = die_at("fsync", os.fsync)
    saver = ckpt.Saver(max_to_keep=2)
    params = {f"layer{i}/w": np.zeros((512, 1024), np.float32) for i in range(8)}
    print("ready", flush=True)
    for _ in range(4 if kill_at != "never" else 10**9):  # a phase kill must hit by save 2
        step += 1
        for value in params.values():
            value.fill(step)
        # "steps": model-<step> files; "same": one prefix overwritten each time.
        saver.save(params, os.path.join(directory, "model"),
                   global_step=step if mode == "steps" else None)
""")


def _check_consistent(directory):
    """latest + every listed checkpoint is complete and holds one step's values
    (every element equals the step); returns the latest step."""
    latest = latest_checkpoint(directory)
    if latest is None:
        return 0
    _, listed = ckpt_module.read_state(directory)
    steps = {}
    for prefix in [latest] + [os.path.join(directory, p) for p in listed]:
        if not os.path.exists(prefix + ".npz"):
            assert prefix != latest
            continue  # an older one deleted after the state was written: fine
        values = Saver().restore(prefix)
        assert sorted(values) == [f"layer{i}/w" for i in range(8)]
        step = float(values["layer0/w"][0, 0])
        if "-" in os.path.basename(prefix):
            assert step == int(prefix.rsplit("-", 1)[1])
        for value in values.values():
            assert value.shape == (512, 1024) and value.dtype == jnp.float32
            assert bool((value == step).all()), f"{prefix} holds a mix of steps"
        steps[prefix] = int(step)
    return steps[latest]


def _run_writer(script, directory, step, kill_at, delay, mode="steps"):
    proc = subprocess.Popen(
        [sys.executable, script, ckpt_module.__file__, directory, str(step), kill_at, mode],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        if delay is not None:
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"writer exited with {proc.returncode}"


@pytest.fixture
def writer_script(tmp_path):
    script = str(tmp_path / "writer.py")
    with open(script, "w") as f:
        f.write(_WRITER)
    return script


def test_kill_at_each_step_of_a_save(tmp_path, writer_script):
    """Kills save 2 of a writer right before/after each fsync and rename."""
    directory = str(tmp_path / "ckpts")
    os.makedirs(directory)
    step = 0
    # A save is: fsync data file, rename it, fsync dir, fsync state file, rename
    # it, fsync dir; save 1 thus uses replace 1-2 and fsync 1-4, save 2 the next.
    # max_to_keep deletion comes after the state file rename.
    phases = ["fsync:5:before", "fsync:5:after", "replace:3:before", "replace:3:after",
              "replace:4:before", "replace:4:after", "fsync:7:before", "fsync:8:after"]
    for kill_at in phases:
        _run_writer(writer_script, directory, step, kill_at, delay=None)
        new_step = _check_consistent(directory)
        state_renamed = kill_at in ("replace:4:after", "fsync:8:after")
        assert new_step == step + 1 + state_renamed, (kill_at, step, new_step)
        step = new_step


@pytest.mark.parametrize("mode", ["steps", "same"])
def test_kill_at_random_moments(tmp_path, writer_script, mode):
    """SIGKILLs a busy save loop at random times; what is on disk is always a
    complete previous or new checkpoint. In "same" mode every save overwrites
    one prefix, so a non-atomic data write would be caught here."""
    directory = str(tmp_path / "ckpts")
    os.makedirs(directory)
    rng = random.Random(0 if mode == "steps" else 1)
    step = 0
    for _ in range(5):
        _run_writer(writer_script, directory, step, "never", delay=rng.uniform(0.05, 0.7), mode=mode)
        new_step = _check_consistent(directory)
        assert new_step >= step
        step = new_step
    assert step >= 1  # saves did complete between kills
    Saver().save({"w": np.ones(1, np.float32)}, os.path.join(directory, "model"), global_step=99)
    assert [f for f in os.listdir(directory) if f.endswith(".tmp")] == []  # stale temps removed
