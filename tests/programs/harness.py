"""Run one complete TF1 program under real TensorFlow and under minitf.

A program is a function `program(tf, start)` written against the TF1 API with
`tf` as its only handle on TensorFlow: it builds its graph, opens a session,
runs the initializer, calls `start(sess)` and trains, returning every value it
fetched. Under TF, `start` records the initial variable values; under minitf,
`start` loads those same values by name (`v.load(value, sess)`, TF's own API),
so both runs start from identical weights and every fetched loss must agree.
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np
import tensorflow.compat.v1 as tf1

import minitf

tf1.disable_v2_behavior()


def run_tf(program, tf=None):
    """TF's fetched values and initial variable values (by name); `tf` is the module the
    program gets (default `tensorflow.compat.v1`; e.g. one with a `contrib` namespace)."""
    initial: dict[str, np.ndarray] = {}

    def record(sess):
        for v in tf1.global_variables():
            initial[v.op.name] = sess.run(v)

    with tf1.Graph().as_default():
        tf1.set_random_seed(0)
        fetched = program(tf1 if tf is None else tf, record)
    return fetched, initial


def run_minitf(program, initial):
    """minitf's fetched values, from TF's initial values."""
    def load(sess):
        names = {v.op.name for v in minitf.global_variables()}
        assert names == set(initial), (sorted(names ^ set(initial)))
        for v in minitf.global_variables():
            v.load(initial[v.op.name], sess)

    with minitf.Graph().as_default():
        return program(minitf, load)


def assert_same_run(program, rtol=1e-4, atol=1e-5, tf=None):
    """Run `program` under both; every fetched value equal to tolerance."""
    want, initial = run_tf(program, tf)
    got = run_minitf(program, initial)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        np.testing.assert_allclose(np.asarray(g, np.float64), np.asarray(w, np.float64),
                                   rtol=rtol, atol=atol, err_msg=f"fetch {i}")
    return got, want
