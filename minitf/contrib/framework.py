"""`tf.contrib.framework`: `arg_scope` and slim's variable helpers."""

from minitf.contrib.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from minitf.contrib.variables import (
    get_model_variables,
    get_trainable_variables,
    get_variables,
    get_variables_by_name,
    get_variables_to_restore,
    model_variable,
    variable,
)
from minitf.train.global_step import create_global_step, get_global_step, get_or_create_global_step

__all__ = [
    "add_arg_scope",
    "arg_scope",
    "arg_scoped_arguments",
    "create_global_step",
    "current_arg_scope",
    "get_global_step",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_variables",
    "get_variables_by_name",
    "get_variables_to_restore",
    "has_arg_scope",
    "model_variable",
    "variable",
]
