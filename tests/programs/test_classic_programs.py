"""More classic TF1 programs, run unchanged under TensorFlow and minitf (see harness.py):
a PTB-style stacked LSTM language model trained with clipped gradients, a decayed
learning rate and a global step; a `make_template` model; `tf.cond` on a placeholder;
`tf.while_loop` inside a training graph."""
import numpy as np
from harness import assert_same_run

VOCAB, EMBED, HIDDEN, LAYERS, BATCH, STEPS = 30, 8, 12, 2, 4, 5
IDS = np.random.RandomState(3).randint(0, VOCAB, (BATCH, 21 * STEPS + 1)).astype(np.int32)


def ptb_lstm(tf, start):
    inputs = tf.placeholder(tf.int32, [BATCH, STEPS], name="input")
    targets = tf.placeholder(tf.int32, [BATCH, STEPS], name="targets")
    keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")
    with tf.variable_scope("Model", initializer=tf.random_uniform_initializer(-0.1, 0.1)):
        embedding = tf.get_variable("embedding", [VOCAB, EMBED])
        emb = tf.nn.dropout(tf.nn.embedding_lookup(embedding, inputs), keep_prob)

        def lstm():
            return tf.nn.rnn_cell.DropoutWrapper(
                tf.nn.rnn_cell.BasicLSTMCell(HIDDEN, forget_bias=0.0),
                output_keep_prob=keep_prob)

        cell = tf.nn.rnn_cell.MultiRNNCell([lstm() for _ in range(LAYERS)])
        initial_state = cell.zero_state(BATCH, tf.float32)
        outputs, final_state = tf.nn.dynamic_rnn(cell, emb, initial_state=initial_state)
        softmax_w = tf.get_variable("softmax_w", [HIDDEN, VOCAB])
        softmax_b = tf.get_variable("softmax_b", [VOCAB])
        logits = tf.matmul(tf.reshape(outputs, [-1, HIDDEN]), softmax_w) + softmax_b
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(targets, [-1]), logits=logits)
        cost = tf.reduce_sum(loss) / BATCH
    global_step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(1.0, global_step, 5, 0.5, staircase=True)
    tvars = tf.trainable_variables()
    grads, norm = tf.clip_by_global_norm(tf.gradients(cost, tvars), 5.0)
    train_op = tf.train.GradientDescentOptimizer(lr).apply_gradients(
        zip(grads, tvars), global_step=global_step)  # noqa: B905 - TF1 code as written
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        state = sess.run(initial_state)
        for step in range(20):
            x = IDS[:, step * STEPS:(step + 1) * STEPS]
            y = IDS[:, step * STEPS + 1:(step + 1) * STEPS + 1]
            feed = {inputs: x, targets: y}
            for i, (c, h) in enumerate(initial_state):
                feed[c], feed[h] = state[i].c, state[i].h
            c, n, state, _ = sess.run([cost, norm, final_state, train_op], feed)
            out += [c, n]
        out.append(sess.run([global_step, lr]))
        # dropout on: runs, and differs from the deterministic run
        x = IDS[:, :STEPS]
        dropped = sess.run(cost, {inputs: x, targets: IDS[:, 1:STEPS + 1], keep_prob: 0.5})
        plain = sess.run(cost, {inputs: x, targets: IDS[:, 1:STEPS + 1]})
        out.append(np.float32(dropped != plain))
    return out


def template_model(tf, start):
    def mlp(x):
        w = tf.get_variable("w", [3, 4])
        b = tf.get_variable("b", [4], initializer=tf.constant_initializer(0.1))
        return tf.nn.tanh(tf.matmul(x, w) + b)

    net = tf.make_template("net", mlp)
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [None, 3])
    loss = tf.reduce_mean(tf.square(net(a) - net(b) - 0.5))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    rng = np.random.RandomState(0)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for _ in range(20):
            feed = {a: rng.randn(6, 3), b: rng.randn(6, 3)}
            out.append(sess.run([loss, train], feed)[0])
        out.append(len(tf.trainable_variables()))
    return out


def cond_on_placeholder(tf, start):
    x = tf.placeholder(tf.float32, [None, 2])
    is_training = tf.placeholder(tf.bool, [])
    w = tf.get_variable("w", [2, 2])
    noisy = tf.cond(is_training, lambda: tf.matmul(x, w) * 0.5, lambda: tf.matmul(x, w))
    loss = tf.reduce_mean(tf.square(noisy - 1.0))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    X = np.random.RandomState(1).randn(8, 2)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for step in range(20):
            out.append(sess.run([loss, train], {x: X, is_training: step % 2 == 0})[0])
        out.append(sess.run(noisy, {x: X, is_training: False}))
    return out


def while_loop_program(tf, start):
    x = tf.placeholder(tf.float32, [3])
    w = tf.Variable([0.5, -0.2, 0.1], name="w")

    def body(i, acc):
        return i + 1, acc * 0.9 + tf.tanh(x * tf.cast(i, tf.float32))

    n, acc = tf.while_loop(lambda i, acc: i < 6, body, [tf.constant(0), tf.zeros([3])])
    loss = tf.reduce_sum(tf.square(w - acc))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start(sess)
        for step in range(20):
            out.append(sess.run([loss, train], {x: [0.1 * step, 0.2, -0.3]})[0])
        out += sess.run([n, acc], {x: [1.0, 2.0, 3.0]})
    return out


def test_ptb_style_lstm_with_clipping_decay_and_global_step():
    got, _ = assert_same_run(ptb_lstm)
    assert got[-1] == 1.0  # dropout changes the cost


def test_make_template_program():
    got, _ = assert_same_run(template_model)
    assert got[-1] == 2  # the template's variables were created once


def test_cond_on_a_placeholder():
    assert_same_run(cond_on_placeholder)


def test_while_loop_program():
    assert_same_run(while_loop_program)
