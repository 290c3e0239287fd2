"""Save/restore throughput (MB/s) of a ~100 MB params dict: minitf's Saver, TF's.

    python benchmarks/checkpoint_io.py [--mb 100] [--repeats 3] [--npz-rev REV] [--no-tf] [--pure-crc]

Prints one line per (implementation, operation) with the median of `--repeats`
runs. `--npz-rev REV` also measures the retired `.npz` Saver, loaded from
`git show REV:minitf/checkpoint/saver.py` (e.g. f798bcd, the last commit with it).
Not part of `make test`: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from typing import Any, Callable

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)


def make_params(mb: int) -> dict[str, np.ndarray]:
    """`mb` MB of float32 in 4 MB tensors (plus a few small ones)."""
    rng = np.random.default_rng(0)
    n = max(1, mb // 4)
    params = {f"layer_{i:03d}/kernel": rng.standard_normal((1024, 1024), dtype=np.float32)
              for i in range(n)}
    params.update({f"layer_{i:03d}/bias": rng.standard_normal(1024, dtype=np.float32)
                   for i in range(n)})
    return params


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_saver(saver_cls: type, params: dict, repeats: int, label: str) -> None:
    import jax
    import jax.numpy as jnp

    jparams = {k: jnp.asarray(v) for k, v in params.items()}
    mb = sum(v.nbytes for v in params.values()) / 1e6
    with tempfile.TemporaryDirectory() as d:
        saver = saver_cls(max_to_keep=2)
        step = iter(range(10**6))
        t_save = _median_time(lambda: saver.save(jparams, os.path.join(d, "model"),
                                                 global_step=next(step)), repeats)
        prefix = saver.save(jparams, os.path.join(d, "model"), global_step=next(step))

        def restore() -> None:
            out = saver.restore(prefix, jparams)
            jax.block_until_ready(out)

        t_restore = _median_time(restore, repeats)
    print(f"{label:<28} save {mb / t_save:8.1f} MB/s ({t_save:.3f} s)   "
          f"restore {mb / t_restore:8.1f} MB/s ({t_restore:.3f} s)", flush=True)


def bench_tf(params: dict, repeats: int) -> None:
    import tensorflow.compat.v1 as tf1

    tf1.disable_v2_behavior()
    mb = sum(v.nbytes for v in params.values()) / 1e6
    graph = tf1.Graph()
    with graph.as_default():
        for name, value in params.items():
            tf1.get_variable(name, initializer=tf1.constant(value))
        saver = tf1.train.Saver(max_to_keep=2)
        init = tf1.global_variables_initializer()
    with tempfile.TemporaryDirectory() as d, tf1.Session(graph=graph) as sess:
        sess.run(init)
        step = iter(range(10**6))
        t_save = _median_time(lambda: saver.save(sess, os.path.join(d, "model"),
                                                 global_step=next(step)), repeats)
        prefix = saver.save(sess, os.path.join(d, "model"), global_step=next(step))
        t_restore = _median_time(lambda: saver.restore(sess, prefix), repeats)
    print(f"{'tf.train.Saver (TF ' + tf1.__version__ + ')':<28} save {mb / t_save:8.1f} MB/s "
          f"({t_save:.3f} s)   restore {mb / t_restore:8.1f} MB/s ({t_restore:.3f} s)", flush=True)


def load_npz_saver(rev: str) -> type:
    """The `.npz` Saver as it was at git revision `rev`."""
    source = subprocess.run(["git", "-C", REPO, "show", f"{rev}:minitf/checkpoint/saver.py"],
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("_npz_saver")
    module.__file__ = f"<git {rev}>"
    sys.modules[module.__name__] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module.Saver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--npz-rev", default=None, help="also measure the .npz Saver of this git revision")
    parser.add_argument("--no-tf", action="store_true", help="skip TensorFlow's Saver")
    parser.add_argument("--pure-crc", action="store_true",
                        help="minitf without the optional google-crc32c accelerator (numpy CRC)")
    args = parser.parse_args()
    params = make_params(args.mb)
    print(f"{sum(v.nbytes for v in params.values()) / 1e6:.1f} MB in {len(params)} tensors, "
          f"median of {args.repeats}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    if args.npz_rev:
        bench_saver(load_npz_saver(args.npz_rev), params, args.repeats, f"npz Saver ({args.npz_rev})")
    from minitf.train import Saver

    from minitf.checkpoint import crc32c

    label = "minitf Saver (TF bundle)"
    if args.pure_crc:
        crc32c._HAVE_C = False
        label = "minitf Saver, numpy CRC"
    elif crc32c._HAVE_C:
        label = "minitf Saver, C CRC"
    bench_saver(Saver, params, args.repeats, label)
    if not args.no_tf:
        bench_tf(params, args.repeats)


if __name__ == "__main__":
    main()
