"""`tf.contrib`: the parts of TF1's contrib that model code used, over minitf's own ops.

`rnn` (cells, wrappers, static/bidirectional drivers), `layers` and `slim`
(slim's layers with slim's variable names), `framework` (`arg_scope`, variable
helpers) and `seq2seq.sequence_loss`. Thin aliases wherever minitf already has
the piece; one definition each.
"""
from minitf.contrib import framework, layers, rnn, seq2seq, slim

__all__ = ["framework", "layers", "rnn", "seq2seq", "slim"]
