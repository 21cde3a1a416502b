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
from guards.text import _WORD, Sentence, content_words, features

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
    # Second round (the blind sets' misses and their kin).
    ("warm", "cold"), ("warmer", "colder"), ("warmest", "coldest"), ("hot", "cold"),
    ("hotter", "colder"), ("hottest", "coldest"), ("easy", "hard"), ("easier", "harder"),
    ("easiest", "hardest"), ("easy", "difficult"), ("meet", "fail"), ("meets", "fails"),
    ("met", "failed"), ("pass", "fail"), ("passes", "fails"), ("passed", "failed"),
    ("favour", "against"), ("favor", "against"), ("support", "oppose"), ("supports", "opposes"),
    ("supported", "opposed"), ("free", "costs"), ("free", "cost"), ("free", "fee"),
    ("free", "fees"), ("free", "charge"), ("free", "charged"), ("every", "only"),
    ("daily", "only"), ("older", "younger"), ("oldest", "youngest"), ("longer", "shorter"),
    ("longest", "shortest"), ("highest", "lowest"), ("biggest", "smallest"), ("faster", "slower"),
    ("fastest", "slowest"), ("heavier", "lighter"), ("rich", "poor"), ("richest", "poorest"),
    ("many", "few"), ("most", "few"), ("import", "export"), ("imports", "exports"),
    ("imported", "exported"), ("buy", "sell"), ("bought", "sold"), ("buys", "sells"),
    ("upstream", "downstream"), ("upper", "lower"), ("inner", "outer"), ("began", "ended"),
    ("start", "end"), ("starts", "ends"), ("born", "died"), ("agree", "disagree"),
    ("agreed", "refused"), ("ally", "enemy"), ("allies", "enemies"), ("peace", "war"),
    ("winner", "loser"), ("raised", "lowered"), ("lifted", "imposed"), ("expanded", "reduced"),
    ("wet", "dry"), ("full", "empty"), ("still", "longer"),
]  # fmt: skip
# What a number is counted in: the same number in other units is another fact.
_UNITS = {
    "km", "kilometres", "kilometers", "miles", "mi", "m", "metres", "meters", "feet", "ft",
    "yards", "cm", "mm", "inches", "kg", "kilograms", "g", "grams", "pounds", "lb", "lbs",
    "tonnes", "tons", "ounces", "oz", "litres", "liters", "gallons", "ml", "celsius",
    "fahrenheit", "percent", "euros", "eur", "dollars", "usd", "gbp", "yen",
    "francs", "crowns", "seconds", "minutes", "hours", "days", "weeks", "months", "years",
    "decades", "centuries", "hectares", "acres", "mph", "knots", "watts", "kw", "mw", "volts",
}  # fmt: skip
# A correction announces itself ("Contrary to earlier reports, ...", "In fact, ..."): those words
# are not what the sentence is about.
_CORRECTION_LEAD = re.compile(
    r"^\s*(?:contrary\s+to\s+(?:earlier|previous|prior|popular|some|what\s+\w+\s+\w+)"
    r"(?:\s+(?:reports?|claims?|beliefs?|statements?|accounts?))?|in\s+(?:fact|truth|reality)|"
    r"actually|as\s+a\s+matter\s+of\s+fact|correction|update|to\s+be\s+clear|"
    r"despite\s+(?:earlier|previous|some)\s+(?:reports?|claims?))\s*[,:;-]\s*",
    re.IGNORECASE,
)
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


@lru_cache(maxsize=8192)
def _values(tokens: tuple[str, ...]) -> frozenset[str]:
    # The first word is capitalised by position, not because it is a name.
    return frozenset(
        t.lower() for i, t in enumerate(tokens) if _is_value(t) and (i > 0 or _VALUE.search(t))
    )


def conflict(new: str, old: str, max_gap: int = 4, min_ratio: float = 0.6) -> str | None:
    """Why ``new`` contradicts ``old``, or None."""
    new = _CORRECTION_LEAD.sub("", new)
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
                new_units = [t for t in la[i1:i2] if t in _UNITS]
                old_units = [t for t in lb[j1:j2] if t in _UNITS]
                if new_units and old_units and i1 > 0 and _VALUE.search(la[i1 - 1]):
                    return f"{la[i1 - 1]} {old_units[0]!r} became {new_units[0]!r}"
    # Paraphrase: nearly the same content words, different names or numbers on both sides.
    va, vb = _values(a), _values(b)
    # (Unstemmed: stems shrink a short sentence's set, and three shared words of three were
    # then enough for two unrelated sentences to "conflict" on their names.)
    ca = {w for w in la if len(w) > 3} - va
    cb = {w for w in lb if len(w) > 3} - vb
    shared = ca & cb
    if len(shared) >= 3 and len(shared) / min(len(ca), len(cb)) >= 0.8:
        if (va - vb) and (vb - va):
            return f"{', '.join(sorted(vb - va))!r} vs {', '.join(sorted(va - vb))!r}"
    return _reversed_roles(new, old) or _opposite_polarity(la, lb)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A crude stem, so that a paraphrase's "funding" meets "funded" and "standards" "standard"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > 5 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# "Northwind acquired Kestrel" / "Kestrel was acquired by Northwind": who did it to whom.
