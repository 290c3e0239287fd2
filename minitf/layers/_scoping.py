"""Where a TF1 functional layer (`tf.layers.dense`, ...) creates its variables and ops.

TF1's legacy layers build a layer object per call. Its variable scope is chosen
once (tf_keras `legacy_tf_layers/base.py`):

* `name=` given: `variable_scope(name)`; not uniquified, so a second layer with
  the same name needs `reuse=True` (else "already exists"), and shares weights;
* no name, `reuse=True`: `variable_scope(<default name>)`;
* no name: `variable_scope(None, default_name=<default name>)`: `dense`,
  `dense_1`, ... unique among the variable scopes under the current one.

Layers without variables (dropout, flatten, pooling) always take the last
form, with `name` as the default name. The layer then re-enters that scope
object with the layer's `reuse` and its original name scope (so op names read
`dense/BiasAdd`, `foo_1/BiasAdd`).
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jax.numpy as jnp

from minitf import ops as _ops
from minitf.core import (
    GraphKeys,
    VariableScope,
    add_to_collection,
    name_scope,
    variable_scope,
)
from minitf.core import dtypes as _dtypes


@contextlib.contextmanager
def layer_scope(default_name: str, name: Any, reuse: Any) -> Iterator[VariableScope]:
    """Enter the variable scope (and name scope) a TF1 functional layer runs in."""
    if name:
        capture = variable_scope(name)
    elif reuse:
        capture = variable_scope(default_name)
    else:
        capture = variable_scope(None, default_name=default_name)
    with capture as captured:
        pass
    with variable_scope(captured, reuse=reuse, auxiliary_name_scope=False) as scope:
        with name_scope(captured.original_name_scope):
            yield scope


def variable_dtype(x: Any) -> Any:
    """Legacy layers take their dtype from the first input; integer inputs get float32."""
    dtype = jnp.dtype(x.dtype)
    return dtype if jnp.issubdtype(dtype, jnp.floating) else _dtypes.float32


def add_activity_regularization(regularizer: Any, outputs: Any) -> None:
    """Keras' activity regularization: regularizer(outputs) / batch size, as a loss."""
    if regularizer is None:
        return
    with name_scope("ActivityRegularizer"):
        loss = regularizer(outputs)
        if loss is not None:
            batch = getattr(outputs.shape[0], "value", outputs.shape[0])
            if batch is None:  # unknown until run time, as TF: tf.shape(outputs)[0]
                batch = _ops.cast(_ops.shape(outputs)[0], loss.dtype)
            else:
                batch = jnp.asarray(batch, loss.dtype)
            add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss / batch)
