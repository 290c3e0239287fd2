"""Random scoping programs for the property tier, and their rendering to Python source.

A program is a small AST of nested ``variable_scope`` (by string, by a captured scope
object, by ``default_name``; reuse None/True/False/AUTO_REUSE), ``name_scope`` (by
string, ``None`` or re-entering a returned scope string), ``reuse_variables()``,
``get_variable`` (with/without/mismatched shapes and dtypes), ``tf.Variable``,
collections, templates and scope observations.  ``render`` turns it into Python source in
which every statement is wrapped in try/except and logs its observation or its error, so
that the source *is* the scenario: ``replay(source)`` runs it under either backend.

The programs the tier checks are drawn with a fixed seed (``SEED``), so for a given
Hypothesis version they are the same on every run: ``sample_programs`` lists them for
``record.py``, and ``golden/programs.json`` holds TF's log for each.
"""

import textwrap

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

SEED = 20210
N_PROGRAMS = 500

# ---------------------------------------------------------------------------
# AST
# ---------------------------------------------------------------------------

SCOPE_NAMES = ["a", "b", "A", "a_1"]
VAR_NAMES = ["v", "w", "V", "v_1"]
DEFAULT_NAMES = ["d", "a"]
REUSES = ["None", "None", "None", "True", "False", "tf.AUTO_REUSE"]
SHAPES = ["None", "[]", "[1]", "[2]", "[2, 3]"]
DTYPES = ["None", "tf.float32", "tf.int32"]

_get_var = st.tuples(
    st.just("get_var"), st.sampled_from(VAR_NAMES), st.sampled_from(SHAPES), st.sampled_from(DTYPES)
)
leaf = st.one_of(
    _get_var,
    _get_var,
    st.tuples(st.just("variable"), st.sampled_from([*VAR_NAMES, "None"])),
    st.tuples(st.just("reuse_vars")),
    st.tuples(st.just("observe")),
    st.tuples(
        st.just("collection"), st.sampled_from(["None", "'a'", "'a/'", "'A'", "'d'"]), st.booleans()
    ),
    st.tuples(st.just("make_template"), st.sampled_from(["t", "a"]), st.booleans()),
    st.tuples(st.just("call_template"), st.integers(0, 3)),
)


def _blocks(children):
    body = st.lists(children, min_size=0, max_size=4)
    return st.one_of(
        st.tuples(st.just("vs_str"), st.sampled_from(SCOPE_NAMES), st.sampled_from(REUSES), body),
        st.tuples(st.just("vs_noaux"), st.sampled_from(SCOPE_NAMES), st.sampled_from(REUSES), body),
        st.tuples(st.just("vs_obj"), st.integers(0, 5), st.sampled_from(REUSES), body),
        st.tuples(
            st.just("vs_default"),
            st.sampled_from(DEFAULT_NAMES),
            st.sampled_from(["None", "None", "None", "tf.AUTO_REUSE", "tf.AUTO_REUSE", "True"]),
            body,
        ),
        st.tuples(st.just("ns_str"), st.sampled_from([*SCOPE_NAMES, "None"]), body),
        st.tuples(st.just("ns_captured"), st.integers(0, 5), body),
    )


statement = st.recursive(leaf, _blocks, max_leaves=12)
programs = st.lists(statement, min_size=1, max_size=6)

# ---------------------------------------------------------------------------
# Rendering to Python source (the source *is* the interpreter)
# ---------------------------------------------------------------------------

_PRELUDE = """\
scopes = []   # every variable scope entered, in order
nscopes = []  # every name scope string returned, in order
templates = []  # every template made, in order
def ns():
    return tf.get_default_graph().get_name_scope()
def body():
    s = tf.get_variable_scope()
    rec("template body", [s.name, rec.reuse(s), ns()])
    return tf.get_variable("w", [1]).name
"""


