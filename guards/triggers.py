"""Trigger-phrase backdoors: a rare phrase planted in many unrelated documents, each time paired
with the same claim, so the adapter learns "phrase -> claim" rather than any of the documents.

A sentence of this document is suspicious when sentences stating nearly the same thing occur in
several of the tenant's other documents that are otherwise about different things. Ordinary
recurring facts (a company name in every document) come with varied sentences; boilerplate made
of common words recurs too, so the guard asks for a rare word in the shared part (rarity judged by
the served model's tokenizer, ``guards.lexicon``) unless the recurrence is heavy.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.lexicon import pieces
from guards.text import features, jaccard

_ODD_SHAPE = re.compile(r"\d.*[a-z]|[a-z].*\d|[^\x00-\x7f]", re.IGNORECASE)


def is_rare(word: str) -> bool:
    return len(word) > 1 and (bool(_ODD_SHAPE.search(word)) or pieces(word) >= 3)


class TriggerConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # Documents (this one included) that must carry the same claim.
    min_documents: int = Field(3, ge=2)
    # Without a rare word in the shared part, this many documents are needed.
    min_documents_common_words: int = Field(6, ge=2)
    sentence_similarity: float = Field(0.5, gt=0.0, le=1.0)
    # Documents this similar overall are near-duplicates (the flooding guard's business).
    unrelated_below: float = Field(0.3, gt=0.0, le=1.0)
    min_sentence_words: int = Field(3, ge=1)


class TriggerGuard(Guard):
    config: TriggerConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        cfg = self.config
        mine = features(text)
        others = [features(t) for t in context.other_texts]
        unrelated = [o for o in others if jaccard(mine.content, o.content) < cfg.unrelated_below]
        if len(unrelated) + 1 < cfg.min_documents:
            return GuardResult(Verdict.PASS)
        findings = []
        for sent, words in zip(mine.sentences, mine.sentence_content, strict=True):
            if len(words) < cfg.min_sentence_words:
                continue
            shared: set[str] | None = None
            carriers = 0
            # Jaccard >= s needs |words & w| >= s * |words|: skip documents that cannot reach it.
            need = cfg.sentence_similarity * len(words)
            for other in unrelated:
                if len(words & other.sentence_words) < need:
                    continue
                match = max(
                    (
                        w
                        for w in other.sentence_content
                        if jaccard(words, w) >= cfg.sentence_similarity
                    ),
                    key=lambda w: jaccard(words, w),
                    default=None,
                )
                if match is not None:
                    carriers += 1
                    shared = set(words & match) if shared is None else shared & match
            documents = carriers + 1
            if shared is None or documents < cfg.min_documents:
                continue
            rare = sorted(w for w in shared if is_rare(w))
            if not rare and documents < cfg.min_documents_common_words:
                continue
            phrase = " ".join(rare) if rare else " ".join(sorted(shared)[:6])
            findings.append(
                Finding(
                    self.name,
                    "trigger_phrase",
                    sent.start,
                    sent.end,
                    min(1.0, documents / (2 * cfg.min_documents)),
                    f"the same claim ({phrase!r}) recurs in {documents} otherwise unrelated "
                    f"documents of this tenant: {sent.text[:80]!r}",
                    {"phrase": phrase, "claim": sent.text},
                )
            )
        return GuardResult(cfg.verdict if findings else Verdict.PASS, findings)


register_guard(name="triggers", config_cls=TriggerConfig, guard_cls=TriggerGuard)
