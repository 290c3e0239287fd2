"""`tf.flags` / `tf.app.flags`: TF1's command-line flags, without absl.

TF1 scripts declare their options with `tf.app.flags.DEFINE_*` at module level and read
`FLAGS.name`. This is a small implementation of the absl behaviour those scripts rely
on: `--name=value`, `--name value`, `-name`, `--bool` / `--nobool` / `--bool=false`,
`--` ending the flags, positional arguments anywhere (returned as the remaining argv),
absl's exception classes and messages for unknown flags, bad values and duplicate
definitions, bounds on numbers, enums and comma-separated lists. As in TF1 (and unlike
absl), reading a flag before the flags were parsed parses `sys.argv` first.
"""
from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = [
    "FLAGS", "DEFINE_bool", "DEFINE_boolean", "DEFINE_enum", "DEFINE_float",
    "DEFINE_integer", "DEFINE_list", "DEFINE_multi_enum", "DEFINE_multi_float",
    "DEFINE_multi_integer", "DEFINE_multi_string", "DEFINE_string", "DuplicateFlagError",
    "Error", "Flag", "FlagValues", "IllegalFlagValueError", "UnrecognizedFlagError",
    "mark_flag_as_required", "mark_flags_as_required",
]


class Error(Exception):
    """Base class of the flag errors (absl's `flags.Error`)."""


class UnrecognizedFlagError(Error):
    """A flag on the command line (or assigned) that was never defined."""

    def __init__(self, flagname: str, flagvalue: str = "", suggestions: Any = None) -> None:
        self.flagname, self.flagvalue = flagname, flagvalue
        super().__init__(f"Unknown command line flag '{flagname}'")


class IllegalFlagValueError(Error):
    """A value the flag's type, bounds or choices refuse."""


class DuplicateFlagError(Error):
    """The same flag name defined twice."""


# -- parsers: a string (or a default of the flag's type) -> the value ----------------------


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in ("true", "t", "1"):
            return True
        if value.lower() in ("false", "f", "0"):
            return False
    elif isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError("Non-boolean argument to boolean flag", value)


def _parse_int(value: Any) -> int:
    if isinstance(value, str):
        text = value.strip()
        digits = text.lstrip("+-")
        if digits[:2].lower() == "0x":
            return int(text, 16)
        return int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Expect argument to be a string or int, found {type(value)}")
    return value


def _parse_float(value: Any) -> float:
    if isinstance(value, str):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"Expect argument to be a string or int or float, found {type(value)}")
    return float(value)


def _parse_string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f'flag value must be a string, found "{type(value)}"')
    return value


def _parse_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    if not isinstance(value, str):
        raise TypeError(f"Expect argument to be a string or list, found {type(value)}")
    if not value:
        return []
    return [item.strip() for item in next(csv.reader([value], strict=True))]


def _number_help(noun: str, lower: Any, upper: Any) -> str:
    """absl's description of a (bounded) number: "an integer", "a non-negative number"..."""
    article = "an" if noun == "integer" else "a"
    if lower is not None and upper is not None:
        return f"{article} {noun} in the range [{lower}, {upper}]"
    if noun == "integer" and lower == 1:
        return f"a positive {noun}"
    if noun == "integer" and upper == -1:
        return f"a negative {noun}"
    if lower == 0:
        return f"a non-negative {noun}"
    if upper == 0:
        return f"a non-positive {noun}"
    if upper is not None:
        return f"{noun} <= {upper}"
    if lower is not None:
        return f"{noun} >= {lower}"
    return f"{article} {noun}"


def _bounded(parse: Callable[[Any], Any], wanted: str, lower: Any, upper: Any,
             ) -> Callable[[Any], Any]:
    """Wraps a number parser with the bound check, worded as absl words it."""
    if lower is None and upper is None:
        return parse

    def check(value: Any) -> Any:
        number = parse(value)
        if (lower is not None and number < lower) or (upper is not None and number > upper):
            raise ValueError(f"{number} is not {wanted}")
        return number

    return check


# -- flags ------------------------------------------------------------------------------


