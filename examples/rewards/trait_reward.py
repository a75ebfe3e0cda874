"""Example GRPO reward for the tiny random model: it proves the plumbing, not the science.

TRL calls ``trait_reward(completions, **kwargs)`` with one completion per generated sample and every
extra dataset column as a keyword list of the same length. Ballast's TRL export of a mix has the
columns ``prompt``, ``ground_truth``, ``tags``, ``id`` and ``data_source``; this reward reads only
``ground_truth``.

The score favours short answers that share words with the reference answer:

    reward = overlap * brevity

where ``overlap`` is the share of the completion's distinct words that occur in ``ground_truth``
(0 for an empty completion) and ``brevity`` falls linearly from 1 at ``SHORT_WORDS`` words to 0 at
``LONG_WORDS``. It is deterministic and uses the standard library only. A random tiny model's
gibberish scores near zero; that is expected and says nothing about any real model.
"""

import json
import re

SHORT_WORDS = 12
LONG_WORDS = 48
_WORD = re.compile(r"[a-z0-9']+")


def _text(completion):
    """A completion as plain text: a string, or the assistant turns of a conversational completion."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    if isinstance(completion, (list, tuple)):
        return " ".join(_text(turn) for turn in completion if not isinstance(turn, dict) or turn.get("role", "assistant") == "assistant")
    return ""


def _reference(value):
    """The reference answer; a prompt-only record carries its tags as JSON instead, whose values are used."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith("{"):
        try:
            tags = json.loads(text)
        except ValueError:
            return text
        if isinstance(tags, dict):
            return " ".join(str(v) for v in tags.values())
    return text


def _words(text):
    return _WORD.findall(text.lower())


def _score(completion, reference):
    words = _words(_text(completion))
    if not words:
        return 0.0
    distinct = set(words)
    overlap = len(distinct & set(_words(reference))) / len(distinct)
    excess = max(0, len(words) - SHORT_WORDS)
    brevity = max(0.0, 1.0 - excess / (LONG_WORDS - SHORT_WORDS))
    return round(overlap * brevity, 6)


def trait_reward(completions, ground_truth=None, **kwargs):
    """One reward in [0, 1] per completion; ``ground_truth`` may be absent (every reward is then 0)."""
    references = ground_truth if ground_truth is not None else [None] * len(completions)
    if len(references) != len(completions):
        raise ValueError(f"ground_truth has {len(references)} entries for {len(completions)} completions")
    return [_score(c, _reference(r)) for c, r in zip(completions, references)]
