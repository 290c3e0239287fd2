"""TF1 program scaffolding against real TF: tf.logging, tf.app.flags, tf.gfile, tf.ConfigProto.

Each check runs the same snippet with `tensorflow.compat.v1` and with minitf and compares
the results (values, exception classes and messages); the last tests run a whole TF1-style
script (flags, logging, gfile, ConfigProto, Session, tf.app.run) in a subprocess.
"""
import logging
import os
import pathlib
import subprocess
import sys
import types

import pytest

import minitf
from tf_reference import tf1

REPO = pathlib.Path(__file__).resolve().parents[1]


# -- tf.logging --------------------------------------------------------------------------


@pytest.fixture
def restore_verbosity():
    logger = logging.getLogger("tensorflow")
    level = logger.level
    yield
    logger.setLevel(level)


def test_logging_constants_and_names_match_tf():
    for name in ("DEBUG", "INFO", "WARN", "ERROR", "FATAL"):
        assert getattr(minitf.logging, name) == getattr(tf1.logging, name), name
    assert (minitf.logging.DEBUG, minitf.logging.INFO, minitf.logging.WARN,
            minitf.logging.ERROR, minitf.logging.FATAL) == (10, 20, 30, 40, 50)
    public = {n for n in dir(tf1.logging) if not n.startswith("_")}
    assert public <= set(dir(minitf.logging))


def _log_snippet(tflog):
    tflog.set_verbosity(tflog.DEBUG)
    seen = [tflog.get_verbosity()]
    tflog.debug("d %d", 1)
    tflog.info("i %s", "x")
    tflog.warn("w")
    tflog.warning("w2")
    tflog.error("e")
    tflog.fatal("f")
    tflog.log(tflog.INFO, "log %d", 2)
    tflog.vlog(tflog.WARN, "vlog")
    tflog.log_if(tflog.INFO, "if-true", True)
    tflog.log_if(tflog.INFO, "if-false", False)
    tflog.set_verbosity(tflog.ERROR)
    seen.append(tflog.get_verbosity())
    tflog.info("hidden")
    tflog.error("shown")
    return seen


def _records(tflog, caplog):
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="tensorflow"):
        seen = _log_snippet(tflog)
    return seen, [(r.name, r.levelno, r.getMessage()) for r in caplog.records]


def test_logging_records_match_tf(caplog, restore_verbosity):
    mine = _records(minitf.logging, caplog)
    theirs = _records(tf1.logging, caplog)
    assert mine == theirs
    messages = [m for _, _, m in mine[1]]
    assert "if-true" in messages and "if-false" not in messages
    assert "hidden" not in messages and mine[0] == [10, 40]


def test_log_every_n_and_first_n_count_per_call_site(caplog, restore_verbosity):
    """TF documents per-call-site counts (its own frame offset is one too high, so under
    TF calls from one file share a count; minitf counts per line as documented)."""
    minitf.logging.set_verbosity(minitf.logging.INFO)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        for i in range(7):
            minitf.logging.log_every_n(minitf.logging.INFO, "every %d", 3, i)
        for i in range(5):
            minitf.logging.log_first_n(minitf.logging.INFO, "first %d", 2, i)
    assert [r.getMessage() for r in caplog.records] == [
        "every 0", "every 3", "every 6", "first 0", "first 1"]
    assert {r.filename for r in caplog.records} == {"test_platform_tf.py"}


# -- tf.app.flags ----------------------------------------------------------------------------


def _define(flags):
    fv = flags.FlagValues()
    flags.DEFINE_string("name", "x", "a name", flag_values=fv)
    flags.DEFINE_integer("n", 3, "a count", flag_values=fv)
    flags.DEFINE_integer("k", 1, "bounded", lower_bound=0, flag_values=fv)
    flags.DEFINE_integer("r", 1, "ranged", lower_bound=1, upper_bound=5, flag_values=fv)
    flags.DEFINE_float("lr", 0.1, "rate", flag_values=fv)
    flags.DEFINE_float("p", 0.5, "positive", lower_bound=0.0, flag_values=fv)
    flags.DEFINE_boolean("flag", False, "a bool", flag_values=fv)
    flags.DEFINE_bool("on", True, "another bool", flag_values=fv)
    flags.DEFINE_list("ls", "a,b", "a list", flag_values=fv)
    flags.DEFINE_enum("mode", "train", ["train", "eval"], "a mode", flag_values=fv)
    flags.DEFINE_string("opt", None, "unset", flag_values=fv)
    flags.DEFINE_multi_string("ms", "a", "strings", flag_values=fv)
    flags.DEFINE_multi_integer("mi", [1, 2], "ints", lower_bound=0, flag_values=fv)
    flags.DEFINE_multi_float("mf", None, "floats", flag_values=fv)
    flags.DEFINE_multi_enum("me", ["x"], ["x", "y"], "enums", flag_values=fv)
    return fv


