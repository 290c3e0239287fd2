"""TF1's monitored sessions: `tf.train.MonitoredTrainingSession` and friends.

A `MonitoredSession` creates its session through a `Scaffold` (restore the latest
checkpoint of `checkpoint_dir`, else run the initializers), calls its hooks around
every `run` (their fetches and feeds join the caller's, in one `Session.run`), and
ends when a hook requests a stop or an input pipeline runs out: leaving its `with`
block on `tf.errors.OutOfRangeError` is a normal end, as in TF. TF1's usual loop
runs unchanged:

    with tf.train.MonitoredTrainingSession(checkpoint_dir=d, hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)

What is not done: distributed masters and workers (one process: `is_chief`), the
graph.pbtxt, graph event and step-rate summaries a chief writes, and recovery from
aborted sessions.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minitf.checkpoint import latest_checkpoint
from minitf.core.frame import GraphKeys, get_default_graph
from minitf.graph.control import global_variables_initializer, local_variables_initializer
from minitf.graph.errors import OutOfRangeError
from minitf.graph.saver import Saver
from minitf.graph.session import Session
from minitf.platform import tf_logging as logging
from minitf.train.session_run_hooks import (
    CheckpointSaverHook,
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
    StepCounterHook,
    SummarySaverHook,
)

__all__ = ["ChiefSessionCreator", "MonitoredSession", "MonitoredTrainingSession", "Scaffold",
           "SingularMonitoredSession"]

USE_DEFAULT = object()  # TF's marker for "the default" in MonitoredTrainingSession


class Scaffold:
    """How a monitored session is made: init op, init feeds and function, local init op,
    saver (each built by `finalize` when not given)."""

    def __init__(self, init_op: Any = None, init_feed_dict: Any = None, init_fn: Any = None,
                 ready_op: Any = None, ready_for_local_init_op: Any = None,
                 local_init_op: Any = None, summary_op: Any = None, saver: Any = None,
                 copy_from_scaffold: Any = None) -> None:
        self.init_op, self.init_feed_dict, self.init_fn = init_op, init_feed_dict, init_fn
        self.local_init_op, self.summary_op, self.saver = local_init_op, summary_op, saver
        self.ready_op = ready_op

    def finalize(self) -> Scaffold:
        if self.init_op is None:
            self.init_op = global_variables_initializer()
        if self.local_init_op is None:
            self.local_init_op = local_variables_initializer()
        if self.saver is None:
            self.saver = Saver()
        if self.summary_op is None and get_default_graph().get_collection(
                GraphKeys.SUMMARIES):
            from minitf.summary import merge_all  # optional dependency: only with summaries

            self.summary_op = merge_all()
        return self


class ChiefSessionCreator:
    """Creates the session: restores `checkpoint_dir`'s latest checkpoint (or the given
    file), else runs the init op; then the local init op and `init_fn`."""

    def __init__(self, scaffold: Scaffold | None = None, master: str = "", config: Any = None,
                 checkpoint_dir: str | None = None,
                 checkpoint_filename_with_path: str | None = None) -> None:
        self._scaffold = scaffold or Scaffold()
        self._config = config
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_path = checkpoint_filename_with_path

    def create_session(self) -> Session:
        scaffold = self._scaffold.finalize()
        session = Session(graph=get_default_graph(), config=self._config)
        path = self._checkpoint_path or (latest_checkpoint(self._checkpoint_dir)
                                         if self._checkpoint_dir else None)
        if path:
            scaffold.saver.restore(session, path)
        else:
            session.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn is not None:
                scaffold.init_fn(scaffold, session)
        session.run(scaffold.local_init_op)
        return session


class MonitoredSession:
    """A session that runs hooks around every `run` and knows when to stop."""

    def __init__(self, session_creator: Any = None, hooks: Sequence[SessionRunHook] | None = None,
                 stop_grace_period_secs: float = 120) -> None:
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._sess = (session_creator or ChiefSessionCreator()).create_session()
        for hook in self._hooks:
            hook.after_create_session(self._sess, None)
        self._should_stop = False
        self._closed = False

    @property
    def graph(self) -> Any:
        return self._sess.graph

    def should_stop(self) -> bool:
        return self._should_stop or self._closed

    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """The caller's fetches, run together with the hooks' in one `Session.run`."""
        context = SessionRunContext(SessionRunArgs(fetches, feed_dict, options), self._sess)
        feeds = dict(feed_dict or {})
        extra: list[tuple[SessionRunHook, Any]] = []
        for hook in self._hooks:
            request = hook.before_run(context)
            if request is None:
                continue
            if request.fetches is not None:
                extra.append((hook, request.fetches))
            for key, value in (request.feed_dict or {}).items():
                if key in feeds:
                    raise RuntimeError("Same tensor is fed by a SessionRunHook and user.")
                feeds[key] = value
        values = self._sess.run([fetches, *(f for _, f in extra)], feed_dict=feeds or None)
        results = {id(hook): value for (hook, _), value in zip(extra, values[1:], strict=True)}
        for hook in self._hooks:
            hook.after_run(context, SessionRunValues(results.get(id(hook)), options,
                                                     run_metadata))
        self._should_stop = self._should_stop or context.stop_requested
        return values[0]

    def run_step_fn(self, step_fn: Any) -> Any:
        """TF's `run_step_fn`: `step_fn(step_context)`, whose `run_with_hooks` is `run`."""
        return step_fn(_StepContext(self))

    def close(self) -> None:
        self._close(ended=True)

    def _close(self, ended: bool) -> None:
        if self._closed:
            return
        try:
            if ended:
                for hook in self._hooks:
                    hook.end(self._sess)
        finally:
            self._closed = True
            self._sess.close()

    def __enter__(self) -> MonitoredSession:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        """An input pipeline running out (`OutOfRangeError`, `StopIteration`) ends the
        session normally; any other error closes it without the hooks' `end`."""
        normal = exc_type is None or issubclass(exc_type, (OutOfRangeError, StopIteration))
        if normal and exc_type is not None:
            logging.info("Reached the end of the input: stopping.")
        self._close(ended=normal)
        return normal and exc_type is not None


