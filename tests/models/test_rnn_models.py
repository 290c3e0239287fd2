"""RNN model programs in classic TF1 styles, under real TF1 and minitf (contrib_reference).

A PTB-style language model (train/valid pair sharing weights, stacked LSTM with
`DropoutWrapper`, `static_rnn`, `xw_plus_b`, `sequence_loss`) and bidirectional
RNNs (`static_bidirectional_rnn`, `stack_bidirectional_dynamic_rnn`,
`LSTMBlockCell`, `ResidualWrapper`): same variables and collections, outputs to 1e-5.
"""
import jax
import numpy as np
import pytest
from contrib_reference import compare_model, compare_structure

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
RNG = np.random.default_rng(4)
BATCH, STEPS, VOCAB, UNITS = 3, 5, 11, 6
IDS = RNG.integers(0, VOCAB, (BATCH, STEPS)).astype(np.int32)
TARGETS = RNG.integers(0, VOCAB, (BATCH, STEPS)).astype(np.int32)
MASK = (RNG.uniform(size=(BATCH, STEPS)) > 0.3).astype(np.float32)


def ptb_model(tf, ids, targets, mask, is_training):
    """The PTB tutorial's model, small: returns (cost, per-step losses, final state)."""
    def make_cell():
        cell = tf.contrib.rnn.BasicLSTMCell(UNITS, forget_bias=0.0, state_is_tuple=True)
        if is_training:
            cell = tf.contrib.rnn.DropoutWrapper(cell, output_keep_prob=0.5)
        return cell

    cell = tf.contrib.rnn.MultiRNNCell([make_cell() for _ in range(2)], state_is_tuple=True)
    initial_state = cell.zero_state(BATCH, tf.float32)
    embedding = tf.get_variable("embedding", [VOCAB, UNITS], dtype=tf.float32)
    inputs = tf.nn.embedding_lookup(embedding, ids)
    if is_training:
        inputs = tf.nn.dropout(inputs, keep_prob=0.5)
    inputs = tf.unstack(inputs, num=STEPS, axis=1)
    outputs, state = tf.contrib.rnn.static_rnn(cell, inputs, initial_state=initial_state)
    output = tf.reshape(tf.concat(outputs, 1), [-1, UNITS])
    softmax_w = tf.get_variable("softmax_w", [UNITS, VOCAB], dtype=tf.float32)
    softmax_b = tf.get_variable("softmax_b", [VOCAB], dtype=tf.float32)
    logits = tf.reshape(tf.nn.xw_plus_b(output, softmax_w, softmax_b), [BATCH, STEPS, VOCAB])
    loss = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.ones([BATCH, STEPS], tf.float32),
                                            average_across_timesteps=False,
                                            average_across_batch=True)
    seq2seq = tf.contrib.seq2seq
    variants = [seq2seq.sequence_loss(logits, targets, mask),
                seq2seq.sequence_loss(logits, targets, mask, average_across_batch=False),
                seq2seq.sequence_loss(logits, targets, mask, average_across_timesteps=False,
                                      average_across_batch=False),
                seq2seq.sequence_loss(logits, targets, mask, average_across_timesteps=False,
                                      average_across_batch=False, sum_over_timesteps=True,
                                      sum_over_batch=True),
                seq2seq.sequence_loss(logits, targets, mask, average_across_timesteps=False,
                                      sum_over_timesteps=True)]
    return tf.reduce_sum(loss), loss, state, variants


def ptb_pair(tf, ids, targets, mask):
    """The tutorial's train and valid models: one set of weights under `Model`."""
    initializer = tf.random_uniform_initializer(-0.1, 0.1)
    with tf.variable_scope("Model", reuse=None, initializer=initializer):
        train = ptb_model(tf, ids, targets, mask, is_training=True)
    with tf.variable_scope("Model", reuse=True, initializer=initializer):
        valid = ptb_model(tf, ids, targets, mask, is_training=False)
    return train, valid


def test_ptb_language_model_valid_outputs_match_tf():
    compare_model(lambda tf, *xs: ptb_pair(tf, *xs)[1], IDS, TARGETS, MASK,
                  rng=jax.random.PRNGKey(0))


def test_ptb_train_model_with_dropout_wrappers_has_tf_variables():
    compare_structure(lambda tf, *xs: ptb_pair(tf, *xs)[0][0], IDS, TARGETS, MASK)


SEQ = RNG.standard_normal((BATCH, STEPS, 4)).astype(np.float32)
LENGTHS = np.array([5, 2, 4], np.int32)


