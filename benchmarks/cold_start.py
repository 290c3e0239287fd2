"""Cold start: the first init in a fresh process, its peak memory, and `jax.jit(init)`.

Every figure here comes from a new Python process (`python cold_start.py
--child ...`), so nothing is compiled or cached yet: what a script or a
notebook's first cell pays. A child imports only its own framework, builds a
model, and reports the seconds of its first init call, of a second init (warm,
same process, a fresh model object), and its peak resident memory (`ru_maxrss`)
right after the first init. The parent runs the children round-robin over the
implementations, several times, and reports medians.

Models: the parameter-scaling layout at 100, 400 and 16,000 variables (blocks
of two layers, each three [16, 16] Glorot-uniform kernels and a zero [16]
bias), and the 200-layer MLP of width 64 (400 variables). `jax.jit(init)` is
timed on the MLP (its first call: trace, compile, run).
"""
from __future__ import annotations

import json
import os
import pathlib
import resource
import subprocess
import sys
import time
from typing import Any, Callable

import numpy as np

from timing import HAND, Table, print_table

HERE = pathlib.Path(__file__).resolve().parent
IMPLS = (HAND, "minitf", "Haiku", "Flax", "TF1 (Session)")
SIZES = (100, 400, 16000)


# -- the child: one measurement in this fresh process -------------------------------------------

FRAMEWORK_MODULES = {HAND: (), "minitf": ("minitf", "minitf.nn"), "Haiku": ("haiku",),
                     "Flax": ("flax.linen",), "TF1 (Session)": ()}


def _maker(kind: str, impl: str, size: int) -> Callable[[], Any]:
    """A callable doing one init of a fresh model (imports happen here, before timing)."""
    import importlib

    for module in FRAMEWORK_MODULES[impl]:  # only this implementation's framework
        importlib.import_module(module)
    if kind == "params":
        import param_scaling

        fn = {HAND: param_scaling.hand_init, "minitf": param_scaling.minitf_init,
              "Haiku": param_scaling.haiku_init, "Flax": param_scaling.flax_init,
              "TF1 (Session)": param_scaling.tf1_init}[impl]
        if impl == "TF1 (Session)":
            from timing import tf1

            tf1()
        return lambda: fn(size)
    import deep_mlp

    cls = {HAND: deep_mlp.HandJax, "minitf": deep_mlp.Minitf, "Haiku": deep_mlp.Haiku,
           "Flax": deep_mlp.Flax, "TF1 (Session)": deep_mlp.TF1}[impl]
    model_impl = cls(size)
    x = deep_mlp.inputs()
    import jax

    if kind == "mlp":
        if impl == "TF1 (Session)":
            from timing import tf1

            tf1()
            return model_impl.run_init
        return lambda: model_impl.init(model_impl.build(), jax.random.PRNGKey(0), x)
    assert kind == "jit_init"

    def jit_init() -> Any:
        model = model_impl.build()
        return jax.jit(lambda rng, x: model_impl.init(model, rng, x))(jax.random.PRNGKey(0), x)

    return jit_init


def child(kind: str, impl: str, size: int) -> dict[str, float]:
    import jax

    started = time.perf_counter()
    fn = _maker(kind, impl, size)
    jax.block_until_ready(jax.numpy.zeros(()))  # the backend is up before the clock starts
    imported = time.perf_counter()
    jax.block_until_ready(fn())
    first = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    jax.block_until_ready(fn())
    second = time.perf_counter()
    return {"setup_s": imported - started, "first_s": first - imported,
            "second_s": second - first, "rss_mib": rss, "load1": os.getloadavg()[0]}


# -- the parent: children round-robin ------------------------------------------------------------

