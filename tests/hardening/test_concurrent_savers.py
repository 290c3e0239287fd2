"""Writers that cannot clobber or leak: many processes and threads saving into
one directory, SIGKILLs mid-save, a second Saver with another prefix, hostile
state files, long prefixes. Afterwards every listed checkpoint restores, and
no file is orphaned or lost."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from minitf.checkpoint import TFCheckpointReader, latest_checkpoint
from minitf.checkpoint import state as ckpt_state
from minitf.checkpoint.saver import Saver

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Bounded for make test; MINITF_STRESS_SCALE=4 gives the 4 x 100 saves, 9 over 100 kills.
SCALE = int(os.environ.get("MINITF_STRESS_SCALE", "1"))

# A writer process that imports minitf.checkpoint without jax (fast start).
_WORKER = textwrap.dedent("""
    import os, sys, types
    import numpy as np
    pkg = types.ModuleType("minitf")
    pkg.__path__ = [os.path.join(sys.argv[1], "minitf")]
    sys.modules["minitf"] = pkg
    from minitf.checkpoint.saver import Saver
    directory = sys.argv[2]
    worker, saves, keep = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    saver = Saver(max_to_keep=keep)
    params = {"a/w": np.zeros((64, 256), np.float32), "a/b": np.zeros(256, np.float32),
              "emb/part_0": np.zeros((8, 4), np.float32),
              "emb/part_1": np.zeros((8, 4), np.float32)}
    print("ready", flush=True)
    for i in range(saves):
        step = worker * 100000 + i
        for v in params.values():
            v.fill(step)
        saver.save(params, os.path.join(directory, "model"), global_step=step)
    print("done", flush=True)
""")


def _check_listed(directory, base="model"):
    """Every listed checkpoint restores, and holds one step's values."""
    latest = latest_checkpoint(directory)
    _, listed = ckpt_state.read_state(directory)
    assert latest is not None and os.path.basename(latest) == listed[-1]
    for name in listed:
        reader = TFCheckpointReader(os.path.join(directory, name))
        values = reader.read_all()
        step = int(name.rsplit("-", 1)[1])
        for key, v in values.items():
            assert (v == step).all(), f"{name}/{key} holds a mix of steps"
    return listed


def _assert_no_orphans(directory):
    _, listed = ckpt_state.read_state(directory)
    for f in os.listdir(directory):
        if f in ("checkpoint", ".checkpoint.lock"):
            continue
        stem = f.split(".data-")[0] if ".data-" in f else f.removesuffix(".index")
        assert stem in listed, f"orphan {f} (listed: {listed})"


@pytest.fixture
def worker(tmp_path):
    path = tmp_path / "worker.py"
    path.write_text(_WORKER)
    return str(path)


def _start(worker, directory, n, saves, keep=3):
    args = [sys.executable, worker, REPO, directory, str(n), str(saves), str(keep)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)



def test_processes_saving_into_one_directory(tmp_path, worker):
    """4 processes x 25 saves, one base name, max_to_keep=3."""
    directory = str(tmp_path / "ckpt")
    os.makedirs(directory)
    procs = [_start(worker, directory, n, 25 * SCALE) for n in range(4)]
    errors = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        if p.returncode != 0 or "done" not in out:
            errors.append(err[-2000:])
    assert errors == [], errors
    listed = _check_listed(directory)
    assert len(listed) == 3  # the shared state file is the one bookkeeping
    _assert_no_orphans(directory)


def test_threads_saving_into_one_directory(tmp_path):
    directory = str(tmp_path / "ckpt")
    errors = []

    def run(n):
        try:
            saver = Saver(max_to_keep=2)
            for i in range(10):
                step = n * 1000 + i
                saver.save({"w": np.full((32, 32), step, np.float32)},
                           os.path.join(directory, "model"),
                           global_step=step)
        except Exception as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(_check_listed(directory)) == 2
    _assert_no_orphans(directory)


