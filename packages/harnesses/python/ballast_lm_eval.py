"""Ballast: lm-eval's own command line, indexing only --include_path when that is all the run needs.

    python ballast_lm_eval.py --model hf ... --tasks TASK --include_path DIR ...

The arguments are lm-eval's, and so is everything it does with them: this runs the same entry point
as `python -m lm_eval`. The one difference: lm-eval's TaskManager parses every YAML of lm-eval's own
task registry (about 14,000 files in 0.4.13, some 5 s of CPU) before it reads --include_path, on every
run. When every name given to --tasks is defined under --include_path (a task, or a group whose members
all are), or is a task YAML file that is not a group, the registry adds nothing to the run: the
TaskManager is then built without it (lm-eval's own `include_defaults=False`). Anything else runs with
the whole registry, exactly as `python -m lm_eval` would: a registry task, a group or tag that could
reach into the registry, a glob pattern, or an lm-eval whose TaskManager lacks `include_defaults`.
Which index was used is said on stderr. Written by Ballast's harness adapter; not meant to be edited.
"""

import argparse
import inspect
import sys
from pathlib import Path
from typing import Any

GLOB_CHARS = set("*?[")


def requested(argv: list[str]) -> tuple[list[str], str | None]:
    """The task names (or YAML paths) given to --tasks and the --include_path, as lm-eval reads them."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--tasks", "-t", default=None)
    parser.add_argument("--include_path", default=None)
    known, _ = parser.parse_known_args(argv)
    tasks = [] if known.tasks is None else [t for t in known.tasks.split(",") if t != ""]
    return tasks, known.include_path


def _resolves_locally(index: dict[str, Any], name: Any, seen: set[str]) -> bool:
    """Whether a task or group name is defined in the include path's own index, members included."""
    from lm_eval.tasks._index import Kind

    if isinstance(name, dict):
        # An inline config in a group: a whole task of its own (it names its data), or one that loads
        # the task or group its `task` key names, with overrides.
        inner = name.get("task")
        if isinstance(inner, list):
            return all(_resolves_locally(index, sub, seen) for sub in inner)
        return isinstance(inner, str) and ("dataset_path" in name or _resolves_locally(index, inner, seen))
    if not isinstance(name, str):
        return False
    if name in seen:  # a group that contains itself: lm-eval reports the cycle
        return True
    entry = index.get(name)
    if entry is None:
        return False
    if entry.kind in (Kind.TASK, Kind.PY_TASK):
        return True
    if entry.kind is Kind.GROUP:
        members = (entry.cfg or {}).get("task", [])
        members = members if isinstance(members, list) else [members]
        return all(_resolves_locally(index, sub, seen | {name}) for sub in members)
    # A tag gathers every task that declares it, the registry's included.
    return False


def _yaml_is_single_task(path: str) -> bool:
    from lm_eval.tasks._yaml_loader import load_yaml

    try:
        config = load_yaml(Path(path), resolve_func=False, recursive=True)
    except Exception:  # lm-eval reports an unreadable file itself, with the whole registry as usual
        return False
    return isinstance(config, dict) and not isinstance(config.get("task"), list) and "group" not in config


def include_path_suffices(tasks: list[str], include_path: str | None) -> bool:
    """True when no task asked for needs lm-eval's own registry (see the module's docstring)."""
    if include_path is None or len(tasks) == 0 or any(GLOB_CHARS & set(t) for t in tasks):
        return False
    from lm_eval.tasks import TaskManager
    from lm_eval.tasks._index import TaskIndex

    if "include_defaults" not in inspect.signature(TaskManager.__init__).parameters:
        return False
    index = TaskIndex.build([Path(include_path)])
    return all(_yaml_is_single_task(t) if t.endswith(".yaml") else _resolves_locally(index, t, set()) for t in tasks)


def main() -> None:
    tasks, include_path = requested(sys.argv[1:])
    if include_path_suffices(tasks, include_path):
        import lm_eval.tasks

        registry_task_manager = lm_eval.tasks.TaskManager

        class IncludePathOnly(registry_task_manager):  # type: ignore[misc, valid-type]
            """lm-eval's TaskManager without lm-eval's own registry (looked up by name at run time)."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["include_defaults"] = False
                super().__init__(*args, **kwargs)

        lm_eval.tasks.TaskManager = IncludePathOnly
        print(f"ballast: lm-eval indexes only {include_path}: every task asked for is defined there", file=sys.stderr)
    else:
        print("ballast: lm-eval indexes its whole task registry", file=sys.stderr)

    from lm_eval.__main__ import cli_evaluate

    sys.argv = ["lm_eval", *sys.argv[1:]]
    cli_evaluate()


if __name__ == "__main__":
    main()
