"""The scoping core: TF1's naming, scopes and variable store, and the transform.

Modules import one way, each only from those before it:
naming, shapes, dtypes, jax_private -> arraylike, callsite, sources -> frame ->
initializers -> variables -> partition -> store -> scopes -> template,
transform, lift. Everything outside the core uses only public names from here.
"""
