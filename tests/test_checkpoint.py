"""minitf.train.Saver: round trips, naming, retention, errors, crash safety.

The format is TF's V2 bundle; TF interop is in test_checkpoint_tf.py, hostile
files and concurrent writers in tests/hardening/."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

from minitf.checkpoint import bundle_writer
from minitf.checkpoint import state as ckpt_state
from minitf.train import CorruptCheckpointError, Saver, latest_checkpoint, load_checkpoint

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
    for p in (base + "-100", base + "-200"):
        assert os.path.isfile(p + ".index") and os.path.isfile(p + ".data-00000-of-00001")
    assert latest_checkpoint(tmp_path / "ckpts") == base + "-200"
    assert (tmp_path / "ckpts" / "checkpoint").read_text() == (
        'model_checkpoint_path: "model-200"\n'
        'all_model_checkpoint_paths: "model-100"\n'
        'all_model_checkpoint_paths: "model-200"\n')
    assert latest_checkpoint(tmp_path) is None  # no state file there
    assert [f for f in os.listdir(tmp_path / "ckpts") if f.endswith(".tmp")] == []


def _ckpts(directory):
    """Sorted checkpoint prefixes (by their index files) in a directory."""
    return sorted(f[:-6] for f in os.listdir(directory) if f.endswith(".index"))


def _files(directory):
    return sorted(f for f in os.listdir(directory) if f != ".checkpoint.lock")


def test_max_to_keep(tmp_path):
    saver = Saver(max_to_keep=2)
    for step in range(5):
        saver.save(_params(), str(tmp_path / "model"), global_step=step)
    assert _files(tmp_path) == ["checkpoint", "model-3.data-00000-of-00001", "model-3.index",
                                "model-4.data-00000-of-00001", "model-4.index"]
    assert saver.last_checkpoints == [str(tmp_path / "model-3"), str(tmp_path / "model-4")]
    # A new Saver (e.g. after a restart) continues from the state file.
    Saver(max_to_keep=2).save(_params(), str(tmp_path / "model"), global_step=5)
    assert _ckpts(tmp_path) == ["model-4", "model-5"]
    # Re-saving the same step does not count twice.
    keep_all = Saver(max_to_keep=None)
    for step in (5, 6, 6, 7):
        keep_all.save(_params(), str(tmp_path / "model"), global_step=step)
    assert _ckpts(tmp_path) == [f"model-{i}" for i in (4, 5, 6, 7)]
    assert ckpt_state.read_state(str(tmp_path))[1] == ["model-4", "model-5", "model-6", "model-7"]


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
    with pytest.raises(FileNotFoundError,
                       match=r"No checkpoint at .*nothing.*expected .*nothing\.index"):
        Saver().restore(str(tmp_path / "nothing"))
    with pytest.raises(FileNotFoundError, match="No checkpoint found in directory"):
        Saver().restore(tmp_path)
    (tmp_path / "empty.index").write_bytes(b"")
    with pytest.raises(CorruptCheckpointError, match="too short"):
        Saver().restore(str(tmp_path / "empty"))
    np.savez(tmp_path / "old.npz", w=np.ones(2))  # the retired format
    with pytest.raises(FileNotFoundError,
                       match=re.escape("old minitf .npz checkpoint, a format no longer read")):
        Saver().restore(str(tmp_path / "old"))
    prefix = Saver().save({"w": np.ones(2, np.float32)}, str(tmp_path / "ok"))
    assert Saver().restore(prefix + ".index")["w"].shape == (2,)  # the index file name works too


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
    with pytest.raises(OSError, match=r"Could not save checkpoint .*afile/model-2"):
        saver.save(_params(), str(tmp_path / "afile" / "model"), global_step=2)
    before["afile"] = b"not a directory"
    assert _snapshot(tmp_path) == before
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model-1")


@pytest.mark.parametrize("fail_at", ["data", "state"])
def test_failure_mid_write_leaves_previous(tmp_path, monkeypatch, fail_at):
    saver = Saver(max_to_keep=1)
    saver.save(_params(), str(tmp_path / "model"), global_step=1)
    before = _snapshot(tmp_path)
    real_write = bundle_writer.TempFile.write

    def broken_write(self, data):  # half the data, then the disk fills up
        real_write(self, memoryview(data).cast("B")[: len(memoryview(data).cast("B")) // 2])
        raise OSError(28, "No space left on device")

    def broken_state(*args):
        raise OSError(28, "No space left on device")

    if fail_at == "data":
        monkeypatch.setattr(bundle_writer.TempFile, "write", broken_write)
    else:
        monkeypatch.setattr(ckpt_state, "write_state", broken_state)
    with pytest.raises(OSError,
                       match=r"No space left on device.*previous checkpoints are unchanged"):
        saver.save({k: v + 1 for k, v in _params().items() if v.dtype != jnp.bool_},
                   str(tmp_path / "model"), global_step=2)
    monkeypatch.undo()
    after = _snapshot(tmp_path)
    if fail_at == "state":  # the new files may exist, but nothing points to them
        after.pop("model-2.index")
        after.pop("model-2.data-00000-of-00001")
    assert after == before
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model-1")
    _assert_same(saver.restore(tmp_path), _params())
    # The next save sweeps what the failed one left: model-2 is adopted, then trimmed.
    saver.save(_params(), str(tmp_path / "model"), global_step=3)
    assert _ckpts(tmp_path) == ["model-3"]
    assert [f for f in _files(tmp_path) if f.endswith(".tmp")] == []


def test_overwriting_one_prefix_and_shard_count_changes(tmp_path):
    saver = Saver(num_shards=3)
    prefix = saver.save(_params(), str(tmp_path / "m"))
    assert sum(".data-" in f for f in os.listdir(tmp_path)) == 3
    Saver(num_shards=1).save({"w": np.ones(2, np.float32)}, prefix)  # same prefix, fewer shards
    assert _files(tmp_path) == ["checkpoint", "m.data-00000-of-00001", "m.index"]
    assert sorted(Saver().restore(prefix)) == ["w"]


# ----------------------------------------------------------------------------
# Crash safety: SIGKILL a writer at random moments and at every step of a save.

_WRITER = textwrap.dedent("""
    import os, signal, sys, types
    import numpy as np
    # Import minitf.checkpoint without minitf/__init__ (jax): it needs only
    # numpy, and skipping jax keeps each writer start fast.
    pkg = types.ModuleType("minitf")
    pkg.__path__ = [os.path.join(sys.argv[1], "minitf")]
    sys.modules["minitf"] = pkg
    from minitf.checkpoint.saver import Saver
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
    saver = Saver(max_to_keep=2)
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
    (every element equals the step); returns the latest step (0: none)."""
    latest = latest_checkpoint(directory)
    if latest is None:
        return 0
    _, listed = ckpt_state.read_state(directory)
    steps = {}
    for prefix in [latest] + [os.path.join(directory, p) for p in listed]:
        if not os.path.exists(prefix + ".index"):
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


def _assert_no_orphans(directory):
    """Every file is the state file, its lock, or part of a listed checkpoint."""
    _, listed = ckpt_state.read_state(directory)
    for f in os.listdir(directory):
        if f in ("checkpoint", ".checkpoint.lock"):
            continue
        stem = f.split(".data-")[0] if ".data-" in f else f.removesuffix(".index")
        assert stem in listed, f"orphan {f} (listed: {listed})"


def _run_writer(script, directory, step, kill_at, delay, mode="steps"):
    proc = subprocess.Popen(
        [sys.executable, script, REPO, directory, str(step), kill_at, mode],
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
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"writer exited with {proc.returncode}: {err}"


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
    # A save is: fsync data temp, fsync index temp; then under the lock rename
    # data, rename index, fsync dir; fsync state temp, rename it, fsync dir.
    # Save 1 thus uses fsync 1-5 and replace 1-3, save 2 fsync 6-10, replace 4-6.
    # max_to_keep deletion comes after the state file rename.
    phases = ["fsync:6:before", "fsync:7:after", "replace:4:before", "replace:4:after",
              "replace:5:after", "replace:6:before", "replace:6:after", "fsync:10:after"]
    for kill_at in phases:
        _run_writer(writer_script, directory, step, kill_at, delay=None)
        new_step = _check_consistent(directory)
        state_renamed = kill_at in ("replace:6:after", "fsync:10:after")
        assert new_step == step + 1 + state_renamed, (kill_at, step, new_step)
        step = new_step
    Saver(max_to_keep=2).save({"w": np.ones(1, np.float32)}, os.path.join(directory, "model"),
                              global_step=99)
    _assert_no_orphans(directory)  # what the kills left was swept


@pytest.mark.parametrize("mode", ["steps", "same"])
def test_kill_at_random_moments(tmp_path, writer_script, mode):
    """SIGKILLs a busy save loop at random times; the latest listed checkpoint
    is always complete and restores. In "same" mode every save overwrites one
    prefix: a kill mid-overwrite may leave no checkpoint listed (the old one is
    unlisted before its files are replaced), never a mix of old and new."""
    directory = str(tmp_path / "ckpts")
    os.makedirs(directory)
    rng = random.Random(0 if mode == "steps" else 1)
    step = completed = 0
    for _ in range(5):
        _run_writer(writer_script, directory, step, "never", delay=rng.uniform(0.05, 0.7),
                    mode=mode)
        new_step = _check_consistent(directory)
        if mode == "steps":
            assert new_step >= step
        completed += new_step > 0
        step = max(step, new_step)
    assert step >= 1 and completed >= 1  # saves did complete between kills
    Saver().save({"w": np.ones(1, np.float32)}, os.path.join(directory, "model"), global_step=99)
    assert [f for f in os.listdir(directory) if f.endswith(".tmp")] == []  # stale temps removed
    _assert_no_orphans(directory)


def test_disk_full_during_the_state_write_leaves_no_orphan(tmp_path, monkeypatch):
    saver = Saver()
    saver.save(_params(), str(tmp_path / "model"), global_step=1)

    class FullDisk(ckpt_state.TempFile):
        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(ckpt_state, "TempFile", FullDisk)
    with pytest.raises(OSError, match="No space left on device"):
        saver.save(_params(), str(tmp_path / "model"), global_step=2)
    monkeypatch.undo()
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model-1")


def test_template_with_non_array_values_is_a_clear_error(tmp_path):
    prefix = Saver().save({"w": np.ones(2, np.float32), "b": np.zeros(1, np.float32)},
                          str(tmp_path / "m"))
    with pytest.raises(ValueError, match=re.escape("w: checkpoint has float32[2], params have a "
                                                   "list (not an array)")):

        Saver().restore(prefix, {"w": [1.0, 1.0], "b": np.zeros(1, np.float32)})
