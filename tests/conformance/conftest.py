import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption(
        "--tf-only",
        action="store_true",
        default=False,
        help="conformance suite: only run the scenarios under TensorFlow (no minitf comparison)",
    )
    group.addoption(
        "--no-tf-cache",
        action="store_true",
        default=False,
        help="conformance suite: ignore tests/conformance/.tf_cache and re-run TensorFlow",
    )
