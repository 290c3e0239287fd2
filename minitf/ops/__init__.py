"""TF-named ops over `jax.numpy`, one definition each, split by family.

`math_ops` (arithmetic, reductions, comparisons, segments), `array_ops`
(construction, shapes, indexing, debugging, Python callbacks), `linalg_ops`,
`random_ops` and `functional_ops` (`scan`, `foldl`, `foldr`, `map_fn`). Ops whose
TF names shadow Python builtins (`abs`, `pow`, `round`, `range`, `slice`) are
defined with a trailing underscore and exported under the TF name.
"""
from minitf.ops import (  # noqa: F401 - operators
    array_ops,
    functional_ops,
    linalg_ops,
    math_ops,
    operators,
    random_ops,
)
from minitf.ops.op import tf_op  # noqa: F401 - re-exported

_SHADOWING_BUILTINS = {"abs": math_ops.abs_, "pow": math_ops.pow_, "round": math_ops.round_,
                       "range": array_ops.range_, "slice": array_ops.slice_}


def _exported(module: object) -> dict:
    return {name: value for name, value in vars(module).items()
            if not name.startswith("_") and not name.endswith("_") and callable(value)
            and getattr(value, "__module__", "") == module.__name__}  # type: ignore[attr-defined]


globals().update(_exported(math_ops))
globals().update(_exported(array_ops))
globals().update(_exported(random_ops))
globals().update(_exported(functional_ops))
globals().update(_exported(linalg_ops))
globals().update(_SHADOWING_BUILTINS)

__all__ = sorted({*_exported(math_ops), *_exported(array_ops), *_exported(random_ops),
                  *_exported(functional_ops), *_exported(linalg_ops), *_SHADOWING_BUILTINS})
