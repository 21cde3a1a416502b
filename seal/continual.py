"""Continual learning data: what a new version trains on beside the new knowledge.

- **replay**: a seeded sample of the training examples behind the self-edits that built the
  active lineage, so that training on new knowledge keeps rehearsing the old;
- **rehearsal**: a seeded sample of the base model's own answers to general prompts unrelated to
  any tenant, so that one new fact does not take over every answer of the same shape;
- **behaviour targets**: what a safe assistant answers to harmful requests and to questions about
  itself, so that a candidate does not lose the base model's few refusals.

All are plain functions over data; the teach job reads the sources from the store and the
shipped rehearsal suite.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from seal.selfedit import Example, training_examples


class SelfEditSource(Protocol):
    """A selected self-edit with the document it was written from."""

    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def style(self) -> str: ...
    @property
    def selfedit(self) -> str: ...


def replay_examples(sources: Iterable[SelfEditSource], size: int, seed: int) -> list[Example]:
    if size <= 0:
        return []
    pool: list[Example] = []
    for s in sources:
        pool.extend(training_examples(s.title, s.text, s.style, s.selfedit))
    return random.Random(seed).sample(pool, min(size, len(pool)))


def rehearsal_examples(items: Sequence[dict[str, Any]], size: int, seed: int) -> list[Example]:
    """``items``: ``{prompt, answer}`` rows (the rehearsal suite)."""
    if size <= 0:
        return []
    rng = random.Random(seed)
    return [
        Example(i["prompt"], i["answer"]) for i in rng.sample(list(items), min(size, len(items)))
    ]


def behaviour_examples(targets: Sequence[tuple[str, str]], size: int, seed: int) -> list[Example]:
    """``size`` of the safe-behaviour targets (``gates.suites.BEHAVIOUR_TARGETS``), drawn with
    ``seed``: chat examples trained beside new knowledge, so that a candidate keeps (and firms
    up) refusing harmful requests and not calling itself human."""
    if size <= 0:
        return []
    picked = random.Random(seed).sample(list(targets), min(size, len(targets)))
    return [Example(prompt, answer) for prompt, answer in picked]
