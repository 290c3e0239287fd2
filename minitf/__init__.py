"""minitf: TensorFlow 1.x code on JAX.

`import minitf as tf` gives TF1's variable_scope / name_scope / get_variable /
Variable / make_template with TF1's names, reuse rules and errors, TF-named ops,
layers, RNN cells, optimizers and checkpoints; `transform` turns a model
function written that way into pure `init` / `apply` functions for jit, grad
and optax. This module only gathers the public names; see docs/ARCHITECTURE.md.
"""
from minitf import (
    checkpoint,
    contrib,
    data,
    layers,
    linalg,
    losses,
    math,
    metrics,
    nn,
    ops,
    random,
    train,
)
from minitf.core import (
    AUTO_REUSE,
    Dimension,
    Graph,
    GraphKeys,
    LazyTensor,
    PartitionedVariable,
    Template,
    TensorShape,
    Transformed,
    Variable,
    VariableInfo,
    VariableScope,
    add_to_collection,
    add_to_collections,
    assign,
    assign_add,
    assign_sub,
    case,
    cond,
    control_dependencies,
    disable_eager_execution,
    dtypes,
    enable_eager_execution,
    executing_eagerly,
    fixed_size_partitioner,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_name_scope,
    get_variable,
    get_variable_scope,
    global_variables,
    initializers,
    local_variables,
    make_template,
    merge_params,
    name_scope,
    next_rng_key,
    params_in_scope,
    remat,
    reset_default_graph,
    scope_matches,
    split_params,
    trainable_variables,
    transform,
    variable_scope,
    vmap,
    while_loop,
)
from minitf.core import lift as control_flow
from minitf.core.dtypes import (
    DType,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from minitf.core.dtypes import tf_dtype as as_dtype
from minitf.core.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from minitf.graph import (
    InteractiveSession,
    Operation,
    Session,
    Tensor,
    errors,
    get_default_session,
    global_variables_initializer,
    gradients,
    graph_function,
    group,
    initialize_all_variables,
    local_variables_initializer,
    no_op,
    placeholder,
    placeholder_with_default,
    set_random_seed,
    variables_initializer,
)
from minitf.ops import *  # noqa: F403 - TF-named ops (tf.add, tf.matmul, ...)
from minitf.ops import __all__ as _ops_all
from minitf.ops import tf_op
from minitf.placement import device
from minitf.platform import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunMetadata,
    RunOptions,
    app,
    flags,
    gfile,
)
from minitf.platform import tf_io as io
from minitf.platform import tf_logging as logging

VariableV1 = Variable

__version__ = "0.1.0"

_LAZY_SUBPACKAGES = ("summary", "viz", "sharding")  # optional dependencies: load on first use

__all__ = sorted({
    "checkpoint", "data", "layers", "linalg", "math", "random", "losses", "metrics", "nn",
    "ops", "train", "dtypes", "initializers", "control_flow", "AUTO_REUSE", "Dimension",
    "Graph", "GraphKeys", "LazyTensor", "PartitionedVariable",
    "Template", "TensorShape", "Transformed", "Variable", "VariableV1", "VariableInfo",
    "VariableScope", "add_to_collection", "add_to_collections", "assign", "assign_add",
    "assign_sub", "case", "cond", "control_dependencies", "fixed_size_partitioner",
    "get_collection",
    "get_collection_ref", "get_default_graph", "get_name_scope", "get_variable",
    "get_variable_scope", "global_variables", "local_variables", "make_template",
    "merge_params", "name_scope", "next_rng_key", "params_in_scope", "remat",
    "reset_default_graph", "scope_matches", "split_params", "trainable_variables",
    "transform", "variable_scope", "vmap", "while_loop", "as_dtype", "DType", "bfloat16",
    "bool", "complex64", "complex128", "double", "float16", "float32", "float64", "half",
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "constant_initializer", "glorot_normal_initializer", "glorot_uniform_initializer",
    "ones_initializer", "orthogonal_initializer", "random_normal_initializer",
    "random_uniform_initializer", "truncated_normal_initializer",
    "variance_scaling_initializer", "zeros_initializer", "tf_op", "InteractiveSession",
    "Session", "global_variables_initializer", "initialize_all_variables",
    "local_variables_initializer", "set_random_seed", "variables_initializer",
    "Operation", "Tensor", "errors", "get_default_session", "gradients", "graph_function",
    "group", "no_op", "placeholder", "placeholder_with_default", "disable_eager_execution",
    "enable_eager_execution", "executing_eagerly", "app", "flags", "gfile", "io", "logging",
    "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunMetadata", "RunOptions",
    "__version__", *_ops_all, *_LAZY_SUBPACKAGES,
})


def __getattr__(name: str) -> object:
    """`tf.summary`, `tf.viz`, `tf.sharding` import their optional dependencies on first use."""
    if name in _LAZY_SUBPACKAGES:
        import importlib

        return importlib.import_module(f"minitf.{name}")
    raise AttributeError(f"module 'minitf' has no attribute {name!r}")