def measure(kind: str, impl: str, size: int, timeout: float = 600) -> dict[str, float] | None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(HERE), str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, str(HERE / "cold_start.py"), "--child", kind, impl,
                           str(size)], capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        print(f"  {kind} {impl} {size}: child failed\n{proc.stderr[-2000:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _round_robin(kind: str, size: int, impls: tuple[str, ...], repeats: int
                 ) -> dict[str, list[dict[str, float]]]:
    runs: dict[str, list[dict[str, float]]] = {impl: [] for impl in impls}
    for r in range(repeats):
        for impl in impls[r % len(impls):] + impls[:r % len(impls)]:
            out = measure(kind, impl, size)
            if out is not None:
                runs[impl].append(out)
            print(f"  {kind} {size} {impl}: {out} (load {os.getloadavg()[0]:.2f})", flush=True)
    return {impl: v for impl, v in runs.items() if v}


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def run(quick: bool = False) -> list[Table]:
    repeats = 1 if quick else 3
    tables = []
    cases = [("params", n, f"{n:,} variables (parameter-scaling layout)") for n in
             ((100, 400) if quick else SIZES)]
    cases.append(("mlp", 50 if quick else 200,
                  f"{50 if quick else 200}-layer MLP (width 64, {100 if quick else 400} "
                  "variables)"))
    for kind, size, label in cases:
        impls = IMPLS if size <= 400 or kind == "mlp" else IMPLS[:-1]  # TF1: ~100 s at 16k
        load_before = _load()
        runs = _round_robin(kind, size, impls, repeats)
        first = Table(f"first init in a fresh process, {label}", target=1.2,
                      extra_columns=("warm (2nd) init", "import + setup", "load (1 min)"),
                      why="see the profile note",
                      note="Seconds of the first `init` call in a new process (everything "
                           "compiled on the way counts); *warm (2nd) init*: a second init of a "
                           "fresh model object in that process; *import + setup*: importing the "
                           "framework and building the inputs, not in the figure. "
                           f"{repeats} fresh processes per implementation, round-robin; load "
                           f"average (1 / 5 / 15 min) before: {load_before}." +
                           (" TF1 at 16,000 variables (about 100 s a run) is left out."
                            if impls != IMPLS else ""))
        first.add_all({impl: [r["first_s"] for r in v] for impl, v in runs.items()}, **{
            "warm (2nd) init": {impl: f"{np.median([r['second_s'] for r in v]):.3f} s"
                                for impl, v in runs.items()},
            "import + setup": {impl: f"{np.median([r['setup_s'] for r in v]):.2f} s"
                               for impl, v in runs.items()},
            "load (1 min)": {impl: f"{np.median([r['load1'] for r in v]):.2f}"
                             for impl, v in runs.items()}})
        rss = Table(f"peak RSS after the first init in a fresh process, {label}", target=1.1,
                    unit=lambda mib: f"{mib:.0f} MiB",
                    why="see the profile note",
                    note="`ru_maxrss` of the child right after its first init (imports "
                         "included: each child imports only its own framework); median over "
                         "the same processes; target: hand JAX's + 10%.")
        rss.add_all({impl: [r["rss_mib"] for r in v] for impl, v in runs.items()})
        for t in (first, rss):
            print_table(t)
        tables += [first, rss]

    # jax.jit(model.init) of the MLP: one fresh process each (hand JAX's takes ~10-30 s).
    layers = 50 if quick else 200
    impls = (HAND, "minitf", "Haiku", "Flax")
    load_before = _load()
    runs = _round_robin("jit_init", layers, impls, 1)
    jit_init = Table(f"`jax.jit(model.init)` first call, {layers}-layer MLP (width 64, "
                     f"{2 * layers} variables), fresh process", target=1.0,
                     extra_columns=("load (1 min)",),
                     why="see the profile note",
                     note="Trace + XLA compile + run of the jitted init, the first call in a "
                          "new process (one process each: the figure is seconds, the noise a "
                          f"few percent). Load average before: {load_before}.")
    jit_init.add_all({impl: [r["first_s"] for r in v] for impl, v in runs.items()},
                     **{"load (1 min)": {impl: f"{v[0]['load1']:.2f}" for impl, v in runs.items()}})
    print_table(jit_init)
    tables.append(jit_init)
    return tables


def check() -> None:
    """A child runs and reports sane figures for each kind."""
    for kind, size in (("params", 8), ("mlp", 2), ("jit_init", 2)):
        out = measure(kind, "minitf", size)
        assert out is not None and out["first_s"] > 0 and out["rss_mib"] > 0, (kind, out)
    print("  cold: fresh-process children run (params, mlp, jit_init)")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        sys.exit("usage: cold_start.py --child KIND IMPL SIZE (run via benchmarks/run.py)")
