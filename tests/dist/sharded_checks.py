"""Sharded / data-parallel checks on 8 simulated CPU devices; prints one JSON object.

Run by tests/test_sharding.py in a fresh process, because the device count is
fixed when jax is first imported:

    XLA_FLAGS=--xla_force_host_platform_device_count=8 python tests/dist/sharded_checks.py

Each case reports numbers (max differences against a single-device run, the
shardings and shard shapes seen, error texts); the test asserts on them.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys
import time
import traceback

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
sys.path.insert(0, str(pathlib.Path(__file__).parent))

import jax
import jax.numpy as jnp

import minitf as tf
from minitf import sharding as sh
from models import make_gan, make_rnn, max_diff, run_single_device


def run_data_parallel(mesh, model, init_args, step, opt_init, batches):
    params = model.init(jax.random.PRNGKey(0), *init_args)
    shardings = sh.param_shardings(model, mesh)
    params = sh.shard_params(params, model, mesh)
    opt_state = opt_init(params)
    dp_step = sh.data_parallel_step(step, mesh, shardings)
    for batch in batches:
        params, opt_state, metrics = dp_step(params, opt_state, *sh.shard_batch(batch, mesh))
    return params, opt_state, metrics


_REFERENCES: dict = {}


def compare(mesh, make, **kw):
    model, init_args, step, opt_init, batches = make(**kw)
    # Annotations are metadata only (the same values, the same math), so the GAN's
    # single-device reference is computed once, unannotated, and shared by both cases.
    if make not in _REFERENCES:
        _REFERENCES[make] = run_single_device(*make(), rng=0)
    ref_params, ref_metrics = _REFERENCES[make]
    params, opt_state, metrics = run_data_parallel(mesh, model, init_args, step, opt_init, batches)
    return model, params, opt_state, {
        "param_diff": max_diff(params, ref_params),
        "metric_diff": max_diff(metrics, ref_metrics),
        "metrics": {k: float(v) for k, v in metrics.items()},
        "metrics_replicated": all(v.sharding.is_fully_replicated for v in metrics.values()),
        "num_devices": len(mesh.devices.flat),
    }


def case_gan_dp():
    mesh = sh.make_mesh()
    _, params, _, out = compare(mesh, make_gan)
    out["param_specs"] = sorted({str(p.sharding.spec) for p in params.values()})
    return out


def case_gan_model_parallel():
    mesh = sh.make_mesh({"data": 4, "model": 2})
    model, params, opt_state, out = compare(mesh, make_gan, sharded=True)
    out["specs"] = {k: str(tuple(v.sharding.spec)) for k, v in params.items()}
    out["shard_shapes"] = {k: sorted({tuple(s.data.shape) for s in v.addressable_shards})
                           for k, v in params.items()}
    out["recorded"] = {k: str(v.sharding) for k, v in model.variables.items()}
    plain_model, plain_args = make_gan()[:2]
    out["init_diff_vs_unannotated"] = max_diff(model.init(0, *plain_args),
                                               plain_model.init(0, *plain_args))
    mu = opt_state[0][0].mu   # adam slots of the discriminator follow their params
    out["slot_specs"] = {k: str(tuple(v.sharding.spec)) for k, v in mu.items()}
    return out


def make_example_gan(batch: int = 16, steps: int = 3):
    """examples/gan.py's model and losses with minitf.train's Adam, fed batches from outside."""
    import importlib.util

    import numpy as np

    from minitf import train as tftrain

    spec = importlib.util.spec_from_file_location(
        "example_gan", pathlib.Path(__file__).parents[2] / "examples" / "gan.py")
    gan = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gan)
    model = gan.build_model()
    d_loss, g_loss = gan.losses(model)
    d_step = tftrain.AdamOptimizer(1e-3, beta1=0.5).minimize(d_loss, var_list="discriminator/",
                                                            model=model)
    g_step = tftrain.AdamOptimizer(1e-3, beta1=0.5).minimize(g_loss, var_list="generator/",
                                                            model=model)

    def step(params, states, z, real):
        d_state, g_state = states
        params, d_state, dl = d_step(params, d_state, z, real)
        params, g_state, gl = g_step(params, g_state, z, real)
        return params, (d_state, g_state), {"d_loss": dl, "g_loss": gl}

    def opt_init(params):
        return d_step.init(params), g_step.init(params)

    rs = np.random.RandomState(2)
    batches = [(rs.randn(batch, gan.Z_DIM).astype(np.float32),
                rs.uniform(-1, 1, (batch, gan.IMAGE)).astype(np.float32)) for _ in range(steps)]
    return model, batches[0], step, opt_init, batches


def case_gan_example():
    """The GAN of examples/gan.py (build_model + losses), when that file exists."""
    try:
        make_example_gan(steps=1)
    except (FileNotFoundError, ImportError, AttributeError) as e:
        return {"skipped": f"examples/gan.py has no usable build_model()/losses(): {e!r}"}
    mesh = sh.make_mesh()
    _, _, opt_state, out = compare(mesh, make_example_gan)
    out["slot_leaves"] = len(jax.tree.leaves(opt_state))
    return out


def case_rnn_dp():
    mesh = sh.make_mesh()
    return compare(mesh, make_rnn)[3]


def _error(fn):
    try:
        fn()
    except Exception as e:
        return {"type": type(e).__name__, "message": str(e)}
    return {"type": None, "message": "no error raised"}


def case_errors():
    mesh = sh.make_mesh()
    mesh42 = sh.make_mesh({"data": 4, "model": 2})
    model, init_args, step, opt_init, batches = make_gan()
    params = model.init(0, *init_args)
    z, real = batches[0]
    dp_step = sh.data_parallel_step(step, mesh, sh.param_shardings(model, mesh))

    def odd(x):
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [3, 5], sharding=(None, "model"))
        return x @ w

    odd_model = tf.transform(odd)
    odd_model.init(0, jnp.ones((2, 3)))

    def unknown_axis(x):
        return x @ tf.get_variable("w", [3, 4], sharding=("tensor", None))

    unknown_model = tf.transform(unknown_axis)
    unknown_model.init(0, jnp.ones((2, 3)))
    return {
        "batch": _error(lambda: sh.shard_batch((z[:12], real[:12]), mesh)),
        "step_batch": _error(lambda: dp_step(params, opt_init(params), z[:12], real[:12])),
        "dim": _error(lambda: sh.param_shardings(odd_model, mesh42)),
        "axis": _error(lambda: sh.param_shardings(unknown_model, mesh42)),
        "mesh": _error(lambda: sh.make_mesh({"data": 3})),
        "untraced": _error(lambda: sh.param_shardings(tf.transform(odd), mesh)),
    }


CASES = {"gan_dp": case_gan_dp, "gan_model_parallel": case_gan_model_parallel,
         "gan_example": case_gan_example,
         "rnn_dp": case_rnn_dp, "errors": case_errors}


def main() -> int:
    results = {"device_count": jax.device_count()}
    for name, case in CASES.items():
        start = time.perf_counter()
        try:
            results[name] = case()
        except Exception:
            results[name] = {"crashed": traceback.format_exc()}
        results[name]["seconds"] = round(time.perf_counter() - start, 2)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
