"""Ballast: an inspect_ai task that runs another task under a prompt-wrapper pressure condition.

    python -m inspect_ai eval /abs/ballast_pressure.py@ballast_pressure --task-config ARGS.json ...

ARGS.json holds this task's arguments: `task_file` (an absolute task file, with `task_name` when the
file holds several tasks) or `registered` (a registered task name such as `inspect_evals/gsm8k`),
`prompt_wrapper` (text containing `{prompt}` exactly once) and `pressure` (the condition's ref). Every
item's user prompt (the last user message of its input) is substituted for `{prompt}` by a solver put
before the task's own solvers, so the sample's messages in the log show the wrapped prompt. The result
keeps the task's name, dataset, scorers and config; the wrapper and ref are in the log's task arguments
and task metadata. The substitution is literal: nothing else in the wrapper is interpreted.

Inspect runs a task from its file's directory; wrapped, the task runs from this file's directory
instead, so a task that needs its own directory at run time (a sandbox configuration found there) is
refused rather than run differently. Written by Ballast's harness adapter; not meant to be edited.
"""

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from inspect_ai import Task, task, task_with
from inspect_ai.solver import Generate, Solver, TaskState, chain, solver
from inspect_ai.util import registry_create, registry_info

PLACEHOLDER = "{prompt}"


@solver
def wrap_user_prompt(prompt_wrapper: str) -> Solver:
    """Substitutes each item's user prompt for `{prompt}` in the wrapper, literally."""
    before, after = split_wrapper(prompt_wrapper)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        state.user_prompt.text = before + state.user_prompt.text + after
        return state

    return solve


@task
def ballast_pressure(
    prompt_wrapper: str,
    pressure: str,
    task_file: str | None = None,
    task_name: str | None = None,
    registered: str | None = None,
) -> Task:
    split_wrapper(prompt_wrapper)
    if (task_file is None) == (registered is None):
        raise ValueError("Ballast pressure task: give exactly one of task_file and registered")
    inner = registry_create("task", registered) if registered is not None else load_file_task(task_file, task_name)
    name = inner.name
    if inner.sandbox is not None or any(sample.sandbox is not None for sample in inner.dataset):
        raise ValueError(
            f"Ballast: prompt-wrapper pressure cannot be applied to inspect task '{name}': it uses a sandbox, "
            "whose configuration inspect finds relative to the task's own directory, which a wrapped task does not run in"
        )
    metadata = {**(inner.metadata or {}), "ballast_pressure": pressure}
    return task_with(inner, solver=chain(wrap_user_prompt(prompt_wrapper), inner.solver), name=name, metadata=metadata)


def split_wrapper(prompt_wrapper: str) -> tuple[str, str]:
    parts = prompt_wrapper.split(PLACEHOLDER)
    if len(parts) != 2:
        raise ValueError(f"Ballast pressure task: the prompt wrapper must contain {PLACEHOLDER} exactly once")
    return parts[0], parts[1]


def load_file_task(task_file: str, task_name: str | None) -> Task:
    """Imports a task file and builds its task, from the file's directory, as inspect loads a task file."""
    path = Path(task_file)
    directory = str(path.parent)
    spec = importlib.util.spec_from_file_location(f"ballast_pressure_target_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"Ballast pressure task: cannot import {task_file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    if directory not in sys.path:
        sys.path.insert(0, directory)
    previous = os.getcwd()
    os.chdir(directory)
    try:
        spec.loader.exec_module(module)
        return find_task_factory(module, task_file, task_name)()
    finally:
        os.chdir(previous)


def find_task_factory(module: Any, task_file: str, task_name: str | None) -> Any:
    tasks = {
        registry_info(value).name.split("/")[-1]: value
        for value in vars(module).values()
        if callable(value) and has_task_info(value)
    }
    if task_name is not None:
        if task_name not in tasks:
            raise ValueError(f"Ballast pressure task: {task_file} has no task '{task_name}' (it has: {', '.join(sorted(tasks)) or 'none'})")
        return tasks[task_name]
    if len(tasks) != 1:
        raise ValueError(f"Ballast pressure task: {task_file} holds {len(tasks)} tasks ({', '.join(sorted(tasks))}); name one as FILE#name")
    return next(iter(tasks.values()))


def has_task_info(value: Any) -> bool:
    try:
        return registry_info(value).type == "task"
    except Exception:
        return False
