"""`tf.linalg`: TF1's `tf.linalg.*` names for minitf's matrix ops."""
from minitf.nn import l2_normalize
from minitf.ops.array_ops import eye
from minitf.ops.linalg_ops import (
    cholesky,
    matrix_transpose,
    trace,
)
from minitf.ops.linalg_ops import diag as tensor_diag
from minitf.ops.linalg_ops import diag_part as tensor_diag_part
from minitf.ops.linalg_ops import (
    matrix_band_part as band_part,
)
from minitf.ops.linalg_ops import (
    matrix_determinant as det,
)
from minitf.ops.linalg_ops import (
    matrix_diag as diag,
)
from minitf.ops.linalg_ops import (
    matrix_diag_part as diag_part,
)
from minitf.ops.linalg_ops import (
    matrix_inverse as inv,
)
from minitf.ops.math_ops import einsum, global_norm, matmul, norm, tensordot

transpose = matrix_transpose

__all__ = ["band_part", "cholesky", "det", "diag", "diag_part", "einsum", "eye", "global_norm",
           "inv", "l2_normalize", "matmul", "matrix_transpose", "norm", "tensor_diag",
           "tensor_diag_part", "tensordot", "trace", "transpose"]
