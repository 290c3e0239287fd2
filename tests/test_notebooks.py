"""The notebooks in notebooks/ execute top to bottom and print what they promise.

Each notebook runs with nbclient in a fresh kernel of *this* interpreter (a
kernel spec written into a temp dir whose argv is `sys.executable`, so a
user-level "python3" spec pointing at another Python cannot be picked up), in a
temp working directory (the GAN/RNN notebooks write their runs/ there). A cell
that raises fails the test; then specific outputs must appear: the TF names
from the tutorials, the sharing reports, the plots.

The notebooks are committed without outputs (checked below), so they cannot
rot silently: what they show is what this test just produced.
"""
from __future__ import annotations

import json
import pathlib
import sys
import time

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from jupyter_client import AsyncKernelManager  # noqa: E402 - after the importorskips
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
KERNEL_NAME = "minitf-test-python"
# Each notebook runs in well under 60 s on 2 CPU cores; this only catches a
# runaway (a default-length training run, a hang) on a busy test machine.
TIME_LIMIT_S = 150
CELL_TIMEOUT_S = 300

# Substrings every notebook's outputs must contain (text outputs, all cells joined).
EXPECTED = {
    "scopes.ipynb": [
        # seed 000 (Chinese): get_variable reuse vs tf.Variable uniquification
        "a_variable_scope/var3:0", "a_variable_scope/var4_1:0", "var3 is var3_reuse: True",
        "a_name_scope/var2_2:0 [2.2]", "my_name_scope/var2:0", "my_variable_scope/var1:0",
        "image_filters1/conv1/weights:0 image_filters1/conv1/weights:0 True",
        "Variable conv1/weights already exists, disallowed.",
        # op names come from the graph export, as TF names them
        "my_name_scope/Add", "foo/bar/add", "layer2/Add", "scope_vars/res/res",
        # seed 001 (Traditional Chinese): TF's names, not the tutorial's wrong ones
        "s1_1/w:0 s1_1/biases:0 s2/w:0 s2/biases:0 s1_1/w_1:0 s1_1/biases_1:0",
        "s1/s2/w:0 s1/s2/biases:0 | same variables: True",
        "Variable s3/s2/w does not exist, or was not created with tf.get_variable().",
        "Variable s1/s2/w already exists, disallowed.",
        "inner.reuse = True",
        # seed 002 (Korean) and 003 (English)
        "scope_name/a:0\n  b:0", "var_scope/var:0", "ns/vs/v2:0", "bar/x:0",
        "v:0 name_scope/v2:0", "name_scope/v:0 name_scope/v2:0",
        "layer1/weights:0 layer1/weights:0", "weights:0",
        "rnn/input_layer/weights:0 rnn/input_layer/weights:0 True",
        # beyond the tutorials (checked against TF 2.21)
        "foo/a:0 foo_1/a:0 foo/c:0", "outer/v:0 other/outer/w:0 other/outer/v2:0",
        "'dense/kernel:0', 'dense_1/kernel:0', 'dense_2/kernel:0', 'named/kernel:0'",
        "'scale_by/scale:0', 'scale_by_1/scale:0', 'model/layer/scale:0'",
        "Trainable variable created when calling a template after the first time",
        # from scopes to JAX
        "discriminator/hidden/kernel  (16, 32)", "grad keys: True",
        "discriminator/hidden/kernel  [shared: 2 use(s), 2 read(s)]",
        "name_scope='discriminator_1/hidden'",
        "generator/hidden/kernel  [single: 1 use(s), 1 read(s)]",
        "Total (8 vars)", "'discriminator_1':",
    ],
    "gan.ipynb": [
        "Total (10 vars)", "discriminator/ subtotal (4 vars)",
        "discriminator/hidden/kernel  [shared: 2 use(s), 2 read(s)]",
        "name_scope='discriminator_1/out'",
        "generator/out/kernel  [single: 1 use(s), 1 read(s)]",
        "OK: the discriminator's weights are shared between the real and the fake batch",
        "same names:  True", "same values: True",
        "3000 steps in", "classes covered", "'discriminator_1':", "events.out.tfevents.",
    ],
    "rnn.ipynb": [
        "rnn/cell/rnn/basic_lstm_cell/kernel    (22, 44)", "Total (6 vars)",
        "rnn/output_layer/weights  [shared: 2 use(s), 2 read(s)]",
        "name_scope='rnn/RNN_1/cell/rnn/while/basic_lstm_cell'",
        "OK: every variable is shared by the train RNN (RNN) and the test RNN (RNN_1)",
        "1000 steps in", "max |difference| =", "unigram baseline", "sample (temperature 0.8):",
        "wrote runs/notebook_rnn/loss.png",
    ],
}
# How many inline PNGs each notebook must display (plots, samples).
EXPECTED_IMAGES = {"scopes.ipynb": 0, "gan.ipynb": 2, "rnn.ipynb": 1}

CHECK_INTERPRETER = "import sys as _s; print('KERNEL-PREFIX=' + _s.prefix); del _s"


@pytest.fixture(scope="module")
def kernel_manager_class(tmp_path_factory):
    """A kernel spec whose argv is this interpreter (the kernel runs the venv's Python),
    and a kernel manager class that finds only it."""
    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / KERNEL_NAME
    spec_dir.mkdir()
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "minitf test kernel", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(kernels)], ensure_native_kernel=False)

    class TestKernelManager(AsyncKernelManager):
        """nbclient's default manager, looking kernels up in the temp dir only."""

        def __init__(self, **kwargs):
            kwargs.setdefault("kernel_spec_manager", specs)
            super().__init__(**kwargs)

    return TestKernelManager


def _execute(name: str, workdir: pathlib.Path, kernel_manager_class: type):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(CHECK_INTERPRETER))
    # The client owns (starts and shuts down) its kernel.
    client = nbclient.NotebookClient(
        nb, kernel_name=KERNEL_NAME, kernel_manager_class=kernel_manager_class,
        timeout=CELL_TIMEOUT_S, allow_errors=False,
        resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:  # show the failing cell's traceback
        pytest.fail(f"{name}: a cell raised:\n{exc}")
    return nb, time.perf_counter() - start


def _text(nb) -> str:
    """Every cell's text output; a cell's stream chunks joined as written (the kernel may
    flush one print() in several pieces)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                parts.append("\n" + out.data.get("text/plain", "") + "\n")
        parts.append("\n")
    return "".join(parts)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_and_prints_what_it_promises(name, kernel_manager_class, tmp_path):
    nb, seconds = _execute(name, tmp_path, kernel_manager_class)
    print(f"{name}: executed in {seconds:.1f} s")

    errors = [out for cell in nb.cells for out in cell.get("outputs", [])
              if out.output_type == "error"]
    assert not errors, f"{name}: {errors[0].ename}: {errors[0].evalue}"
    text = _text(nb)
    assert f"KERNEL-PREFIX={sys.prefix}" in text, "the kernel did not run this interpreter"
    missing = [s for s in EXPECTED[name] if s not in text]
    assert not missing, f"{name}: outputs lack {missing}"
    images = sum("image/png" in out.get("data", {}) for cell in nb.cells
                 for out in cell.get("outputs", []))
    assert images >= EXPECTED_IMAGES[name], f"{name}: {images} inline PNGs"
    assert seconds < TIME_LIMIT_S, f"{name} took {seconds:.0f} s"


def test_the_tutorials_wrong_outputs_are_called_out():
    """scopes.ipynb shows TF's names next to the ones the tutorial printed wrongly."""
    nb = nbformat.read(NOTEBOOKS / "scopes.ipynb", as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for wrong, right in [("s1_1/s2_1/w:0", "s2/w:0"), ("s1_1/w1_1:0", "s1_1/w_1:0"),
                         ("s1/s2/biases_1:0", "s1/s2/biases:0")]:
        assert wrong in prose and right in prose


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_is_committed_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name} has outputs: clear them before committing")
