"""minitf: TensorFlow 1.x scoping on JAX.

`import minitf as tf` gives TF1's variable_scope / name_scope / get_variable /
Variable / make_template with TF1's names, reuse rules and errors; `transform`
turns a model function written that way into pure `init` / `apply` functions
for jit, grad and optax.
"""
from minitf import layers, losses, nn, train
from minitf.placement import device
from minitf import contrib
from minitf.core import lift as control_flow
from minitf.core import dtypes
from minitf.core import initializers
from minitf.core.arraylike import LazyTensor
from minitf.core.lift import cond, remat, scan, vmap, while_loop
from minitf.core.assign import assign, assign_add, assign_sub
from minitf.core.frame import (Graph, GraphKeys, add_to_collection, add_to_collections,
                           get_collection, get_collection_ref, get_default_graph,
                           get_name_scope, global_variables, local_variables,
                           reset_default_graph, trainable_variables)
from minitf.core.params import merge_params, params_in_scope, scope_matches, split_params
from minitf.core.partition import PartitionedVariable, fixed_size_partitioner
from minitf.core.scopes import (AUTO_REUSE, VariableScope, get_variable_scope, name_scope,
                            variable_scope)
from minitf.session import (InteractiveSession, Session, global_variables_initializer,
                             initialize_all_variables, local_variables_initializer,
                             set_random_seed)
from minitf.core.store import get_variable
from minitf.core.store import new_variable as Variable  # noqa: N812 - TF1 spelling
from minitf.core.template import Template, make_template
from minitf.core.transform import Transformed, VariableInfo, transform
from minitf.core.variables import TensorShape
from minitf.core.variables import Variable as VariableHandle
from minitf.core.dtypes import (as_dtype, bfloat16, bool, complex64, complex128, double, float16,
                           float32, float64, half, int8, int16, int32, int64, uint8, uint16,
                           uint32, uint64)
from minitf.core.initializers import (constant_initializer, glorot_normal_initializer,
                                 glorot_uniform_initializer, ones_initializer,
                                 orthogonal_initializer, random_normal_initializer,
                                 random_uniform_initializer, truncated_normal_initializer,
                                 variance_scaling_initializer, zeros_initializer)
from minitf.ops import *  # noqa: F401,F403 - TF-named math ops (tf.add, tf.matmul, ...)
from minitf.ops import tf_op

VariableV1 = Variable


def __getattr__(name):
    """Subpackages with optional dependencies (tensorboard) load on first use."""
    if name in ("summary", "viz", "sharding"):
        import importlib

        return importlib.import_module(f"minitf.{name}")
    raise AttributeError(f"module 'minitf' has no attribute {name!r}")


def next_rng_key():
    """A fresh rng key from the current trace (apply's `rng=`, init's rng, or the default graph)."""
    return get_default_graph().next_rng_key()

__version__ = "0.1.0"
