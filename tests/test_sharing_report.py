"""The sharing report shows a shared discriminator and unread variables."""
import jax.numpy as jnp

import minitf as tf
from minitf.viz.sharing import sharing_report


def discriminator(x, reuse=None):
    with tf.variable_scope("discriminator", reuse=reuse):
        w = tf.get_variable("w", [4, 1])
        tf.get_variable("unused", [2])
        return x @ w


def model(real, fake):
    return discriminator(real), discriminator(fake, reuse=True)


def test_report_counts_both_uses_of_the_shared_discriminator():
    m = tf.transform(model)
    x = jnp.ones((2, 4))
    params = m.init(0, x, x)
    report = sharing_report(m, params, x, x)
    uses = report.uses["discriminator/w"]
    assert sum(uses.values()) == 2
    assert {vscope for vscope, _, _ in uses} == {"discriminator"}
    assert {nscope for _, nscope, _ in uses} == {"discriminator", "discriminator_1"}
    assert all("test_sharing_report.py" in site for _, _, site in uses)
    assert report.unread == ["discriminator/unused"]
    assert "discriminator/w" in report.shared()
    assert "shared: 2 use(s)" in str(report)
