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
                Pattern("card_12_19", r"(?<![\d+-])\d(?:[ -]?\d){11,18}(?![\d-])", 0.3),
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
# cover employer numbers, which are redacted all the same. Underscores count as word breaks, so
# that keys of code and config name it too ("applicant_ssn=", "SSN_NUMBER:"); "social" alone only
# as people say it ("my social is ...", "social: ...").
_SSN_LABEL = re.compile(
    r"(?<![^\W_])(?:ssns?|ssa|social[\s_-]*security|soc\.?[\s_]*sec|"
    r"tax(?:payer)?[\s_-]*id(?:entification)?|tins?)(?![^\W_])|\bss\s*#|"
    r"\bsocial(?=\s*(?:is|was|:|#|no\.?|number)\b|\s*[:#])",
    re.IGNORECASE,
)
# Not part of a longer number: a decimal, a date, a figure in thousands ("12,345,678,901"); a
# comma alone is a CSV cell's edge.
_NINE_DIGITS = re.compile(r"(?<![\w./-])(?<!\d,)\d{9}(?![\w/-]|\.\d|,\d{3}(?!\d))")
# Other SSNs of a list between a label and a number ("SSNs: 667 91 1576 / 651300387").
_LISTED_SSN = re.compile(r"\d{3}([- ]?)\d{2}\1\d{4}\s*(?:[/,;&+]|\band\b|\bor\b)\s*")
# Cells of a comma-, semicolon-, tab- or pipe-separated table.
_CELL_SEPARATORS = (",", ";", "\t", "|")
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


def _labelled_before(text: str, start: int, window: int) -> bool:
    """A label names the number at ``start``: on its line before it (or at the end of the line
    before, when the number opens its line: "... using SSN\n206026155"), with no other number
    between them but other SSNs of the same list."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start > 0 and not text[line_start:start].strip():
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    before = text[max(line_start, start - window) : start]
    labels = list(_SSN_LABEL.finditer(before))
    if not labels:
        return False
    between = _LISTED_SSN.sub("", before[labels[-1].end() :])
    return not re.search(r"\d", between)


def _table_ssn_cells(text: str) -> set[tuple[int, int]]:
    """(start, end) of the cells under a header cell that names SSNs, in comma-, semicolon-, tab-
    or pipe-separated tables (CSV exports, Markdown tables): "candidate_id,full_name,ssn,dob"."""
    cells: set[tuple[int, int]] = set()
    columns: list[int] = []
    sep = ""
    offset = 0
    for line in text.split("\n"):
        parts = line.split(sep) if columns else []
        if len(parts) >= 2:
            pos = offset
            for i, cell in enumerate(parts):
                value = cell.strip().strip("\"'")
                if i in columns and value:
                    start = pos + cell.index(value)
                    cells.add((start, start + len(value)))
                pos += len(cell) + len(sep)
        else:
            columns = []
            for s in _CELL_SEPARATORS:
                heads = [c.strip().strip("\"'*` ") for c in line.split(s)]
                if len(heads) >= 2:
                    # "ssn", "SSN (masked)", "applicant_ssn"; not a long sentence that names one
                    found = [
                        i for i, c in enumerate(heads) if len(c) <= 30 and _SSN_LABEL.search(c)
                    ]
                    if found:
                        columns, sep = found, s
                        break
        offset += len(line) + 1
    return cells


class LabelledSsnRecognizer(EntityRecognizer):
    """Unseparated nine-digit SSNs that a label names (see the module's docstring): a label
    before the number, or the header of the table column that holds it."""

    SCORE = 0.85
    WINDOW = 80  # characters before the number where the label may stand

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["US_SSN"], name="LabelledSsnRecognizer", supported_language="en"
        )

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[Any]:
        out: list[Any] = []
        # Most texts name no SSN at all: one search says so before any number is looked at.
        if not _SSN_LABEL.search(text):
            return out
        table_cells: set[tuple[int, int]] | None = None
        for m in _NINE_DIGITS.finditer(text):
            if not ssn_in_issued_range(m.group()):
                continue
            labelled = _labelled_before(text, m.start(), self.WINDOW)
            if not labelled:
                if table_cells is None:
                    table_cells = _table_ssn_cells(text)
                labelled = (m.start(), m.end()) in table_cells
            if labelled:
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