def render(program):
    lines = []
    counter = [0]

    def emit(depth, text):
        lines.append("    " * depth + text)

    def label():
        counter[0] += 1
        return f"L{counter[0]}"

    def block(stmts, depth):
        if not stmts:
            emit(depth, "pass")
        for s in stmts:
            stmt(s, depth)

    def guarded(depth, lab, body_fn):
        emit(depth, "try:")
        body_fn(depth + 1)
        emit(depth, "except Exception as e:")
        emit(depth + 1, f"rec.err({lab!r}, e)")

    def scoped(depth, lab, head, var, registry, observed, body):
        """A guarded ``with head as var:`` block that registers and observes its scope,
        runs ``body``, and observes the name scope after leaving."""

        def with_body(d):
            emit(d, f"with {head} as {var}:")
            emit(d + 1, f"{registry}.append({var})")
            emit(d + 1, f"rec({lab!r}, {observed})")
            block(body, d + 1)
            emit(d, "rec(%r, ns())" % (lab + ".exit"))

        guarded(depth, lab, with_body)

    def stmt(s, depth):
        kind = s[0]
        lab = label()
        if kind == "get_var":
            _, name, shape, dtype = s
            guarded(
                depth,
                lab,
                lambda d: (
                    emit(
                        d,
                        f"x = tf.get_variable({name!r}, {shape}, dtype={dtype}, "
                        "initializer=tf.zeros_initializer())",
                    ),
                    emit(d, f"rec({lab!r}, [x.name, rec.shape(x), rec.dtype(x)])"),
                ),
            )
        elif kind == "variable":
            name = s[1]
            arg = "None" if name == "None" else repr(name)
            guarded(
                depth,
                lab,
                lambda d: emit(d, f"rec({lab!r}, tf.Variable(0.0, name={arg}).name)"),
            )
        elif kind == "reuse_vars":
            guarded(
                depth,
                lab,
                lambda d: (
                    emit(d, "tf.get_variable_scope().reuse_variables()"),
                    emit(d, f"rec({lab!r}, rec.reuse(tf.get_variable_scope()))"),
                ),
            )
        elif kind == "observe":
            guarded(
                depth,
                lab,
                lambda d: emit(
                    d,
                    f"rec({lab!r}, [tf.get_variable_scope().name, "
                    "rec.reuse(tf.get_variable_scope()), "
                    "tf.get_variable_scope().original_name_scope, ns()])",
                ),
            )
        elif kind == "collection":
            _, scope, trainable = s
            key = (
                "tf.GraphKeys.TRAINABLE_VARIABLES" if trainable else "tf.GraphKeys.GLOBAL_VARIABLES"
            )
            guarded(
                depth,
                lab,
                lambda d: emit(
                    d, f"rec({lab!r}, [x.name for x in tf.get_collection({key}, {scope})])"
                ),
            )
        elif kind == "make_template":
            _, name, now = s
            guarded(
                depth,
                lab,
                lambda d: (
                    emit(
                        d,
                        f"templates.append(tf.make_template({name!r}, body, "
                        f"create_scope_now_={now}))",
                    ),
                    emit(d, f"rec({lab!r}, templates[-1].variable_scope_name)"),
                ),
            )
        elif kind == "call_template":
            k = s[1]
            guarded(
                depth,
                lab,
                lambda d: (
                    emit(d, "if templates:"),
                    emit(d + 1, f"rec({lab!r}, templates[{k} % len(templates)]())"),
                ),
            )
        elif kind in ("vs_str", "vs_obj", "vs_default", "vs_noaux"):
            if kind == "vs_str":
                head = f"tf.variable_scope({s[1]!r}, reuse={s[2]})"
            elif kind == "vs_noaux":
                head = f"tf.variable_scope({s[1]!r}, reuse={s[2]}, auxiliary_name_scope=False)"
            elif kind == "vs_obj":
                captured = f"scopes[{s[1]} % len(scopes)] if scopes else tf.get_variable_scope()"
                head = f"tf.variable_scope({captured}, reuse={s[2]})"
            else:
                head = f"tf.variable_scope(None, default_name={s[1]!r}, reuse={s[2]})"
            observed = "[s.name, rec.reuse(s), s.original_name_scope, ns()]"
            scoped(depth, lab, head, "s", "scopes", observed, s[3])
        elif kind in ("ns_str", "ns_captured"):
            if kind == "ns_str":
                head = "tf.name_scope({})".format("None" if s[1] == "None" else repr(s[1]))
            else:
                head = f"tf.name_scope(nscopes[{s[1]} % len(nscopes)] if nscopes else None)"
            scoped(
                depth, lab, head, "n", "nscopes", "[n, ns(), tf.get_variable_scope().name]", s[2]
            )
        else:  # pragma: no cover
            raise AssertionError(kind)

    block(program, 0)
    return _PRELUDE + "\n".join(lines) + "\n"


def as_scenario(source, name="scenario_hypothesis_repro"):
    """The failing program as a scenario function for scenarios.py."""
    return "def {}(tf, rec):\n{}".format(name, textwrap.indent(source, "    "))


def replay(source):
    """Return a scenario callable executing ``source``."""

    def scenario(tf, rec):
        exec(compile(source, "<program>", "exec"), {"tf": tf, "rec": rec})

    return scenario


def hypothesis_settings(phases=None):
    """The settings the tier runs under (no example database: the seed decides)."""
    extra = {} if phases is None else {"phases": phases}
    return settings(
        max_examples=N_PROGRAMS,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **extra,
    )


def sample_programs():
    """The sources of the programs the tier draws, in order, without duplicates."""
    out = []

    @seed(SEED)
    @hypothesis_settings(phases=[Phase.generate])
    @given(program=programs)
    def collect(program):
        source = render(program)
        if source not in out:
            out.append(source)

    collect()
    return out
