"""tf.train.Saver in graph mode, both directions against real TensorFlow, and
across processes: TF's own V2 checkpoint files, Adam slots and global_step included."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from harness import tf1

import minitf

RNG = np.random.RandomState(1)
X = RNG.randn(32, 5).astype(np.float32)
LABELS = (X[:, :2].sum(1) > 0).astype(np.int64) + (X[:, 3] > 0.3).astype(np.int64)


def build(tf):
    """An MLP trained by Adam with a global step (slots w/Adam, w/Adam_1, beta1_power)."""
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [5, 7])
        b1 = tf.get_variable("b1", [7], initializer=tf.zeros_initializer())
        w2 = tf.get_variable("w2", [7, 3])
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(0.02).minimize(loss, global_step=global_step)
    return {"x": x, "labels": labels, "loss": loss, "train_op": train_op, "step": global_step}


def train(sess, g, steps):
    out = []
    for _ in range(steps):
        value, _ = sess.run([g["loss"], g["train_op"]], {g["x"]: X, g["labels"]: LABELS})
        out.append(float(value))
    return out


EXPECTED = {"mlp/w1", "mlp/b1", "mlp/w2", "global_step", "beta1_power", "beta2_power",
            "mlp/w1/Adam", "mlp/w1/Adam_1", "mlp/b1/Adam", "mlp/b1/Adam_1",
            "mlp/w2/Adam", "mlp/w2/Adam_1"}


def test_tf_saves_minitf_restores_and_continues(tmp_path):
    with tf1.Graph().as_default():
        tf1.set_random_seed(3)
        g = build(tf1)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            train(sess, g, 4)
            prefix = saver.save(sess, str(tmp_path / "model"), global_step=g["step"])
            want = train(sess, g, 5)
    assert prefix.endswith("model-4")
    names = {n for n, _ in tf1.train.list_variables(prefix)}
    assert names == EXPECTED
    with minitf.Graph().as_default():
        g = build(minitf)
        saver = minitf.train.Saver()
        with minitf.Session() as sess:
            saver.restore(sess, minitf.train.latest_checkpoint(str(tmp_path)))
            assert sess.run(g["step"]) == 4
            got = train(sess, g, 5)
            assert sess.run(g["step"]) == 9
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_minitf_saves_tf_restores_identical(tmp_path):
    with minitf.Graph().as_default():
        minitf.set_random_seed(5)
        g = build(minitf)
        saver = minitf.train.Saver(max_to_keep=2)
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            prefixes = []
            for _ in range(3):
                train(sess, g, 2)
                prefixes.append(saver.save(sess, str(tmp_path / "model"), global_step=g["step"]))
            values = sess.variable_values()
            want_next = train(sess, g, 3)
    assert prefixes == [str(tmp_path / f"model-{s}") for s in (2, 4, 6)]
    assert not os.path.exists(prefixes[0] + ".index")  # rotated out by max_to_keep=2
    state = tf1.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == \
        ["model-4", "model-6"]
    assert set(values) == EXPECTED
    with tf1.Graph().as_default():
        g = build(tf1)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            saver.restore(sess, tf1.train.latest_checkpoint(str(tmp_path)))
            for v in tf1.global_variables():
                np.testing.assert_array_equal(sess.run(v), values[v.op.name], err_msg=v.op.name)
            got_next = train(sess, g, 3)
    np.testing.assert_allclose(got_next, want_next, rtol=1e-5, atol=1e-6)


CONTINUE = textwrap.dedent("""
    import json, sys
    import minitf as tf
    from test_saver_programs import build, train
    g = build(tf)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, sys.argv[1])
        print(json.dumps(train(sess, g, 4)))
""")


def test_restore_in_new_process_continues_identically(tmp_path):
    with minitf.Graph().as_default():
        g = build(minitf)
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            train(sess, g, 3)
            prefix = minitf.train.Saver().save(sess, str(tmp_path / "ckpt"))
            want = train(sess, g, 4)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(__file__), os.path.dirname(os.path.dirname(minitf.__file__))]),
        JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", CONTINUE, prefix], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_var_list_dict_and_errors(tmp_path):
    with minitf.Graph().as_default():
        a = minitf.Variable(np.arange(3, dtype=np.float32), name="a")
        b = minitf.Variable(np.ones([2, 2], np.float32), name="b")
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            prefix = minitf.train.Saver({"renamed": a}).save(sess, str(tmp_path / "d"))
    assert dict(minitf.train.list_variables(prefix)) == {"renamed": [3]}
    with minitf.Graph().as_default():
        minitf.Variable(np.ones(2, np.float32), name="a")
        minitf.Variable(np.ones(2, np.float32), name="b")
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            named = minitf.train.Saver(["b"]).save(sess, str(tmp_path / "names"))
    assert dict(minitf.train.list_variables(named)) == {"b": [2]}
    with minitf.Graph().as_default():
        a = minitf.Variable(np.zeros(3, np.float32), name="a")
        b = minitf.Variable(np.zeros(4, np.float32), name="b")
        with minitf.Session() as sess:
            minitf.train.Saver({"renamed": a}).restore(sess, prefix)
            np.testing.assert_array_equal(sess.run(a), [0, 1, 2])
            with pytest.raises(minitf.errors.NotFoundError,
                               match="Key b not found in checkpoint"):
                minitf.train.Saver([b]).restore(sess, prefix)
            with pytest.raises(minitf.errors.InvalidArgumentError,
                               match=r"lhs shape= \[4\] rhs shape= \[3\]"):
                minitf.train.Saver({"renamed": b}).restore(sess, prefix)
            c = minitf.Variable(np.zeros(3, np.int32), name="c")
            with pytest.raises(minitf.errors.InvalidArgumentError,
                               match="expected dtype int32 does not equal original dtype float"):
                minitf.train.Saver({"renamed": c}).restore(sess, prefix)
            with pytest.raises(ValueError, match="not a valid checkpoint"):
                minitf.train.Saver([a]).restore(sess, str(tmp_path / "nothing"))
        del b
