"""examples/rnn.py: the test RNN (time_steps=1) is the train RNN, one step at a time.

Both RNNs are built in one `rnn` scope with reuse_variables() between them, so
they read one params dict; stepping the test RNN 20 times, carrying its LSTM
state, must reproduce the train RNN's 20 outputs. A tiny run of the script's
main must train, evaluate, sample and write its plot.
"""
import importlib.util
import os

import jax
import jax.numpy as jnp
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "rnn_example", os.path.join(HERE, "..", "examples", "rnn.py"))
rnn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rnn)

VOCAB = 13


def test_train_and_test_rnns_share_weights_by_name():
    train_config, test_config = rnn.make_configs(VOCAB)
    model = rnn.make_model(train_config, test_config)
    params = model.init(0, rnn.zero_ids(train_config), rnn.zero_state(train_config),
                        rnn.zero_ids(test_config), rnn.zero_state(test_config))
    assert list(params) == ["rnn/input_layer/weights", "rnn/input_layer/biases",
                            "rnn/cell/rnn/basic_lstm_cell/kernel",
                            "rnn/cell/rnn/basic_lstm_cell/bias",
                            "rnn/output_layer/weights", "rnn/output_layer/biases"]
    assert params["rnn/cell/rnn/basic_lstm_cell/kernel"].shape == (22, 44)
    assert (train_config.time_steps, test_config.time_steps) == (20, 1)
    assert test_config.cell_size == 11 and test_config.input_size == VOCAB


def test_stepping_the_test_rnn_reproduces_the_train_rnn():
    train_config, test_config = rnn.make_configs(VOCAB)
    model = rnn.make_model(train_config, test_config)
    ids = jax.random.randint(jax.random.PRNGKey(0), (train_config.batch_size, 20), 0, VOCAB)
    params = model.init(1, ids, rnn.zero_state(train_config), ids[:, :1],
                        rnn.zero_state(test_config))
    start = rnn.zero_state(train_config)
    start = type(start)(start.c + 0.3, start.h - 0.2)  # a carried-over state, not zeros
    train_logits, train_state = jax.jit(
        lambda p, x, s: rnn.run_train_rnn(model, train_config, test_config, p, x, s))(
            params, ids, start)
    step = jax.jit(lambda p, x, s: rnn.run_test_rnn(model, train_config, test_config, p, x, s))
    state, stepped = start, []
    for t in range(train_config.time_steps):
        logits, state = step(params, ids[:, t:t + 1], state)
        stepped.append(logits[:, 0])
    np.testing.assert_allclose(jnp.stack(stepped, axis=1), train_logits, atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(state.c, train_state.c, atol=1e-5)
    np.testing.assert_allclose(state.h, train_state.h, atol=1e-5)


def test_a_tiny_run_trains_evaluates_and_plots(tmp_path):
    results = rnn.main(["--steps", "5", "--out", str(tmp_path), "--no-progress",
                        "--sample-chars", "10"])
    assert os.path.getsize(tmp_path / "loss.png") > 0
    assert results["unigram"] > results["bigram"] > 0
    assert np.isfinite(results["held_out"]) and len(results["sample"]) == len("def ") + 10
    assert results["param_names"][0] == "rnn/input_layer/weights"