def _parse(flags, argv, known_only=False):
    fv = _define(flags)
    try:
        rest = fv(argv, known_only=known_only)
    except Exception as e:  # the class name and message are compared
        return type(e).__name__, str(e).split(". Did you mean")[0]
    return rest, fv.flag_values_dict(), fv["n"].present, fv["n"].default


ARGVS = [
    ["p"],
    ["p", "--name=foo", "--n", "5", "--lr=2e-3", "--flag", "--noon", "--ls=x, y,,z",
     "--mode", "eval", "pos"],
    ["p", "pos1", "--n=2", "pos2", "--", "--n=4", "x"],
    ["p", "-n=7", "-name", "q", "-flag"],
    ["p", "--flag=false", "--on=0"],
    ["p", "--flag=FALSE", "--on=t", "--ls="],
    ["p", "--flag", "true"],
    ["p", "--n", "-5", "--n=0x10", "--name="],
    ["p", "-", "--=3"],
    ["p", "--flag=yes"],
    ["p", "--unknown=3"],
    ["p", "--nounknown"],
    ["p", "--noname"],
    ["p", "--n=abc"],
    ["p", "--n=1.5"],
    ["p", "--lr=abc"],
    ["p", "--mode=test"],
    ["p", "--n"],
    ["p", "--k=-1"],
    ["p", "--r=6"],
    ["p", "--p=-0.5"],
    ["p", "--k=0", "--r=5", "--p=0"],
    ["p", "--ms=b", "--ms", "c,d", "--mi=3", "--mi=4", "--mf=1.5", "--me=y", "--me=x"],
    ["p", "--mi=-1"],
    ["p", "--me=z"],
    [],
]


@pytest.mark.parametrize("argv", ARGVS, ids=lambda a: " ".join(a) or "empty")
def test_flags_parse_like_absl(argv):
    mine = _parse(minitf.flags, argv)
    assert mine == _parse(tf1.flags, argv)


KNOWN_ONLY_ARGVS = [
    ["p", "--unknown=3", "--n=2", "pos", "--zz"],
    ["p", "a", "--n=2", "--", "--n=3", "b"],
    ["p", "--zz", "v", "--n", "4", "--nozz", "-z", "--noflag"],
    ["p", "--", "x"],
]


@pytest.mark.parametrize("argv", KNOWN_ONLY_ARGVS, ids=" ".join)
def test_flags_known_only_keeps_unknown_flags_like_tf_app_run(argv):
    mine = _parse(minitf.app.flags, argv, known_only=True)
    assert mine == _parse(tf1.app.flags, argv, known_only=True)
    assert isinstance(mine[0], list) and len(mine[0]) > 1


def test_flags_help_text_matches_absl():
    mine = _define(minitf.flags).get_help()
    assert mine == _define(tf1.flags).get_help(include_special_flags=False)
    assert "  --r: ranged\n    (default: '1')\n    (an integer in the range [1, 5])" in mine
    assert "  --ms: strings;\n    repeat this option to specify a list of values\n" in mine


def test_flags_dunder_flags_lists_flag_objects():
    fv = _define(minitf.flags)
    fv(["p", "--n=4"])
    assert getattr(fv, "__flags")["n"].value == 4
    assert sorted(getattr(fv, "__flags")) == sorted(fv.flag_values_dict())


