"""Docstring examples are executable and stay true."""
import doctest

import minitf.core.transform


def test_transform_docstring_example_runs():
    result = doctest.testmod(minitf.core.transform, raise_on_error=False)
    assert result.attempted >= 4
    assert result.failed == 0
