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
# area code may be bracketed ("(0)1", "(11)", with its trunk prefix: "(06 1)"). Anchored so that it is not part of a longer token.
_CANDIDATE = re.compile(
    r"(?<![\w+@.\-/])"
    r"(?:(?:\+|00)\d{1,3}[ .\-/]?)?"
    r"(?:\(\d{1,5}(?: \d{1,4})?\)[ .\-/]?)?"
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
# Words just before a number that say it is some other kind of number ("invoice number is",
# "dial-in code", "asset tag", "HS code", "C.P." and other postcodes, "Model"), or a code whose
# first group it continues ("RF63 8533 9843 9": a creditor reference).
_OTHER_NUMBER = re.compile(
    r"(?:\b(?:isbn(?:-1[03])?|issn|doi|order|invoice|ref(?:erence)?|referen[cz]ia|referenz|"
    r"référence|riferimento|ticket|case|sku|serial|part|tracking|account|acct|iban|card|no\.|"
    r"nr\.?|id|version|v|code|pin|passcode|otp|tag|model|item|product|producto|produit|"
    r"artikel|article|art\.|hs|zip|postcode|postal\s+code|c\.p\.|cep|plz|parcel|shipment|"
    r"container|seal|booking|reservation|claim|policy|licen[cs]e|imei|vin|batch|lot)|#)"
    r"\s*(?:number|no\.?|nr\.?|#|code)?\s*(?:is|was|[:=])?\s*$"
    r"|\b[A-Z]{2}\d{2}\s$",
    re.IGNORECASE,
)
# Words just before a number that say it is a phone number (in the languages of the regions
# most often seen); with one of them, shapes that are otherwise too ambiguous are taken.
_PHONE_CONTEXT = re.compile(
    r"\b(?:tel|tél|tlf|phone|telephone|téléphone|telefon|telefone|teléfono|telefono|puhelin|"
    r"mobile?|mobil|móvil|portable|cell|handy|gsm|fax|call|ring|whatsapp|sms|numer|nummer|reach|"
    r"dial|text|hotline|helpline|number|line|msg|message|sent\s+to|reachable|bel|ring|"
    r"número|numéro|numero|numer|nummer|numaram|numărul|számom|számon|hívja|hívjon|soita|"
    r"liga|ligue|llame|llama|appelez|composez|chiama|zadzwoń|arayın|sunați|"
    r"ph|mob|t|m|p)\b\.?[^\d]{0,20}$",
    re.IGNORECASE,
)
_CONTINUED = re.compile(r":\d|[-/][^\W_]")
# Dotted groups people write phone numbers in: North American 3.3.4, Australian 4.3.3, Spanish
# 3.3.3, 2.4.4, and pairs ("06.12.34.56.78"). Article numbers (3.3.2: "866.505.43"), customs
# codes (4.2.2: "6826.84.90") and versions ("13.19.21.6943") are dotted otherwise.
_DOTTED_SHAPES = {(3, 3, 4), (4, 3, 3), (3, 3, 3), (2, 4, 4), (3, 4, 4)}


def _dotted_phone(cand: str) -> bool:
    shape = tuple(len(g) for g in re.findall(r"\d+", _EXTENSION.sub("", cand)))
    return shape in _DOTTED_SHAPES or (len(shape) >= 4 and set(shape[1:]) == {2})


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
            number = phonenumbers.parse(text, None)
            if check(number):
                return True
            # Mexican mobiles are still written with the "1" dropped from the plan in 2019
            # ("+52 1 33 5317 5042").
            national = str(number.national_number)
            if number.country_code == 52 and len(national) == 11 and national[0] == "1":
                return bool(check(phonenumbers.parse("+52" + national[1:], None)))
            return False
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
        before = text[max(0, m.start() - 32) : m.start()]
        if _OTHER_NUMBER.search(before):
            continue
        said = bool(_PHONE_CONTEXT.search(before))
        if any(p.match(cand) for p in _NOT_A_PHONE) or (not said and _THOUSANDS.match(cand)):
            continue
        # Part of a longer token: an hour after a date ("20/06/26 14:34"), an order number's
        # suffix ("0193-4294-E").
        if _CONTINUED.match(text, m.start() + len(cand)):
            continue
        international = cand.startswith(("+", "00"))
        if "." in cand and not (said or international or _dotted_phone(cand)):
            continue
        # Dotted groups with a one-digit group are versions ("116.0.6408.131"), not numbers
        # people dial ("266.485.3941", "06.12.34.56.78").
        if "." in cand and re.search(r"(?:^|\.)\d(?:\.|$)", cand):
            continue
        # A run of digits with no separator and no prefix is as likely an order or account
        # number: unless the text says it is a phone number, only the international form and a
        # national form with its trunk prefix (0...) are taken unseparated.
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
