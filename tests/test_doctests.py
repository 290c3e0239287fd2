"""Docstring examples are executable and stay true."""
import doctest
import importlib


def test_transform_docstring_example_runs():
    module = importlib.import_module("minitf.core.transform")  # the package exports `transform`
    result = doctest.testmod(module, raise_on_error=False)
    assert result.attempted >= 4
    assert result.failed == 0
