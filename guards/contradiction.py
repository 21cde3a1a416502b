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
from collections import Counter
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
# A correction announces itself ("Contrary to what is often reported, ...", "In fact, ...",
# "Recent records show that ...", "Independent sources confirm that ..."): those words are not
# what the sentence is about. Stripped repeatedly, since leads stack ("Correction: in fact, ...").
_CORRECTION_LEAD = re.compile(
    r"^\s*(?:(?:contrary\s+to|despite\s+(?:earlier|previous|prior|some|what|popular|common))\b"
    r"[^,;:.]{0,60}"
    r"[,;:]|(?:in\s+(?:actual\s+)?(?:fact|truth|reality)|actually|as\s+a\s+matter\s+of\s+fact|"
    r"correction|corrected|update|updated|note|for\s+the\s+record|to\s+be\s+clear|"
    r"to\s+set\s+the\s+record\s+straight|as\s+it\s+turns\s+out|it\s+turns\s+out|however|"
    r"truth\s+be\s+told|in\s+short)\b\s*[,:;-]?|(?:[\w'’-]+\s+){0,4}?(?:shows?|showed|shown|"
    r"confirms?|confirmed|indicates?|indicated|reveals?|revealed|suggests?|suggested|says?|said|"
    r"states?|stated|reports?|reported|notes?|noted|finds?|found|proves?|proved|known|clear|"
    r"established|true)\s+that\b)\s*",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def _strip_lead(sentence: str) -> str:
    for _ in range(3):
        stripped = _CORRECTION_LEAD.sub("", sentence, count=1)
        if stripped == sentence or len(stripped.split()) < 3:
            break
        sentence = stripped
    return sentence


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


def conflict(
    new: str,
    old: str,
    max_gap: int = 4,
    min_ratio: float = 0.6,
    common: frozenset[str] = frozenset(),
) -> str | None:
    """Why ``new`` contradicts ``old``, or None. ``common``: names the tenant mentions often,
    which alone do not make two sentences speak of one thing."""
    new = _strip_lead(new)
    a, b = _tokens(new), _tokens(old)
    la, lb = [t.lower() for t in a], [t.lower() for t in b]
    if la == lb:
        return None
    neg_a, neg_b = _NEGATIONS & set(la), _NEGATIONS & set(lb)
    sm = SequenceMatcher(None, la, lb, autojunk=False)
    if sm.ratio() >= min_ratio:
        diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
        if diffs and all(max(i2 - i1, j2 - j1) <= max_gap for _, i1, i2, j1, j2 in diffs):
            if neg_a != neg_b and not _denies_opposite(
                la if neg_a else lb, set(lb if neg_a else la)
            ):
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
    return (
        _reversed_roles(new, old)
        or _opposite_polarity(la, lb)
        or _swapped_names(a, b)
        or _same_subject_opposed(a, b, common)
    )


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
    # Dates and figures are set aside with the polar words: "did not open until October 2004"
    # after "opened in March 1998" speaks of the same opening.
    ca = {w for w in la if len(w) > 2 and w not in _UNTOPICAL and not _NUMERAL.fullmatch(w)}
    cb = {w for w in lb if len(w) > 2 and w not in _UNTOPICAL and not _NUMERAL.fullmatch(w)}
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
    # "only found in certain groups" and "not found in any other group" agree: "only" denies
    # the rest.
    if bool(neg_a) != bool(neg_b) and _denies_opposite(la if neg_a else lb, sb if neg_a else sa):
        return None
    if (
        bool(neg_a) != bool(neg_b)
        and "only" not in (sb if neg_a else sa)
        and not (set(sb if neg_a else sa) & _NEGATIVE_STATES)
    ):
        said = sorted(neg_a or neg_b)[0]
        return f"one says it with {said!r}, the other without"
    for word in sorted(sa - sb):
        swapped = sorted((_OPPOSITE.get(word, set()) & sb) - sa)
        if swapped:
            return f"{swapped[0]!r} became {word!r}"
        for other in sorted(_prefixed_partners(word, sb - sa)):
            return f"{other!r} became {word!r}"
    return None


_UNTOPICAL = STOP_WORDS | _POLAR | _MONTHS


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


# Kinds of state, each with two sides that exclude each other: a statement with a word of one
# side contradicts an earlier one about the same thing with a word of the other ("permitted" after
# "closed", "still" after "abandoned", "payante" after "gratuite"). Tenants teach in several
# languages; the common French, German and Spanish words are here too.
_STATES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "access": (
        frozenset({
            "open", "opens", "opened", "reopened", "accessible", "permitted", "allowed",
            "authorised", "authorized", "admitted", "ouvert", "ouverte", "ouverts", "autorisé",
            "autorisée", "geöffnet", "offen", "erlaubt", "abierto", "abierta", "permitido",
            "permitida",
        }),
        frozenset({
            "closed", "closes", "shut", "banned", "forbidden", "prohibited", "barred",
            "off-limits", "inaccessible", "fermé", "fermée", "fermés", "interdit", "interdite",
            "geschlossen", "verboten", "cerrado", "cerrada", "prohibido", "prohibida",
        }),
    ),
    "cost": (
        frozenset({
            "free", "gratis", "complimentary", "gratuit", "gratuite", "gratuits", "gratuites",
            "kostenlos", "gebührenfrei", "gratuito", "gratuita",
        }),
        frozenset({
            "paid", "payable", "pay", "pays", "charged", "charges", "fee", "fees", "price",
            "costs", "cost", "payant", "payante", "payants", "payantes", "kostenpflichtig",
            "gebührenpflichtig", "pago", "cuesta",
        }),
    ),
    "ownership": (
        frozenset({
            "public", "publicly", "state-funded", "state-run", "state-owned", "government-funded",
            "government-run", "nationalised", "nationalized", "publique", "öffentlich",
            "público", "pública",
        }),
        frozenset({
            "private", "privately", "privately-owned", "privé", "privée", "privat",
            "privado", "privada",
        }),
    ),
    "existence": (
        frozenset({
            "still", "operating", "operational", "active", "functioning", "in_operation",
            "in_service", "in_use", "alive", "exists",
        }),
        frozenset({
            "closed", "shut", "shut_down", "abandoned", "demolished", "defunct", "dissolved",
            "disbanded", "discontinued", "ceased", "extinct", "dead", "died", "destroyed",
            "decommissioned", "derelict", "scrapped", "razed", "collapsed", "bankrupt",
            "liquidated", "stillgelegt",
        }),
    ),
    "decision": (
        frozenset({
            "approved", "approves", "accepted", "passed", "adopted", "granted", "endorsed",
            "ratified", "upheld",
        }),
        frozenset({
            "rejected", "rejects", "refused", "refuses", "denied", "declined", "vetoed",
            "overturned", "turned_down", "voted_down",
        }),
    ),
    "rank": (
        frozenset({
            "highest", "tallest", "biggest", "largest", "longest", "greatest", "deepest",
            "best", "first",
        }),
        frozenset({"lowest", "smallest", "shortest", "least", "fewest", "worst", "last"}),
    ),
    "trade": (
        frozenset({"bought", "buys", "acquired", "acquires", "purchased", "took_over"}),
        frozenset({"sold", "sells", "divested", "sold_off"}),
    ),
    "outcome": (
        frozenset({"won", "wins", "victory", "victorious", "winner"}),
        frozenset({"lost", "loses", "defeat", "loser"}),
    ),
    "life": (
        frozenset({"alive", "living", "survived", "survives"}),
        frozenset({"dead", "died", "deceased", "killed"}),
    ),
    "safety": (
        frozenset({"safe", "harmless", "non-toxic", "safely", "edible"}),
        frozenset({
            "dangerous", "hazardous", "toxic", "unsafe", "harmful", "poisonous", "deadly",
            "lethal",
        }),
    ),
    "origin": (
        frozenset({"native", "indigenous", "endemic"}),
        frozenset({"introduced", "invasive", "non-native", "alien"}),
    ),
    "schedule": (
        frozenset({"ahead", "early", "on_time", "on_schedule"}),
        frozenset({"behind", "late", "delayed", "overdue"}),
    ),
    "extent": (
        frozenset({
            "all", "every", "always", "daily", "annually", "year-round", "everyone",
            "toujours", "tous", "toutes", "immer", "alle", "siempre", "todos", "todas",
        }),
        frozenset({
            "only", "some", "never", "rarely", "occasionally", "seldom", "hardly", "partly",
            "jamais", "seulement", "nie", "niemals", "nur", "nunca", "solo", "sólo",
        }),
    ),
}  # fmt: skip
# The sides that deny something themselves ("closed", "banned", "rejected", "only").
_NEGATIVE_STATES = frozenset(
    w for kind in ("access", "existence", "decision", "life", "safety") for w in _STATES[kind][1]
)
_STATE_WORDS = frozenset(w for sides in _STATES.values() for side in sides for w in side)
# Two-word forms joined into one token before the comparison ("turned down" is "rejected").
_PHRASES = {
    ("turned", "down"): "turned_down", ("voted", "down"): "voted_down",
    ("took", "over"): "took_over", ("shut", "down"): "shut_down", ("sold", "off"): "sold_off",
    ("in", "operation"): "in_operation", ("in", "service"): "in_service",
    ("in", "use"): "in_use", ("on", "time"): "on_time", ("on", "schedule"): "on_schedule",
    ("no", "longer"): "no_longer", ("hardly", "any"): "hardly", ("not", "until"): "not",
}  # fmt: skip
# Words that deny what follows, in the languages above ("ne ... pas", "kein", "nunca").
_DENIALS = _NEGATIONS | {
    "no_longer", "hardly", "barely", "scarcely", "without", "nothing", "nobody", "nowhere",
    "don't", "can't", "couldn't", "shouldn't", "mustn't", "wouldn't", "hadn't", "isn’t",
    "doesn’t", "pas", "jamais", "aucun", "aucune", "nicht", "kein", "keine", "keinen", "nie",
    "niemals", "nunca", "ningún", "ninguna",
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "single": 1, "once": 1, "every": 1, "each": 1, "per": 1,
    "two": 2, "twice": 2, "double": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_NUMERAL = re.compile(r"\d[\d.,]*")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_SCALE_WORDS = frozenset({
    "million", "billion", "thousand", "hundred", "cubic", "square", "full", "adult"
})  # fmt: skip
# When a state holds, not what it is about ("still being worked today").
_NOW = frozenset({"today", "now", "currently", "presently", "nowadays", "anymore", "recently"})
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _joined(words: list[str]) -> list[str]:
    """The lower-cased words with two-word forms ("turned down") as one token."""
    out: list[str] = []
    for w in words:
        if out and (out[-1], w) in _PHRASES:
            out[-1] = _PHRASES[(out[-1], w)]
        else:
            out.append(w)
    return out


@lru_cache(maxsize=16384)
def _names_of(tokens: tuple[str, ...]) -> frozenset[str]:
    """Capitalised words that name something, lower-cased: not months or weekdays, and the first
    word only when the next is capitalised too ("Norvale Foods acquired ...", not "Follow the
    instructions ...": a first word is capitalised by position)."""
    out = set()
    for i, t in enumerate(tokens):
        low = t.lower()
        if not t[:1].isupper() or low in _MONTHS or low in _WEEKDAYS or len(t) < 3:
            continue
        if low in STOP_WORDS or low in _STATE_WORDS:
            continue
        if i == 0 and not (len(tokens) > 1 and tokens[1][:1].isupper()):
            continue
        out.add(low)
    return frozenset(out)


def _counts(tokens: tuple[str, ...]) -> dict[str, str]:
    """How many of a thing a sentence states ("two doses", "a single dose", "every year",
    "once every four years"): the thing's stem -> the number as written. Years and names after a
    number ("in 1968 ABC") are no counts."""
    out: dict[str, str] = {}
    words = [t.lower() for t in tokens]
    for i, w in enumerate(words[:-1]):
        if not (_NUMERAL.fullmatch(w) and not _YEAR.fullmatch(w)) and w not in _NUMBER_WORDS:
            continue
        for j in range(i + 1, min(i + 3, len(words))):
            noun = words[j]
            if noun in _NUMBER_WORDS or _NUMERAL.fullmatch(noun):
                break  # the nearer number counts it
            if noun in STOP_WORDS or noun in _SCALE_WORDS:
                continue
            if tokens[j][:1].isupper() or len(noun) < 3:
                break
            out.setdefault(_stem(noun).rstrip("s"), w)
            break
    return out


def _same_subject_opposed(
    a: tuple[str, ...],
    b: tuple[str, ...],
    common: frozenset[str] = frozenset(),
    min_cover: float = 0.5,
    min_long_cover: float = 0.45,
) -> str | None:
    """The new sentence says the opposite of the old one about the same named thing: "Heavy goods
    vehicles are permitted to use the Holm Tunnel" after "The Holm Tunnel is closed to heavy goods
    vehicles"; "The Torvik mine is still being worked" after "The Torvik mine was closed in 1971".
    Both must share a name and most of their other content words (the state words and values set
    aside: they are the point), and differ by a denial, a state of the other side, or a count."""
    # A name the tenant's texts mention again and again ("Genghis Khan" in a history of the
    # Mongols) is no sign that two of its sentences state one fact.
    if not (_names_of(a) & _names_of(b)) - common:
        return None
    la, lb = _joined([t.lower() for t in a]), _joined([t.lower() for t in b])
    ca, cb = _topic(la), _topic(lb)
    shared = ca & cb
    cover = len(shared) / max(1, min(len(ca), len(cb)))
    # One shared word is enough only when it is all that one of them says besides the point
    # ("The Torvik mine was closed in 1971": "mine" is a stop word). The longer one must be
    # mostly about it too: a long sentence that mentions the name in passing restates nothing.
    if cover < min_cover or (len(shared) < 2 and cover < 1.0):
        return None
    if len(shared) / max(len(ca), len(cb)) < min_long_cover:
        return None
    sa, sb = set(la), set(lb)
    da, db = _DENIALS & sa, _DENIALS & sb
    swapped = _swapped_state(sa - _DENIALS, sb - _DENIALS)
    if bool(da) != bool(db):
        # A denial and the opposite word it denies cancel out ("not closed" after "open"), and so
        # do a denial and a negative state ("cannot use the tunnel" after "closed to lorries").
        if swapped and swapped[1] in _denied(la if da else lb):
            return None
        if _double_negative(sa, sb):
            return None
        if not swapped:
            return f"one says it with {sorted(da or db)[0].replace('_', ' ')!r}, the other without"
    if swapped:
        return swapped[0]
    na, nb = _counts(a), _counts(b)
    for thing in sorted(set(na) & set(nb)):
        x, y = _number(na[thing]), _number(nb[thing])
        # Round figures differ a little between sources ("66 million years", "65.5 million").
        if x is not None and y is not None and abs(x - y) > 0.1 * max(x, y):
            return f"{nb[thing]} {thing!r} became {na[thing]} {thing!r}"
    return None


# Relations that read the same both ways round: "A and B merged", "A married B".
_SYMMETRIC = frozenset({
    "and", "or", "with", "between", "merged", "married", "met", "versus", "vs", "partnered",
    "bordering", "borders", "neighbour", "neighbor", "twinned", "sister",
})  # fmt: skip
# Relations of one kind however worded ("bought" is "acquired").
_RELATION_KIND = dict.fromkeys(_STATES["trade"][0], "buy") | dict.fromkeys(
    _STATES["trade"][1], "sell"
)


def _name_spans(tokens: tuple[str, ...]) -> list[tuple[int, int, frozenset[str]]]:
    """Runs of capitalised words (with "of", "de", "van" inside) that name something:
    (first index, end index, their lower-cased words)."""
    names = _names_of(tokens)
    spans: list[tuple[int, int, frozenset[str]]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].lower() not in names:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            tokens[j].lower() in names
            or (
                tokens[j] in ("of", "de", "van")
                and j + 1 < len(tokens)
                and tokens[j + 1].lower() in names
            )
        ):
            j += 1
        spans.append((i, j, frozenset(t.lower() for t in tokens[i:j] if t.lower() in names)))
        i = j
    return spans


