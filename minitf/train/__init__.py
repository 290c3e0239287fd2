"""`tf.train`: TF1's optimizers and `var_list` selection, and (from
`minitf.checkpoint`) the Saver and TF1 checkpoint reading, as TF1 spells them.
"""

from minitf.checkpoint import (CheckpointFormatError, CheckpointReader, CorruptCheckpointError, Saver,
                               TFCheckpointReader, get_checkpoint_state, init_from_checkpoint,
                               latest_checkpoint, list_variables, load_checkpoint,
                               update_checkpoint_state)

__all__ = [
    "Saver",
    "latest_checkpoint",
    "load_checkpoint",
    "list_variables",
    "init_from_checkpoint",
    "CheckpointReader",
    "TFCheckpointReader",
    "CheckpointFormatError",
    "CorruptCheckpointError",
    "get_checkpoint_state",
    "update_checkpoint_state",
]

# Optimizers (TF1 update rules on JAX) and var_list selection.
from minitf.train.optimizers import (AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer,  # noqa: E402
                                     Optimizer, OptimizerState, RMSPropOptimizer)
from minitf.train.selection import resolve_var_list, scope_labels, select  # noqa: E402
from minitf.train.train_step import TrainState, TrainStep  # noqa: E402

__all__ += ["Optimizer", "OptimizerState", "GradientDescentOptimizer", "MomentumOptimizer",
            "AdamOptimizer", "RMSPropOptimizer", "TrainStep", "TrainState", "resolve_var_list",
            "select", "scope_labels"]

from minitf.train.global_step import (create_global_step, get_global_step,  # noqa: E402
                                      get_or_create_global_step)

__all__ += ["create_global_step", "get_global_step", "get_or_create_global_step"]
