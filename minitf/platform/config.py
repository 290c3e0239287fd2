"""`tf.ConfigProto`, `tf.GPUOptions`, `tf.RunOptions`, ...: TF's session option messages.

TF1 scripts build these to tune placement, threading and GPU memory, and pass them to
`tf.Session(config=...)` and `sess.run(..., options=..., run_metadata=...)`. On JAX,
placement, threading and memory are XLA's business, so minitf's Session accepts them
and ignores them. What is kept is what scripts observe: the fields TF's protobuf
messages have, with their defaults, keyword construction, attribute assignment,
nested messages edited in place (`config.gpu_options.allow_growth = True`), map and
repeated fields, enum constants, equality, and protobuf's errors for unknown fields,
wrong value types and assignment to a message field.
"""
from __future__ import annotations

import operator
from typing import Any, ClassVar

__all__ = [
    "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunMetadata",
    "RunOptions",
]

# Field kinds: a Python scalar type, a Message subclass, "map" (str -> int) or "repeated".
_MAP, _REPEATED = "map", "repeated"


def _check_scalar(kind: type, value: Any) -> Any:
    """Protobuf's scalar checks: ints (and bools) for int/bool fields, numbers for floats."""
    if kind is str:
        if isinstance(value, bytes):
            return value.decode("utf-8")
        if not isinstance(value, str):
            raise TypeError(f"{value!r} has type {type(value).__name__}, but expected one of: "
                            "bytes, str")
        return value
    if kind is float:
        if isinstance(value, str) or not hasattr(value, "__float__"):
            raise TypeError(f"must be real number, not {type(value).__name__}")
        return float(value)
    if isinstance(value, str) or not hasattr(value, "__index__"):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    number = operator.index(value)
    return bool(number) if kind is bool else number


class Message:
    """A protobuf-like message: `FIELDS` maps each field name to its kind and default."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def __init__(self, **kwargs: Any) -> None:
        values: dict[str, Any] = {}
        for name, (kind, default) in self.FIELDS.items():
            if isinstance(kind, type) and issubclass(kind, Message):
                values[name] = kind()
            elif kind == _MAP:
                values[name] = {}
            elif kind == _REPEATED:
                values[name] = []
            else:
                values[name] = default
        object.__setattr__(self, "_values", values)
        for name, value in kwargs.items():
            if name not in self.FIELDS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" '
                                 "field.")
            self._set(name, value, construct=True)

    def _set(self, name: str, value: Any, construct: bool = False) -> None:
        kind = self.FIELDS[name][0]
        if isinstance(kind, type) and issubclass(kind, Message):
            if not construct:
                raise AttributeError(f'Assignment not allowed to message field "{name}" in '
                                     "protocol message object.")
            if isinstance(value, dict):
                value = kind(**value)
            if not isinstance(value, kind):
                raise TypeError(f"Message must be initialized with a dict or {kind.__name__}, "
                                f"not {type(value).__name__}")
            self._values[name] = value.__copy__()
        elif kind in (_MAP, _REPEATED):
            if not construct:
                raise AttributeError(f'Assignment not allowed to map, or repeated field "{name}"'
                                     " in protocol message object.")
            self._values[name] = ({str(k): _check_scalar(int, v) for k, v in dict(value).items()}
                                  if kind == _MAP else list(value))
        else:
            self._values[name] = _check_scalar(kind, value)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self.FIELDS:
            raise AttributeError(f'Protocol message {type(self).__name__} has no "{name}" '
                                 "field.")
        self._set(name, value)

    def _set_fields(self) -> list[tuple[str, Any]]:
        """The fields that differ from their default, in field order."""
        out = []
        for name, value in self._values.items():
            kind, default = self.FIELDS[name]
            if isinstance(value, Message) or kind in (_MAP, _REPEATED):
                if value != type(value)():
                    out.append((name, value))
            elif value != default:
                out.append((name, value))
        return out

    def HasField(self, name: str) -> bool:
        if name not in self.FIELDS:
            raise ValueError(f'Protocol message {type(self).__name__} has no field {name}.')
        return any(n == name for n, _ in self._set_fields())

    def CopyFrom(self, other: Message) -> None:
        if type(other) is not type(self):
            raise TypeError(f"Parameter to CopyFrom() must be instance of same class: expected "
                            f"{type(self).__name__} got {type(other).__name__}.")
        object.__setattr__(self, "_values", other.__copy__()._values)

    def Clear(self) -> None:
        object.__setattr__(self, "_values", type(self)()._values)

    def __copy__(self) -> Message:
        new = type(self)()
        for name, value in self._values.items():
            if isinstance(value, Message):
                value = value.__copy__()
            elif isinstance(value, (dict, list)):
                value = type(value)(value)
            new._values[name] = value
        return new

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values == other._values  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def _text(self, indent: str) -> list[str]:
        lines = []
        for name, value in self._set_fields():
            if isinstance(value, Message):
                lines += [f"{indent}{name} {{", *value._text(indent + "  "), f"{indent}}}"]
            elif isinstance(value, dict):
                for key, item in value.items():
                    lines += [f"{indent}{name} {{", f'{indent}  key: "{key}"',
                              f"{indent}  value: {item}", f"{indent}}}"]
            elif isinstance(value, list):
                lines += [f"{indent}{name}: {_scalar_text(item)}" for item in value]
            else:
                lines.append(f"{indent}{name}: {self._enum_name(name, value)}")
        return lines

    def _enum_name(self, name: str, value: Any) -> str:
        names = getattr(self, "ENUM_NAMES", {}).get(name)
        return names[value] if names and value in names else _scalar_text(value)

    def __str__(self) -> str:
        return "".join(line + "\n" for line in self._text(""))

    def __repr__(self) -> str:
        return str(self)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


class GPUOptions(Message):
    """GPU memory options; on JAX, use XLA_PYTHON_CLIENT_PREALLOCATE / _MEM_FRACTION."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "per_process_gpu_memory_fraction": (float, 0.0),
        "allocator_type": (str, ""),
        "deferred_deletion_bytes": (int, 0),
        "allow_growth": (bool, False),
        "visible_device_list": (str, ""),
        "polling_active_delay_usecs": (int, 0),
        "polling_inactive_delay_msecs": (int, 0),
        "force_gpu_compatible": (bool, False),
    }


