"""minitf.train optimizers: TF1's update formulas, var_list selection, untouched leaves.

* Each optimizer's first steps against a NumPy transcription of TF1's kernel.
* Adam / RMSProp (and the others) against real `tf.compat.v1.train.*Optimizer`.
* Unselected and non-trainable leaves come back bit-identical (same object even).
* `var_list` as TF's regex prefix ("discriminator" hits "discriminator_pair")
  versus the whole-segment selector.
* Regularization losses from the traced apply reach the gradients.
"""
import re

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import minitf as tf
from minitf import train

X0 = np.array([1.0, -2.0, 0.5], np.float32)
Y0 = np.array([[0.3, -0.7], [1.5, 0.0]], np.float32)
A = np.array([1.0, 3.0, 0.5], np.float32)
C = np.array([0.2, 0.1, -1.0], np.float32)
B = np.float32(0.8)


def quad_loss(p):
    """A small quadratic in two variables with distinct curvatures."""
    return (jnp.sum(0.5 * A * (p["x"] - C) ** 2) + jnp.sum(B * p["y"] ** 2)
            + jnp.sum(p["x"]) * jnp.sum(p["y"]))


def quad_grads(x, y):
    gx = A * (x - C) + np.sum(y)
    gy = 2 * B * y + np.sum(x)
    return gx, gy


def run_minitf(opt, steps=5):
    params = {"x": jnp.asarray(X0), "y": jnp.asarray(Y0)}
    step = opt.minimize(quad_loss)
    state = step.init(params)
    out = []
    for _ in range(steps):
        params, state, _ = step(params, state)
        out.append({k: np.asarray(v) for k, v in params.items()})
    return out


# ----------------------------------------------------------------------------
# Hand-written references of TF1's kernels (float64 NumPy).

def ref_run(update, slots_init, steps=5):
    x, y = X0.astype(np.float64), Y0.astype(np.float64)
    slots = [slots_init(x), slots_init(y)]
    out = []
    for t in range(1, steps + 1):
        gx, gy = quad_grads(x, y)
        x = x - update(gx, slots[0], t)
        y = y - update(gy, slots[1], t)
        out.append({"x": x, "y": y})
    return out


def compare(got, want, tol=1e-5):
    for g, w in zip(got, want, strict=True):
        for k in ("x", "y"):
            np.testing.assert_allclose(g[k], w[k], rtol=tol, atol=tol)


def test_gradient_descent_matches_formula():
    compare(run_minitf(train.GradientDescentOptimizer(0.1)),
            ref_run(lambda g, s, t: 0.1 * g, lambda v: {}))


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_formula(nesterov):
    lr, mu = 0.05, 0.9

    def update(g, s, t):
        s["a"] = mu * s.get("a", 0.0) + g
        return lr * g + lr * mu * s["a"] if nesterov else lr * s["a"]

    compare(run_minitf(train.MomentumOptimizer(lr, mu, use_nesterov=nesterov)),
            ref_run(update, lambda v: {}))


def test_adam_matches_tf1_formula_not_optax():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-1   # a big epsilon shows where it is added

    def update(g, s, t):
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return lr_t * s["m"] / (np.sqrt(s["v"]) + eps)

    got = run_minitf(train.AdamOptimizer(lr, b1, b2, eps))
    compare(got, ref_run(update, lambda v: {}))
    # optax.adam places eps after the bias correction: visibly different here.
    params = {"x": jnp.asarray(X0), "y": jnp.asarray(Y0)}
    tx = optax.adam(lr, b1, b2, eps)
    st = tx.init(params)
    u, st = tx.update(jax.grad(quad_loss)(params), st)
    assert not np.allclose(np.asarray(optax.apply_updates(params, u)["x"]), got[0]["x"], atol=1e-4)


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_rmsprop_matches_formula(centered, momentum):
    lr, rho, eps = 0.01, 0.9, 1e-10

    def update(g, s, t):
        s.setdefault("ms", np.ones_like(g))   # TF1 starts "rms" at ones
        s["ms"] = s["ms"] + (g * g - s["ms"]) * (1 - rho)
        denom = s["ms"] + eps
        if centered:
            s["mg"] = s.get("mg", 0.0) + (g - s.get("mg", 0.0)) * (1 - rho)
            denom = s["ms"] - s["mg"] ** 2 + eps
        s["mom"] = s.get("mom", 0.0) * momentum + lr * g / np.sqrt(denom)
        return s["mom"]

    compare(run_minitf(train.RMSPropOptimizer(lr, momentum=momentum, centered=centered)),
            ref_run(update, lambda v: {}))


