"""Shared test set-up: test helpers importable by name, and a fresh-graph fixture."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import pytest

from spec_backend import tf


@pytest.fixture
def graph():
    """A fresh default graph for one test."""
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def eager():
    """TF1's opt-in eager mode for one test: variables hold values, ops run at once."""
    import minitf

    minitf.enable_eager_execution()
    try:
        yield minitf.get_default_graph()
    finally:
        minitf.disable_eager_execution()
