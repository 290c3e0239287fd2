"""TF1's define-then-run mode: placeholders, sessions, gradients and graph control ops.

A TF1 program builds ops into a graph (`minitf.core.tensor`, made by the same
op definitions `transform` uses) and runs them with `Session.run`, which
compiles each distinct run once with `jax.jit` (`interpreter`, `session`).
"""
from minitf.core.symbolic import placeholder, placeholder_with_default
from minitf.core.tensor import Operation, Tensor, get_default_session
from minitf.graph import errors
from minitf.graph.control import (
    global_variables_initializer,
    group,
    initialize_all_variables,
    local_variables_initializer,
    no_op,
    variables_initializer,
)
from minitf.graph.function import graph_function
from minitf.graph.gradients import gradients
from minitf.graph.session import InteractiveSession, Session, set_random_seed

__all__ = [
    "InteractiveSession", "Operation", "Session", "Tensor", "errors", "get_default_session",
    "global_variables_initializer", "gradients", "graph_function", "group",
    "initialize_all_variables", "local_variables_initializer", "no_op", "placeholder",
    "placeholder_with_default", "set_random_seed", "variables_initializer",
]