# ----------------------------------------------------------------------------
# Real TensorFlow 1 optimizers, graph mode.

@pytest.fixture(scope="module")
def tf1():
    return pytest.importorskip("tensorflow.compat.v1")


def run_tf1(tf1, make_opt, steps=5):
    graph = tf1.Graph()
    with graph.as_default():
        x = tf1.Variable(X0, name="x")
        y = tf1.Variable(Y0, name="y")
        loss = (tf1.reduce_sum(0.5 * A * (x - C) ** 2) + tf1.reduce_sum(B * y ** 2)
                + tf1.reduce_sum(x) * tf1.reduce_sum(y))
        op = make_opt(tf1).minimize(loss)
        out = []
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            for _ in range(steps):
                sess.run(op)
                out.append({"x": sess.run(x), "y": sess.run(y)})
    return out


TF_CASES = {
    "sgd": (lambda t: t.train.GradientDescentOptimizer(0.1), train.GradientDescentOptimizer(0.1)),
    "momentum": (lambda t: t.train.MomentumOptimizer(0.05, 0.9),
                 train.MomentumOptimizer(0.05, 0.9)),
    "nesterov": (lambda t: t.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
                 train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)),
    "adam": (lambda t: t.train.AdamOptimizer(0.1), train.AdamOptimizer(0.1)),
    "adam_big_eps": (lambda t: t.train.AdamOptimizer(0.1, 0.8, 0.99, 0.5),
                     train.AdamOptimizer(0.1, 0.8, 0.99, 0.5)),
    "rmsprop": (lambda t: t.train.RMSPropOptimizer(0.01), train.RMSPropOptimizer(0.01)),
    "rmsprop_mom": (lambda t: t.train.RMSPropOptimizer(0.01, momentum=0.5, epsilon=1e-6),
                    train.RMSPropOptimizer(0.01, momentum=0.5, epsilon=1e-6)),
    "rmsprop_centered": (lambda t: t.train.RMSPropOptimizer(0.01, momentum=0.3, centered=True),
                         train.RMSPropOptimizer(0.01, momentum=0.3, centered=True)),
}


@pytest.mark.parametrize("case", sorted(TF_CASES))
def test_matches_real_tf1_optimizer(tf1, case):
    make_tf, ours = TF_CASES[case]
    compare(run_minitf(ours), run_tf1(tf1, make_tf), tol=1e-6)   # measured: within 2 ulp


# ----------------------------------------------------------------------------
# A small GAN-shaped model for selection tests.

def gan_like(z, x):
    with tf.variable_scope("generator"):
        g_w = tf.get_variable("w", [4, 3])
        g_b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        steps = tf.get_variable("steps", [], dtype=tf.int32, trainable=False)
        ema = tf.get_variable("ema", [3], trainable=False,
                              initializer=tf.constant_initializer(-0.0))
        fake = jnp.tanh(z @ g_w + g_b) + 0 * steps + 0 * ema

    def disc(h, reuse):
        with tf.variable_scope("discriminator", reuse=reuse):
            w = tf.get_variable("w", [3, 1])
            return h @ w

    with tf.variable_scope("discriminator_pair"):
        pair_w = tf.get_variable("w", [3, 1])
    return disc(x, False), disc(fake, True), x @ pair_w


@pytest.fixture(scope="module")
def gan_model():
    model = tf.transform(gan_like)
    z, x = jnp.ones((5, 4)), jnp.ones((5, 3))
    params = model.init(jax.random.PRNGKey(0), z, x)
    return model, params, z, x


