"""Phone numbers written the way people in any region write them.

Presidio's own phone recognizer asks libphonenumber's matcher for a handful of regions at its
"valid" leniency: a number must exist in the numbering plan of one of those regions. Numbers in
uploads are often from elsewhere ("+33 (0)1 42 68 53 00", "0412 345 678", "(11) 4567-8901") and,
in test data or old records, not assigned at all; a number a person wrote is personal data either
way. Running the matcher over every region is too slow (about 25 ms per KB) and, at the lenient
setting, finds every run of digits.

So this recognizer finds phone-shaped candidates once with one pattern (digit groups joined by
spaces, dots, dashes, slashes or a bracketed area code; an optional ``+``/``00`` country prefix),
throws out shapes that are something else (dates, year ranges, times, dotted IPs, SSNs, decimals
and thousands), and keeps a candidate when libphonenumber says it is a *possible* number: for an
international number, of the country it names; otherwise of any configured region. The leniency
setting can ask for *valid* numbers instead (fewer findings, fewer false alarms).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import phonenumbers
from presidio_analyzer import EntityRecognizer

# Digit groups: an optional international prefix, then groups separated by one separator; an
# area code may be bracketed ("(0)1", "(11)"). Anchored so that it is not part of a longer token.
_CANDIDATE = re.compile(
    r"(?<![\w+@.\-/])"
    r"(?:(?:\+|00)\d{1,3}[ .\-/]?)?"
    r"(?:\(\d{1,5}\)[ .\-/]?)?"
    r"\d{1,12}(?:(?:[ .\-/]|\)\s?|\s?\()\d{1,10}){0,6}"
    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?"
    r"(?![\w@]|[.,\-/]\d)"
)
_NOT_A_PHONE = [
    re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$"),  # dates, alone or before a time
    re.compile(r"^\d{1,2}[./\-]\d{1,2}[./\-](?:1[89]|20)\d{2}\b"),
    re.compile(r"^(?:1[89]|20)\d{2}[./\-]\d{1,2}[./\-]\d{1,2}\b"),
    re.compile(r"^(1[0-9]|20)\d{2}\s?[\-/]\s?(1[0-9]|20)?\d{2}$"),  # year ranges
    re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$"),  # IPv4
    re.compile(r"^\d{3}-\d{2}-\d{4}$"),  # US SSN
]
# "7 000 000" reads as a number in thousands, unless the text says it is a phone number.
_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
# Words just before a number that say it is some other kind of number.
_OTHER_NUMBER = re.compile(
    r"(?:\b(?:isbn(?:-1[03])?|issn|doi|order|invoice|ref(?:erence)?|ticket|case|sku|serial|"
    r"part|tracking|account|acct|iban|card|no\.|nr\.?|id|version|v)|#)"
    r"\s*(?:number|no\.?|#)?\s*:?\s*$",
    re.IGNORECASE,
)
# Words just before a number that say it is a phone number (in the languages of the regions
# most often seen); with one of them, shapes that are otherwise too ambiguous are taken.
_PHONE_CONTEXT = re.compile(
    r"\b(?:tel|tél|tlf|phone|telephone|téléphone|telefon|telefone|teléfono|telefono|puhelin|"
    r"mobile?|mobil|móvil|portable|cell|handy|gsm|fax|call|ring|whatsapp|sms|numer|nummer|reach|"
    r"dial|text|hotline|helpline|number|line|"
    r"número|numéro|ph|mob|t|m|p)\b\.?[^\n\d]{0,14}$",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d+$")
MIN_DIGITS, MAX_DIGITS = 7, 15
SCORE_INTERNATIONAL = 0.6  # "+44 ..." names its country: hardly anything else looks like it
SCORE_NATIONAL = 0.45


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


@lru_cache(maxsize=4096)
def possible_number(candidate: str, regions: tuple[str, ...], valid: bool) -> bool:
    check = phonenumbers.is_valid_number if valid else phonenumbers.is_possible_number
    text = "+" + candidate[2:] if candidate.startswith("00") else candidate
    try:
        if text.startswith("+"):
            return bool(check(phonenumbers.parse(text, None)))
        for region in regions:
            if check(phonenumbers.parse(text, region)):
                return True
    except phonenumbers.NumberParseException:
        return False
    return False


def phone_spans(
    text: str, regions: tuple[str, ...], valid: bool = False
) -> list[tuple[int, int, float]]:
    """``(start, end, score)`` of the phone numbers in ``text``."""
    found = []
    for m in _CANDIDATE.finditer(text):
        cand = m.group().rstrip(" .-/")
        number = _EXTENSION.sub("", cand)
        digits = _digits(number)
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            continue
        if cand.count("(") != cand.count(")"):
            continue
        before = text[max(0, m.start() - 24) : m.start()]
        if _OTHER_NUMBER.search(before):
            continue
        said = bool(_PHONE_CONTEXT.search(before))
        if any(p.match(cand) for p in _NOT_A_PHONE) or (not said and _THOUSANDS.match(cand)):
            continue
        # Dotted groups with a one-digit group are versions ("116.0.6408.131"), not numbers
        # people dial ("266.485.3941", "06.12.34.56.78").
        if "." in cand and re.search(r"(?:^|\.)\d(?:\.|$)", cand):
            continue
        # A run of digits with no separator and no prefix is as likely an order or account
        # number: unless the text says it is a phone number, only the international form and a
        # national form with its trunk prefix (0...) are taken unseparated.
        international = cand.startswith(("+", "00"))
        if not (international or said or cand.startswith(("0", "("))):
            # Nor are one or two groups ("200 12602" in a log line, "2024-118"): a bare
            # national number is taken in three groups or more ("555 010 0199").
            if len(re.findall(r"\d+", cand)) < 3:
                continue
        if not possible_number(number, regions, valid):
            continue
        score = SCORE_INTERNATIONAL if international else SCORE_NATIONAL
        found.append((m.start(), m.start() + len(cand), score))
    return found


class WorldPhoneRecognizer(EntityRecognizer):
    """Presidio recognizer over :func:`phone_spans`."""

    def __init__(self, regions: tuple[str, ...] | None = None, valid: bool = False) -> None:
        self.regions = tuple(regions or sorted(phonenumbers.SUPPORTED_REGIONS))
        self.valid = valid
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="WorldPhoneRecognizer",
            supported_language="en",
            context=["phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp"],
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        from guards.recognizers import result

        return [
            result(self, "PHONE_NUMBER", start, end, score)
            for start, end, score in phone_spans(text, self.regions, self.valid)
        ]
