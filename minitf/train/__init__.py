"""Checkpoints for minitf parameter dicts.

* :class:`Saver` / :func:`latest_checkpoint`: minitf's own crash-safe,
  pickle-free checkpoints of flat ``{"scope/name": array}`` dicts.
* :func:`load_checkpoint`, :func:`list_variables`, :func:`init_from_checkpoint`:
  read TF1 ``tf.train.Saver`` (V2 bundle) checkpoints without TensorFlow, and
  minitf checkpoints through the same entry points.

Only numpy, jax (and its ml_dtypes) and the standard library are imported;
jax itself is loaded lazily, when arrays are handed back.
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
