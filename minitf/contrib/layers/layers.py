"""`tf.contrib.layers` / slim layers, with slim's scopes, variable names and collections.

Each layer with weights opens `variable_scope(scope, <default>)` (`Conv`,
`fully_connected`, `Conv2d_transpose`, `BatchNorm`, `LayerNorm`, ...) with a
custom getter that renames `kernel`/`bias` to `weights`/`biases` and makes them
model variables, then runs minitf's `tf.layers` layer in that very scope, so
the arithmetic is defined once. `normalizer_fn` replaces the biases, then
`activation_fn` (default relu) is applied; the output joins `outputs_collections`
under the scope's name. Every layer is `add_arg_scope`-decorated.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp

from minitf import layers as _layers
from minitf import ops as _ops
from minitf.contrib.arg_scope import add_arg_scope
from minitf.contrib.layers.initializers import xavier_initializer
from minitf.contrib.layers.utils import collect_named_outputs
from minitf.contrib.variables import model_variable, model_variable_getter
from minitf.core import (
    GraphKeys,
    add_to_collections,
    as_jax_array,
    assign,
    control_dependencies,
    get_default_graph,
    initializers,
    name_scope,
    unwrap,
    variable_scope,
)
from minitf.layers import core as _layers_core
from minitf.layers.normalization import bessel_factor, cast_to
from minitf.nn import activations as _activations
from minitf.nn import ops as _nn_ops

__all__ = [
    "avg_pool2d",
    "batch_norm",
    "bias_add",
    "conv2d",
    "conv2d_transpose",
    "convolution",
    "convolution2d",
    "convolution2d_transpose",
    "dropout",
    "embed_sequence",
    "flatten",
    "fully_connected",
    "layer_norm",
    "max_pool2d",
    "one_hot_encoding",
    "repeat",
    "softmax",
    "stack",
]

_RENAME = {"kernel": "weights", "bias": "biases"}


@contextlib.contextmanager
def _scope(scope: Any, default: str, reuse: Any, variables_collections: Any,
           rename: dict | None = _RENAME) -> Iterator[Any]:
    """variable_scope(scope, default) with slim's model-variable getter owning that scope."""
    getter = model_variable_getter(rename, variables_collections)
    with variable_scope(scope, default, reuse=reuse, custom_getter=getter) as sc:
        getter.owner = sc.name
        yield sc


def _channels(data_format: Any) -> str:
    if data_format is None or data_format in ("NWC", "NHWC", "NDHWC"):
        return "channels_last"
    if data_format in ("NCW", "NCHW", "NCDHW"):
        return "channels_first"
    raise ValueError(f"Invalid data_format: {data_format}")


def _post(outputs: Any, normalizer_fn: Any, normalizer_params: Any,
          activation_fn: Any, collections: Any, alias: str) -> Any:
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(collections, alias, outputs)


@add_arg_scope
def convolution(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1,
                padding: str = "SAME", data_format: str | None = None, rate: Any = 1,
                activation_fn: Callable | None = _activations.relu, normalizer_fn: Any = None,
                normalizer_params: Any = None, weights_initializer: Any = xavier_initializer(),
                weights_regularizer: Any = None,
                biases_initializer: Any = initializers.zeros_initializer(),
                biases_regularizer: Any = None, reuse: Any = None,
                variables_collections: Any = None, outputs_collections: Any = None,
                trainable: bool = True, scope: Any = None, conv_dims: int | None = None) -> Any:
    """N-D convolution (N from the input's rank, or `conv_dims`), slim's `Conv` scope."""
    x = as_jax_array(inputs)
    rank = conv_dims if conv_dims is not None else x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"Convolution expects input with rank 3, 4 or 5, got {x.ndim}")
    layer = {1: _layers.conv1d, 2: _layers.conv2d, 3: _layers.conv3d}[rank]
    with _scope(scope, "Conv", reuse, variables_collections) as sc:
        outputs = layer(x, num_outputs, kernel_size, strides=stride, padding=padding,
                        data_format=_channels(data_format), dilation_rate=rate,
                        use_bias=not normalizer_fn and biases_initializer is not None,
                        kernel_initializer=weights_initializer,
                        bias_initializer=biases_initializer,
                        kernel_regularizer=weights_regularizer,
                        bias_regularizer=biases_regularizer, trainable=trainable,
                        name=sc, reuse=reuse)
        return _post(outputs, normalizer_fn, normalizer_params, activation_fn,
                     outputs_collections, sc.name)


