"""The `tf` module spec tests run against.

It is minitf; setting MINITF_SPEC_BACKEND=tf runs the same spec files against
real TensorFlow (tensorflow.compat.v1, graph mode) to check that the
expectations written down are TF's own.
"""
import os

import pytest

if os.environ.get("MINITF_SPEC_BACKEND") == "tf":
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    ON_TF = True
else:
    import minitf as tf

    ON_TF = False

minitf_only = pytest.mark.skipif(ON_TF, reason="checks a minitf extension TF lacks")
