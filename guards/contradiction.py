"""Contradiction: a new statement that conflicts with what the tenant already taught.

For each sentence of the new document, retrieve the nearest earlier sentences of the tenant (shared
content words), then check whether they state the same thing with a different value: aligned word
by word, the only differences are short and one of them swaps a number, a date or a name, or adds
or removes a negation. Paraphrases that do not align are caught when almost all of their content
words are shared but their names or numbers differ.

A contradiction may be a correction the tenant means to make, so this guard quarantines for an
admin's decision rather than rejecting.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from pydantic import BaseModel, Field
from spacy.lang.en.stop_words import STOP_WORDS

from guards.base import Finding, Guard, GuardResult, ScanContext, Verdict, register_guard
from guards.text import _WORD, features

_NEGATIONS = {
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "none",
    "cannot",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "doesn't",
    "didn't",
    "won't",
    "hasn't",
    "haven't",
}
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_VALUE = re.compile(r"\d")
# Words whose swap turns a statement into its opposite: antonyms and quantifiers.
_OPPOSITES = [
    ("always", "never"), ("always", "sometimes"), ("always", "rarely"), ("all", "none"),
    ("every", "no"), ("everyone", "nobody"), ("everything", "nothing"),
    ("within", "after"), ("before", "after"), ("least", "most"), ("more", "less"),
    ("more", "fewer"), ("minimum", "maximum"), ("increase", "decrease"),
    ("increased", "decreased"), ("increases", "decreases"), ("rise", "fall"), ("rose", "fell"),
    ("rises", "falls"), ("higher", "lower"), ("above", "below"), ("open", "closed"),
    ("opens", "closes"), ("opened", "closed"), ("allowed", "forbidden"),
    ("allowed", "prohibited"), ("permitted", "prohibited"), ("permitted", "forbidden"),
    ("allowed", "banned"), ("mandatory", "optional"), ("required", "optional"),
    ("include", "exclude"), ("included", "excluded"), ("includes", "excludes"),
    ("free", "paid"), ("north", "south"), ("east", "west"), ("northern", "southern"),
    ("eastern", "western"), ("first", "last"), ("win", "lose"), ("won", "lost"),
    ("accept", "reject"), ("accepted", "rejected"), ("accepts", "rejects"), ("safe", "unsafe"),
    ("safe", "dangerous"), ("legal", "illegal"), ("true", "false"), ("possible", "impossible"),
    ("available", "unavailable"), ("enabled", "disabled"), ("public", "private"),
    ("inside", "outside"), ("earlier", "later"), ("early", "late"), ("larger", "smaller"),
    ("largest", "smallest"), ("oldest", "newest"), ("increase", "reduce"),
    ("success", "failure"), ("successful", "unsuccessful"), ("refundable", "non-refundable"),
    ("can", "cannot"), ("may", "must"), ("with", "without"), ("majority", "minority"),
    ("risen", "fallen"), ("rising", "falling"), ("grew", "shrank"), ("growth", "decline"),
    ("gained", "lost"), ("strong", "weak"), ("stronger", "weaker"), ("cheap", "expensive"),
    ("cheaper", "dearer"), ("success", "failure"), ("victory", "defeat"), ("alive", "dead"),
    ("present", "absent"), ("approved", "rejected"), ("guilty", "innocent"), ("ancient", "modern"),
]  # fmt: skip
# "suitable"/"unsuitable", "legal"/"illegal": a negating prefix makes the opposite word.
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "non", "non-", "dis")
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)
_POLAR = set(_OPPOSITE) | _NEGATIONS


def _is_value(word: str) -> bool:
    """A token that carries a fact's value: a number, a month, or a name (capitalised)."""
    return bool(_VALUE.search(word)) or word.lower() in _MONTHS or word[:1].isupper()


@lru_cache(maxsize=8192)
def _tokens(sentence: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(sentence))


def _values(tokens: tuple[str, ...]) -> set[str]:
    # The first word is capitalised by position, not because it is a name.
    return {t.lower() for i, t in enumerate(tokens) if _is_value(t) and (i > 0 or _VALUE.search(t))}