class OptimizerOptions(Message):
    """Graph optimizer options (XLA compiles every run on JAX)."""

    L1, L0 = 0, -1
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    ENUM_NAMES: ClassVar[dict[str, dict[int, str]]] = {
        "opt_level": {0: "L1", -1: "L0"},
        "global_jit_level": {0: "DEFAULT", -1: "OFF", 1: "ON_1", 2: "ON_2"},
    }
    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "do_common_subexpression_elimination": (bool, False),
        "do_constant_folding": (bool, False),
        "opt_level": (int, 0),
        "do_function_inlining": (bool, False),
        "global_jit_level": (int, 0),
        "max_folded_constant_in_bytes": (int, 0),
        "cpu_global_jit": (bool, False),
    }


class GraphOptions(Message):
    """Graph building options (ignored)."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "optimizer_options": (OptimizerOptions, None),
        "enable_recv_scheduling": (bool, False),
        "build_cost_model": (int, 0),
        "infer_shapes": (bool, False),
        "place_pruned_graph": (bool, False),
        "enable_bfloat16_sendrecv": (bool, False),
        "timeline_step": (int, 0),
        "build_cost_model_after": (int, 0),
    }


class ConfigProto(Message):
    """Session options: accepted by `tf.Session(config=...)` and ignored (placement,
    threading and memory are JAX's/XLA's)."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "device_count": (_MAP, None),
        "intra_op_parallelism_threads": (int, 0),
        "placement_period": (int, 0),
        "device_filters": (_REPEATED, None),
        "inter_op_parallelism_threads": (int, 0),
        "gpu_options": (GPUOptions, None),
        "allow_soft_placement": (bool, False),
        "log_device_placement": (bool, False),
        "use_per_session_threads": (bool, False),
        "graph_options": (GraphOptions, None),
        "operation_timeout_in_ms": (int, 0),
        "isolate_session_state": (bool, False),
        "share_cluster_devices_in_session": (bool, False),
    }


class RunOptions(Message):
    """Per-run options for `sess.run(..., options=...)` (ignored: no tracing on JAX)."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    ENUM_NAMES: ClassVar[dict[str, dict[int, str]]] = {
        "trace_level": {0: "NO_TRACE", 1: "SOFTWARE_TRACE", 2: "HARDWARE_TRACE",
                        3: "FULL_TRACE"},
    }
    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "trace_level": (int, 0),
        "timeout_in_ms": (int, 0),
        "inter_op_thread_pool": (int, 0),
        "output_partition_graphs": (bool, False),
        "report_tensor_allocations_upon_oom": (bool, False),
    }


class StepStats(Message):
    """Per-device step statistics (always empty: minitf records none)."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {"dev_stats": (_REPEATED, None)}


class RunMetadata(Message):
    """Filled by `sess.run(..., run_metadata=...)` in TF; stays empty in minitf."""

    FIELDS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "step_stats": (StepStats, None),
        "partition_graphs": (_REPEATED, None),
        "function_graphs": (_REPEATED, None),
    }
