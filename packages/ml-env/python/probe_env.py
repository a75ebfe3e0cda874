"""Reports what a Python environment holds, as one JSON object on stdout.

    python probe_env.py --dist trl --dist torch --module trl --module torch

{"pythonVersion": "3.11.7", "packages": {"trl": "1.16.0", "torch": null},
 "imports": {"trl": true, "torch": false}, "importErrors": {"torch": "ModuleNotFoundError: ..."}}

Versions come from the installed distributions' metadata; imports are real imports, since a
distribution can be installed and still fail to import (torch without its CUDA libraries).
Uses the standard library only, so it runs in any environment.
"""

import argparse
import contextlib
import importlib
import importlib.metadata
import json
import platform
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", action="append", default=[], help="distribution name (repeatable)")
    parser.add_argument("--module", action="append", default=[], help="module to import (repeatable)")
    args = parser.parse_args()

    packages = {}
    for dist in args.dist:
        try:
            packages[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            packages[dist] = None

    imports = {}
    errors = {}
    for module in args.module:
        try:
            # A module that prints while importing must not spoil the one line of JSON.
            with contextlib.redirect_stdout(sys.stderr):
                importlib.import_module(module)
            imports[module] = True
        except Exception as error:  # any failure to import is what the caller needs to hear
            imports[module] = False
            errors[module] = f"{type(error).__name__}: {error}"[:500]

    result = {
        "pythonVersion": platform.python_version(),
        "packages": packages,
        "imports": imports,
        "importErrors": errors,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