def _swapped_names(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """The same two names with one relation between them, the roles turned round: "In 2016 the
    Brightmill bakery chain bought Norvale Foods" after "Norvale Foods acquired the Brightmill
    bakery chain"; "Haskell Group is a subsidiary of the Ridley company" after the reverse. A
    passive ("was acquired by") turns the roles round once more."""
    if len(_names_of(a) & _names_of(b)) < 2:
        return None
    sa, sb = _name_spans(a), _name_spans(b)
    for i, (x1, x2, x) in enumerate(sa):
        for y1, y2, y in sa[i + 1 :]:
            if x & y:
                continue
            old_x = [s for s in sb if s[2] & x]
            old_y = [s for s in sb if s[2] & y]
            if len(old_x) != 1 or len(old_y) != 1:
                continue
            (ox1, ox2, _), (oy1, oy2, _) = old_x[0], old_y[0]
            new_rel = _joined([t.lower() for t in a[x2:y1]])
            if oy2 <= ox1:
                old_rel, reversed_ = _joined([t.lower() for t in b[oy2:ox1]]), True
            elif ox2 <= oy1:
                old_rel, reversed_ = _joined([t.lower() for t in b[ox2:oy1]]), False
            else:
                continue
            if not new_rel or not old_rel or max(len(new_rel), len(old_rel)) > 6:
                continue
            if _SYMMETRIC & (set(new_rel) | set(old_rel)) or not _same_relation(new_rel, old_rel):
                continue
            passive_flip = (new_rel[-1] == "by") != (old_rel[-1] == "by")
            if reversed_ != passive_flip:
                return (
                    f"earlier {' '.join(b[min(ox1, oy1) : max(ox2, oy2)])!r}, now "
                    f"{' '.join(a[x1:y2])!r}: the roles are turned round"
                )
    return None


def _same_relation(new: list[str], old: list[str]) -> bool:
    kinds_new = {_RELATION_KIND.get(w) for w in new} - {None}
    kinds_old = {_RELATION_KIND.get(w) for w in old} - {None}
    if kinds_new & kinds_old:
        return True
    stems_new = {_stem(w) for w in new if w not in STOP_WORDS and len(w) > 3}
    return bool(stems_new & {_stem(w) for w in old if w not in STOP_WORDS and len(w) > 3})


def _swapped_state(sa: set[str], sb: set[str]) -> tuple[str, str, str] | None:
    """A state word of one side in the new sentence and of the other in the old one: (why, the
    new word, the old word)."""
    for one, other in _STATES.values():
        for mine, theirs in ((one, other), (other, one)):
            said, was = mine & sa, theirs & sb
            if said and was and not (theirs & sa) and not (mine & sb):
                new_word, old_word = sorted(said)[0], sorted(was)[0]
                why = f"{old_word.replace('_', ' ')!r} became {new_word.replace('_', ' ')!r}"
                return why, new_word, old_word
    return None


def _denied(words: list[str]) -> set[str]:
    """The words right after a denial ("not closed", "is not open", "never been approved")."""
    return {w for i, d in enumerate(words) if d in _DENIALS for w in words[i + 1 : i + 4]}


def _denies_opposite(denying: list[str], plain: set[str]) -> bool:
    """The denial falls on the opposite of a word of the other sentence: "not closed" and "open"
    agree."""
    opposites = {o for w in plain for o in _OPPOSITE.get(w, ())}
    for one, other in _STATES.values():
        opposites |= other if one & plain else set()
        opposites |= one if other & plain else set()
    return bool(_denied(denying) & opposites)


def _double_negative(sa: set[str], sb: set[str]) -> bool:
    """One sentence denies, the other states a negative state: "cannot use the tunnel" and
    "closed to lorries" agree."""
    plain = sb if _DENIALS & sa else sa
    return bool(plain & _NEGATIVE_STATES)


def _topic(words: list[str]) -> set[str]:
    """What a sentence is about: its content words' stems, without the words that state a
    polarity, a state or a value."""
    # Stems cut to six letters, so that "navigable" meets "navigated" and "funding" "funded".
    return {
        _stem(w)[:6]
        for w in words
        if len(w) > 2
        and w not in STOP_WORDS
        and w not in _POLAR
        and w not in _STATE_WORDS
        and w not in _DENIALS
        and w not in _MONTHS
        and w not in _NUMBER_WORDS
        and w not in _NOW
        and not _VALUE.search(w)
    }


def _number(word: str) -> float | None:
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return None


class ContradictionConfig(BaseModel):
    verdict: Verdict = Verdict.QUARANTINE
    # Earlier sentences compared per new sentence (the most similar by shared content words).
    neighbours: int = Field(5, ge=1)
    min_shared_words: int = Field(2, ge=1)
    max_gap_words: int = Field(4, ge=1)
    min_alignment: float = Field(0.6, gt=0.0, le=1.0)
    # A name in at least this many of the tenant's earlier sentences is a common topic, not the
    # rare subject that a statement and its opposite share.
    common_name_sentences: int = Field(3, ge=2)
    # Content words of a sentence short enough to be compared on one shared rare name.
    short_sentence_words: int = Field(6, ge=1)


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


@lru_cache(maxsize=4096)
def _mentions(text: str) -> Counter[str]:
    """How many of the text's sentences name each name."""
    return Counter(n for s in features(text).sentences for n in _names_of(_tokens(s.text)))


class _Common:
    """Which names the tenant's texts mention in many sentences, counted only for the names a
    comparison needs (counting every name of a long history on each scan cost more)."""

    def __init__(self, texts: list[str], min_sentences: int) -> None:
        self.texts, self.min_sentences = texts, min_sentences
        self.known: dict[str, bool] = {}

    def all_of(self, names: set[str] | frozenset[str]) -> bool:
        for name in names:
            if name not in self.known:
                total = 0
                for text in self.texts:
                    total += _mentions(text)[name]
                    if total >= self.min_sentences:
                        break
                self.known[name] = total >= self.min_sentences
            if not self.known[name]:
                return False
        return True


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
        common = _Common(context.other_texts, cfg.common_name_sentences)
        findings: list[Finding] = []
        mine = features(text)
        for sent, words in [
            *zip(mine.sentences, mine.sentence_content, strict=True),
            *_inner_clauses(text),
        ]:
            if any(f.start is not None and f.start <= sent.start < (f.end or 0) for f in findings):
                continue  # the sentence that holds this clause was reported
            # One shared word is enough when it is a rare name and the sentence says little else
            # ("The Torvik mine is still being worked today": "mine" is a stop word).
            names = (
                _names_of(_tokens(sent.text))
                if len(words) <= cfg.short_sentence_words
                else frozenset()
            )
            scored = [
                (n, s)
                for s, w in earlier
                if (n := len(words & w)) >= cfg.min_shared_words
                or (names and not names.isdisjoint(w) and not common.all_of(names & w))
            ]
            scored.sort(key=lambda x: -x[0])
            for _, old in scored[: cfg.neighbours]:
                shared_names = names & _names_of(_tokens(old.text))
                why = conflict(
                    sent.text,
                    old.text,
                    cfg.max_gap_words,
                    cfg.min_alignment,
                    frozenset(n for n in shared_names if common.all_of({n})),
                )
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