class Flag:
    """One flag: its name, help, default, current value and whether the command line set it."""

    def __init__(self, name: str, default: Any, help: str | None,
                 parse: Callable[[Any], Any], boolean: bool = False, module: str = "",
                 enum_values: Sequence[str] | None = None, syntax: str = "",
                 multi: bool = False) -> None:
        self.name, self.help, self.boolean, self.module = name, help or "(no help available)", \
            boolean, module
        self.multi = multi  # DEFINE_multi_*: a list, one item per occurrence
        self.module_id: int | None = None
        self.enum_values = list(enum_values) if enum_values is not None else None
        self.syntax = syntax  # the type's description in --help ("an integer")
        self._parse = parse
        self.present = 0
        self.using_default_value = True
        self.default = None if default is None else self.parse_value(default)
        self.value = self.default

    def parse_value(self, value: Any) -> Any:
        """`value` converted by this flag's type; IllegalFlagValueError if it cannot be."""
        try:
            if self.multi:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self._parse(item) for item in items]
            return self._parse(value)
        except (TypeError, ValueError) as err:
            raise IllegalFlagValueError(f"flag --{self.name}={value}: {err}") from None

    def parse(self, argument: Any) -> None:
        """Sets the value from a command-line argument (a multi flag's first occurrence
        replaces the default, later ones append)."""
        value = self.parse_value(argument)
        self.value = self.value + value if self.multi and self.present else value
        self.present += 1
        self.using_default_value = False

    def serialize_default(self) -> str | None:
        """The default as a command-line string (what --help shows), None if unset."""
        if self.default is None:
            return None
        if self.multi:
            return str(self.default)
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, list):
            return ",".join(map(str, self.default))
        return str(self.default)

    def help_lines(self) -> list[str]:
        """This flag's entry in --help, laid out as absl lays it out (without wrapping)."""
        choices = f"<{'|'.join(self.enum_values)}>: " if self.enum_values else ""
        lines = [f"  --{'[no]' if self.boolean else ''}{self.name}: {choices}{self.help}"]
        if self.multi:
            lines[0] += ";"
            lines.append("    repeat this option to specify a list of values")
        default = self.serialize_default()
        if default is not None:
            lines.append(f"    (default: {default!r})")
        if self.syntax:
            lines.append(f"    ({self.syntax})")
        return lines

    def __repr__(self) -> str:
        return f"<Flag --{self.name}={self.value!r}>"


