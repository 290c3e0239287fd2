"""Checkpoint I/O with no TensorFlow: minitf's Saver and TF1's V2 tensor bundles.

The modules use only numpy, ml_dtypes (jax's dtype package) and the standard
library, and import jax lazily, when arrays are handed back.
"""
from minitf.checkpoint.saver import (CheckpointFormatError, CheckpointReader, Saver,
                                     latest_checkpoint)
from minitf.checkpoint.tf_bundle import (TFCheckpointReader, init_from_checkpoint,
                                         list_variables, load_checkpoint)

__all__ = ["Saver", "latest_checkpoint", "load_checkpoint", "list_variables",
           "init_from_checkpoint", "CheckpointReader", "TFCheckpointReader",
           "CheckpointFormatError"]
