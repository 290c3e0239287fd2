"""Re-record the golden files from real TensorFlow (``make golden``).

    python tests/conformance/record.py                  # every family and the programs
    python tests/conformance/record.py reuse template   # just these families
    python tests/conformance/record.py programs         # just the property tier's programs

Runs each scenario (and each program of the property tier) under
``tensorflow.compat.v1`` in graph mode and writes ``golden/<name>.json``; about 20 s.
Review the diff before committing: a log that changed means TF's behaviour (or the
scenario) changed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import golden
import programs
import scenarios
from backends import TFBackend
from recorder import roundtrip


def _header(name, **extra):
    return {
        "recorded_with": {"tensorflow": golden.tf_version(), **extra},
        "sources_digest": golden.sources_digest(name),
    }


def record_family(backend, family):
    logs = {
        name: roundtrip(backend.run(fn)) for name, fn in scenarios.family_scenarios(family).items()
    }
    golden.dump(family, _header(family), logs)
    return logs


def record_programs(backend):
    logs = {
        golden.program_key(source): roundtrip(backend.run(programs.replay(source)))
        for source in programs.sample_programs()
    }
    header = _header(
        golden.PROGRAMS,
        hypothesis=golden.package_version("hypothesis"),
    )
    header["seed"] = programs.SEED
    header["max_examples"] = programs.N_PROGRAMS
    golden.dump(golden.PROGRAMS, header, logs, one_line=True)
    return logs


def main(argv):
    names = argv or [*scenarios.FAMILIES, golden.PROGRAMS]
    unknown = [n for n in names if n not in scenarios.FAMILIES and n != golden.PROGRAMS]
    if unknown:
        known = ", ".join([*scenarios.FAMILIES, golden.PROGRAMS])
        sys.exit(f"unknown: {', '.join(unknown)} (known: {known})")
    backend = TFBackend()
    for name in names:
        logs = record_programs(backend) if name == golden.PROGRAMS else record_family(backend, name)
        crashed = [key for key, log in logs.items() if any(e[0] == "<uncaught>" for e in log)]
        print(
            f"{golden.path(name)}: {len(logs)} logs"
            + (f", uncaught error in {crashed}" if crashed else "")
        )


if __name__ == "__main__":
    main(sys.argv[1:])