@add_arg_scope
def convolution2d(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1,
                  padding: str = "SAME", data_format: str | None = None, rate: Any = 1,
                  activation_fn: Callable | None = _activations.relu,
                  normalizer_fn: Any = None, normalizer_params: Any = None,
                  weights_initializer: Any = xavier_initializer(),
                  weights_regularizer: Any = None,
                  biases_initializer: Any = initializers.zeros_initializer(),
                  biases_regularizer: Any = None, reuse: Any = None,
                  variables_collections: Any = None, outputs_collections: Any = None,
                  trainable: bool = True, scope: Any = None) -> Any:
    """slim.conv2d: `convolution` on 4-D inputs."""
    return convolution.__wrapped__(
        inputs, num_outputs, kernel_size, stride, padding, data_format, rate, activation_fn,
        normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
        biases_initializer, biases_regularizer, reuse, variables_collections,
        outputs_collections, trainable, scope, conv_dims=2)


conv2d = convolution2d


@add_arg_scope
def convolution2d_transpose(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1,
                            padding: str = "SAME", data_format: str = "NHWC",
                            activation_fn: Callable | None = _activations.relu,
                            normalizer_fn: Any = None, normalizer_params: Any = None,
                            weights_initializer: Any = xavier_initializer(),
                            weights_regularizer: Any = None,
                            biases_initializer: Any = initializers.zeros_initializer(),
                            biases_regularizer: Any = None, reuse: Any = None,
                            variables_collections: Any = None, outputs_collections: Any = None,
                            trainable: bool = True, scope: Any = None) -> Any:
    """Transposed 2-D convolution in scope `Conv2d_transpose`; weights (kh, kw, out, in)."""
    with _scope(scope, "Conv2d_transpose", reuse, variables_collections) as sc:
        outputs = _layers.conv2d_transpose(
            inputs, num_outputs, kernel_size, strides=stride, padding=padding,
            data_format=_channels(data_format),
            use_bias=not normalizer_fn and biases_initializer is not None,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            trainable=trainable, name=sc, reuse=reuse)
        return _post(outputs, normalizer_fn, normalizer_params, activation_fn,
                     outputs_collections, sc.name)


conv2d_transpose = convolution2d_transpose


@add_arg_scope
def fully_connected(inputs: Any, num_outputs: int,
                    activation_fn: Callable | None = _activations.relu,
                    normalizer_fn: Any = None, normalizer_params: Any = None,
                    weights_initializer: Any = xavier_initializer(),
                    weights_regularizer: Any = None,
                    biases_initializer: Any = initializers.zeros_initializer(),
                    biases_regularizer: Any = None, reuse: Any = None,
                    variables_collections: Any = None, outputs_collections: Any = None,
                    trainable: bool = True, scope: Any = None) -> Any:
    """Dense layer over the last axis, in scope `fully_connected`: weights [in, out], biases."""
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of (int,), got {type(num_outputs)}.")
    with _scope(scope, "fully_connected", reuse, variables_collections) as sc:
        outputs = _layers.dense(
            inputs, num_outputs,
            use_bias=not normalizer_fn and biases_initializer is not None,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            trainable=trainable, name=sc, reuse=reuse)
        return _post(outputs, normalizer_fn, normalizer_params, activation_fn,
                     outputs_collections, sc.name)


def _param(params: Any, key: str, default: Any) -> Any:
    return (params or {}).get(key, default)


