"""Recognizers added to Presidio's defaults, for formats its built-ins miss.

- Card numbers: Presidio's pattern stops at 16ish digits with fixed prefixes, so 12-digit Maestro,
  19-digit Visa and the Mastercard 2-series pass unseen. This one takes any 12-19 digit run
  (optionally grouped by spaces or dashes) and keeps it only if the Luhn checksum holds, which a
  random number does one time in ten.
- Phone numbers: Presidio asks the ``phonenumbers`` library, which drops numbers with unassigned
  area codes and extensions ("(590)526-2281x237", "266.485.3941"). A number a person wrote is
  personal data whether or not the exchange exists, so North American shapes are matched by pattern;
  every other region's are found by ``guards.phones``.
- US Social Security numbers written as nine digits with no separators ("SSN: 450839220"):
  Presidio scores a bare nine-digit run 0.05, since most are account or order numbers, and its
  context booster needs the lemmatizer that is off here. This one takes such a run only where a
  label says what it is (SSN, social security, soc sec, SSA, taxpayer or tax id, TIN) on the same
  line before it with no other number in between, and only in the ranges the SSA issues.
- Person names beyond what the English NER model knows: ``guards.names``.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult


def result(recognizer: Any, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    """A finding of one of our recognizers, tagged with it as Presidio's own are."""
    return RecognizerResult(
        entity,
        start,
        end,
        score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class LuhnCardRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="LuhnCardRecognizer",
            patterns=[
                Pattern("card_12_19", r"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])", 0.3),
            ],
            context=["card", "credit", "debit", "visa", "mastercard", "amex", "maestro", "payment"],
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = "".join(c for c in pattern_text if c.isdigit())
        # Groups of digits separated by single spaces could be a list of numbers: require either
        # no separators or card-like groups of 4 (the last may be shorter or longer).
        groups = pattern_text.replace("-", " ").split()
        if len(groups) > 1 and any(len(g) != 4 for g in groups[:-1]):
            return False
        return 12 <= len(digits) <= 19 and len(set(digits)) > 2 and luhn_ok(digits)


class NanpPhoneRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="NanpPhoneRecognizer",
            patterns=[
                Pattern(
                    "nanp",
                    r"(?<![\w.+-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}"
                    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])",
                    0.5,
                ),
                # "+1 5551234567" and other unseparated ten-digit forms only with a country code.
                Pattern("nanp_plus", r"(?<![\w+])\+1[-. ]?\d{10}(?!\d)", 0.5),
            ],
            context=["phone", "call", "tel", "telephone", "mobile", "cell", "dial", "fax", "reach"],
        )


# What a nine-digit run must be labelled with to be read as an SSN. "TIN" and "tax id" also
# cover employer numbers, which are redacted all the same.
_SSN_LABEL = re.compile(
    r"\b(?:ssns?|ssa|social\s+security|soc\.?\s*sec|tax(?:payer)?[\s-]*id(?:entification)?|"
    r"tins?)\b|\bss\s*#",
    re.IGNORECASE,
)
_NINE_DIGITS = re.compile(r"(?<![\w.,/-])\d{9}(?![\w/-]|[.,]\d)")
# Published sample numbers that appear in forms and examples, never issued to a person.
_SAMPLE_SSNS = {"123456789", "987654320", "078051120", "219099999"}


def ssn_in_issued_range(digits: str) -> bool:
    """Area 001-899 but 666, group 01-99, serial 0001-9999: the SSA has never issued others."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return (
        area not in ("000", "666")
        and area[0] != "9"
        and group != "00"
        and serial != "0000"
        and len(set(digits)) > 1
        and digits not in _SAMPLE_SSNS
    )


class LabelledSsnRecognizer(EntityRecognizer):
    """Unseparated nine-digit SSNs that a label names (see the module's docstring)."""

    SCORE = 0.85
    WINDOW = 80  # characters before the number on its line where the label may stand

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["US_SSN"], name="LabelledSsnRecognizer", supported_language="en"
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        out = []
        for m in _NINE_DIGITS.finditer(text):
            if not ssn_in_issued_range(m.group()):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - self.WINDOW) : m.start()]
            labels = list(_SSN_LABEL.finditer(before))
            # The nearest label names this number only if no other number stands between them
            # ("SSN 450839220, phone 911255106": the phone is not an SSN).
            if labels and not re.search(r"\d", before[labels[-1].end() :]):
                out.append(result(self, "US_SSN", m.start(), m.end(), self.SCORE))
        return out


def extra_recognizers(phone_regions: tuple[str, ...] = (), valid_phones: bool = False) -> list[Any]:
    from guards.names import GazetteerNameRecognizer, PresentedNameRecognizer
    from guards.phones import WorldPhoneRecognizer

    return [
        LuhnCardRecognizer(),
        NanpPhoneRecognizer(),
        LabelledSsnRecognizer(),
        WorldPhoneRecognizer(phone_regions or None, valid_phones),
        PresentedNameRecognizer(),
        GazetteerNameRecognizer(),
    ]
