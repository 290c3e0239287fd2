"""`tf.train.MonitoredTrainingSession` and its hooks under real TF and minitf: a
dataset-fed loop that stops at a step, checkpoints every N steps and at the end,
resumes from its checkpoint in a second session, logs tensors, runs final ops, and
ends cleanly when a finite dataset runs out. Weights start from constants, so both
runs start equal without loading anything."""
import logging
import os
import re

import numpy as np
from harness import run_minitf, run_tf

import minitf

RNG = np.random.RandomState(3)
X = RNG.normal(size=(12, 3)).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)


def _model(tf, repeat):
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4)
    xb, yb = (dataset.repeat() if repeat else dataset).make_one_shot_iterator().get_next()
    w = tf.get_variable("w", [3, 1], initializer=tf.constant_initializer(0.1))
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_mean(tf.square(tf.matmul(xb, w) - yb))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return w, step, loss, train


def monitored_program(tf, directory):
    out = []
    for last_step in (7, 10):  # the second session resumes from the first's checkpoint
        with tf.Graph().as_default():
            w, step, loss, train = _model(tf, repeat=True)
            final = tf.train.FinalOpsHook([w, step])
            hooks = [tf.train.StopAtStepHook(last_step=last_step), tf.train.NanTensorHook(loss),
                     tf.train.LoggingTensorHook({"loss": loss}, every_n_iter=2),
                     final]
            losses = []
            with tf.train.MonitoredTrainingSession(checkpoint_dir=directory, hooks=hooks,
                                                   save_checkpoint_steps=3) as sess:
                while not sess.should_stop():
                    losses.append(sess.run([train, loss])[1])
            out += [losses, final.final_ops_values]
        out.append(sorted(f for f in os.listdir(directory) if f.endswith(".index")))
        out.append(os.path.basename(tf.train.latest_checkpoint(directory)))
    with tf.Graph().as_default():  # a finite dataset: the loop ends on OutOfRangeError
        w, step, loss, train = _model(tf, repeat=False)
        final = tf.train.FinalOpsHook(step)
        with tf.train.MonitoredTrainingSession(hooks=[final]) as sess:
            while not sess.should_stop():
                sess.run(train)
        out.append(final.final_ops_values)
    return out


def _same(got, want):
    if isinstance(want, (list, tuple)) and want and isinstance(want[0], str):
        assert got == want
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            _same(g, w)
    elif isinstance(want, str):
        assert got == want
    else:
        np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                                   rtol=1e-5, atol=1e-6)


def _logged(caplog):
    """The hooks' log lines, in order, without timings (which differ run to run) and
    with losses to 4 digits (float rounding differs in the last ones)."""
    lines = [re.sub(r" \(\d+\.\d+ sec\)$", "", r.getMessage()) for r in caplog.records
             if r.name == "tensorflow" and ("loss =" in r.getMessage()
                                            or "Saving checkpoints" in r.getMessage())]
    caplog.clear()
    lines = [re.sub(r"into .*/", "into ", line) for line in lines]
    return [re.sub(r"loss = (\S+)", lambda m: f"loss = {float(m.group(1)):.4g}", line)
            for line in lines]


def test_monitored_training_session_matches_tf(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="tensorflow")
    (tmp_path / "tf").mkdir()
    (tmp_path / "minitf").mkdir()
    want, _ = run_tf(lambda tf, start: monitored_program(tf, str(tmp_path / "tf")))
    tf_logs = _logged(caplog)
    got = run_minitf(lambda tf, start: monitored_program(tf, str(tmp_path / "minitf")), {})
    _same(got, want)
    assert want[1][1] == 7 and want[-1] == 3  # stopped at step 7; 12 rows in batches of 4
    assert _logged(caplog) == tf_logs and any("loss =" in line for line in tf_logs)


def test_hooks_report_tfs_errors():
    import pytest

    with pytest.raises(ValueError, match=re.escape("One of num_steps or last_step must be "
                                                   "specified.")):
        minitf.train.StopAtStepHook()
    with minitf.Graph().as_default():
        hook = minitf.train.StopAtStepHook(num_steps=2)
        with pytest.raises(RuntimeError, match=re.escape("Global step should be created to "
                                                         "use StopAtStepHook.")):
            minitf.train.MonitoredTrainingSession(hooks=[hook])


def summarized_program(tf, directory):
    with tf.Graph().as_default():
        _, _, loss, train = _model(tf, repeat=True)
        tf.summary.scalar("loss", loss)
        hooks = [tf.train.StopAtStepHook(last_step=7)]
        with tf.train.MonitoredTrainingSession(checkpoint_dir=directory, hooks=hooks,
                                               save_summaries_steps=2) as sess:
            while not sess.should_stop():
                sess.run(train)
    return []


def test_monitored_training_session_writes_summaries_like_tf(tmp_path):
    """The graph's summaries land in `checkpoint_dir` every N steps, at TF's steps and
    with TF's values (read back by TensorBoard's reader)."""
    from tensorboard.backend.event_processing import event_accumulator

    def loss_events(directory):
        acc = event_accumulator.EventAccumulator(str(directory))
        acc.Reload()
        return [(e.step, e.value) for e in acc.Scalars("loss")]

    (tmp_path / "tf").mkdir()
    (tmp_path / "minitf").mkdir()
    run_tf(lambda tf, start: summarized_program(tf, str(tmp_path / "tf")))
    run_minitf(lambda tf, start: summarized_program(tf, str(tmp_path / "minitf")), {})
    want, got = loss_events(tmp_path / "tf"), loss_events(tmp_path / "minitf")
    assert [s for s, _ in got] == [s for s, _ in want] and len(want) >= 3
    np.testing.assert_allclose([v for _, v in got], [v for _, v in want], rtol=1e-5)
