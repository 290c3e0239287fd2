"""Selecting and combining parts of a flat params dict by scope.

`params_in_scope` matches whole path segments ("discriminator" selects
"discriminator/dense/kernel" but not "discriminator_pair/..."), unlike TF's
regex-prefix `get_collection(scope=...)`, which minitf keeps as TF has it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def scope_matches(name: str, scope: str) -> bool:
    """Whether `name` lies in `scope`, comparing whole '/'-separated segments."""
    scope = scope.rstrip("/")
    return not scope or name == scope or name.startswith(scope + "/")


def params_in_scope(params: Mapping[str, Any], *scopes: str) -> dict[str, Any]:
    """The entries of `params` under any of `scopes` (segment-wise match)."""
    return {k: v for k, v in params.items() if any(scope_matches(k, s) for s in scopes)}


def split_params(
    params: Mapping[str, Any], predicate: Callable[[str], bool] | Iterable[str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(selected, rest): `predicate` is a name test or a collection of names."""
    if not callable(predicate):
        chosen = set(predicate)
        predicate = chosen.__contains__
    selected = {k: v for k, v in params.items() if predicate(k)}
    rest = {k: v for k, v in params.items() if not predicate(k)}
    return selected, rest


def merge_params(*dicts: Mapping[str, Any]) -> dict[str, Any]:
    """Union of params dicts; later ones win (e.g. params | updates)."""
    merged: dict[str, Any] = {}
    for d in dicts:
        merged.update(d)
    return merged
