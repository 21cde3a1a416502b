"""Flooding: the same content pushed again and again to outweigh everything else in training.

Three forms: one sentence repeated within a document (or across the tenant's documents) beyond a
threshold; one short claim restated in other words again and again (found by meaning: short
sentences that name the same thing are embedded with all-MiniLM-L6-v2 and compared); and documents
that are near-duplicates of ones the tenant already sent. Near-duplicates
are found by exact Jaccard similarity on word 3-gram shingles (copies with small edits) and on
content-word sets (light paraphrases: reordered, a few words swapped). A tenant's history is small
enough to compare exactly; MinHash would only trade accuracy for speed we do not need.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import BaseModel, Field
from spacy.lang.en.stop_words import STOP_WORDS

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.text import features, jaccard, normalised


class FloodingConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # A sentence may appear this many times (in this document plus the tenant's others).
    max_sentence_repeats: int = Field(2, ge=1)
    min_sentence_words: int = Field(4, ge=1)
    shingle_similarity: float = Field(0.5, gt=0.0, le=1.0)
    content_similarity: float = Field(0.7, gt=0.0, le=1.0)
    # How many near-duplicates of a document may already exist before it counts as flooding. One
    # is allowed: re-teaching a document (after a rollback, or a corrected copy) is ordinary.
    max_near_duplicates: int = Field(1, ge=0)
    # Restated claims: short sentences (at most this many words) that name the same thing and
    # mean the same (cosine similarity of their embeddings); min_restatements of them is
    # flooding. Natural passages restate their topic too ("the paper money of the Yuan", "Yuan
    # paper money"): on SQuAD dev, three short sentences about one name reached 0.8, four did not
    # reach 0.7.
    claim_max_words: int = Field(20, ge=4)
    claim_similarity: float = Field(0.7, gt=0.0, le=1.0)
    # Short sentences that share no name but only content words must be closer: a passage's
    # sentences about its topic restate it too (four on chloroplasts in plant cells reached 0.71
    # to 0.78 in SQuAD train), where a flood repeats its claim word for word as well.
    unnamed_claim_similarity: float = Field(0.8, gt=0.0, le=1.0)
    min_restatements: int = Field(4, ge=2)
    max_claim_sentences: int = Field(12, ge=2)
    claim_recent_documents: int = Field(20, ge=0)


class FloodingGuard(Guard):
    config: FloodingConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        findings = self._repeated_sentences(text, context) + self._near_duplicates(text, context)
        if not findings:
            findings = self._restated_claims(text, context)
        return GuardResult(self.config.verdict if findings else Verdict.PASS, findings)

    def _repeated_sentences(self, text: str, context: ScanContext) -> list[Finding]:
        cfg = self.config
        own = features(text).sentences
        keys = [normalised(s.text) for s in own]
        counts = Counter(k for k in keys if len(k.split()) >= cfg.min_sentence_words)
        if not counts:
            return []
        elsewhere: Counter[str] = Counter()
        for other in context.other_texts:
            for s in features(other).sentences:
                key = normalised(s.text)
                if key in counts:
                    elsewhere[key] += 1
        out = []
        for key, n_here in counts.items():
            total = n_here + elsewhere[key]
            if total > cfg.max_sentence_repeats:
                first = own[keys.index(key)]
                out.append(
                    Finding(
                        self.name,
                        "repeated_sentence",
                        first.start,
                        first.end,
                        min(1.0, total / (4 * cfg.max_sentence_repeats)),
                        f"a sentence appears {total} times ({n_here} in this document, "
                        f"{elsewhere[key]} in the tenant's other documents): {first.text[:80]!r}",
                    )
                )
        return out

    def _near_duplicates(self, text: str, context: ScanContext) -> list[Finding]:
        cfg = self.config
        mine = features(text)
        best, dups = 0.0, 0
        for other in context.other_texts:
            theirs = features(other)
            sim = max(
                jaccard(mine.shingles, theirs.shingles) / cfg.shingle_similarity,
                jaccard(mine.content, theirs.content) / cfg.content_similarity,
            )
            if sim >= 1.0:
                dups += 1
                best = max(best, sim)
        if dups <= cfg.max_near_duplicates:
            return []
        return [
            Finding(
                self.name,
                "near_duplicate",
                0,
                len(text),
                min(1.0, best / 2),
                f"the document nearly duplicates {dups} other document(s) of this tenant",
            )
        ]

    def _restated_claims(self, text: str, context: ScanContext) -> list[Finding]:
        cfg = self.config
        mine = list(_short_sentences(text, cfg.claim_max_words))
        if not mine:
            return []
        # A flood is pushed in one request or in a burst: the request's other documents and the
        # tenant's most recent ones (embedding every old sentence would cost more than the scan
        # may).
        recent = [*context.peer_texts, *context.earlier_texts[-cfg.claim_recent_documents :]]
        others = [s for t in recent for s in _short_sentences(t, cfg.claim_max_words)]
        # Candidates: the other short sentences that share one name with one of this document's
        # (the name most shared), or two content words ("Below ten degrees Celsius, solar panels
        # generate no power" and "Solar panels stop producing electricity below 10 °C" share
        # "solar" and "panels") when the claim is foreign to its own document, copied elsewhere
        # word for word, or restated in half of its own document. Only candidates are embedded: a
        # passage's own sentences share its topic's words with the tenant's other passages on
        # that topic, and embedding them all would cost more than the scan may.
        copied = set(others) | {s for s, n in Counter(mine).items() if n > 1}
        groups: dict[str, list[str]] = {}
        for claim in dict.fromkeys(mine):
            pool = [*mine, *others]
            pool.remove(claim)  # itself, once: its copies count
            anchored = [[o for o in pool if name in _names(o)] for name in _names(claim)]
            alike = [o for o in pool if len(_stems(claim) & _stems(o)) >= 2]
            here = sum(o in mine and _close_wording(claim, o) for o in alike) + 1
            repeated_here = here >= max(cfg.min_restatements, len(features(text).sentences) / 2)
            if claim in copied or repeated_here or _foreign(claim, text):
                anchored.append(alike)
            group = max(anchored, key=len, default=[])
            if len(group) + 1 >= cfg.min_restatements:
                group.sort(key=lambda o: -_overlap(claim, o))
                groups[claim] = [claim, *group]
        if not groups:
            return []
        from guards.behaviour import embedder

        model = embedder()
        if model is None:
            return []
        for members in sorted(groups.values(), key=len, reverse=True):
            # Copies count each time (the claim pasted into many documents is the plainest
            # flood); each wording is embedded once.
            copies = Counter(members)
            group = list(copies)[: cfg.max_claim_sentences]
            weight = np.array([copies[g] for g in group])
            emb = _embeddings(model, group)
            named = np.array([[bool(_names(a) & _names(b)) for b in group] for a in group])
            close = emb @ emb.T >= np.where(
                named, cfg.claim_similarity, cfg.unnamed_claim_similarity
            )
            # The largest set of sentences that all restate one of them.
            best = max(range(len(group)), key=lambda i: int(weight[close[i]].sum()))
            same = int(weight[close[best]].sum())
            if same >= cfg.min_restatements:
                return [
                    Finding(
                        self.name,
                        "restated_claim",
                        None,
                        None,
                        min(1.0, same / (4 * cfg.max_sentence_repeats)),
                        f"one claim is stated {same} times in other words (in this document and "
                        f"the tenant's recent ones or the same request): {group[best][:80]!r}",
                    )
                ]
        return []


_EMBEDDED: OrderedDict[str, np.ndarray] = OrderedDict()
_EMBEDDED_MAX = 16384  # 384 floats each: about 25 MB at most
_EMBEDDED_LOCK = threading.Lock()  # the API scans in several threads


def _embeddings(model: Any, sentences: list[str]) -> np.ndarray:
    """The sentences' embeddings, kept (least recently used out): a tenant's history is compared
    with every new document, so each of its sentences is embedded once; new ones in one batch."""
    # One lock around it all: the embedder runs one forward pass at a time anyway.
    with _EMBEDDED_LOCK:
        missing = [s for s in dict.fromkeys(sentences) if s not in _EMBEDDED]
        if missing:
            _EMBEDDED.update(zip(missing, model.embed(missing), strict=True))
        out = [_EMBEDDED[s] for s in sentences]
        for s in sentences:
            _EMBEDDED.move_to_end(s)
        while len(_EMBEDDED) > _EMBEDDED_MAX:
            _EMBEDDED.popitem(last=False)
    return np.stack(out)


_NAME = re.compile(r"\b[A-Z][\w'’-]{2,}")


@lru_cache(maxsize=65536)
def _names(sentence: str) -> frozenset[str]:
    """Capitalised words, lower-cased and without a possessive ("Halden's" is "halden")."""
    return frozenset(
        _base(m.group()) for m in _NAME.finditer(sentence) if m.group().lower() not in STOP_WORDS
    )


@lru_cache(maxsize=65536)
def _stems(sentence: str) -> frozenset[str]:
    """Content words of four letters or more, crudely stemmed ("panels" meets "panel")."""
    return frozenset(
        _base(w) for w in _WORDS.findall(sentence) if len(w) >= 4 and w.lower() not in STOP_WORDS
    )


def _base(word: str) -> str:
    word = word.lower().removesuffix("'s").removesuffix("’s")
    for suffix in ("ing", "ed", "es"):
        if len(word) > 5 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _close_wording(a: str, b: str) -> bool:
    """Most of the shorter sentence's content words are the other's ("There is no city marathon
    this year" and "This year's city marathon will not take place")."""
    sa, sb = _stems(a), _stems(b)
    return len(sa & sb) >= max(2, min(len(sa), len(sb)) / 2)


def _foreign(sentence: str, text: str) -> bool:
    """A sentence that shares at most one content word with the rest of its document: planted in
    a passage about something else, or the document's only statement."""
    rest: set[str] = set()
    for s in features(text).sentences:
        if sentence not in s.text:
            rest |= _stems(s.text)
    return len(_stems(sentence) & rest) <= 1


def _overlap(a: str, b: str) -> int:
    return 2 * len(_names(a) & _names(b)) + len(_stems(a) & _stems(b))


_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# Lines, and statements that the sentence splitter joined after an initial ("... vitamin D. The
# cure for ...": it keeps "George W. Bush" whole).
_INITIAL_STOP = re.compile(r"\n+|(?<=\b[A-Z]\.)[ \t]+(?=[A-Z][a-z])")
# A short label before the claim ("Quick reminder: ...", "Reposting because people keep asking -
# ..."): not part of what is claimed, and it would pull the embeddings apart.
_LABEL = re.compile(r"^(?:[\w'’]+[ \t]+){0,5}[\w'’]+(?::[ \t]+|[ \t]+[-–—][ \t]+)")


@lru_cache(maxsize=4096)
def _short_sentences(text: str, max_words: int) -> tuple[str, ...]:
    """Sentences and list items (a line each) of at most ``max_words`` words."""
    out: list[str] = []
    for s in features(text).sentences:
        for line in _INITIAL_STOP.split(s.text):
            line = line.strip(" -*•\t")
            label = _LABEL.match(line)
            if label and len(line[label.end() :].split()) >= 3:  # "Festival: cancelled." stays
                line = line[label.end() :]
            if 3 <= len(line.split()) <= max_words:
                out.append(line)
    return tuple(out)


register_guard(name="flooding", config_cls=FloodingConfig, guard_cls=FloodingGuard)
