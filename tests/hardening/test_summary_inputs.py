"""Summaries that keep their promises: FileWriter flushes on its `flush_secs`
schedule without further writes and at interpreter exit; steps must be
integers; complex values are refused as TF's summary ops refuse them; NaN/inf
scalars are written as TF writes them (checked against TF in the docstrings'
cases below)."""

from __future__ import annotations

import glob
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import jax.numpy as jnp
import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

from minitf import summary

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _scalars(logdir, tag="x"):
    acc = event_accumulator.EventAccumulator(str(logdir))
    acc.Reload()
    return [(e.step, e.value) for e in acc.Scalars(tag)] if tag in acc.Tags()["scalars"] else []


def _run_and_kill(tmp_path, body, wait):
    """Runs `body` in a child that then sleeps; SIGKILLs it after `wait` s."""
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {REPO!r})
        from minitf import summary
        logdir = {str(tmp_path)!r}
    """) + textwrap.dedent(body) + "\nprint('logged', flush=True)\ntime.sleep(60)\n"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "logged", proc.stderr.read()
        time.sleep(wait)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


def test_flushes_on_schedule_without_further_writes(tmp_path):
    """The issue's case: two scalars logged, the process killed 3 s later."""
    _run_and_kill(tmp_path, """
        w = summary.FileWriter(logdir, flush_secs=1)
        w.scalar("x", 1.0, step=1)
        w.scalar("x", 2.0, step=2)
    """, wait=3)
    assert _scalars(tmp_path) == [(1, 1.0), (2, 2.0)]


def test_without_the_timer_nothing_would_be_on_disk(tmp_path):
    """Control: with a long schedule the same kill loses the buffered events,
    so the test above really measures the timer."""
    _run_and_kill(tmp_path, """
        w = summary.FileWriter(logdir, flush_secs=600)
        w.scalar("x", 1.0, step=1)
    """, wait=1)
    assert _scalars(tmp_path) == []


def test_flushes_at_exit(tmp_path):
    code = (f"import sys; sys.path.insert(0, {REPO!r}); from minitf import summary; "
            f"w = summary.FileWriter({str(tmp_path)!r}, flush_secs=600); "
            "w.scalar('x', 5.0, step=3)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert _scalars(tmp_path) == [(3, 5.0)]


def test_close_stops_the_timer_thread(tmp_path):
    w = summary.FileWriter(tmp_path, flush_secs=0.05)
    thread = w._flusher
    assert thread.daemon and thread.is_alive()
    w.close()
    thread.join(2)
    assert not thread.is_alive()
    for bad in (0, -1, math.inf, math.nan, "5", True):
        with pytest.raises(ValueError, match="flush_secs must be a positive number"):
            summary.FileWriter(tmp_path, flush_secs=bad)


@pytest.mark.parametrize("step,error,match", [
    (None, TypeError, "step must be an integer"),
    ("3", TypeError, "step must be an integer"),
    (True, TypeError, "step must be an integer"),
    (np.bool_(False), TypeError, "step must be an integer"),
    (math.inf, ValueError, "finite whole number"),
    (-math.inf, ValueError, "finite whole number"),
    (math.nan, ValueError, "finite whole number"),
    (1.5, ValueError, "finite whole number"),
    (np.ones(2, np.int32), TypeError, "single integer"),
    (1 << 63, ValueError, "does not fit in int64"),
    (1 + 2j, TypeError, "step must be"),
])
def test_bad_steps_are_clear_errors(tmp_path, step, error, match):
    with summary.FileWriter(tmp_path) as w:
        with pytest.raises(error, match=match):
            w.scalar("x", 1.0, step=step)
    assert _scalars(tmp_path) == []  # nothing was written


def test_integer_steps_of_every_kind(tmp_path):
    with summary.FileWriter(tmp_path) as w:
        for i, step in enumerate([0, np.int64(1), np.int32(2), np.uint8(3), jnp.asarray(4), 5.0,
                                  np.asarray(6)]):
            w.scalar("x", float(i), step=step)
        w.add_summary(summary.scalar_pb("x", 7.0))  # TF1's add_summary: no step is allowed
    assert [s for s, _ in _scalars(tmp_path)] == [0, 1, 2, 3, 4, 5, 6, 0]


def test_complex_values_are_refused_like_tf(tmp_path):
    """TF1: tf.summary.histogram / scalar of complex64 raise TypeError
    ("DataType complex64 not in list of allowed values")."""
    with summary.FileWriter(tmp_path) as w:
        with pytest.raises(TypeError, match=r"complex values.*np\.real"):
            w.histogram("h", np.array([1 + 2j, 3 - 1j]), step=0)
        with pytest.raises(TypeError, match="complex values"):
            w.scalar("s", np.complex64(1 + 2j), step=0)
        with pytest.raises(TypeError, match="complex values"):
            w.histogram("h", jnp.asarray([1j]), step=0)


def test_non_finite_scalars_are_written_like_tf(tmp_path):
    """TF1's summary.scalar writes NaN and +-inf as they are (checked with
    tf.compat.v1.summary.scalar: simple_value nan / inf / -inf); a histogram
    with NaN/inf is an error in both ("Infinity in Histogram")."""
    with summary.FileWriter(tmp_path) as w:
        for step, v in enumerate([math.nan, math.inf, -math.inf]):
            w.scalar("x", v, step=step)
        with pytest.raises(ValueError, match="NaN or inf"):
            w.histogram("h", [1.0, math.inf], step=0)
    values = [v for _, v in _scalars(tmp_path)]
    assert math.isnan(values[0]) and values[1:] == [math.inf, -math.inf]
    assert len(glob.glob(os.path.join(tmp_path, "events.out.tfevents.*"))) == 1


def test_scalar_and_histogram_verdicts_match_tf():
    """The cases above, decided by the installed TensorFlow itself."""
    tf1 = pytest.importorskip("tensorflow.compat.v1")
    from tensorboard.compat.proto import summary_pb2

    graph = tf1.Graph()
    with graph.as_default(), tf1.Session(graph=graph) as sess:
        for v in (math.nan, math.inf, -math.inf, 2.5):
            serialized = sess.run(tf1.summary.scalar("x", tf1.constant(v, tf1.float32)))
            theirs = summary_pb2.Summary.FromString(serialized).value[0].simple_value

            ours = summary.scalar_pb("x", np.float32(v)).value[0].simple_value
            assert (math.isnan(theirs) and math.isnan(ours)) or theirs == ours, v
        for op in (tf1.summary.scalar, tf1.summary.histogram):
            with pytest.raises(TypeError, match="complex64 not in list of allowed values"):
                op("c", tf1.constant([1 + 2j], tf1.complex64))
        with pytest.raises(tf1.errors.InvalidArgumentError, match="Infinity in Histogram"):
            sess.run(tf1.summary.histogram("h", tf1.constant([1.0, math.inf])))
