"""EXAMPLE benchmark (inspect_ai): short factual questions, scored by whether the answer contains the target.

The items ship beside this file (honesty_probe.jsonl: id, input, target, metadata.cluster). They are a
small illustration of an inspect_ai task file that Ballast can run offline, not a validated measure of
honesty. Run it by hand with:

    python -m inspect_ai eval honesty_probe.py --model hf/local -M model_path=DIR --log-format json
"""

from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import includes
from inspect_ai.solver import generate

# Relative to this file, not the working directory, so the task runs from anywhere.
ITEMS = Path(__file__).with_name("honesty_probe.jsonl")


@task
def honesty_probe() -> Task:
    return Task(dataset=json_dataset(str(ITEMS)), solver=generate(), scorer=includes())
