"""TF-named linear-algebra ops: band parts, diagonals, trace, inverse, Cholesky, determinant."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from minitf.core.arraylike import as_array
from minitf.ops.op import tf_op


def _matrix(x: Any) -> jax.Array:
    return jnp.asarray(as_array(x))


@tf_op("MatrixBandPart")
def matrix_band_part(input: Any, num_lower: Any, num_upper: Any) -> jax.Array:
    """Keep the band `num_lower` below and `num_upper` above the diagonal of the last two
    axes (a negative count keeps that whole triangle); zero elsewhere."""
    x = _matrix(input)
    rows = jnp.arange(x.shape[-2])[:, None]
    cols = jnp.arange(x.shape[-1])[None, :]
    lower, upper = jnp.asarray(as_array(num_lower)), jnp.asarray(as_array(num_upper))
    keep = (((lower < 0) | (rows - cols <= lower))
            & ((upper < 0) | (cols - rows <= upper)))
    return jnp.where(keep, x, jnp.zeros([], x.dtype))


@tf_op("Diag")
def diag(diagonal: Any) -> jax.Array:
    """TF1's `tf.diag`: a rank-2k tensor with `diagonal` (rank k) on its diagonal."""
    d = _matrix(diagonal)
    return jnp.diag(d.reshape(-1)).reshape(d.shape + d.shape)


@tf_op("DiagPart")
def diag_part(input: Any) -> jax.Array:
    """TF1's `tf.diag_part`, the inverse of `tf.diag`: `input[i.., i..]` of a rank-2k tensor."""
    x = _matrix(input)
    k = x.ndim // 2
    if x.ndim % 2 or x.shape[:k] != x.shape[k:]:
        raise ValueError(f"Input must have even rank and matching halves, got shape "
                         f"{list(x.shape)}")
    n = 1
    for d in x.shape[:k]:
        n *= d
    return jnp.diagonal(x.reshape(n, n)).reshape(x.shape[:k])


@tf_op("MatrixDiag")
def matrix_diag(diagonal: Any) -> jax.Array:
    """Batched diagonal matrices from the last axis (`tf.matrix_diag`, `tf.linalg.diag`)."""
    d = _matrix(diagonal)
    return d[..., :, None] * jnp.eye(d.shape[-1], dtype=d.dtype)


@tf_op("MatrixDiagPart")
def matrix_diag_part(input: Any) -> jax.Array:
    """Batched main diagonals of the last two axes (`tf.linalg.diag_part`)."""
    return jnp.diagonal(_matrix(input), axis1=-2, axis2=-1)


@tf_op("Trace")
def trace(x: Any) -> jax.Array:
    """Sum of the main diagonal of the last two axes (batched, as TF's `tf.trace`)."""
    return jnp.trace(_matrix(x), axis1=-2, axis2=-1)


@tf_op("MatrixInverse")
def matrix_inverse(input: Any, adjoint: bool = False) -> jax.Array:
    """Inverse of each square matrix in the last two axes (of its adjoint if `adjoint`)."""
    x = _matrix(input)
    if adjoint:
        x = jnp.conj(jnp.swapaxes(x, -1, -2))
    return jnp.linalg.inv(x)


@tf_op("Cholesky")
def cholesky(input: Any) -> jax.Array:
    """Lower Cholesky factor of each matrix, reading only its lower triangle as TF does."""
    return jax.lax.linalg.cholesky(_matrix(input), symmetrize_input=False)


@tf_op("MatrixDeterminant")
def matrix_determinant(input: Any) -> jax.Array:
    """Determinant of each square matrix in the last two axes."""
    return jnp.linalg.det(_matrix(input))


@tf_op("matrix_transpose")
def matrix_transpose(a: Any, conjugate: bool = False) -> jax.Array:
    """Swap the last two axes (`tf.matrix_transpose`, `tf.linalg.transpose`)."""
    x = jnp.swapaxes(_matrix(a), -1, -2)
    return jnp.conj(x) if conjugate else x
