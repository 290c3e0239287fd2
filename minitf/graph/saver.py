"""TF1's `tf.train.Saver` on a session: `save(sess, path)` / `restore(sess, path)`.

The files are the functional Saver's (`minitf.checkpoint.saver`): TensorFlow's
V2 bundle (`.index` + `.data-00000-of-00001`) and the `checkpoint` state file
with `max_to_keep` rotation, staged and committed atomically. This class only
maps a graph's variables to checkpoint names and moves values between the
files and a session. Calls whose first argument is not a `Session` are the
functional API (`save(params, path)`, `restore(path, params=None)`), unchanged.

No `.meta` file (MetaGraphDef) is written: minitf graphs are not serialized.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from minitf.checkpoint.saver import Saver as _ParamsSaver
from minitf.checkpoint.saver import resolve_prefix
from minitf.checkpoint.state import STATE_FILENAME
from minitf.checkpoint.tf_bundle import TFCheckpointReader
from minitf.core.frame import GraphKeys, get_default_graph
from minitf.core.symbolic import graph_tensor
from minitf.core.tensor import Tensor
from minitf.graph.errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from minitf.graph.session import Session

__all__ = ["Saver"]

#: TF1 Saver arguments that change nothing here (sharding, meta graphs, naming of save ops).
_IGNORED = {"reshape", "sharded", "keep_checkpoint_every_n_hours", "name",
            "restore_sequentially", "saver_def", "builder", "defer_build", "allow_empty",
            "write_version", "pad_step_number", "save_relative_paths", "filename"}


def _is_variable(x: Any) -> bool:
    return hasattr(x, "op") and hasattr(x, "load") and graph_tensor(x) is not None


class Saver(_ParamsSaver):
    """TF1's Saver: a session's variables to a TF V2 checkpoint and back.

    `var_list`: None (the graph's global variables and saveable objects), a
    list of variables (saved under their op names), or a dict
    `{checkpoint_name: variable}`. Lists or dicts of strings are the
    functional API's parameter names.
    """

    def __init__(self, var_list: Any = None, max_to_keep: int | None = 5, num_shards: int = 1,
                 latest_filename: str = STATE_FILENAME, **tf_options: Any) -> None:
        unknown = set(tf_options) - _IGNORED
        if unknown:
            raise TypeError(f"Saver() got unexpected keyword arguments {sorted(unknown)}")
        self._variables: dict[str, Any] | None = None
        if isinstance(var_list, Mapping) and var_list and all(
                _is_variable(v) for v in var_list.values()):
            self._variables = {str(k): v for k, v in var_list.items()}
            var_list = None
        elif (isinstance(var_list, (list, tuple, set)) and var_list
              and all(_is_variable(v) for v in var_list)):
            self._variables = {}
            for v in var_list:
                name = v.op.name
                if name in self._variables:
                    raise ValueError(f"At least two variables have the same name: {name}")
                self._variables[name] = v
            var_list = None
        elif var_list is None:
            graph = get_default_graph()
            if graph.is_graph_mode:
                found = _graph_variables(graph)
                self._variables = found or None  # empty: resolved from the session later
        super().__init__(var_list, max_to_keep=max_to_keep, num_shards=num_shards,
                         latest_filename=latest_filename)

    def _session_variables(self, sess: Session) -> dict[str, Any]:
        if self._variables is not None:
            return self._variables
        if self._names is not None:  # names given as strings: the graph's variables by name
            by_name = sess.graph.variables_by_name
            missing = sorted(p for p in self._names.values() if p not in by_name)
            if missing:
                raise ValueError(f"var_list names variables not in the graph: {missing}")
            return {c: by_name[p] for c, p in self._names.items()}
        found = _graph_variables(sess.graph)
        if not found:
            raise ValueError("No variables to save")
        return found

    # -- save ----------------------------------------------------------------------
    def save(self, sess: Any, save_path: Any, global_step: Any = None,  # type: ignore[override]
             latest_filename: str | None = None, meta_graph_suffix: str = "meta",
             write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str:
        """Writes the session's variables; returns the prefix (`save_path-<step>`)."""
        if not isinstance(sess, Session):
            return super().save(sess, save_path, global_step)
        variables = self._session_variables(sess)
        values = sess.variable_values()
        params: dict[str, np.ndarray] = {}
        for ckpt_name, var in variables.items():
            name = var.op.name
            if name not in values:
                raise FailedPreconditionError(
                    None, None, f"Attempting to use uninitialized value {name}\n"
                    f"\t [[{{{{node save/SaveV2}}}}]]")
            # TF's dtype: an int64 kept 32-bit (JAX's x64 mode off) is saved as int64.
            params[ckpt_name] = np.asarray(values[name], dtype=var.dtype)
        if isinstance(global_step, Tensor) or _is_variable(global_step):
            global_step = sess.run(global_step)
        return super().save(params, save_path, global_step)

    # -- restore -------------------------------------------------------------------
    def restore(self, sess: Any, save_path: Any = None,  # type: ignore[override]
                params: Any = None) -> Any:
        """Loads the checkpoint's values into the session's variables, by name."""
        if not isinstance(sess, Session):
            return super().restore(sess, params if params is not None else save_path)
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        path = os.fspath(save_path)
        try:
            prefix = resolve_prefix(path, self.latest_filename)
        except FileNotFoundError:
            raise ValueError(f"The passed save_path is not a valid checkpoint: {path}") from None
        reader = TFCheckpointReader(prefix)
        available = reader.get_variable_to_shape_map()
        variables = self._session_variables(sess)
        for ckpt_name in variables:
            if ckpt_name not in available:
                raise NotFoundError(None, None, _restore_error(
                    "a Variable name or other graph key that is missing",
                    f"Key {ckpt_name} not found in checkpoint"))
        saved_dtypes = reader.get_variable_to_dtype_map()
        for ckpt_name, var in variables.items():
            saved, want = np.dtype(saved_dtypes[ckpt_name]), np.dtype(var.dtype)
            if saved != want:
                raise InvalidArgumentError(None, None, _restore_error(
                    "a mismatch between the current graph and the graph",
                    f"tensor_name = {ckpt_name}; expected dtype {_tf_dtype(want)} does not "
                    f"equal original dtype {_tf_dtype(saved)}"))
        loaded = reader.read_all(sorted(variables))
        updates: dict[str, np.ndarray] = {}
        for ckpt_name, var in variables.items():
            value = np.asarray(loaded[ckpt_name])
            want = tuple(var.shape)
            if value.shape != want:
                raise InvalidArgumentError(None, None, _restore_error(
                    "a mismatch between the current graph and the graph",
                    f"Assign requires shapes of both tensors to match. lhs shape= "
                    f"{list(want)} rhs shape= {list(value.shape)}"))
            updates[var.op.name] = value
        sess.load_values(updates)
        return None


def _graph_variables(graph: Any) -> dict[str, Any]:
    """TF's default var_list: global variables and saveable objects, by op name."""
    found: dict[str, Any] = {}
    for key in (GraphKeys.GLOBAL_VARIABLES, "saveable_objects"):
        for v in graph.get_collection(key):
            if _is_variable(v):
                found.setdefault(v.op.name, v)
    return found


_TF_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_dtype(dtype: np.dtype) -> str:
    return _TF_DTYPE_NAMES.get(dtype.name, dtype.name)


def _restore_error(cause: str, original: str) -> str:
    return ("Restoring from checkpoint failed. This is most likely due to "
            f"{cause} from the checkpoint. Please ensure that you have not altered the graph "
            f"expected based on the checkpoint. Original error:\n\n{original}")
