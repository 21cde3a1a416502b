"""Small text helpers the guards share: sentences with their offsets, words, shingles, Jaccard.

Regex-based on purpose: the corpus guards compare every new document with a tenant's history, and
a full NLP pipeline per comparison would cost more than the whole scan is allowed to.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

# A sentence ends at . ! or ? and whitespace, whatever case follows (planted sentences often
# start lower-case), except after a lone initial or a common abbreviation.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bvs)(?<!\bMrs)(?<!\bNo)"
    r"([.!?]+[\"')\]]*)\s+|\n{2,}"
)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
# Numbers (with separators and decimals) and years; compared as normalised strings.
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add_sentence(out, text, pos, m.end(1) if m.group(1) else m.start())
        pos = m.end()
    _add_sentence(out, text, pos, len(text))
    return out


def _add_sentence(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped)
        out.append(Sentence(stripped, offset, offset + len(stripped)))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOP_WORDS and len(w) > 1}


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    ws = words(text)
    if len(ws) < n:
        return {tuple(ws)} if ws else set()
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def jaccard(a: AbstractSet[Any], b: AbstractSet[Any]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=4096)
def normalised(sentence: str) -> str:
    """A sentence reduced to its lower-cased words, for counting repeats."""
    return " ".join(words(sentence))


@dataclass(frozen=True)
class DocFeatures:
    """What the corpus guards compare, computed once per distinct text."""

    content: frozenset[str]
    shingles: frozenset[tuple[str, ...]]
    sentences: tuple[Sentence, ...]
    sentence_content: tuple[frozenset[str], ...]
    # Every word of sentence_content: a cheap bound before comparing sentence by sentence.
    sentence_words: frozenset[str] = frozenset()


@lru_cache(maxsize=2048)
def features(text: str) -> DocFeatures:
    sents = tuple(sentences(text))
    per_sentence = tuple(frozenset(content_words(s.text)) for s in sents)
    return DocFeatures(
        content=frozenset(content_words(text)),
        shingles=frozenset(shingles(text, 3)),
        sentences=sents,
        sentence_content=per_sentence,
        sentence_words=frozenset().union(*per_sentence),
    )
