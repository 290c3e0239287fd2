"""slim's variable helpers: model variables and variable lookup by scope and suffix.

A model variable is a `get_variable` also put in MODEL_VARIABLES (slim's layers
make all their weights so; checkpoints of slim networks restore that set).
"""
from __future__ import annotations

from typing import Any

from minitf.contrib.arg_scope import add_arg_scope
from minitf.core import GraphKeys, get_collection, get_variable

__all__ = [
    "get_model_variables",
    "get_trainable_variables",
    "get_variables",
    "get_variables_by_name",
    "get_variables_to_restore",
    "model_variable",
    "model_variable_getter",
    "variable",
]


@add_arg_scope
def variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
             regularizer: Any = None, trainable: bool = True, collections: Any = None,
             caching_device: Any = None, device: Any = None, partitioner: Any = None,
             custom_getter: Any = None, use_resource: Any = None, **_: Any) -> Any:
    """`get_variable` in GLOBAL_VARIABLES (or `collections`), as slim's `variable`."""
    collections = list(collections if collections is not None
                       else [GraphKeys.GLOBAL_VARIABLES])
    collections = list(dict.fromkeys(collections))
    getter = custom_getter or get_variable
    return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                  regularizer=regularizer, trainable=trainable, collections=collections,
                  partitioner=partitioner)


@add_arg_scope
def model_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                   regularizer: Any = None, trainable: bool = True, collections: Any = None,
                   caching_device: Any = None, device: Any = None, partitioner: Any = None,
                   custom_getter: Any = None, use_resource: Any = None, **_: Any) -> Any:
    """A variable also in MODEL_VARIABLES (and `collections`)."""
    collections = [*(collections or []), GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    partitioner=partitioner, custom_getter=custom_getter)


def collections_for(variables_collections: Any, short_name: str) -> list[str]:
    """slim's `get_variable_collections`: a list for every variable, or a dict by name."""
    if isinstance(variables_collections, dict):
        found = variables_collections.get(short_name)
    else:
        found = variables_collections
    if found is None:
        return []
    return [found] if isinstance(found, str) else list(found)


def model_variable_getter(rename: dict[str, str] | None = None,
                          variables_collections: Any = None) -> Any:
    """A custom getter making a layer's variables model variables (slim's layer getter).

    `kernel`/`bias` become `weights`/`biases` when `rename` says so. The
    layer's own variables (directly in the scope named by the getter's `owner`,
    set once the scope is entered) also join `variables_collections` (a list, or
    a dict by short name); a nested layer's (a normalizer's) do not, as in slim.
    """
    def getter(getter: Any, name: str, *args: Any, collections: Any = None,
               **kwargs: Any) -> Any:
        parts = name.split("/")
        if rename and parts[-1] in rename:
            parts[-1] = rename[parts[-1]]
        own = "/".join(parts[:-1]) == getattr(custom_getter, "owner", None)
        extra = collections_for(variables_collections, parts[-1]) if own else []
        wanted = list(dict.fromkeys(list(collections or []) + extra +
                                    [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]))
        return getter("/".join(parts), *args, collections=wanted, **kwargs)

    custom_getter = getter
    return getter


def _named(items: list[Any], suffix: str | None) -> list[Any]:
    if suffix is None:
        return items
    return [v for v in items if v.name.split(":")[0].endswith(suffix)]


def get_variables(scope: Any = None, suffix: str | None = None,
                  collection: str = GraphKeys.GLOBAL_VARIABLES) -> list[Any]:
    """Variables in `collection` under `scope` (a name regex or a scope) ending in `suffix`."""
    if scope is not None and not isinstance(scope, str):
        scope = scope.name
    return _named(get_collection(collection, scope), suffix)


def get_model_variables(scope: Any = None, suffix: str | None = None) -> list[Any]:
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_trainable_variables(scope: Any = None, suffix: str | None = None) -> list[Any]:
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_name(given_name: str, scope: Any = None) -> list[Any]:
    """Variables whose last name component is `given_name`."""
    return [v for v in get_variables(scope, given_name)
            if v.name.split(":")[0].split("/")[-1] == given_name]


def get_variables_to_restore(include: Any = None, exclude: Any = None) -> list[Any]:
    """Global variables under `include` scopes, minus those under `exclude`."""
    candidates = ([v for s in include for v in get_variables(s)] if include
                  else get_variables())
    excluded = {id(v) for s in (exclude or []) for v in get_variables(s)}
    return [v for v in candidates if id(v) not in excluded]
