"""The scoping core: TF1's naming, scopes and variable store, and the transform.

Modules import one way, each only from those before it:
naming, shapes, dtypes, jax_private -> arraylike, callsite, sources -> frame ->
initializers -> variables (+ assign) -> partition -> store -> scopes -> template,
sampling -> transform, lift, params. Everything outside the core uses only
public names from here.
"""
from minitf.core import dtypes, initializers
from minitf.core.arraylike import ArrayLike, LazyTensor, as_array, as_jax_array, unwrap
from minitf.core.assign import assign, assign_add, assign_sub
from minitf.core.frame import (
    Graph,
    GraphKeys,
    add_to_collection,
    add_to_collections,
    control_dependencies,
    disable_eager_execution,
    enable_eager_execution,
    executing_eagerly,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_name_scope,
    global_variables,
    is_tracing,
    local_variables,
    next_rng_key,
    record_accesses,
    reset_default_graph,
    trainable_variables,
)
from minitf.core.lift import case, cond, remat, scan, vmap, while_loop
from minitf.core.params import merge_params, params_in_scope, scope_matches, split_params
from minitf.core.partition import PartitionedVariable, fixed_size_partitioner
from minitf.core.scopes import (
    AUTO_REUSE,
    VariableScope,
    get_variable,
    get_variable_scope,
    name_scope,
    variable_scope,
)
from minitf.core.shapes import Dimension, TensorShape
from minitf.core.template import Template, make_template
from minitf.core.transform import Transformed, VariableInfo, transform
from minitf.core.variables import IGNORED_ON_JAX, Variable

__all__ = [
    "AUTO_REUSE", "IGNORED_ON_JAX", "ArrayLike", "Dimension", "Graph", "GraphKeys",
    "LazyTensor", "PartitionedVariable", "Template", "TensorShape", "Transformed", "Variable",
    "VariableInfo",
    "VariableScope", "add_to_collection", "add_to_collections", "as_array", "as_jax_array",
    "assign",
    "assign_add", "assign_sub", "case", "cond", "control_dependencies", "disable_eager_execution",
    "dtypes", "enable_eager_execution", "executing_eagerly",
    "fixed_size_partitioner", "get_collection", "get_collection_ref", "get_default_graph",
    "get_name_scope", "get_variable", "get_variable_scope", "global_variables", "initializers",
    "is_tracing", "local_variables", "make_template", "merge_params", "name_scope",
    "next_rng_key", "params_in_scope", "record_accesses", "remat", "reset_default_graph",
    "scan", "scope_matches", "split_params", "trainable_variables", "transform", "unwrap",
    "variable_scope", "vmap", "while_loop",
]