def _definition_errors(flags):
    fv = _define(flags)
    out = []
    for define in (lambda: flags.DEFINE_integer("n", 1, "again", flag_values=fv),
                   lambda: flags.DEFINE_enum("m", "zz", ["a"], "bad", flag_values=fv),
                   lambda: flags.DEFINE_integer("m", "abc", "bad", flag_values=fv),
                   lambda: flags.DEFINE_string("m", 5, "bad", flag_values=fv)):
        try:
            define()
            out.append("ok")
        except Exception as e:
            out.append((type(e).__name__, str(e).split(" First from")[0]))
    flags.DEFINE_string("req", None, "required", flag_values=fv)
    flags.mark_flag_as_required("req", flag_values=fv)
    try:
        fv(["p"])
    except Exception as e:
        out.append((type(e).__name__, str(e)))
    fv(["p", "--req=1"])
    out.append(fv.req)
    try:
        fv.nope  # noqa: B018
    except AttributeError as e:
        out.append(str(e))
    try:
        fv.nope = 1
    except Exception as e:
        out.append((type(e).__name__, str(e)))
    fv.n = 9
    out.append((fv.n, fv["n"].default, fv["name"].help, "n" in fv, "zz" in fv))
    return out


def test_flag_definition_errors_match_absl():
    mine = _definition_errors(minitf.flags)
    assert mine == _definition_errors(tf1.flags)
    assert mine[0][0] == "DuplicateFlagError"


def _reimport(flags, monkeypatch):
    """A module defining a flag, imported twice (a reload), then run twice as one object."""
    fv = flags.FlagValues()
    out = []
    for text in ("first", "second"):
        module = types.ModuleType("reimported_flags_module")
        module.flags, module.fv = flags, fv
        monkeypatch.setitem(sys.modules, module.__name__, module)
        exec(f"flags.DEFINE_integer('z', 1, '{text}', flag_values=fv)", module.__dict__)
        out.append(fv["z"].help)
    exec("flags.DEFINE_integer('w', 1, 'once', flag_values=fv)", module.__dict__)
    try:
        exec("flags.DEFINE_integer('w', 1, 'twice', flag_values=fv)", module.__dict__)
    except Exception as e:
        out.append(type(e).__name__)
    return out


def test_flags_reimported_module_keeps_first_definition_like_absl(monkeypatch):
    mine = _reimport(minitf.flags, monkeypatch)
    assert mine == _reimport(tf1.flags, monkeypatch)
    assert mine == ["first", "first", "DuplicateFlagError"]


def test_flags_parse_sys_argv_on_first_read_as_tf1(monkeypatch):
    fv = _define(minitf.flags)
    monkeypatch.setattr(sys, "argv", ["prog", "--n=11", "--flag"])
    assert not fv.is_parsed()
    assert fv.n == 11 and fv.flag is True and fv.is_parsed()
    fv2 = _define(minitf.flags)
    monkeypatch.setattr(sys, "argv", ["prog", "--bogus"])
    with pytest.raises(minitf.flags.UnrecognizedFlagError, match="Unknown command line flag"):
        fv2.n  # noqa: B018


def test_flags_namespaces():
    assert minitf.app.flags is minitf.flags
    assert isinstance(minitf.flags.FLAGS, minitf.flags.FlagValues)


# -- tf.gfile ----------------------------------------------------------------------------


