"""Shared test set-up.

Spec tests import `tf` from here. It is minitf; setting MINITF_SPEC_BACKEND=tf
runs the same spec files against real TensorFlow (tensorflow.compat.v1, graph
mode) to check that the expectations written down are TF's own.
"""
import os
import sys
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import pytest

if os.environ.get("MINITF_SPEC_BACKEND") == "tf":
    import tensorflow.compat.v1 as tf  # noqa: F401

    tf.disable_v2_behavior()
    ON_TF = True
else:
    import minitf as tf  # noqa: F401

    ON_TF = False

minitf_only = pytest.mark.skipif(ON_TF, reason="checks a minitf extension TF lacks")


@pytest.fixture
def graph():
    """A fresh default graph for one test."""
    g = tf.Graph()
    with g.as_default():
        yield g
