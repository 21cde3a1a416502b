"""Recognizers added beside Presidio's for what the blind sets showed missing: unseparated SSNs
named by a label, and person names as forms, lists, chats and rosters present them."""

from __future__ import annotations

import pytest

from guards.recognizers import LabelledSsnRecognizer, ssn_in_issued_range


def ssns(text: str) -> list[str]:
    return [text[r.start : r.end] for r in LabelledSsnRecognizer().analyze(text, ["US_SSN"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSN confirmed: 450839220.", ["450839220"]),
        ("Taxpayer SSN 721829848; spouse SSN 262466716.", ["721829848", "262466716"]),
        ("AUDIT hr-portal viewed ssn=228386271 by=admin", ["228386271"]),
        (
            "Dependent: Kristina Shepard, social security no. 837693588, effective 9/1/2023.",
            ["837693588"],
        ),
        ("the taxpayer ID printed for him was wrong; the right one is 606182864.", ["606182864"]),
        ("Soc. Sec. 450839220 on file", ["450839220"]),
        ("SS# 450839220", ["450839220"]),
        # Look-alikes: unlabelled, labelled as something else, out of the issued ranges, longer.
        ("Order 450839220 shipped on Monday.", []),
        ("SSN 450839220, phone 911255106", ["450839220"]),
        ("SSN: 900123456 (an ITIN range)", []),
        ("SSN 666123456", []),
        ("SSN 000123456", []),
        ("SSN 450009220", []),
        ("SSN 450830000", []),
        ("SSN 4508392201 is too long", []),
        ("SSN 123456789 is the form's sample", []),
        ("Account 450839220; SSN on file", []),
    ],
)
def test_unseparated_ssns_need_a_label(text: str, expected: list[str]) -> None:
    assert ssns(text) == expected


@pytest.mark.parametrize(
    ("digits", "issued"),
    [("450839220", True), ("001010001", True), ("899999999", True), ("666010001", False),
     ("950010001", False), ("450000001", False), ("450010000", False), ("111111111", False)],
)  # fmt: skip
def test_ssn_issued_ranges(digits: str, issued: bool) -> None:
    assert ssn_in_issued_range(digits) is issued