@add_arg_scope
def batch_norm(inputs: Any, decay: float = 0.999, center: bool = True, scale: bool = False,
               epsilon: float = 0.001, activation_fn: Callable | None = None,
               param_initializers: Any = None, param_regularizers: Any = None,
               updates_collections: Any = GraphKeys.UPDATE_OPS, is_training: Any = True,
               reuse: Any = None, variables_collections: Any = None,
               outputs_collections: Any = None, trainable: bool = True,
               batch_weights: Any = None, fused: Any = None, data_format: str = "NHWC",
               zero_debias_moving_mean: bool = False, scope: Any = None,
               renorm: bool = False, renorm_clipping: Any = None, renorm_decay: float = 0.99,
               adjustment: Any = None) -> Any:
    """slim's batch norm in scope `BatchNorm`: beta (center), gamma (scale), moving stats.

    As slim: with the default UPDATE_OPS on a 4-D input it is `tf.layers`' batch
    norm (variables gamma, beta, ...); on 2-D inputs, or with other
    `updates_collections`, slim's fused path (beta, gamma, ...), whose moving
    variance takes the batch variance with Bessel's correction. Updates are
    assignments (in a graph: assign ops; in `transform`: returned by
    `apply_with_updates`), listed in `updates_collections`; with None, TF forces
    them in place, and so does minitf in a graph (the output depends on them).
    `is_training=False` normalizes with the moving statistics. `renorm` is the layer's
    batch renormalization (TF allows it only with the default `updates_collections`).
    """
    if batch_weights is not None or adjustment is not None or zero_debias_moving_mean:
        raise NotImplementedError("batch_norm: batch_weights, adjustment and "
                                  "zero_debias_moving_mean are not supported by minitf.")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    x = as_jax_array(inputs)
    fused = True if fused is None else fused
    layer_path = not (fused and not renorm and x.ndim in (2, 4) and
                      (x.ndim == 2 or updates_collections != GraphKeys.UPDATE_OPS))
    if renorm and updates_collections != GraphKeys.UPDATE_OPS:
        raise ValueError("renorm is not supported with batch_weights, updates_collections or "
                         "zero_debias_moving_mean")
    with _scope(scope, "BatchNorm", reuse, variables_collections, rename=None) as sc:
        if layer_path and updates_collections == GraphKeys.UPDATE_OPS:
            outputs = _layers.batch_normalization(
                x, axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon,
                center=center, scale=scale,
                beta_initializer=_param(param_initializers, "beta", initializers.Zeros()),
                gamma_initializer=_param(param_initializers, "gamma", initializers.Ones()),
                moving_mean_initializer=_param(param_initializers, "moving_mean",
                                               initializers.Zeros()),
                moving_variance_initializer=_param(param_initializers, "moving_variance",
                                                   initializers.Ones()),
                beta_regularizer=_param(param_regularizers, "beta", None),
                gamma_regularizer=_param(param_regularizers, "gamma", None),
                training=is_training, trainable=trainable, name=sc, reuse=reuse, fused=fused,
                renorm=renorm, renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay)
        else:
            outputs = _slim_batch_norm(x, decay, center, scale, epsilon, param_initializers,
                                       param_regularizers, updates_collections, is_training,
                                       trainable, data_format, bessel=fused and x.ndim in (2, 4))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _slim_batch_norm(x: jax.Array, decay: float, center: bool, scale: bool, epsilon: float,
                     param_initializers: Any, param_regularizers: Any, updates_collections: Any,
                     is_training: Any, trainable: bool, data_format: str,
                     bessel: bool) -> jax.Array:
    """slim's own batch norm (its fused path, or its legacy one): beta, gamma, moving stats."""
    axis = 1 if data_format == "NCHW" and x.ndim > 2 else x.ndim - 1
    shape = [x.shape[axis]]
    broadcast = [x.shape[i] if i == axis else 1 for i in range(x.ndim)]
    reduce_axes = tuple(i for i in range(x.ndim) if i != axis)

    def var(name: str, default: Any, train: bool) -> Any:
        return model_variable(name, shape=shape, dtype=jnp.float32,
                              initializer=_param(param_initializers, name, default),
                              regularizer=_param(param_regularizers, name, None)
                              if train else None, trainable=train and trainable)

    beta = var("beta", initializers.Zeros(), True) if center else None
    gamma = var("gamma", initializers.Ones(), True) if scale else None
    moving_mean = var("moving_mean", initializers.Zeros(), False)
    moving_variance = var("moving_variance", initializers.Ones(), False)

    def shaped(v: Any) -> Any:
        return None if v is None else _ops.reshape(v, broadcast)

    xf = cast_to(x, jnp.float32)

    def normalize(mean: Any, variance: Any) -> Any:
        return cast_to(_nn_ops.batch_normalization(
            xf, shaped(mean), shaped(variance), shaped(beta), shaped(gamma), epsilon), x.dtype)

    old_mean, old_variance = unwrap(moving_mean), unwrap(moving_variance)
    if isinstance(is_training, (bool, int)) and not is_training:
        return normalize(old_mean, old_variance)
    mean, variance = _nn_ops.moments(xf, reduce_axes)
    moving_input = variance * bessel_factor(xf, reduce_axes, jnp.float32) if bessel else variance
    if isinstance(is_training, (bool, int)):
        outputs = normalize(mean, variance)
        rate: Any = 1.0 - decay
    else:
        training = as_jax_array(is_training)
        outputs = _ops.where(training, normalize(mean, variance),
                             normalize(old_mean, old_variance))
        rate = _ops.cast(training, jnp.float32) * (1.0 - decay)
    updates = []
    for variable, old, batch_value in ((moving_mean, old_mean, mean),
                                       (moving_variance, old_variance, moving_input)):
        with name_scope("AssignMovingAvg"):
            updates.append(assign(variable, old - (old - batch_value) * rate))
    if updates_collections is not None:
        for new in updates:
            add_to_collections(updates_collections, new)
        return outputs
    if not get_default_graph().is_graph_mode:
        return outputs
    with control_dependencies(updates):  # TF forces the updates in place: outputs wait
        return _ops.identity(outputs)