def d_loss(model):
    def loss(params, z, x):
        real, fake, pair = model.apply(params, z, x)
        return jnp.mean(real ** 2) + jnp.mean((fake - 1) ** 2) + jnp.mean(pair ** 2)
    return loss


def test_var_list_regex_prefix_matches_tf(gan_model):
    model, params, _z, _x = gan_model
    names = train.resolve_var_list(params, "discriminator", model=model)
    assert sorted(names) == ["discriminator/w", "discriminator_pair/w"]   # TF's re.match rule
    assert train.resolve_var_list(params, "discriminator/", model=model) == ["discriminator/w"]
    segs = train.select(params, "discriminator")
    assert list(segs) == ["discriminator/w"]
    assert list(train.select(params, "discriminator", segments=False)) == names   # params order
    # Without trainable info every float leaf counts; model= removes generator/ema.
    assert "generator/ema" in train.resolve_var_list(params, "generator")
    names = train.resolve_var_list(params, "generator", model=model)
    assert names == ["generator/w", "generator/b"]


def test_var_list_forms_agree(gan_model):
    model, params, z, x = gan_model
    handles = []

    def grab(z, x):
        out = gan_like(z, x)
        handles[:] = tf.trainable_variables(scope="discriminator/")
        return out

    grabbing = tf.transform(grab)
    grabbing.init(0, z, x)
    want = ["discriminator/w"]
    forms = [["discriminator/w"], ["discriminator/w:0"], handles,
             tf.params_in_scope(params, "discriminator"),
             lambda n: tf.scope_matches(n, "discriminator"), "discriminator/"]
    for form in forms:
        assert train.resolve_var_list(params, form, model=model) == want, form


def test_var_list_errors(gan_model):
    model, params, _z, _x = gan_model
    with pytest.raises(KeyError, match="did you mean 'discriminator/w'"):
        train.resolve_var_list(params, ["discriminator/ww"])
    with pytest.raises(ValueError, match="non-trainable"):
        train.resolve_var_list(params, ["generator/ema"], model=model)
    with pytest.raises(ValueError, match="No variables to optimize"):
        train.AdamOptimizer().minimize(d_loss(model), var_list="nothing").init(params)
    with pytest.raises(ValueError, match=re.escape("call model.init")):
        train.resolve_var_list(params, None, model=tf.transform(gan_like))


def test_scope_labels_for_multi_transform(gan_model):
    model, params, _z, _x = gan_model
    labels = train.scope_labels(params, {"gen": "generator", "disc": "discriminator"}, model=model)
    assert labels == {"generator/w": "gen", "generator/b": "gen", "generator/steps": "frozen",
                      "generator/ema": "frozen", "discriminator/w": "disc",
                      "discriminator_pair/w": "frozen"}
    float_params = {k: v for k, v in params.items() if k != "generator/steps"}
    tx = optax.multi_transform({"gen": train.AdamOptimizer(0.1).as_optax(),
                                "disc": train.GradientDescentOptimizer(0.1).as_optax(),
                                "frozen": optax.set_to_zero()},
                               {k: labels[k] for k in float_params})
    state = tx.init(float_params)
    grads = jax.tree_util.tree_map(jnp.ones_like, float_params)
    updates, _ = tx.update(grads, state, float_params)
    np.testing.assert_allclose(updates["discriminator/w"], -0.1 * np.ones((3, 1)), rtol=1e-6)
    assert not np.any(np.asarray(updates["discriminator_pair/w"]))
    with pytest.raises(ValueError, match="none of the scopes"):
        train.scope_labels(params, {"gen": "generator"}, default=None)


@pytest.mark.parametrize("make_opt", [lambda: train.AdamOptimizer(0.01),
                                      lambda: train.RMSPropOptimizer(0.01, momentum=0.9),
                                      lambda: train.MomentumOptimizer(0.01, 0.9)])