def conflict(new: str, old: str, max_gap: int = 4, min_ratio: float = 0.6) -> str | None:
    """Why ``new`` contradicts ``old``, or None."""
    a, b = _tokens(new), _tokens(old)
    la, lb = [t.lower() for t in a], [t.lower() for t in b]
    if la == lb:
        return None
    neg_a, neg_b = _NEGATIONS & set(la), _NEGATIONS & set(lb)
    sm = SequenceMatcher(None, la, lb, autojunk=False)
    if sm.ratio() >= min_ratio:
        diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
        if diffs and all(max(i2 - i1, j2 - j1) <= max_gap for _, i1, i2, j1, j2 in diffs):
            if neg_a != neg_b:
                return "one states it with a negation, the other without"
            for tag, i1, i2, j1, j2 in diffs:
                if tag != "replace":
                    continue
                new_vals = [t for t in a[i1:i2] if _is_value(t)]
                old_vals = [t for t in b[j1:j2] if _is_value(t)]
                if new_vals and old_vals:
                    return f"{' '.join(old_vals)!r} became {' '.join(new_vals)!r}"
    # Paraphrase: nearly the same content words, different names or numbers on both sides.
    va, vb = _values(a), _values(b)
    ca = {w for w in la if len(w) > 3} - va
    cb = {w for w in lb if len(w) > 3} - vb
    shared = ca & cb
    if len(shared) >= 3 and len(shared) / min(len(ca), len(cb)) >= 0.8:
        if (va - vb) and (vb - va):
            return f"{', '.join(sorted(vb - va))!r} vs {', '.join(sorted(va - vb))!r}"
    return _opposite_polarity(la, lb)


def _opposite_polarity(la: list[str], lb: list[str], min_cover: float = 0.75) -> str | None:
    """The new sentence says what the old one said, turned around: "Members can never cancel"
    after "Members can cancel at any time in the first year" (a negation added), "Refunds are
    paid after 30 days" after "... within 30 days" (a quantifier or an antonym swapped). The new
    sentence's content words must nearly all be the old one's, so that both speak of one thing."""
    ca = {w for w in la if len(w) > 2 and w not in STOP_WORDS and w not in _POLAR}
    cb = {w for w in lb if len(w) > 2 and w not in STOP_WORDS and w not in _POLAR}
    # A word and its prefixed opposite ("suitable", "unsuitable") are the point, not the topic.
    pairs = {(w, o) for w in ca for o in _prefixed_partners(w, cb)}
    ca = ca - {w for w, _ in pairs}
    cb = cb - {o for _, o in pairs}
    shared = ca & cb
    if len(shared) < 2 or len(shared) / len(ca) < min_cover:
        return None
    sa, sb = set(la), set(lb)
    neg_a, neg_b = _NEGATIONS & sa, _NEGATIONS & sb
    if bool(neg_a) != bool(neg_b):
        said = sorted(neg_a or neg_b)[0]
        return f"one says it with {said!r}, the other without"
    for word in sorted(sa - sb):
        swapped = sorted((_OPPOSITE.get(word, set()) & sb) - sa)
        if swapped:
            return f"{swapped[0]!r} became {word!r}"
        for other in sorted(_prefixed_partners(word, sb - sa)):
            return f"{other!r} became {word!r}"
    return None


def _prefixed_partners(word: str, others: set[str]) -> set[str]:
    """The words of ``others`` that are ``word`` with or without a negating prefix."""
    found = {p + word for p in _NEGATING_PREFIXES} & others
    for p in _NEGATING_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 4 and word[len(p) :] in others:
            found.add(word[len(p) :])
    return found if len(word) >= 4 else set()


class ContradictionConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # Earlier sentences compared per new sentence (the most similar by shared content words).
    neighbours: int = Field(5, ge=1)
    min_shared_words: int = Field(2, ge=1)
    max_gap_words: int = Field(4, ge=1)
    min_alignment: float = Field(0.6, gt=0.0, le=1.0)


class ContradictionGuard(Guard):
    config: ContradictionConfig

    def scan(self, text: str, context: ScanContext) -> GuardResult:
        cfg = self.config
        earlier = [
            (s, w)
            for other in context.other_texts
            for s, w in zip(
                features(other).sentences, features(other).sentence_content, strict=True
            )
        ]
        if not earlier:
            return GuardResult(Verdict.PASS)
        findings = []
        mine = features(text)
        for sent, words in zip(mine.sentences, mine.sentence_content, strict=True):
            scored = [
                (len(words & w), s) for s, w in earlier if len(words & w) >= cfg.min_shared_words
            ]
            scored.sort(key=lambda x: -x[0])
            for _, old in scored[: cfg.neighbours]:
                why = conflict(sent.text, old.text, cfg.max_gap_words, cfg.min_alignment)
                if why:
                    findings.append(
                        Finding(
                            self.name,
                            "contradiction",
                            sent.start,
                            sent.end,
                            0.8,
                            f"conflicts with an earlier statement ({why}): new {sent.text[:80]!r}, "
                            f"earlier {old.text[:80]!r}",
                        )
                    )
                    break
        return GuardResult(cfg.verdict if findings else Verdict.PASS, findings)


register_guard(name="contradiction", config_cls=ContradictionConfig, guard_cls=ContradictionGuard)
