"""Checkpoints for minitf parameter dicts.

* :class:`Saver` / :func:`latest_checkpoint`: minitf's own crash-safe,
  pickle-free checkpoints of flat ``{"scope/name": array}`` dicts.
* :func:`load_checkpoint`, :func:`list_variables`, :func:`init_from_checkpoint`:
  read TF1 ``tf.train.Saver`` (V2 bundle) checkpoints without TensorFlow, and
  minitf checkpoints through the same entry points.

The checkpoint modules use only numpy, ml_dtypes (jax's dtype package) and
the standard library, and import jax lazily, when arrays are handed back.
"""

from minitf.train.checkpoint import CheckpointFormatError, CheckpointReader, Saver, latest_checkpoint
from minitf.train.tf_bundle import TFCheckpointReader, init_from_checkpoint, list_variables, load_checkpoint

__all__ = [
    "Saver",
    "latest_checkpoint",
    "load_checkpoint",
    "list_variables",
    "init_from_checkpoint",
    "CheckpointReader",
    "TFCheckpointReader",
    "CheckpointFormatError",
]

# Optimizers (TF1 update rules on JAX) and var_list selection.
from minitf.train.optimizers import (AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer,  # noqa: E402
                                     Optimizer, OptimizerState, RMSPropOptimizer)
from minitf.train.selection import resolve_var_list, scope_labels, select  # noqa: E402
from minitf.train.train_step import TrainState, TrainStep  # noqa: E402

__all__ += ["Optimizer", "OptimizerState", "GradientDescentOptimizer", "MomentumOptimizer",
            "AdamOptimizer", "RMSPropOptimizer", "TrainStep", "TrainState", "resolve_var_list",
            "select", "scope_labels"]