def _gfile_snippet(g, io_gfile, d):
    """Every gfile call of interest, in order; results or (error class, message)."""
    p = os.path.join(d, "a.txt")
    out = []

    def step(f):
        try:
            value = f()
        except Exception as e:
            value = (type(e).__name__, str(e))
        out.append(value)

    def write(path, mode, data):
        with g.GFile(path, mode) as f:
            f.write(data)

    step(lambda: g.GFile(p).read())
    step(lambda: (g.Exists(p), io_gfile.exists(d)))
    step(lambda: write(p, "w", "hi\nthere\n"))
    step(lambda: g.GFile(p).read())
    step(lambda: g.GFile(p, "rb").read())
    step(lambda: g.GFile(p).readlines())
    step(lambda: list(g.GFile(p)))
    step(lambda: list(g.Open(p, "rb")))
    step(lambda: g.GFile(p).readline())
    step(lambda: g.GFile(p).read(3))
    step(lambda: g.MkDir(d))
    step(lambda: g.MakeDirs(d))
    step(lambda: g.MakeDirs(p))
    step(lambda: g.MkDir(os.path.join(d, "x", "y")))
    step(lambda: g.MakeDirs(os.path.join(d, "x", "y")))
    step(lambda: io_gfile.makedirs(os.path.join(d, "m", "n")))
    step(lambda: io_gfile.mkdir(os.path.join(d, "m", "o")))
    step(lambda: (g.IsDirectory(d), g.IsDirectory(p), io_gfile.isdir(p + "zz")))
    step(lambda: sorted(g.ListDirectory(d)))
    step(lambda: sorted(io_gfile.listdir(d)))
    step(lambda: g.ListDirectory(d + "/nope"))
    step(lambda: g.ListDirectory(p))
    step(lambda: sorted(x.replace(d, "<d>") for x in g.Glob(os.path.join(d, "*"))))
    step(lambda: io_gfile.glob(os.path.join(d, "zz*")))
    step(lambda: (g.Stat(p).length, g.Stat(p).is_directory, g.Stat(d).is_directory,
                  io_gfile.stat(p).length, g.Stat(p).mtime_nsec > 0))
    step(lambda: g.Stat(p + "zz"))
    step(lambda: g.Copy(p, p + "2"))
    step(lambda: g.Copy(p, p + "2"))
    step(lambda: g.Copy(p, p + "2", overwrite=True))
    step(lambda: io_gfile.copy(p + "zz", p + "3"))
    step(lambda: g.Rename(p + "2", p))
    step(lambda: io_gfile.rename(p + "zz", p + "4"))
    step(lambda: g.Rename(p + "2", p + "5"))
    step(lambda: io_gfile.rename(p + "5", p, overwrite=True))
    step(lambda: g.Remove(p + "zz"))
    step(lambda: io_gfile.remove(os.path.join(d, "x")))
    step(lambda: g.DeleteRecursively(p + "zz"))
    step(lambda: (write(p + "6", "w", "x"), io_gfile.rmtree(p + "6"), g.Exists(p + "6")))
    step(lambda: sorted((w.replace(d, "<d>"), sorted(s), sorted(f)) for w, s, f in g.Walk(d)))
    step(lambda: [w.replace(d, "<d>") for w, _, _ in io_gfile.walk(d, topdown=False)][-1])
    step(lambda: list(g.Walk(d + "/nope")))
    step(lambda: (g.DeleteRecursively(os.path.join(d, "x")), g.Exists(os.path.join(d, "x"))))
    step(lambda: g.GFile(p).write("x"))
    step(lambda: g.GFile(p + "7", "w").read())
    step(lambda: g.GFile(p, "z"))
    step(lambda: (write(p, "a", "more"), g.GFile(p).read()))
    step(lambda: (write(p + "8", "w", b"bytes"), g.GFile(p + "8").read()))
    step(lambda: (write(p + "9", "wb", "str"), g.GFile(p + "9", "rb").read()))
    f = g.GFile(p)
    step(lambda: (f.read(2), f.tell(), f.seek(0), f.read(1), f.size(), f.mode))
    step(lambda: g.GFile(d).read())
    step(lambda: write(d + "/nope/f", "w", "x"))
    step(lambda: g.FastGFile(p, "rb").read())
    step(lambda: io_gfile.GFile(p, "r").read())
    step(lambda: g.MkDir(p))
    step(lambda: sorted(x.replace(d, "<d>") for x in g.Glob([os.path.join(d, "*.txt"),
                                                           os.path.join(d, "a.txt*")])))
    step(lambda: (g.Exists(""), g.IsDirectory("")))
    step(lambda: g.Copy(p, os.path.join(d, "nodir", "x")))
    step(lambda: g.Rename(p, os.path.join(d, "nodir", "x")))
    step(lambda: (g.MakeDirs(os.path.join(d, "s", "t")), g.Rename(os.path.join(d, "s"),
                                                                  os.path.join(d, "s2"))))
    step(lambda: [x.replace(d, "<d>") if isinstance(x, str) else x
                  for x in next(iter(g.Walk(os.path.join(d, "s2"))))])
    step(lambda: (write(p + "u", "w", "h\u00e9llo"), g.GFile(p + "u").read(),
                  g.GFile(p + "u", "rb").read()))
    step(lambda: g.GFile(p, "r+").read(4))
    step(lambda: g.Copy(os.path.join(d, "s2"), os.path.join(d, "s3")))
    return [_relative(v, d) for v in out]


def _relative(value, d):
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        return value[0], value[1].replace(d, "<d>")
    return value


def test_gfile_matches_tf(tmp_path):
    ours, theirs = tmp_path / "minitf", tmp_path / "tf"
    ours.mkdir()
    theirs.mkdir()
    mine = _gfile_snippet(minitf.gfile, minitf.io.gfile, str(ours))
    expected = _gfile_snippet(tf1.gfile, tf1.io.gfile, str(theirs))
    for i, (a, b) in enumerate(zip(mine, expected, strict=True)):
        assert a == b, (i, a, b)
    assert mine[0] == ("NotFoundError", "<d>/a.txt; No such file or directory")
    assert isinstance(mine[3], str) and isinstance(mine[4], bytes)


