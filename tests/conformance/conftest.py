"""Conformance suite set-up: its modules importable by name, and its one option."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption(
        "--no-tf-cache",
        action="store_true",
        default=False,
        help="conformance suite: ignore tests/conformance/.tf_cache (live TF logs of programs "
        "that golden/programs.json lacks) and re-run TensorFlow",
    )
