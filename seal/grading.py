"""SQuAD-style grading: normalised exact match and token F1 (the official v1.1 definitions)."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Closed-book questions (probes, regression suites) are asked for a short answer so that grading
# measures knowledge, not verbosity: without it a chatty model scores near zero F1 even when it
# knows the answer, and any training data made of short answers would win on format alone.
ANSWER_INSTRUCTION = "\nAnswer in a few words."

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation)


def normalize_answer(text: str) -> str:
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = Counter(pred) & Counter(ref)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(pred), overlap / len(ref)
    return 2 * precision * recall / (precision + recall)


def contains_answer(prediction: str, gold: str) -> float:
    """Whether the normalised gold answer appears in the prediction (chatty answers still count)."""
    ref = normalize_answer(gold)
    return float(bool(ref) and f" {ref} " in f" {normalize_answer(prediction)} ")


def is_correct(prediction: str, gold: str) -> bool:
    """A closed-book answer counts when it contains the gold answer or overlaps it well (F1>=0.5)."""
    return bool(contains_answer(prediction, gold)) or token_f1(prediction, gold) >= 0.5


@dataclass(frozen=True)
class Score:
    em: float
    f1: float
    contains: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {"em": self.em, "f1": self.f1, "contains": self.contains, "n": self.n}


def score(predictions: Sequence[str], golds: Sequence[str]) -> Score:
    if len(predictions) != len(golds):
        raise ValueError(f"{len(predictions)} predictions for {len(golds)} gold answers")
    n = len(golds)
    if n == 0:
        return Score(0.0, 0.0, 0.0, 0)
    return Score(
        em=sum(map(exact_match, predictions, golds)) / n,
        f1=sum(map(token_f1, predictions, golds)) / n,
        contains=sum(map(contains_answer, predictions, golds)) / n,
        n=n,
    )
