"""The scaffolding of TF1 programs around the model: `tf.logging`, `tf.app` (`run`,
`flags`), `tf.flags`, `tf.gfile` / `tf.io.gfile`, and the session option messages
(`tf.ConfigProto`, `tf.GPUOptions`, `tf.RunOptions`, ...). One module per job; none
of them touches the graph or JAX, so they import only `minitf.graph.errors`.
"""
from minitf.platform import app, config, flags, gfile, tf_io, tf_logging
from minitf.platform.config import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunMetadata,
    RunOptions,
)

__all__ = [
    "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunMetadata",
    "RunOptions", "app", "config", "flags", "gfile", "tf_io", "tf_logging",
]
