"""Checkpoint I/O with no TensorFlow: TF's V2 tensor bundle, read and written.

* :mod:`.bundle_writer` - ``write_bundle(prefix, {name: array})``;
* :mod:`.tf_bundle` - the hardened reader (``load_checkpoint``, ...);
* :mod:`.state` - the ``checkpoint`` state file (TF's semantics);
* :mod:`.saver` - ``Saver`` for flat parameter dicts;
* :mod:`.sstable`, :mod:`.crc32c`, :mod:`.fileio`, :mod:`.errors` - plumbing.

The modules use only numpy, ml_dtypes (jax's dtype package) and the standard
library, and import jax lazily, when arrays are handed back.
"""

from minitf.checkpoint.bundle_writer import Sliced, write_bundle
from minitf.checkpoint.errors import CorruptCheckpointError
from minitf.checkpoint.saver import CheckpointFormatError, Saver
from minitf.checkpoint.state import (
    CheckpointState,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
)
from minitf.checkpoint.tf_bundle import (
    CheckpointReader,
    TFCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
)

__all__ = [
    "CheckpointFormatError",
    "CheckpointReader",
    "CheckpointState",
    "CorruptCheckpointError",
    "Saver",
    "Sliced",
    "TFCheckpointReader",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "update_checkpoint_state",
    "write_bundle",
]