def test_unselected_leaves_bit_identical(gan_model, make_opt):
    model, params, z, x = gan_model
    # -0.0 and a NaN-free but odd pattern: an added "+ 0.0" would flip -0.0 to 0.0.
    params = dict(params, **{"generator/ema": jnp.full((3,), -0.0, jnp.float32),
                             "generator/steps": jnp.asarray(7, jnp.int32)})
    before = {k: (np.asarray(v).copy(), v.dtype, v) for k, v in params.items()}
    step = make_opt().minimize(d_loss(model), var_list="discriminator", model=model)
    state = step.init(params)
    assert sorted(state.names) == ["discriminator/w", "discriminator_pair/w"]
    for _ in range(3):
        params, state, _loss = step(params, state, z, x)
    for k, (value, dtype, obj) in before.items():
        if k.startswith("discriminator"):
            assert not np.array_equal(np.asarray(params[k]), value), k
            continue
        assert params[k].dtype == dtype, k
        assert np.array_equal(np.asarray(params[k]), value), k
        assert np.array_equal(np.signbit(np.asarray(params[k])), np.signbit(value)), k
        assert params[k] is obj, k           # the very same array object
    assert list(params) == list(before)      # order kept


def test_bit_identical_under_user_jit(gan_model):
    model, params, z, x = gan_model
    params = dict(params, **{"generator/ema": jnp.full((3,), -0.0, jnp.float32)})
    step = train.AdamOptimizer(0.01).minimize(d_loss(model), var_list="discriminator/",
                                              model=model, jit=False)
    state = step.init(params)
    new, state, _loss = jax.jit(step)(params, state, z, x)
    for k in params:
        if not k.startswith("discriminator/"):
            assert np.array_equal(np.signbit(np.asarray(new[k])), np.signbit(np.asarray(params[k])))
            assert np.array_equal(np.asarray(new[k]), np.asarray(params[k]))
            assert new[k].dtype == params[k].dtype


def test_jit_step_matches_eager_and_compiles_once(gan_model):
    model, params, z, x = gan_model
    traces = []

    def loss(params, z, x):
        traces.append(1)
        return d_loss(model)(params, z, x)

    jitted = train.AdamOptimizer(0.01).minimize(loss, var_list="generator", model=model)
    eager = train.AdamOptimizer(0.01).minimize(loss, var_list="generator", model=model, jit=False)
    pj, sj = params, jitted.init(params)
    pe, se = params, eager.init(params)
    for _ in range(3):
        pj, sj, _lj = jitted(pj, sj, z, x)
        pe, se, _le = eager(pe, se, z, x)
    for k in params:
        np.testing.assert_allclose(np.asarray(pj[k]), np.asarray(pe[k]), rtol=1e-6, atol=1e-7)
    assert len(traces) == 1 + 3        # one trace for the compiled step, three eager ones
    # jax.jit of the step object itself also works.
    _p2, _s2, l2 = jax.jit(jitted)(params, jitted.init(params), z, x)
    assert np.isfinite(float(l2))


