"""One process of a 2-process data + model parallel GAN run on CPU, or its reference.

    python multiprocess_worker.py --process-id I --num-processes 2 --port P --out res_I.json
    python multiprocess_worker.py --reference --out ref.json

A worker owns 2 local CPU devices; after `jax.distributed.initialize` the mesh
{"data": 2, "model": 2} spans all 4 devices of both processes (CPU collectives
over gloo). Every process builds the same minitf model, `init`s it with the
same rng, places it by its `sharding=` annotations, feeds only its own rows of
the global batch and runs 3 data-parallel steps. It writes the final metrics
and the full (gathered) params as JSON. `--reference` runs the same global
batches with plain `jax.jit` on one device in one process.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

LOCAL_DEVICES = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--process-id", type=int, default=0)
    parser.add_argument("--num-processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()

    if not args.reference:  # must precede the jax import: the device count is fixed then
        os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={LOCAL_DEVICES}"
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    import jax
    import numpy as np

    from models import make_gan, run_single_device

    model, init_args, step, opt_init, batches = make_gan(sharded=True)
    result: dict = {}
    if args.reference:
        params, metrics = run_single_device(model, init_args, step, opt_init, batches)
    else:
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        jax.distributed.initialize(coordinator_address=f"127.0.0.1:{args.port}",
                                   num_processes=args.num_processes,
                                   process_id=args.process_id, initialization_timeout=60)
        from jax.experimental import multihost_utils

        from minitf import sharding as sh

        mesh = sh.make_mesh({"data": args.num_processes, "model": LOCAL_DEVICES})
        params = model.init(jax.random.PRNGKey(0), *init_args)   # same values in every process
        shardings = sh.param_shardings(model, mesh)
        params = sh.shard_params(params, model, mesh)
        opt_state = opt_init(params)
        dp_step = sh.data_parallel_step(step, mesh, shardings)
        for batch in batches:
            rows = _local_rows(mesh, len(batch[0]))
            local = tuple(x[rows] for x in batch)               # this process's rows only
            params, opt_state, metrics = dp_step(params, opt_state,
                                                 *sh.shard_batch(local, mesh, process_local=True))
        w = params["discriminator/hidden/w"]
        result = {"process_count": jax.process_count(), "global_devices": jax.device_count(),
                  "local_devices": jax.local_device_count(), "rows": [rows.start, rows.stop],
                  "sharded_spec": str(tuple(w.sharding.spec)), "global_shape": list(w.shape),
                  "local_shard_shapes": [list(s.data.shape) for s in w.addressable_shards],
                  "fully_addressable": w.is_fully_addressable}
        params = multihost_utils.process_allgather(params, tiled=True)
    params = {k: np.asarray(v, np.float64) for k, v in params.items()}
    result.update({
        "metrics": {k: float(v) for k, v in metrics.items()},
        "checksum": float(sum(np.sum(v) for v in params.values())),
        "params": {k: v.ravel().tolist() for k, v in params.items()},
    })
    with open(args.out, "w") as f:
        json.dump(result, f)
    if not args.reference:
        jax.distributed.shutdown()
    return 0


def _local_rows(mesh, batch_size: int) -> slice:
    """The rows of the global batch that this process's devices hold on the data axis."""
    import jax
    from jax.sharding import NamedSharding, PartitionSpec

    index_map = NamedSharding(mesh, PartitionSpec("data")).addressable_devices_indices_map(
        (batch_size,))
    starts = [idx[0].indices(batch_size) for idx in index_map.values()]
    start, stop = min(s[0] for s in starts), max(s[1] for s in starts)
    assert (stop - start) * jax.process_count() == batch_size, "data rows not contiguous"
    return slice(start, stop)


if __name__ == "__main__":
    sys.exit(main())
