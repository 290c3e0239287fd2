"""`tf.data`: TF1's input pipelines (`Dataset`) and their graph iterators.

The pipeline runs on the host in NumPy; `iterator.get_next()` tensors are fed
by `Session.run` from it, so `sess.run(train_op)` trains without a feed_dict.
"""
from minitf.data.dataset import Dataset
from minitf.data.iterator import Iterator, make_initializable_iterator, make_one_shot_iterator

__all__ = ["Dataset", "Iterator", "make_initializable_iterator", "make_one_shot_iterator"]
