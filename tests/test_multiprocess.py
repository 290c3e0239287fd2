"""Two CPU processes train one model together, as two hosts would.

Starts `tests/dist/multiprocess_worker.py` twice (process 0 and 1 of a
`jax.distributed` job on a free local port, 2 CPU devices each, gloo
collectives) plus a single-process reference, then checks that both workers
exit 0, report the same params bit for bit, and match the reference to 1e-5.
"""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

import numpy as np

WORKER = pathlib.Path(__file__).parent / "dist" / "multiprocess_worker.py"
TIMEOUT_S = 120
TOL = 1e-5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_all(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    env["JAX_PLATFORMS"] = "cpu"
    env["JAX_DISABLE_MOST_OPTIMIZATIONS"] = "1"   # compile-bound; SPMD partitioning still runs
    port = _free_port()
    outs = [tmp_path / f"process_{i}.json" for i in range(2)] + [tmp_path / "reference.json"]
    commands = [[sys.executable, str(WORKER), "--process-id", str(i), "--num-processes", "2",
                 "--port", str(port), "--out", str(outs[i])] for i in range(2)]
    commands.append([sys.executable, str(WORKER), "--reference", "--out", str(outs[2])])
    procs = []
    try:
        for cmd in commands:
            procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True))
        deadline = time.monotonic() + TIMEOUT_S   # one budget for all three
        logs = [p.communicate(timeout=max(1.0, deadline - time.monotonic()))[0] for p in procs]
    finally:
        for p in procs:           # never leave a worker behind (e.g. one blocked on its peer)
            if p.poll() is None:
                p.kill()
                p.wait()
    for name, p, log in zip(["process 0", "process 1", "reference"], procs, logs, strict=True):
        assert p.returncode == 0, f"{name} exited {p.returncode}:\n{log[-4000:]}"
    return [json.loads(o.read_text()) for o in outs]


def test_two_processes_match_each_other_and_single_process(tmp_path):
    p0, p1, ref = _run_all(tmp_path)
    for i, res in enumerate((p0, p1)):
        assert res["process_count"] == 2 and res["global_devices"] == 4
        assert res["local_devices"] == 2
        assert res["rows"] == [8 * i, 8 * i + 8]           # each fed only its half of the batch
        # a weight sharded on "model": each process holds two (16, 16) halves of (16, 32)
        assert res["sharded_spec"] == "(None, 'model')" and res["global_shape"] == [16, 32]
        assert res["local_shard_shapes"] == [[16, 16], [16, 16]]
        assert res["fully_addressable"] is False
    assert p0["params"] == p1["params"] and p0["metrics"] == p1["metrics"]
    assert p0["checksum"] == p1["checksum"]
    assert p0["params"].keys() == ref["params"].keys()
    for name, values in ref["params"].items():
        np.testing.assert_allclose(p0["params"][name], values, rtol=0, atol=TOL, err_msg=name)
    for name, value in ref["metrics"].items():
        assert abs(p0["metrics"][name] - value) < TOL, name
    assert abs(p0["checksum"] - ref["checksum"]) < TOL * 100
