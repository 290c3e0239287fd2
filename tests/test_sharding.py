"""minitf.sharding on 8 simulated CPU devices, checked in a subprocess.

The device count is fixed when jax is first imported, and this pytest process
already has jax with one device, so the real work runs in
`tests/dist/sharded_checks.py` under `XLA_FLAGS=--xla_force_host_platform_device_count=8`;
the tests here assert on the JSON it prints. One subprocess serves every case.
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest
from jax.sharding import PartitionSpec

import minitf as tf
from minitf import sharding as sh

SCRIPT = pathlib.Path(__file__).parent / "dist" / "sharded_checks.py"
TOL = 1e-5


@pytest.fixture(scope="module")
def results():
    # JAX_DISABLE_MOST_OPTIMIZATIONS only lowers XLA's backend (LLVM) effort: sharding
    # propagation and the SPMD partitioner still run. The checks are compile-bound; it
    # cuts their time about 3x.
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "JAX_PLATFORMS": "cpu", "JAX_DISABLE_MOST_OPTIMIZATIONS": "1"}
    proc = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["device_count"] == 8
    return out


def _case(results, name):
    case = results[name]
    assert "crashed" not in case, case.get("crashed")
    return case


def test_gan_data_parallel_matches_single_device(results):
    case = _case(results, "gan_dp")
    assert case["num_devices"] == 8
    assert case["param_diff"] < TOL and case["metric_diff"] < TOL
    assert case["param_specs"] == ["P()"]          # nothing annotated: all replicated
    assert case["metrics_replicated"]


def test_gan_model_parallel_shards_params_and_matches(results):
    case = _case(results, "gan_model_parallel")
    assert case["param_diff"] < TOL and case["metric_diff"] < TOL
    assert case["init_diff_vs_unannotated"] == 0.0  # annotations never change values
    specs, shards = case["specs"], case["shard_shapes"]
    # get_variable(..., sharding=(None, "model")) on the generator
    assert specs["generator/hidden/w"] == "(None, 'model')"
    assert shards["generator/hidden/w"] == [[8, 16]]            # (8, 32) split in 2
    # variable_scope("discriminator", sharding=(None, "model")): the scope default
    assert case["recorded"]["discriminator/hidden/w"] == "(None, 'model')"
    assert specs["discriminator/hidden/w"] == "(None, 'model')"
    assert shards["discriminator/hidden/w"] == [[16, 16]]       # (16, 32) split in 2
    # explicit annotations win over the scope default; P() means replicated
    assert specs["discriminator/out/w"] == "('model', None)"
    assert shards["discriminator/out/w"] == [[16, 1]]
    assert specs["discriminator/out/b"] == "()" and shards["discriminator/out/b"] == [[1]]
    # unannotated: replicated
    assert specs["generator/out/b"] == "()" and shards["generator/out/b"] == [[16]]
    # adam's slots live where their params do
    assert case["slot_specs"]["discriminator/hidden/w"] == "(None, 'model')"


def test_example_gan_data_parallel_matches_single_device(results):
    """examples/gan.py's model + losses, minitf.train's Adam (TrainState slots), 8 devices."""
    case = _case(results, "gan_example")
    if "skipped" in case:
        pytest.skip(case["skipped"])
    assert case["num_devices"] == 8
    assert case["param_diff"] < TOL and case["metric_diff"] < TOL


def test_rnn_data_parallel_matches_single_device(results):
    """tf.nn.dynamic_rnn + BasicLSTMCell (a scan over get_variable weights), 8 devices."""
    case = _case(results, "rnn_dp")
    assert case["num_devices"] == 8
    assert case["param_diff"] < TOL and case["metric_diff"] < TOL


@pytest.mark.parametrize("which, fragments", [
    ("batch", ["leading dimension 12", "not divisible", "'data' (size 8)"]),
    ("step_batch", ["leading dimension 12", "not divisible", "'data' (size 8)"]),
    ("dim", ["'layer/w'", "(3, 5)", "P(None, 'model')", "dimension 1 (size 5)", "(size 2)"]),
    ("axis", ["'w'", "no axis 'tensor'"]),
    ("mesh", ["has 3 devices but 8"]),
    ("untraced", ["call model.init"]),
])
def test_clear_errors(results, which, fragments):
    err = _case(results, "errors")[which]
    assert err["type"] == "ValueError", err
    for fragment in fragments:
        assert fragment in err["message"]


# -- in-process checks that need only the one device this process has ---------

def _annotated_model():
    def model(x):
        with tf.variable_scope("enc", sharding=(None, "data")):
            w = tf.get_variable("w", [3, 4])
            b = tf.get_variable("b", [4], sharding=PartitionSpec())
        return x @ w + b

    model = tf.transform(model)
    import jax.numpy as jnp

    return model, model.init(0, jnp.ones((2, 3)))


def test_param_shardings_single_device():
    model, params = _annotated_model()
    mesh = sh.make_mesh()
    shardings = sh.param_shardings(model, mesh)
    assert shardings["enc/w"].spec == PartitionSpec(None, "data")
    assert shardings["enc/b"].spec == PartitionSpec()
    placed = sh.shard_params(params, model.variables, mesh)
    assert placed["enc/w"].sharding == shardings["enc/w"]


def test_bad_annotation_type_names_variable():
    def model(x):
        return x @ tf.get_variable("w", [3, 4], sharding="data")

    model = tf.transform(model)
    import jax.numpy as jnp

    model.init(0, jnp.ones((2, 3)))
    with pytest.raises(TypeError, match="variable 'w'"):
        sh.param_shardings(model, sh.make_mesh())


@pytest.mark.parametrize("annotation, message", [
    (("data", "data"), "'data' is used for more than one dimension"),
    ((None, None, "data"), "3 entries for 2 dimensions"),
])
def test_invalid_specs_name_variable(annotation, message):
    import jax.numpy as jnp

    model = tf.transform(lambda x: x @ tf.get_variable("w", [4, 4], sharding=annotation))
    model.init(0, jnp.ones((2, 4)))
    with pytest.raises(ValueError, match=r"variable 'w' of shape \(4, 4\)") as err:
        sh.param_shardings(model, sh.make_mesh())
    assert message in str(err.value)


def test_annotation_spellings():
    from jax.sharding import NamedSharding

    mesh = sh.make_mesh()
    infos = {name: tf.VariableInfo((4, 2), "float32", True, (), annotation) for name, annotation in
             [("tuple", ("data",)), ("list", ["data", None]), ("spec", PartitionSpec("data")),
              ("named", NamedSharding(mesh, PartitionSpec(None, "data"))), ("none", None)]}
    specs = {k: v.spec for k, v in sh.param_shardings(infos, mesh).items()}
    assert specs == {"tuple": PartitionSpec("data"), "list": PartitionSpec("data", None),
                     "spec": PartitionSpec("data"), "named": PartitionSpec(None, "data"),
                     "none": PartitionSpec()}


def test_shard_params_rejects_unknown_names():
    model, params = _annotated_model()
    with pytest.raises(ValueError, match="not among the model's recorded variables"):
        sh.shard_params({**params, "other/w": params["enc/w"]}, model, sh.make_mesh())


def test_data_parallel_step_donates_and_keeps_layout():
    import jax
    import jax.numpy as jnp
    import optax

    model, params = _annotated_model()
    mesh = sh.make_mesh()
    shardings = sh.param_shardings(model, mesh)
    opt = optax.sgd(0.1, momentum=0.9)

    def step(params, opt_state, x):
        loss, grads = jax.value_and_grad(lambda p: jnp.mean(model.apply(p, x) ** 2))(params)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    dp_step = sh.data_parallel_step(step, mesh, shardings, donate=True)
    expected = jax.jit(step)(params, opt.init(params), jnp.ones((4, 3)))
    placed = sh.shard_params(params, model, mesh)
    new_params, _state, loss = dp_step(placed, opt.init(placed), jnp.ones((4, 3)))
    assert placed["enc/w"].is_deleted()           # donated
    assert new_params["enc/w"].sharding == shardings["enc/w"]
    assert abs(float(loss) - float(expected[2])) < 1e-6
    assert float(jnp.max(jnp.abs(new_params["enc/w"] - expected[0]["enc/w"]))) < 1e-6