class FlagValues:
    """The registry of defined flags; `FLAGS.name` is a flag's value."""

    def __init__(self) -> None:
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)
        object.__setattr__(self, "_required", [])

    # -- definition ---------------------------------------------------------------------
    def _register(self, flag: Flag) -> Flag:
        old = self._flags.get(flag.name)
        if old is not None and old.module == flag.module and old.module_id != flag.module_id:
            return old  # the same module imported again (a reload): the first definition stays
        if old is not None:
            raise DuplicateFlagError(
                f"The flag '{flag.name}' is defined twice. First from "
                f"{_module_label(old.module)}, second from {_module_label(flag.module)}. "
                f"Description from first occurrence: {old.help}")
        self._flags[flag.name] = flag
        return flag

    # -- access ---------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        flags = self.__dict__["_flags"]
        if name == "__flags":  # TF1 scripts print `FLAGS.__flags` (name -> Flag)
            return flags
        if name not in flags:
            raise AttributeError(name)
        if not self.__dict__["_parsed"]:  # TF1: the first read parses sys.argv
            self(sys.argv)
        return flags[name].value

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._flags:
            raise UnrecognizedFlagError(name, value)
        flag = self._flags[name]
        flag.value = value
        flag.using_default_value = False

    def __delattr__(self, name: str) -> None:
        if name not in self._flags:
            raise AttributeError(name)
        del self._flags[name]

    def __getitem__(self, name: str) -> Flag:
        return self._flags[name]

    def __contains__(self, name: object) -> bool:
        return name in self._flags

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._flags))

    def __len__(self) -> int:
        return len(self._flags)

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        object.__setattr__(self, "_parsed", True)

    def unparse_flags(self) -> None:
        """Resets every flag to its default and forgets the parse."""
        for flag in self._flags.values():
            flag.value, flag.present, flag.using_default_value = flag.default, 0, True
        object.__setattr__(self, "_parsed", False)

    def flag_values_dict(self) -> dict[str, Any]:
        return {name: flag.value for name, flag in self._flags.items()}

    def get_flag_value(self, name: str, default: Any) -> Any:
        return self._flags[name].value if name in self._flags else default

    # -- parsing ---------------------------------------------------------------------------
    def __call__(self, argv: Sequence[str], known_only: bool = False) -> list[str]:
        """Parses `argv` (`argv[0]` is the program); returns the program and the arguments
        that are not flags. An unknown flag is an UnrecognizedFlagError unless
        `known_only`, where it is returned with the other arguments."""
        if isinstance(argv, str):
            raise TypeError("argv should be a tuple/list of strings, not bytes or string.")
        if not argv:
            raise ValueError("argv cannot be an empty list, and must contain the program name "
                             "as the first element.")
        args = list(argv)
        rest, unknown = [args[0]], []
        i = 1
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":  # the end of the flags (kept in the argv when known_only, as absl)
                rest += args[i - 1 if known_only else i:]
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, value = arg[2 if arg.startswith("--") else 1:].partition("=")
            if not name:
                rest.append(arg)
                continue
            flag = self._flags.get(name)
            if flag is not None:
                if flag.boolean:
                    flag.parse(value if has_value else "true")
                    continue
                if not has_value:
                    if i >= len(args):
                        raise Error(f"Missing value for flag {arg}")
                    value = args[i]
                    i += 1
                flag.parse(value)
                continue
            negated = self._flags.get(name[2:]) if name.startswith("no") else None
            if negated is not None and negated.boolean and not has_value:
                negated.parse("false")
            elif known_only:
                rest.append(arg)
            else:
                unknown.append((name, arg))
        if unknown:
            raise UnrecognizedFlagError(*unknown[0])
        self._check_required()
        self.mark_as_parsed()
        return rest

    def _check_required(self) -> None:
        for name in self._required:
            if self._flags[name].value is None:
                raise IllegalFlagValueError(f"flag --{name}=None: Flag --{name} must have a "
                                            "value other than None.")

    # -- help --------------------------------------------------------------------------
    def get_help(self, prefix: str = "  ", include_special_flags: bool = True) -> str:
        """Every flag with its help, default and type, grouped by the module that defined
        it (the script's flags under its name), modules and flags sorted by name. There are
        no special flags (absl's --flagfile, --undefok) to include."""
        modules: dict[str, list[Flag]] = {}
        for flag in self._flags.values():
            modules.setdefault(_module_label(flag.module), []).append(flag)
        lines: list[str] = []
        for module in sorted(modules):
            lines += ["", f"{module}:"]
            for flag in sorted(modules[module], key=lambda f: f.name):
                lines += [prefix + line[2:] for line in flag.help_lines()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.get_help()


FLAGS = FlagValues()


def _module_label(module: str) -> str:
    """How help and errors name a defining module: the script's own by its path."""
    return sys.argv[0] if module == "__main__" and sys.argv else module


def _caller_module() -> tuple[str, int]:
    """The name of the module calling DEFINE_* (what --help groups by and duplicate errors
    name) and the id of the module object `sys.modules` has under that name (a re-import
    of the module gets a new one)."""
    frame = sys._getframe(2)
    while frame.f_back is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    name = str(frame.f_globals.get("__name__", frame.f_code.co_filename))
    return name, id(sys.modules.get(name))


def _define(name: str, default: Any, help: str | None, parse: Callable[[Any], Any],
            flag_values: FlagValues, boolean: bool = False,
            enum_values: Sequence[str] | None = None, syntax: str = "",
            multi: bool = False) -> Flag:
    module, module_id = _caller_module()
    flag = Flag(name, default, help, parse, boolean, module, enum_values, syntax, multi)
    flag.module_id = module_id
    return flag_values._register(flag)


def DEFINE_string(name: str, default: str | None, help: str | None,
                  flag_values: FlagValues = FLAGS) -> Flag:
    """A string flag."""
    return _define(name, default, help, _parse_string, flag_values)


def DEFINE_integer(name: str, default: int | str | None, help: str | None,
                   lower_bound: int | None = None, upper_bound: int | None = None,
                   flag_values: FlagValues = FLAGS) -> Flag:
    """An int flag (decimal or 0x hex), optionally bounded."""
    syntax = _number_help("integer", lower_bound, upper_bound)
    return _define(name, default, help, _bounded(_parse_int, syntax, lower_bound, upper_bound),
                   flag_values, syntax=syntax)


def DEFINE_float(name: str, default: float | str | None, help: str | None,
                 lower_bound: float | None = None, upper_bound: float | None = None,
                 flag_values: FlagValues = FLAGS) -> Flag:
    """A float flag, optionally bounded."""
    syntax = _number_help("number", lower_bound, upper_bound)
    return _define(name, default, help, _bounded(_parse_float, syntax, lower_bound, upper_bound),
                   flag_values, syntax=syntax)


def DEFINE_boolean(name: str, default: bool | str | None, help: str | None,
                   flag_values: FlagValues = FLAGS) -> Flag:
    """A bool flag: `--name`, `--noname`, `--name=true|false|t|f|1|0`."""
    return _define(name, default, help, _parse_bool, flag_values, boolean=True)


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name: str, default: list[Any] | str | None, help: str | None,
                flag_values: FlagValues = FLAGS) -> Flag:
    """A comma-separated list of strings."""
    return _define(name, default, help, _parse_list, flag_values,
                   syntax="a comma separated list")


