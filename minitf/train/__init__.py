"""`tf.train`: TF1's optimizers and `var_list` selection, and (from
`minitf.checkpoint`) the Saver and TF1 checkpoint reading, as TF1 spells them.
"""

from minitf.checkpoint import (
    CheckpointFormatError,
    CheckpointReader,
    CorruptCheckpointError,
    TFCheckpointReader,
    get_checkpoint_state,
    init_from_checkpoint,
    latest_checkpoint,
    list_variables,
    load_checkpoint,
    update_checkpoint_state,
)
from minitf.graph.saver import Saver  # the functional Saver, plus save(sess, ...) in a graph

__all__ = [
    "CheckpointFormatError",
    "CheckpointReader",
    "CorruptCheckpointError",
    "Saver",
    "TFCheckpointReader",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "update_checkpoint_state",
]

# Optimizers (TF1 update rules on JAX) and var_list selection.
from minitf.train.optimizers import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    OptimizerState,
    RMSPropOptimizer,
)
from minitf.train.selection import resolve_var_list, scope_labels, select
from minitf.train.train_step import TrainState, TrainStep

__all__ += [
    "AdagradOptimizer",
    "AdamOptimizer",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "Optimizer",
    "OptimizerState",
    "RMSPropOptimizer",
    "TrainState",
    "TrainStep",
    "resolve_var_list",
    "scope_labels",
    "select",
]

from minitf.train.global_step import create_global_step, get_global_step, get_or_create_global_step  # noqa: E402

__all__ += ["create_global_step", "get_global_step", "get_or_create_global_step"]

from minitf.train.learning_rate_decay import (  # noqa: E402
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    natural_exp_decay,
    piecewise_constant,
    polynomial_decay,
)

__all__ += ["cosine_decay", "exponential_decay", "inverse_time_decay", "natural_exp_decay",
            "piecewise_constant", "polynomial_decay"]

from minitf.train.moving_averages import ExponentialMovingAverage  # noqa: E402

__all__ += ["ExponentialMovingAverage"]

from minitf.train.monitored_session import (  # noqa: E402
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
    Scaffold,
    SingularMonitoredSession,
)
from minitf.train.session_run_hooks import (  # noqa: E402
    CheckpointSaverHook,
    FeedFnHook,
    FinalOpsHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SecondOrStepTimer,
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
)

__all__ += [
    "CheckpointSaverHook",
    "ChiefSessionCreator",
    "FeedFnHook",
    "FinalOpsHook",
    "LoggingTensorHook",
    "MonitoredSession",
    "MonitoredTrainingSession",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "Scaffold",
    "SecondOrStepTimer",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "SingularMonitoredSession",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
]
