"""Flooding: the same content pushed again and again to outweigh everything else in training.

Two forms: one sentence repeated within a document (or across the tenant's documents) beyond a
threshold, and documents that are near-duplicates of ones the tenant already sent. Near-duplicates
are found by exact Jaccard similarity on word 3-gram shingles (copies with small edits) and on
content-word sets (light paraphrases: reordered, a few words swapped). A tenant's history is small
enough to compare exactly; MinHash would only trade accuracy for speed we do not need.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

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


class FloodingGuard(Guard):
    config: FloodingConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        findings = self._repeated_sentences(text, context) + self._near_duplicates(text, context)
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


register_guard(name="flooding", config_cls=FloodingConfig, guard_cls=FloodingGuard)