class _StepContext:
    def __init__(self, session: MonitoredSession) -> None:
        self.session = session._sess
        self._monitored = session

    def run_with_hooks(self, *args: Any, **kwargs: Any) -> Any:
        return self._monitored.run(*args, **kwargs)

    def request_stop(self) -> None:
        self._monitored._should_stop = True


class SingularMonitoredSession(MonitoredSession):
    """A `MonitoredSession` made from a scaffold directly; `raw_session()` is its session."""

    def __init__(self, hooks: Sequence[SessionRunHook] | None = None,
                 scaffold: Scaffold | None = None, master: str = "", config: Any = None,
                 checkpoint_dir: str | None = None, stop_grace_period_secs: float = 120,
                 checkpoint_filename_with_path: str | None = None) -> None:
        super().__init__(ChiefSessionCreator(scaffold, master, config, checkpoint_dir,
                                             checkpoint_filename_with_path), hooks)

    def raw_session(self) -> Session:
        return self._sess


def MonitoredTrainingSession(
        master: str = "", is_chief: bool = True, checkpoint_dir: str | None = None,
        scaffold: Scaffold | None = None, hooks: Sequence[SessionRunHook] | None = None,
        chief_only_hooks: Sequence[SessionRunHook] | None = None,
        save_checkpoint_secs: Any = USE_DEFAULT, save_summaries_steps: Any = USE_DEFAULT,
        save_summaries_secs: Any = USE_DEFAULT, config: Any = None,
        stop_grace_period_secs: float = 120, log_step_count_steps: int = 100,
        max_wait_secs: float = 7200, save_checkpoint_steps: Any = USE_DEFAULT,
        summary_dir: str | None = None) -> MonitoredSession:
    """TF1's training session: restores or initializes, and with a `checkpoint_dir` saves
    checkpoints (every 600 s by default, or `save_checkpoint_steps`), writes the graph's
    summaries (`merge_all`, every 100 steps by default) to `summary_dir` (default
    `checkpoint_dir`) and logs the step rate."""
    save_checkpoint_secs, save_checkpoint_steps = _every(
        save_checkpoint_secs, save_checkpoint_steps, default=(600, None))
    save_summaries_secs, save_summaries_steps = _every(
        save_summaries_secs, save_summaries_steps, default=(None, 100))
    summary_dir = summary_dir or checkpoint_dir
    scaffold = scaffold or Scaffold()
    all_hooks: list[SessionRunHook] = []  # the chief's hooks first, then the caller's (TF)
    if is_chief:
        all_hooks += list(chief_only_hooks or [])
        if summary_dir:
            if log_step_count_steps and log_step_count_steps > 0:
                all_hooks.append(StepCounterHook(every_n_steps=log_step_count_steps))
            if _positive(save_summaries_secs, save_summaries_steps):
                all_hooks.append(SummarySaverHook(
                    save_steps=save_summaries_steps, save_secs=save_summaries_secs,
                    output_dir=summary_dir, scaffold=scaffold))
        if checkpoint_dir and _positive(save_checkpoint_secs, save_checkpoint_steps):
            all_hooks.append(CheckpointSaverHook(
                checkpoint_dir, save_secs=save_checkpoint_secs,
                save_steps=save_checkpoint_steps, scaffold=scaffold))
    all_hooks += list(hooks or [])
    return MonitoredSession(ChiefSessionCreator(scaffold, master, config, checkpoint_dir),
                            all_hooks, stop_grace_period_secs)


def _every(secs: Any, steps: Any, default: tuple[Any, Any]) -> tuple[Any, Any]:
    """(seconds, steps) of a periodic hook: TF's default when neither was given; an
    argument left at its default is None when the other was given."""
    if secs is USE_DEFAULT and steps is USE_DEFAULT:
        return default
    return (None if secs is USE_DEFAULT else secs, None if steps is USE_DEFAULT else steps)


def _positive(secs: Any, steps: Any) -> bool:
    return bool((secs and secs > 0) or (steps and steps > 0))