def DEFINE_enum(name: str, default: str | None, enum_values: Sequence[str], help: str | None,
                case_sensitive: bool = True, flag_values: FlagValues = FLAGS) -> Flag:
    """A string flag restricted to `enum_values`."""
    parse, choices = _enum_parser(enum_values, case_sensitive)
    return _define(name, default, help, parse, flag_values, enum_values=choices)


def _enum_parser(enum_values: Sequence[str], case_sensitive: bool,
                 ) -> tuple[Callable[[Any], str], list[str]]:
    if not enum_values:
        raise ValueError(f"enum_values cannot be empty, found \"{enum_values}\"")
    choices = list(enum_values)

    def parse(value: Any) -> str:
        text = _parse_string(value)
        if text in choices:
            return text
        if not case_sensitive:
            for choice in choices:
                if choice.upper() == text.upper():
                    return choice
        raise ValueError(f"value should be one of <{'|'.join(choices)}>")

    return parse, choices


def DEFINE_multi_string(name: str, default: Any, help: str | None,
                        flag_values: FlagValues = FLAGS) -> Flag:
    """A repeatable string flag: `--name=a --name=b` gives ['a', 'b']."""
    return _define(name, default, help, _parse_string, flag_values, multi=True)


def DEFINE_multi_integer(name: str, default: Any, help: str | None,
                         lower_bound: int | None = None, upper_bound: int | None = None,
                         flag_values: FlagValues = FLAGS) -> Flag:
    """A repeatable int flag, optionally bounded."""
    syntax = _number_help("integer", lower_bound, upper_bound)
    return _define(name, default, help, _bounded(_parse_int, syntax, lower_bound, upper_bound),
                   flag_values, syntax=syntax, multi=True)


def DEFINE_multi_float(name: str, default: Any, help: str | None,
                       lower_bound: float | None = None, upper_bound: float | None = None,
                       flag_values: FlagValues = FLAGS) -> Flag:
    """A repeatable float flag, optionally bounded."""
    syntax = _number_help("number", lower_bound, upper_bound)
    return _define(name, default, help, _bounded(_parse_float, syntax, lower_bound, upper_bound),
                   flag_values, syntax=syntax, multi=True)


def DEFINE_multi_enum(name: str, default: Any, enum_values: Sequence[str], help: str | None,
                      case_sensitive: bool = True, flag_values: FlagValues = FLAGS) -> Flag:
    """A repeatable enum flag."""
    parse, choices = _enum_parser(enum_values, case_sensitive)
    return _define(name, default, help, parse, flag_values, enum_values=choices, multi=True)


def mark_flag_as_required(flag_name: str, flag_values: FlagValues = FLAGS) -> None:
    """The flag must not be None once the flags are parsed."""
    if flag_name not in flag_values:
        raise AttributeError(flag_name)
    flag_values._required.append(flag_name)


def mark_flags_as_required(flag_names: Sequence[str], flag_values: FlagValues = FLAGS) -> None:
    for name in flag_names:
        mark_flag_as_required(name, flag_values)