def test_sigkill_at_random_moments_with_concurrent_writers(tmp_path, worker):
    """Two writers, both SIGKILLed at random moments, 6 rounds (x SCALE): the latest
    listed checkpoint always restores; the next save sweeps every leftover."""
    directory = str(tmp_path / "ckpt")
    os.makedirs(directory)
    rng = random.Random(7)
    kills = 0
    for round_ in range(6 * SCALE):
        procs = [_start(worker, directory, 2 * round_ + k, 10**6) for k in range(2)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        time.sleep(rng.uniform(0.05, 0.5))
        for p in procs:
            p.send_signal(signal.SIGKILL)
        for p in procs:
            p.wait(timeout=30)
            p.stdout.close()
            p.stderr.close()
            kills += p.returncode == -signal.SIGKILL
        if latest_checkpoint(directory) is not None:
            _check_listed(directory)
    assert kills == 12 * SCALE
    assert latest_checkpoint(directory) is not None  # saves completed between kills
    Saver(max_to_keep=3).save({"w": np.full(2, 999, np.float32)}, os.path.join(directory, "model"),
                              global_step=999)
    _assert_no_orphans(directory)
    assert not [f for f in os.listdir(directory) if f.endswith(".tmp")]


def test_second_saver_with_another_prefix_keeps_its_files(tmp_path):
    a, b = Saver(max_to_keep=2), Saver(max_to_keep=2)
    for step in range(5):
        a.save({"w": np.full(2, step, np.float32)}, str(tmp_path / "a"), global_step=step)
        b.save({"w": np.full(2, step, np.float32)}, str(tmp_path / "b"), global_step=step)
    files = sorted(f for f in os.listdir(tmp_path) if f.endswith(".index"))
    assert files == ["a-3.index", "a-4.index", "b-3.index", "b-4.index"]
    assert ckpt_state.read_state(str(tmp_path)) == ("b-4", ["a-3", "b-3", "a-4", "b-4"])
    assert a.last_checkpoints == [str(tmp_path / "a-3"), str(tmp_path / "a-4")]
    # A base that is a prefix of another ("model" vs "model-best") is not ours either.
    Saver(max_to_keep=1).save({"w": np.ones(1, np.float32)}, str(tmp_path / "a-best"))
    Saver(max_to_keep=1).save({"w": np.ones(1, np.float32)}, str(tmp_path / "a"), global_step=9)
    assert os.path.exists(tmp_path / "a-best.index")


def _victims(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    names = []
    for stem in ("victim", "model-1", "model-2"):
        for suffix in ("", ".index", ".data-00000-of-00001"):
            (outside / (stem + suffix)).write_bytes(b"precious")
            names.append(outside / (stem + suffix))
    return outside, names


def test_hostile_state_file_deletes_nothing_outside(tmp_path):
    outside, victims = _victims(tmp_path)
    directory = tmp_path / "ckpt"
    directory.mkdir()
    (directory / "sub").mkdir()
    os.symlink(outside, directory / "link")
    entries = [str(outside / "victim"), "../outside/model-1", "sub/../../outside/model-2",
               "link/model-1", str(outside / "model-2"), "model-0"]
    (directory / "checkpoint").write_text(
        'model_checkpoint_path: "../outside/model-2"\n'
        + "".join(f'all_model_checkpoint_paths: "{e}"\n' for e in entries))
    assert latest_checkpoint(directory) is None  # never a path outside the directory
    saver = Saver(max_to_keep=1)
    for step in range(3):
        saver.save({"w": np.ones(1, np.float32)}, str(directory / "model"), global_step=step)
    assert all(v.read_bytes() == b"precious" for v in victims), "a file outside was touched"
    assert latest_checkpoint(directory) == str(directory / "model-2")
    for target in [str(outside / "victim"), "../outside/model-2", "link/model-1"]:
        (directory / "checkpoint").write_text(f'model_checkpoint_path: "{target}"\n')
        assert latest_checkpoint(directory) is None, target


def test_state_file_that_is_a_fifo_or_garbage(tmp_path):
    os.mkfifo(tmp_path / "checkpoint")
    with pytest.raises(ValueError, match="not a regular file"):
        latest_checkpoint(tmp_path)
    os.unlink(tmp_path / "checkpoint")
    (tmp_path / "checkpoint").write_bytes(b"model_checkpoint_path: \xff\xfe\n")
    with pytest.raises(ValueError, match="not UTF-8"):
        latest_checkpoint(tmp_path)
    with pytest.warns(UserWarning, match="Rewriting it"):  # a save repairs it
        Saver().save({"w": np.ones(1, np.float32)}, str(tmp_path / "m"), global_step=1)
    assert latest_checkpoint(tmp_path) == str(tmp_path / "m-1")


def test_long_prefixes(tmp_path):
    # A 251-character path: temp names stay short, whatever the prefix.
    directory = tmp_path / ("d" * 40)
    base = str(directory / "m")
    base += "x" * (251 - len(base) - len("-7"))
    prefix = Saver().save({"w": np.ones(2, np.float32)}, base, global_step=7)
    assert len(prefix) == 251 and latest_checkpoint(directory) == prefix
    # The longest file name whose data shard still fits NAME_MAX (255 bytes).
    longest = str(tmp_path / ("n" * (255 - len(".data-00000-of-00001"))))
    assert Saver().save({"w": np.ones(2, np.float32)}, longest) == longest
    # One more character: a clear error, and nothing left behind.
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(OSError,
                       match="over this filesystem's limit of 255; use a shorter prefix") as info:
        Saver().save({"w": np.ones(2, np.float32)}, longest + "n")
    assert info.value.errno == errno.ENAMETOOLONG
    assert sorted(os.listdir(tmp_path)) == before
