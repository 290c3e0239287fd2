"""Which variables an optimizer updates: TF1's `var_list`, plus segment-wise selectors.

TF1's `minimize(var_list=...)` takes a list of variables, usually built with
`tf.trainable_variables(scope="discriminator")`, whose `scope` is a regular
expression applied with `re.match` to each variable's tensor name ("d/w:0").
That is a prefix match: "discriminator" also selects "discriminator_pair/w".
`resolve_var_list` keeps that rule when given a string, because TF code relies
on it; `select` / `scope_labels` offer the whole-segment match
(`minitf.scope_matches`) for code that wants "this scope and nothing else".
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import jax.numpy as jnp
import numpy as np

from minitf.core import params_in_scope, scope_matches

#: What `var_list` may be: None (every trainable variable), a scope regex, a
#: sequence of names / minitf Variables, a params-like mapping (its keys), or a
#: predicate on names.
VarList = None | str | Sequence[Any] | Mapping[str, Any] | Callable[[str], bool]

#: What `trainable` may be: None (unknown), a collection of names, or a predicate.
Trainable = None | Collection[str] | Callable[[str], bool]


def tensor_name(name: str) -> str:
    """The TF1 tensor name of a variable ("d/w" -> "d/w:0"), which TF's scope regex sees."""
    return name if re.search(r":\d+$", name) else name + ":0"


def variable_name(item: Any) -> str:
    """The params key for a var_list item: a name ("d/w" or "d/w:0") or a Variable (`.op.name`)."""
    if isinstance(item, str):
        return re.sub(r":\d+$", "", item)
    op = getattr(item, "op", None)
    if op is not None and isinstance(getattr(op, "name", None), str):
        return op.name
    raise TypeError("var_list items must be variable names or minitf Variables (with .op.name), "
                    f"got {type(item).__name__}: {item!r}")


def regex_selector(scope: str) -> Callable[[str], bool]:
    """TF1's `get_collection(key, scope)` rule: `re.match(scope, "name:0")` (a prefix match)."""
    regex = re.compile(scope)
    return lambda name: regex.match(tensor_name(name)) is not None


def segment_selector(scope: str) -> Callable[[str], bool]:
    """Whole-path-segment rule: "d" selects "d/w" but not "d_pair/w"."""
    return lambda name: scope_matches(name, scope)


def trainable_predicate(trainable: Trainable, model: Any = None) -> Callable[[str], bool] | None:
    """A name -> bool test from `trainable=` or a traced `tf.transform` model; None if unknown."""
    if trainable is not None and model is not None:
        raise ValueError("pass either model= or trainable=, not both")
    if model is not None:
        infos = getattr(model, "variables", None)
        if infos is None:
            raise TypeError(
                f"model= must be a tf.transform(...) result, got {type(model).__name__}")
        if not infos:
            raise ValueError("model= has no recorded variables yet: call model.init(...) (or "
                             "model.apply(...)) once before resolving var_list, so minitf knows "
                             "which variables are trainable")
        return frozenset(model.trainable_names()).__contains__
    if trainable is None:
        return None
    if callable(trainable):
        return trainable
    if isinstance(trainable, str):
        raise TypeError("trainable= must be a collection of names or a predicate, not a string")
    names = frozenset(variable_name(t) for t in trainable)
    return names.__contains__


def _is_float(value: Any) -> bool:
    return jnp.issubdtype(np.dtype(getattr(value, "dtype", np.float32)), jnp.inexact)


def _explicit_names(var_list: Iterable[Any], params: Mapping[str, Any]) -> list[str]:
    names, missing = [], []
    for item in var_list:
        name = variable_name(item)
        (names if name in params else missing).append(name)
    if missing:
        hints = []
        for name in missing:
            near = difflib.get_close_matches(name, list(params), n=3)
            hint = f" (did you mean {', '.join(map(repr, near))}?)" if near else ""
            hints.append(f"{name!r}" + hint)

        raise KeyError("var_list names variables that are not in params: " + ", ".join(hints))
    return list(dict.fromkeys(names))


