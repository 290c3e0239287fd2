"""TF-named ops against real TF1 where their arguments have TF1-only spellings."""
import re

import numpy as np
import pytest

import minitf as tf
from tf_reference import tf1

X = np.arange(6, dtype=np.float32).reshape(2, 3)
REDUCTIONS = ["reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod",
              "reduce_logsumexp"]


def _value(tf_module, name, **kwargs):
    """The same TF1 program under either library: build the op, run it in a session."""
    with tf_module.Graph().as_default(), tf_module.Session() as sess:
        return sess.run(getattr(tf_module, name)(tf_module.constant(X), **kwargs))


def _tf1_value(name, **kwargs):
    return _value(tf1, name, **kwargs)


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("kwargs", [dict(reduction_indices=[1], keep_dims=True),
                                    dict(axis=0, keep_dims=False), dict(reduction_indices=1)])
def test_reductions_take_tf1s_old_argument_names(name, kwargs):
    got = _value(tf, name, **kwargs)
    np.testing.assert_allclose(got, _tf1_value(name, **kwargs), rtol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(axis=1, reduction_indices=1), "Cannot specify both 'reduction_indices' and 'axis'."),
    (dict(keepdims=True, keep_dims=True), "Cannot specify both 'keep_dims' and 'keepdims'."),
])
def test_both_spellings_are_tfs_value_error(kwargs, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        _value(tf, "reduce_mean", **kwargs)
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        _tf1_value("reduce_mean", **kwargs)