def test_regularization_losses_reach_gradients():
    def model_fn(x, y):
        with tf.variable_scope("net", regularizer=lambda w: 0.5 * 0.1 * jnp.sum(w ** 2)):
            w = tf.get_variable("w", [2, 1])
            b = tf.get_variable("b", [1], initializer=tf.zeros_initializer(), regularizer=None)
        data = jnp.mean((x @ w + b - y) ** 2)
        reg = sum(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
        return data + reg

    loss_model = tf.transform(model_fn)
    x, y = jnp.array([[1.0, 2.0], [0.5, -1.0]]), jnp.array([[1.0], [0.0]])
    params = loss_model.init(1, x, y)
    # The model is found from .apply.
    step = train.GradientDescentOptimizer(1.0).minimize(loss_model.apply)

    assert step.model is loss_model
    state = step.init(params)
    grads, loss = step.compute_gradients(params, state, x, y)
    w, b = np.asarray(params["net/w"]), np.asarray(params["net/b"])
    resid = np.asarray(x) @ w + b - np.asarray(y)
    want_w = 2 * np.asarray(x).T @ resid / 2 + 0.1 * w       # data + regularizer gradient
    np.testing.assert_allclose(np.asarray(grads["net/w"]), want_w, rtol=1e-5)
    np.testing.assert_allclose(float(loss), float(np.mean(resid ** 2) + 0.05 * np.sum(w ** 2)),
                               rtol=1e-5)
    new, state = step.apply_gradients(params, state, grads)
    np.testing.assert_allclose(np.asarray(new["net/w"]), w - want_w, rtol=1e-5)


def test_has_aux_and_tf1_style_compute_apply(gan_model):
    model, params, z, x = gan_model

    def loss(params, z, x):
        real, fake, _ = model.apply(params, z, x)
        return jnp.mean(real ** 2), {"fake_mean": jnp.mean(fake)}

    opt = train.GradientDescentOptimizer(0.5)
    step = opt.minimize(loss, var_list="discriminator/", model=model, has_aux=True)
    state = step.init(params)
    new, state, (value, aux) = step(params, state, z, x)
    assert set(aux) == {"fake_mean"} and np.isfinite(float(value))
    # Optimizer-level TF1 API: [(grad, name)], then apply_gradients.
    gv = opt.compute_gradients(loss, params, z, x, var_list="discriminator/", model=model,
                               has_aux=True)
    assert [n for _, n in gv] == ["discriminator/w"]
    st = opt.init(params, "discriminator/", model=model)
    new2, st = opt.apply_gradients([(g * 1.0, n) for g, n in gv], params, st)
    np.testing.assert_allclose(np.asarray(new2["discriminator/w"]),
                               np.asarray(new["discriminator/w"]), rtol=1e-6)
    assert opt.get_slot_names() == [] and int(st.count) == 1


def test_get_slot_and_schedule():
    params = {"x": jnp.asarray(X0), "y": jnp.asarray(Y0)}
    opt = train.AdamOptimizer(lambda count: 0.1 / (1.0 + count))
    step = opt.minimize(quad_loss)
    state = step.init(params)
    params, state, _ = step(params, state)
    assert opt.get_slot(state, "x", "m").shape == (3,)
    with pytest.raises(KeyError, match="slots"):
        opt.get_slot(state, "x", "rms")
    np.testing.assert_allclose(float(state.opt_state.non_slot["beta1_power"]), 0.81, rtol=1e-6)


def test_tf_losses_regularization_and_frozen_variable():
    losses = pytest.importorskip("minitf.losses")

    def model_fn(x):
        w = tf.get_variable("w", [2, 2], regularizer=lambda w: jnp.sum(jnp.abs(w)))
        frozen = tf.get_variable("frozen", [2], trainable=False,
                                 initializer=tf.ones_initializer())
        return jnp.sum(x @ w * frozen) + losses.get_regularization_loss()

    loss_model = tf.transform(model_fn)
    x = jnp.ones((1, 2))
    params = loss_model.init(2, x)
    step = train.GradientDescentOptimizer(0.5).minimize(loss_model.apply)
    state = step.init(params)
    assert state.names == ("w",)                       # the non-trainable one is never updated
    grads, _ = step.compute_gradients(params, state, x)
    np.testing.assert_allclose(np.asarray(grads["w"]), 1.0 + np.sign(np.asarray(params["w"])))
    new, state, _ = step(params, state, x)
    assert new["frozen"] is params["frozen"]


def test_variable_constraints_are_applied_after_each_update_as_tf1_does():
    def model(x):
        w = tf.get_variable("w", [3], initializer=tf.zeros_initializer(),
                            constraint=lambda v: jnp.clip(v, -0.25, 0.25))
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        return jnp.sum((x - w) ** 2) + jnp.sum((x - b) ** 2)

    model = tf.transform(model)
    x = jnp.asarray([1.0, -2.0, 0.1])
    params = model.init(0, x)
    step = train.GradientDescentOptimizer(0.4).minimize(model.apply)
    state = step.init(params)
    params, state, _ = step(params, state, x)
    np.testing.assert_allclose(params["w"], [0.25, -0.25, 0.08], rtol=1e-6)
    np.testing.assert_allclose(params["b"], [0.8, -1.6, 0.08], rtol=1e-6)  # unconstrained