def resolve_var_list(params: Mapping[str, Any], var_list: VarList = None, *,
                     trainable: Trainable = None, model: Any = None) -> list[str]:
    """The names (in `params` order) an optimizer updates, TF1's way.

    `var_list`: None -> every trainable variable (TF1's default,
    `tf.trainable_variables()`); a string -> TF's scope regex (`re.match` on
    "name:0", a prefix match); a sequence of names or Variables; a mapping (its
    keys); or a predicate. Only trainable variables are ever selected: that is
    known from `model=` (a traced `tf.transform` result), from `trainable=`,
    from a Variable's own `.trainable`, or, when nothing says, every floating
    point leaf counts as trainable. Naming a non-trainable variable explicitly
    is an error rather than a silent no-op.
    """
    is_trainable = trainable_predicate(trainable, model)
    explicit: list[str] | None = None
    if var_list is None:
        chosen = list(params)
    elif isinstance(var_list, str):
        test = regex_selector(var_list)
        chosen = [n for n in params if test(n)]
    elif isinstance(var_list, Mapping):
        explicit = _explicit_names(var_list.keys(), params)
    elif callable(var_list):
        chosen = [n for n in params if var_list(n)]
    else:
        items = list(var_list)
        explicit = _explicit_names(items, params)
        frozen = [variable_name(v) for v in items
                  if not isinstance(v, str) and getattr(v, "trainable", True) is False]
        if frozen:
            raise ValueError(f"var_list contains non-trainable variables {frozen}: minitf "
                             "optimizers only update trainable variables")

    if explicit is not None:
        bad = [n for n in explicit if is_trainable is not None and not is_trainable(n)]
        if bad:
            raise ValueError(f"var_list names non-trainable variables {bad}: minitf optimizers "
                             "only update trainable variables")
        not_float = [n for n in explicit if not _is_float(params[n])]
        if not_float:
            raise ValueError(f"var_list names variables with non-floating dtypes {not_float}; "
                             "they have no gradient")
        order = set(explicit)
        return [n for n in params if n in order]

    test = is_trainable or (lambda n: True)
    return [n for n in chosen if test(n) and _is_float(params[n])]


def select(params: Mapping[str, Any], scope: str, *, segments: bool = True) -> dict[str, Any]:
    """The entries of `params` in `scope`.

    `segments=True` (default) matches whole path segments ("discriminator"
    selects "discriminator/w", not "discriminator_pair/w"); `segments=False`
    uses TF1's regex-prefix rule, exactly like `tf.get_collection(key, scope)`.
    """
    if segments:
        return params_in_scope(params, scope)
    test = regex_selector(scope)
    return {k: v for k, v in params.items() if test(k)}


def scope_labels(params: Mapping[str, Any], scopes: Mapping[str, str], *,
                 default: str | None = "frozen", trainable: Trainable = None,
                 model: Any = None) -> dict[str, str]:
    """`{name: label}` for `optax.multi_transform`, matching whole path segments.

    `scopes` maps label -> scope, e.g. `{"gen": "generator", "disc": "discriminator"}`.
    A name under several scopes gets the most specific (longest) one. Names in
    no scope, and non-trainable names when `trainable=`/`model=` is given, get
    `default`; with `default=None` they raise instead. (Pair `default` with
    `optax.set_to_zero()`; note that adding a zero update is not bit-exact for
    -0.0, so `minimize(var_list=...)` is the way to leave leaves untouched.)
    """
    is_trainable = trainable_predicate(trainable, model)
    ordered = sorted(scopes.items(), key=lambda kv: len(kv[1].rstrip("/")), reverse=True)
    labels: dict[str, str] = {}
    unlabelled = []
    for name in params:
        label = next((lab for lab, scope in ordered if scope_matches(name, scope)), None)
        if label is None or (is_trainable is not None and not is_trainable(name)):
            label = default
        if label is None:
            unlabelled.append(name)
        else:
            labels[name] = label
    if unlabelled:
        raise ValueError(f"variables in none of the scopes {dict(scopes)}: {unlabelled} "
                         "(pass default= to label them)")
    return labels
