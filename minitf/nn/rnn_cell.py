"""`tf.nn.rnn_cell`: TF1's RNN cells (`cells`) and cell wrappers (`rnn_wrappers`) in one
namespace, as TF1 spells it."""
from minitf.nn.cells import (
                             BasicLSTMCell,
                             BasicRNNCell,
                             GRUCell,
                             LayerRNNCell,
                             LSTMCell,
                             LSTMStateTuple,
                             MultiRNNCell,
                             RNNCell,
                             assert_like_rnncell,
)
from minitf.nn.rnn_wrappers import DeviceWrapper, DropoutWrapper, ResidualWrapper

__all__ = ["BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
           "LSTMCell", "LSTMStateTuple", "LayerRNNCell", "MultiRNNCell", "RNNCell",
           "ResidualWrapper", "assert_like_rnncell"]
