"""TF1's naming rules on their own (minitf.core.naming has no JAX)."""
import pytest

from minitf.core import naming as _naming


def test_unique_name_appends_counter():
    reg = _naming.NameRegistry()
    assert [reg.unique_name("v") for _ in range(3)] == ["v", "v_1", "v_2"]


def test_unique_name_ignores_case_but_keeps_spelling():
    reg = _naming.NameRegistry()
    assert reg.unique_name("v") == "v"
    assert reg.unique_name("V") == "V_1"


def test_composed_name_is_marked_used():
    reg = _naming.NameRegistry()
    reg.unique_name("v")
    assert reg.unique_name("v") == "v_1"
    assert reg.unique_name("v_1") == "v_1_1"


def test_explicit_suffix_is_skipped_by_counter():
    reg = _naming.NameRegistry()
    reg.unique_name("v_1")
    reg.unique_name("v")
    assert reg.unique_name("v") == "v_2"


def test_mark_as_used_false_does_not_claim():
    reg = _naming.NameRegistry()
    assert reg.unique_name("v", mark_as_used=False) == "v"
    assert reg.unique_name("v") == "v"


@pytest.mark.parametrize("name", ["a", "A.b", "0x", "a/b", "a-b", "a>b"])
def test_valid_root_names(name):
    _naming.validate_scope_name(name, at_root=True)


@pytest.mark.parametrize("name", ["_a", "-a", "a b", "/a", "a:b"])
def test_invalid_root_names(name):
    with pytest.raises(ValueError, match="is not a valid root scope name"):
        _naming.validate_scope_name(name, at_root=True)


def test_nested_names_may_start_with_underscore():
    _naming.validate_scope_name("_a", at_root=False)
    with pytest.raises(ValueError, match="'a b' is not a valid scope name"):
        _naming.validate_scope_name("a b", at_root=False)


def test_near_names_prefers_same_leaf():
    near = _naming.near_names("dis/dense/kernel", ["disc/dense/kernel", "gen/dense/kernel", "x"])
    assert near[0] == "disc/dense/kernel"
    assert "x" not in near
