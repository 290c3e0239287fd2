"""`tf.nn`: TF1's neural-network ops, RNN cells and RNN drivers, on JAX.

Activations, cross-entropy losses and array ops take TF's `name=` (they claim the
op name in the current name scope). `rnn_cell` holds the cells; `dynamic_rnn`,
`static_rnn` and `bidirectional_dynamic_rnn` drive them with TF1's scoping.
"""
from minitf.nn import rnn_cell
from minitf.nn.activations import (elu, leaky_relu, log_softmax, relu, relu6, selu, sigmoid,
                                   softmax, softplus, softsign, swish, tanh)
from minitf.nn.cross_entropy import (l2_loss, sigmoid_cross_entropy_with_logits,
                                     softmax_cross_entropy_with_logits,
                                     softmax_cross_entropy_with_logits_v2,
                                     sparse_softmax_cross_entropy_with_logits)
from minitf.nn.ops import (avg_pool, avg_pool2d, batch_normalization, bias_add, conv2d, dropout,
                           embedding_lookup, l2_normalize, max_pool, max_pool2d, moments)
from minitf.nn.conv_ops import (atrous_conv2d, atrous_conv2d_transpose, conv1d,
                                   conv1d_transpose, conv2d_transpose, conv3d, conv3d_transpose,
                                   convolution, depthwise_conv2d, separable_conv2d)
from minitf.nn.ops import local_response_normalization, lrn, xw_plus_b
from minitf.nn.rnn import (bidirectional_dynamic_rnn, dynamic_rnn, static_bidirectional_rnn,
                           static_rnn)

__all__ = [
    "rnn_cell", "dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn",
    "relu", "relu6", "elu", "selu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax",
    "softplus", "softsign", "swish",
    "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
    "l2_loss", "bias_add", "dropout", "moments", "embedding_lookup", "batch_normalization",
    "l2_normalize", "conv2d", "max_pool", "max_pool2d", "avg_pool", "avg_pool2d",
    "static_bidirectional_rnn", "convolution", "conv1d", "conv3d", "conv2d_transpose",
    "conv1d_transpose", "conv3d_transpose", "atrous_conv2d", "atrous_conv2d_transpose",
    "depthwise_conv2d", "separable_conv2d", "xw_plus_b", "lrn", "local_response_normalization",
]