def test_gfile_errors_are_tf_errors(tmp_path):
    with pytest.raises(minitf.errors.NotFoundError):
        minitf.gfile.GFile(str(tmp_path / "missing")).read()
    minitf.gfile.GFile(str(tmp_path / "f"), "w").write("x")
    with pytest.raises(minitf.errors.AlreadyExistsError):
        minitf.gfile.Copy(str(tmp_path / "f"), str(tmp_path / "f"))
    assert issubclass(minitf.errors.AlreadyExistsError, minitf.errors.OpError)


# -- tf.ConfigProto and friends ------------------------------------------------------------


def _config_snippet(tf):
    out = []

    def step(f):
        try:
            out.append(f())
        except Exception as e:
            out.append((type(e).__name__, str(e)))

    c = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False,
                       device_count={"GPU": 0},
                       gpu_options=tf.GPUOptions(allow_growth=True,
                                                 per_process_gpu_memory_fraction=0.5))
    step(lambda: str(c))
    d = tf.ConfigProto()
    step(lambda: (d.allow_soft_placement, d.intra_op_parallelism_threads,
                  d.gpu_options.allow_growth, dict(d.device_count), str(d)))
    d.gpu_options.allow_growth = True
    d.gpu_options.per_process_gpu_memory_fraction = 0.4
    d.device_count["GPU"] = 1
    d.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    d.inter_op_parallelism_threads = 2
    d.intra_op_parallelism_threads = 4
    d.log_device_placement = True
    step(lambda: (d.gpu_options.allow_growth, d.gpu_options.per_process_gpu_memory_fraction,
                  dict(d.device_count), d.graph_options.optimizer_options.global_jit_level,
                  d.inter_op_parallelism_threads, str(d)))
    step(lambda: tf.ConfigProto(foo=1))
    step(lambda: setattr(tf.ConfigProto(), "foo", 1))
    step(lambda: tf.ConfigProto(allow_soft_placement="yes"))
    step(lambda: tf.ConfigProto(intra_op_parallelism_threads="2"))
    step(lambda: setattr(tf.ConfigProto(), "intra_op_parallelism_threads", 1.5))
    step(lambda: setattr(tf.ConfigProto(), "gpu_options", tf.GPUOptions()))
    step(lambda: tf.GPUOptions(bogus=True))
    step(lambda: (tf.OptimizerOptions.ON_1, tf.OptimizerOptions.OFF, tf.OptimizerOptions.DEFAULT,
                  tf.OptimizerOptions.ON_2, tf.OptimizerOptions.L0, tf.OptimizerOptions.L1))
    step(lambda: (tf.RunOptions.NO_TRACE, tf.RunOptions.SOFTWARE_TRACE,
                  tf.RunOptions.HARDWARE_TRACE, tf.RunOptions.FULL_TRACE))
    r = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE, timeout_in_ms=100)
    step(lambda: (r.trace_level, r.timeout_in_ms, str(r)))
    step(lambda: str(tf.RunMetadata()))
    step(lambda: str(tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(opt_level=tf.OptimizerOptions.L0),
        enable_bfloat16_sendrecv=False, infer_shapes=True, build_cost_model=1)))
    step(lambda: (tf.ConfigProto(allow_soft_placement=True)
                  == tf.ConfigProto(allow_soft_placement=True),
                  tf.ConfigProto(allow_soft_placement=True) == tf.ConfigProto()))
    e = tf.ConfigProto()
    e.CopyFrom(c)
    step(lambda: (str(e), e == c, e.HasField("gpu_options"), e.HasField("graph_options")))
    return out


def test_config_protos_match_tf():
    mine, expected = _config_snippet(minitf), _config_snippet(tf1)
    for i, (a, b) in enumerate(zip(mine, expected, strict=True)):
        assert a == b, (i, a, b)
    assert "allow_growth: true" in mine[0]