def bidirectional_models(tf, x, lengths):
    rnn = tf.contrib.rnn
    steps = tf.unstack(x, axis=1)
    outputs, state_fw, state_bw = rnn.static_bidirectional_rnn(
        rnn.LSTMBlockCell(4, forget_bias=0.5), rnn.GRUCell(3), steps, dtype=tf.float32,
        sequence_length=lengths)
    stacked, states_fw, states_bw = rnn.stack_bidirectional_dynamic_rnn(
        [rnn.LSTMCell(3), rnn.ResidualWrapper(rnn.GRUCell(6))],
        [rnn.LSTMCell(3), rnn.BasicRNNCell(2)], x, dtype=tf.float32, sequence_length=lengths)
    with tf.variable_scope("block_peephole"):
        block, block_state = tf.nn.dynamic_rnn(rnn.LSTMBlockCell(5, use_peephole=True), x,
                                               dtype=tf.float32)
    return outputs, state_fw, state_bw, stacked, states_fw, states_bw, block, block_state


def test_bidirectional_and_stacked_rnns_match_tf():
    compare_model(bidirectional_models, SEQ, LENGTHS)


def test_dropout_wrapper_in_dynamic_rnn_draws_from_apply_rng():
    """Dropout masks come from `apply(..., rng=)`: the same key gives the same outputs, and
    keep probabilities of 1 leave the wrapped cell's outputs unchanged."""
    import minitf

    def build(keep):
        def f(x):
            cell = minitf.contrib.rnn.DropoutWrapper(
                minitf.contrib.rnn.LSTMBlockCell(4), input_keep_prob=keep,
                output_keep_prob=keep, state_keep_prob=keep)
            return minitf.nn.dynamic_rnn(cell, x, dtype=minitf.float32)[0]
        return minitf.transform(f)

    dropped, kept = build(0.5), build(1.0)
    params = kept.init(jax.random.PRNGKey(0), SEQ)
    a, b, c = (jax.jit(dropped.apply)(params, SEQ, rng=jax.random.PRNGKey(k)) for k in (1, 1, 2))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c) and 0.3 < float(np.mean(np.asarray(a) == 0)) < 0.8
    plain = minitf.transform(lambda x: minitf.nn.dynamic_rnn(
        minitf.contrib.rnn.LSTMBlockCell(4), x, dtype=minitf.float32)[0])
    np.testing.assert_allclose(kept.apply(params, SEQ), plain.apply(params, SEQ), rtol=1e-6)


def variational_lstm(tf, seq, variational):
    """A PTB-variant idiom: an LSTM whose input and output dropout masks are variational."""
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(32), input_keep_prob=0.5, output_keep_prob=0.5,
        state_keep_prob=0.5, variational_recurrent=variational, input_size=seq.shape[2],
        dtype=tf.float32)
    return tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)[0]


def _dropped_units(outputs):
    """[batch, step, unit] -> whether each (batch, step) dropped exactly the same units."""
    zero = np.asarray(outputs) == 0
    return bool((zero == zero[:1, :1]).all()) and 0 < zero.mean() < 1  # seeded; 16 inputs, 32 units


@pytest.mark.parametrize("variational", [True, False])
def test_variational_dropout_keeps_one_mask_across_batch_and_steps_like_tf(variational):
    """TF1 draws variational noise once with batch dim 1: every example and every step
    drops the same output units; ordinary dropout draws per element and step. The
    property is checked under real TF and minitf's graph mode and transform."""
    import minitf
    from tf_reference import tf1

    seq = np.random.RandomState(1).normal(size=(4, 7, 16)).astype(np.float32)
    results = []
    for tf in (tf1, minitf):
        with tf.Graph().as_default():
            tf.set_random_seed(0)
            out = variational_lstm(tf, tf.placeholder(tf.float32, seq.shape), variational)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                results.append(sess.run(out, {out.graph.get_tensor_by_name(
                    "Placeholder:0"): seq}))
    model = minitf.transform(lambda x: variational_lstm(minitf, x, variational))
    params = model.init(0, seq)
    results.append(jax.jit(model.apply)(params, seq, rng=jax.random.PRNGKey(3)))
    assert [_dropped_units(r) for r in results] == [variational] * 3


def test_variational_dropout_arguments_raise_tfs_errors():
    import minitf
    from tf_reference import tf1

    def message(tf, **kwargs):
        with tf.Graph().as_default():
            try:
                tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(2), input_keep_prob=0.5,
                                              variational_recurrent=True, **kwargs)
            except ValueError as e:
                return str(e)
        return None

    for kwargs in ({}, {"dtype": tf1.float32}):
        assert message(minitf, **kwargs) == message(tf1, **kwargs) is not None