@add_arg_scope
def layer_norm(inputs: Any, center: bool = True, scale: bool = True,
               activation_fn: Callable | None = None, reuse: Any = None,
               variables_collections: Any = None, outputs_collections: Any = None,
               trainable: bool = True, begin_norm_axis: int = 1, begin_params_axis: int = -1,
               scope: Any = None) -> Any:
    """Normalize over axes begin_norm_axis.. (epsilon 1e-12); beta, gamma over the params axes."""
    x = as_jax_array(inputs)
    rank = x.ndim
    if begin_norm_axis < 0:
        begin_norm_axis += rank
    if begin_params_axis >= rank or begin_norm_axis >= rank:
        raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                         f"({begin_norm_axis}) must be < rank(inputs) ({rank})")
    params_shape = list(x.shape[begin_params_axis:])
    with _scope(scope, "LayerNorm", reuse, variables_collections, rename=None) as sc:
        beta = (model_variable("beta", shape=params_shape, dtype=x.dtype,
                               initializer=initializers.Zeros(), trainable=trainable)
                if center else None)
        gamma = (model_variable("gamma", shape=params_shape, dtype=x.dtype,
                                initializer=initializers.Ones(), trainable=trainable)
                 if scale else None)
        mean, variance = _nn_ops.moments(x, list(range(begin_norm_axis, rank)),
                                         keep_dims=True)
        epsilon = 1e-12 if x.dtype != jnp.float16 else 1e-3
        outputs = _nn_ops.batch_normalization(x, mean, variance, beta, gamma, epsilon)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _pool(layer: Callable, default: str, inputs: Any, kernel_size: Any, stride: Any,
          padding: str, data_format: str, outputs_collections: Any, scope: Any) -> Any:
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, default) as sc:
        outputs = layer(inputs, kernel_size, stride, padding=padding.lower(),
                        data_format=_channels(data_format))
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs: Any, kernel_size: Any, stride: Any = 2, padding: str = "VALID",
               data_format: str = "NHWC", outputs_collections: Any = None,
               scope: Any = None) -> Any:
    """2-D max pooling in name scope `MaxPool2D` (no variables)."""
    return _pool(_layers.max_pooling2d, "MaxPool2D", inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs: Any, kernel_size: Any, stride: Any = 2, padding: str = "VALID",
               data_format: str = "NHWC", outputs_collections: Any = None,
               scope: Any = None) -> Any:
    """2-D average pooling (over each window's valid elements) in name scope `AvgPool2D`."""
    return _pool(_layers.average_pooling2d, "AvgPool2D", inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: Any = None) -> Any:
    """[batch, ...] -> [batch, k], in name scope `Flatten`."""
    with name_scope(scope, "Flatten") as sc:
        x = as_jax_array(inputs)
        if x.ndim < 2:
            raise ValueError(f"Inputs must have a least 2 dimensions; got shape {x.shape}.")
        return collect_named_outputs(outputs_collections, sc,
                                     _ops.reshape(x, _layers_core.flat_shape(x)))