def test_session_accepts_config_and_run_options():
    g = minitf.Graph()
    with g.as_default():
        x = minitf.constant(2.0) * 3.0
    config = minitf.ConfigProto(gpu_options=minitf.GPUOptions(allow_growth=True))
    meta = minitf.RunMetadata()
    with minitf.Session(graph=g, config=config) as sess:
        out = sess.run(x, options=minitf.RunOptions(trace_level=minitf.RunOptions.FULL_TRACE),
                       run_metadata=meta)
    assert out == 6.0 and str(meta) == ""
    sess = minitf.InteractiveSession(graph=g, config=config)
    try:
        assert sess.run(x) == 6.0
    finally:
        sess.close()


# -- a whole TF1 script ------------------------------------------------------------------

SCRIPT = '''\
"""A TF1 training-script skeleton."""
import os
import sys

{import_tf}

flags = tf.app.flags
flags.DEFINE_string("out_dir", "/tmp/unused", "where to write")
flags.DEFINE_integer("steps", 2, "how many steps")
flags.DEFINE_float("scale", 1.0, "multiplier")
flags.DEFINE_boolean("verbose", False, "log more")
flags.DEFINE_list("tags", "a,b", "tags")
FLAGS = flags.FLAGS


def main(argv):
    tf.logging.set_verbosity(tf.logging.INFO if FLAGS.verbose else tf.logging.WARN)
    tf.logging.info("starting with %d steps", FLAGS.steps)
    tf.gfile.MakeDirs(os.path.join(FLAGS.out_dir, "logs"))
    x = tf.placeholder(tf.float32, [None])
    y = tf.reduce_sum(x) * FLAGS.scale
    config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True),
                            allow_soft_placement=True)
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    with tf.Session(config=config) as sess:
        for step in range(FLAGS.steps):
            value = sess.run(y, feed_dict={{x: [1.0, 2.0, float(step)]}},
                             options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                             run_metadata=tf.RunMetadata())
            print("step", step, float(value))
    with tf.gfile.GFile(os.path.join(FLAGS.out_dir, "logs", "done.txt"), "w") as f:
        f.write(",".join(FLAGS.tags))
    print("files", sorted(tf.gfile.ListDirectory(os.path.join(FLAGS.out_dir, "logs"))))
    print("argv", argv[1:])
    sys.stdout.flush()
    return 3


if __name__ == "__main__":
    tf.app.run()
'''


def _run_script(tmp_path, import_tf, args, name):
    script = tmp_path / f"{name}.py"
    script.write_text(SCRIPT.format(import_tf=import_tf))
    env = dict(os.environ, PYTHONPATH=str(REPO), TF_CPP_MIN_LOG_LEVEL="3",
               JAX_PLATFORMS="cpu")
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def test_tf1_script_runs_unchanged_under_minitf_and_tf(tmp_path):
    args = ["--steps", "3", "--scale=2", "--verbose", "--tags=x,y", "extra", "--undefined=1"]
    mine = _run_script(tmp_path, "import minitf as tf",
                       [f"--out_dir={tmp_path / 'mtf'}", *args], "with_minitf")
    theirs = _run_script(tmp_path, "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()",
                         [f"--out_dir={tmp_path / 'tf'}", *args], "with_tf")
    assert mine.returncode == theirs.returncode == 3, mine.stderr[-2000:]
    assert mine.stdout == theirs.stdout
    assert mine.stdout.splitlines() == [
        "step 0 6.0", "step 1 8.0", "step 2 10.0", "files ['done.txt']",
        "argv ['extra', '--undefined=1']"]
    assert "INFO:tensorflow:starting with 3 steps" in mine.stderr
    assert (tmp_path / "mtf" / "logs" / "done.txt").read_text() == "x,y"


def test_tf1_script_bad_flag_value_raises_and_help_exits_1(tmp_path):
    result = _run_script(tmp_path, "import minitf as tf", ["--steps=many"], "bad_flag")
    assert result.returncode == 1
    assert "IllegalFlagValueError: flag --steps=many: invalid literal for int()" \
        in result.stderr.splitlines()[-1]
    assert "step 0" not in result.stdout
    result = _run_script(tmp_path, "import minitf as tf", ["--help"], "help")
    assert result.returncode == 1 and "step 0" not in result.stdout
    assert result.stdout.startswith("A TF1 training-script skeleton.\nflags:\n\n")
    assert "  --steps: how many steps\n    (default: '2')\n    (an integer)\n" in result.stdout
    assert result.stdout.endswith("\n\nTry --helpfull to get a list of all flags.\n")
