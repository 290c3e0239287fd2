"""Conformance scenarios, one module per rule family.

A scenario is a module-level function ``scenario_<rule>(tf, rec)`` that drives the TF1
scoping API through ``tf`` (real ``tensorflow.compat.v1`` or ``minitf``) and logs what it
sees through ``rec`` (see ``recorder.py``):

* observations with ``rec(label, value)``; shapes, dtypes, values and reuse flags through
  ``rec.shape/dtype/value/reuse`` so that both backends log the same plain values;
* expected errors with ``rec.expect_error(fn, label)`` (type and first line of the
  message) or ``rec.error_type(fn, label)`` (type only, where TF's wording is not part of
  the contract);
* values only from constant initializers: random initializers are checked by shape,
  bounds and statistics, since the two backends draw different numbers by design.

Scenario names are unique across families.  Code that several scenarios repeat lives in
``common.py`` (or in a module-private helper), so that each scenario reads as a short spec.
The sources of a family (with ``common.py``, ``recorder.py`` and ``backends.py``) are
hashed into its golden file's ``sources_digest``: editing them means re-recording.
"""

import importlib
from collections.abc import Callable
from types import ModuleType

FAMILIES = (
    "get_variable",
    "variable",
    "variable_scope",
    "name_scope",
    "auxiliary_name_scope",
    "reuse",
    "scope_defaults",
    "initializers",
    "custom_getter",
    "graph_collections",
    "template",
    "graphs_and_threads",
    "tutorials",
)

Scenario = Callable[..., None]


def family_module(family: str) -> ModuleType:
    """The module of one rule family."""
    return importlib.import_module(f"{__name__}.{family}")


def family_scenarios(family: str) -> dict[str, Scenario]:
    """The scenarios of one family, by name, sorted."""
    module = family_module(family)
    found = {
        name: obj
        for name, obj in vars(module).items()
        if name.startswith("scenario_") and callable(obj)
    }
    return dict(sorted(found.items()))


def all_scenarios() -> dict[str, tuple[str, Scenario]]:
    """Every scenario by name, as ``(family, function)``; names must be unique."""
    out: dict[str, tuple[str, Scenario]] = {}
    for family in FAMILIES:
        for name, fn in family_scenarios(family).items():
            if name in out:
                raise ValueError(f"scenario {name} is defined in {out[name][0]} and {family}")
            out[name] = (family, fn)
    return out
