"""Docstring examples are executable and stay true."""
import doctest

import minitf._transform


def test_transform_docstring_example_runs():
    result = doctest.testmod(minitf._transform, raise_on_error=False)
    assert result.attempted >= 4
    assert result.failed == 0