@add_arg_scope
def dropout(inputs: Any, keep_prob: float = 0.5, noise_shape: Any = None,
            is_training: Any = True, outputs_collections: Any = None, scope: Any = None,
            seed: Any = None) -> Any:
    """Keep each element with probability `keep_prob` when training (note: training by default)."""
    with name_scope(scope, "Dropout") as sc:
        outputs = _layers.dropout(inputs, rate=1 - keep_prob, noise_shape=noise_shape,
                                  seed=seed, training=is_training)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def bias_add(inputs: Any, activation_fn: Callable | None = None,
             initializer: Any = initializers.zeros_initializer(), regularizer: Any = None,
             reuse: Any = None, variables_collections: Any = None,
             outputs_collections: Any = None, trainable: bool = True,
             data_format: str = "NHWC", scope: Any = None) -> Any:
    """Add a learned `biases` vector along the channel axis, in scope `BiasAdd`."""
    x = as_jax_array(inputs)
    with _scope(scope, "BiasAdd", reuse, variables_collections) as sc:
        channels = x.shape[1] if data_format.startswith("NC") and x.ndim > 2 else x.shape[-1]
        biases = model_variable("biases", shape=[channels], dtype=x.dtype,
                                initializer=initializer, regularizer=regularizer,
                                trainable=trainable)
        outputs = _nn_ops.bias_add(x, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(labels: Any, num_classes: int, on_value: float = 1.0,
                     off_value: float = 0.0, outputs_collections: Any = None,
                     scope: Any = None) -> Any:
    with name_scope(scope, "OneHotEncoding") as sc:
        outputs = _ops.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits: Any, scope: Any = None) -> Any:
    """Softmax over the last axis, in name scope `softmax`."""
    with name_scope(scope, "softmax"):
        return _activations.softmax(logits, axis=-1)


def embed_sequence(ids: Any, vocab_size: int | None = None, embed_dim: int | None = None,
                   unique: bool = False, initializer: Any = None, regularizer: Any = None,
                   trainable: bool = True, scope: Any = None, reuse: Any = None) -> Any:
    """Embed a [batch, time] id tensor: model variable `EmbedSequence/embeddings` [vocab, dim]."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not reusing. "
                         f"Got vocab_size={vocab_size} and embed_dim={embed_dim}")
    with variable_scope(scope, "EmbedSequence", reuse=reuse):
        shape = [vocab_size, embed_dim] if vocab_size and embed_dim else None
        embeddings = model_variable("embeddings", shape=shape, initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        return _nn_ops.embedding_lookup(embeddings, ids)


def _layer_name(layer: Any, fallback: str) -> str:
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__
    return fallback


def repeat(inputs: Any, repetitions: int, layer: Callable, *args: Any, **kwargs: Any) -> Any:
    """Apply `layer` `repetitions` times in scope `scope` (default `Repeat`); the i-th call
    gets scope `<scope>_<i>` (`conv1/conv1_1`, `conv1/conv1_2`, ...)."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat"):
        scope = scope or _layer_name(layer, "repeat")
        outputs = inputs
        for i in range(repetitions):
            kwargs["scope"] = f"{scope}_{i + 1}"
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs: Any, layer: Callable, stack_args: Any, **kwargs: Any) -> Any:
    """Apply `layer` once per entry of `stack_args` (its extra positional arguments), in
    scope `scope` (default `Stack`), the i-th call in scope `<scope>_<i>`."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with variable_scope(scope, "Stack"):
        scope = scope or _layer_name(layer, "stack")
        outputs = inputs
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = f"{scope}_{i + 1}"
            if not isinstance(layer_args, (list, tuple)):
                layer_args = [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs
