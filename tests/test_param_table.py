"""param_table: per-variable rows, per-scope subtotals and totals add up."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from minitf.viz import format_bytes, param_table, param_table_html, summarize_params

PARAMS = {
    "gen/dense/kernel": np.zeros((3, 4), np.float32),    # 12 el, 48 B
    "gen/dense/bias": jnp.zeros(4, jnp.float32),         # 4 el, 16 B
    "disc/dense/kernel": np.zeros((4, 1), np.float64),   # 4 el, 32 B
    "gen/out/kernel": jax.ShapeDtypeStruct((4, 2), jnp.bfloat16),  # 8 el, 16 B
    "disc/dense/bias": np.zeros((1,), np.float64),       # 1 el, 8 B
    "global_step": np.int32(0),                          # 1 el, 4 B
}


def _line(text, startswith):
    (line,) = [ln for ln in text.splitlines() if ln.startswith(startswith)]
    return line.split()


def test_totals_and_subtotals():
    table = summarize_params(PARAMS)
    assert (table.total.count, table.total.size, table.total.nbytes) == (6, 30, 124)
    gen, disc = table.subtotals["gen"], table.subtotals["disc"]
    assert (gen.count, gen.size, gen.nbytes) == (3, 24, 80)
    assert (disc.count, disc.size, disc.nbytes) == (2, 5, 40)
    dense = table.subtotals["gen/dense"]
    assert (dense.count, dense.size, dense.nbytes) == (2, 16, 64)
    assert "global_step" not in table.subtotals  # unscoped: only in the total
    # scopes come out contiguous, in first-seen order
    assert [r.name for r in table.rows] == [
        "gen/dense/kernel", "gen/dense/bias", "gen/out/kernel",
        "disc/dense/kernel", "disc/dense/bias", "global_step"]


def test_text_table_rows_subtotals_and_alignment():
    text = param_table(PARAMS)
    lines = text.splitlines()
    assert lines[0].split() == ["Name", "Shape", "Dtype", "Size", "Bytes"]
    assert _line(text, "gen/dense/kernel") == [
        "gen/dense/kernel", "(3,", "4)", "float32", "12", "48", "B"]

    assert _line(text, "gen/out/kernel")[3:] == ["bfloat16", "8", "16", "B"]
    assert _line(text, "gen/ subtotal")[-3:] == ["24", "80", "B"]
    assert _line(text, "disc/ subtotal")[-3:] == ["5", "40", "B"]
    # nested subtotal where it adds information (gen/dense is part of gen) ...
    assert _line(text, "  gen/dense/ subtotal")[-3:] == ["16", "64", "B"]
    # ... but not where it would repeat the parent's (disc/dense is all of disc)
    assert not any("disc/dense/ subtotal" in ln for ln in lines)
    assert _line(text, "Total")[-3:] == ["30", "124", "B"]
    # subtotal rows follow their scope's last variable
    names = [ln.split()[0] for ln in lines]
    assert names.index("gen/") == names.index("gen/out/kernel") + 1
    # the Bytes column is right-aligned: every row ends it at the same column
    width = len(lines[0])
    assert all(len(ln) == width for ln in lines[2:] if "B" in ln[-2:])


def test_trainable_set_and_predicate():
    trainable = {"gen/dense/kernel", "gen/dense/bias", "disc/dense/kernel"}
    table = summarize_params(PARAMS, trainable)
    assert table.subtotals["gen"].trainable_size == 16
    assert table.subtotals["disc"].trainable_size == 4
    assert table.total.trainable_size == 20
    text = param_table(PARAMS, trainable)
    assert _line(text, "gen/out/kernel")[-1] == "no"
    assert _line(text, "gen/dense/bias")[-1] == "yes"
    assert text.splitlines()[-1] == "Trainable: 20 of 30 parameters"

    by_pred = summarize_params(PARAMS, lambda name: name.startswith("disc/"))
    assert by_pred.total.trainable_size == 5

    with pytest.raises(ValueError, match="gen/dense/kernal"):
        summarize_params(PARAMS, {"gen/dense/kernal"})


def test_nested_dicts_max_depth_and_human_sizes():
    nested = {"enc": {"layer_0": {"w": np.zeros((256, 1024), np.float32),
                                  "b": np.zeros(1024, np.float32)},
                      "layer_1": {"w": np.zeros((1024, 1024), np.float32)}}}
    table = summarize_params(nested)
    assert [r.name for r in table.rows] == ["enc/layer_0/w", "enc/layer_0/b", "enc/layer_1/w"]
    assert table.subtotals["enc/layer_0"].size == 256 * 1024 + 1024
    text = param_table(nested)
    assert _line(text, "Total")[-3:] == ["1,311,744", "5.0", "MiB"]
    assert "  enc/layer_0/ subtotal" in text
    assert "enc/layer_0/ subtotal" not in param_table(nested, max_depth=1)

    assert format_bytes(0) == "0 B"
    assert format_bytes(1023) == "1023 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(3 * 1024 ** 3) == "3.0 GiB"


def test_html_has_a_row_per_entry():
    html = param_table_html(PARAMS, {"gen/dense/kernel"})
    assert html.startswith("<table")
    # 6 variables + gen/dense, gen, disc subtotals + total, plus the header row
    assert html.count("<tr") == 6 + 3 + 1 + 1
    assert "<th>Trainable</th>" in html
    assert summarize_params(PARAMS)._repr_html_().count("<tr") == 11


def test_bad_input():
    with pytest.raises(TypeError, match="dict"):
        param_table([np.zeros(3)])