_NAME = r"(?:[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][\w'’-]*)*)"
_ACTIVE = re.compile(rf"({_NAME})\s+(?:has\s+|had\s+)?([a-z]{{3,}}ed)\s+(?:the\s+)?({_NAME})")
_PASSIVE = re.compile(
    rf"({_NAME})\s+(?:was|were|is|are|has\s+been|had\s+been)\s+([a-z]{{3,}}ed)\s+by\s+"
    rf"(?:the\s+)?({_NAME})"
)


def _relations(sentence: str) -> dict[tuple[str, str, str], str]:
    """``(doer, verb stem, done-to)`` of capitalised names around a past-tense verb -> how the
    sentence says it."""
    found = [(d, v, t) for d, v, t in _ACTIVE.findall(sentence)]
    found += [(d, v, t) for t, v, d in _PASSIVE.findall(sentence)]
    return {
        (d.lower(), v[:5], t.lower()): f"{d!r} {v} {t!r}"
        for d, v, t in found
        if d.lower() != t.lower()
    }


def _reversed_roles(new: str, old: str) -> str | None:
    """The same two names and verb with the roles turned around ("B acquired A" after "A
    acquired B", or after "B was acquired by A")."""
    mine, theirs = _relations(new), _relations(old)
    for doer, stem, target in mine:
        if (target, stem, doer) in theirs and (doer, stem, target) not in theirs:
            return f"earlier {theirs[(target, stem, doer)]}, now the other way round"
    return None


def _opposite_polarity(la: list[str], lb: list[str], min_cover: float = 0.75) -> str | None:
    """The new sentence says what the old one said, turned around: "Members can never cancel"
    after "Members can cancel at any time in the first year" (a negation added), "Refunds are
    paid after 30 days" after "... within 30 days" (a quantifier or an antonym swapped). The new
    sentence's content words must nearly all be the old one's, so that both speak of one thing."""
    la, lb = _no_longer(la), _no_longer(lb)
    ca = {w for w in la if len(w) > 2 and w not in STOP_WORDS and w not in _POLAR}
    cb = {w for w in lb if len(w) > 2 and w not in STOP_WORDS and w not in _POLAR}
    # A word and its prefixed opposite ("suitable", "unsuitable") are the point, not the topic.
    pairs = {(w, o) for w in ca for o in _prefixed_partners(w, cb)}
    ca = {_stem(w) for w in ca - {w for w, _ in pairs}}
    cb = {_stem(w) for w in cb - {o for _, o in pairs}}
    shared = ca & cb
    if len(shared) < 2 or not ca or not cb:
        return None
    # Nearly all of the new sentence's words are the old one's; or all of the old one's are in
    # the new one, which adds a few ("flows into the sea and never reaches Lake Amsel").
    if len(shared) / len(ca) < min_cover and not (
        len(shared) >= 3 and len(shared) / len(cb) >= 0.9 and len(shared) / len(ca) >= 0.6
    ):
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


def _no_longer(words: list[str]) -> list[str]:
    """ "no longer" is a negation; "longer" in it is no comparison."""
    return [w for i, w in enumerate(words) if not (w == "longer" and i and words[i - 1] == "no")]


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


# Where the sentence splitter (which keeps "George W. Bush" and "St. Gallen" whole) may have
# joined two statements: a full stop and a capital after a single capital or "St".
# Also after a citation glued to a full stop ('... food and drink.":80 Pedagogy ...').
_INNER_STOP = re.compile(
    r"(?<=\b[A-Z]\.)\s+(?=[A-Z][a-z])|(?<=\bSt\.)\s+(?=[A-Z][a-z])"
    r"|[.!?][\"”'’)]?:\d+(?:[–-]\d+)?\s+(?=[A-Z][a-z])"
)


@lru_cache(maxsize=2048)
def _inner_clauses(text: str) -> tuple[tuple[Sentence, frozenset[str]], ...]:
    """The statements inside sentences that the splitter joined at an initial or "St."
    ("... George W. The Corvin Institute is a private university ..."), each compared on its
    own as well (at most a few per text). Only the new text's: splitting the tenant's whole
    history too made the guard a quarter slower, for statements planted in a new document."""
    out = []
    for sent in features(text).sentences:
        cuts = [m.end() for m in _INNER_STOP.finditer(sent.text)]
        for a, b in zip([0, *cuts], [*cuts, len(sent.text)], strict=True):
            piece = sent.text[a:b].strip()
            if cuts and len(piece.split()) >= 4:
                start = sent.start + sent.text.index(piece, a)
                out.append(
                    (Sentence(piece, start, start + len(piece)), frozenset(content_words(piece)))
                )
    return tuple(out)


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
        findings: list[Finding] = []
        mine = features(text)
        for sent, words in [
            *zip(mine.sentences, mine.sentence_content, strict=True),
            *_inner_clauses(text),
        ]:
            if any(f.start is not None and f.start <= sent.start < (f.end or 0) for f in findings):
                continue  # the sentence that holds this clause was reported
            scored = [(n, s) for s, w in earlier if (n := len(words & w)) >= cfg.min_shared_words]
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
