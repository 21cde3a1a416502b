"""Recognizers added beside Presidio's for what the blind sets showed missing: unseparated SSNs
named by a label, and person names as forms, lists, chats and rosters present them."""

from __future__ import annotations

import pytest

from guards import build_guards, gazetteer
from guards.names import gazetteer_names, vet_ner_person
from guards.pii import PIIGuard
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


@pytest.mark.parametrize(
    ("word", "given", "surname", "ordinary"),
    [
        ("Sigrun", True, False, False),
        ("Priya", True, False, False),
        ("Heather", True, True, True),  # a given name and an English word
        ("Nilsson", False, True, False),
        ("Müller", False, True, True),  # folded to "muller", a word in another language's list
        ("Salary", False, True, True),
        ("Notes", False, False, True),  # every English word is listed, name or not
        ("Oyelaran", False, False, False),  # no list knows it
    ],
)
def test_gazetteer_flags(word: str, given: bool, surname: bool, ordinary: bool) -> None:
    assert gazetteer.given(word) is given
    assert gazetteer.surname(word) is surname
    assert gazetteer.ordinary(word) is ordinary


def names(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in gazetteer_names(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Chat speakers, after a time stamp or not, in any case.
        ("Dorotea: ¿Me pasas el número?\nDemetrio: Claro", ["Dorotea", "Demetrio"]),
        ("[06:30] Carrie: hey, it's me", ["Carrie"]),
        ("4th of December, 12:20 - Mirona Nemeș: yes!!", ["Mirona Nemeș"]),
        ("#finance-ops\nbridget salinas: can someone refund the customer?", ["bridget salinas"]),
        ("#ops-oncall\nPaul-Heinz  17:15\nanyone know why", ["Paul-Heinz"]),
        # Form fields whose label no list names, in capitals, "LAST, First", "LAST/FIRST".
        (
            "Tomador: IGOR ROCHA\nTerceiro: MAGALHÃES, Carolina",
            ["IGOR ROCHA", "MAGALHÃES, Carolina"],
        ),
        ("Técnico: Leandro. Contacto: (351) 203277814", ["Leandro"]),
        ("Companion: BERTELSEN/HENRIETTE\nFrequent flyer", ["BERTELSEN/HENRIETTE"]),
        ("Användare: pia andersson (pia@example.se)", ["pia andersson"]),
        ("Additional driver: F. Meyer\nDeposit", ["F. Meyer"]),
        # Lists, pairs, greetings, brackets, list items, a line after a closing.
        ("Pasajeros: Jordana Coll, Amaro Palomo\nVuelo", ["Jordana Coll", "Amaro Palomo"]),
        ("Name(s): Silvester Nerger + Sabina", ["Silvester Nerger", "Sabina"]),
        ("Hej Marcus! Tack för senast.", ["Marcus"]),
        ("Le technicien (Clémence) m'a dit de rappeler.", ["Clémence"]),
        ("Action items\n- Koen to send the revised budget", ["Koen"]),
        ("Kind regards,\nDusan, Front Office", ["Dusan"]),
        # Running text: a given name and a surname, capitalised or in lower case.
        ("Caller identified as Maria-Luise Winkler, verified.", ["Maria-Luise Winkler"]),
        ("[07:42] kb_92: call anouk verhagen at 5", ["anouk verhagen"]),
        ("yes!! Berit is bringing the cake", ["Berit"]),
        (
            "CALLER: Hi, yes, this is Vladimír Novák-Pavlík. There is a charge",
            ["Vladimír Novák-Pavlík"],
        ),
        ("VPN access granted to göran svahn (goran@example.se)", ["göran svahn"]),
        ("This is Paris, the capital.", []),
        ("2. BERGGREN, EVA  ...  08-903 214 93", ["BERGGREN, EVA"]),
        ("Merci de virer la somme sur le compte de Marine Gimenez :", ["Marine Gimenez"]),
        # Look-alikes: labels, places, nouns, prose.
        ("IBAN: TR49 8049 6398 1", []),
        ("Tax residence: Verona", []),
        ("Invoice to Brighton L47 6PZ", []),
        ("Action Items: none yet", []),
        ("City: Valencia", []),
        ("Salary is paid to GB54 on the first.", []),
        ("Victoria is a city in Canada.", []),
        ("The Nile flows north.\nJordan was a kingdom.", []),
        ("Ticket 754415: Drucker im 3. OG druckt nicht", []),
        ("IN THE COUNTY COURT AT Tucson", []),
        ("the quick brown fox jumps over the lazy dog", []),
    ],
)
def test_names_the_gazetteer_vouches_for(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "span", "kept"),
    [
        ("Salary is paid to GB54", "Salary", None),
        ("Voicemail from +39 06 6149", "Voicemail", None),
        ("Teléfono de contacto: 0034", "Teléfono", None),
        ("Bill to: Alice Strand", "Bill", None),
        ("Defendant: van Veen", "van Veen", "van Veen"),
        ("lol Nemeș-Eftimie sent it", "Nemeș-Eftimie", "Nemeș-Eftimie"),
        ("¿Me pasas el número de Lina?", "el número de Lina", "Lina"),
        ("omg ilkka pls", "omg ilkka pls", "ilkka"),
        ("ok helena saari tonight", "helena saari tonight", "helena saari"),
        ("Anna Kowalska wrote:\n> hi", "Anna Kowalska", "Anna Kowalska"),
    ],
)
def test_spacy_persons_are_vetted(text: str, span: str, kept: str | None) -> None:
    start = text.index(span)
    got = vet_ner_person(text, start, start + len(span))
    assert (text[got[0] : got[1]] if got else None) == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Author: Gareth Hall <gh@example.org>", ["Gareth Hall"]),
        ("Chiamare Romina al 377999333.", ["Romina"]),
        ("Call or text Brigitte on 0809648120 after 6pm.", ["Brigitte"]),
        ("We met at the Albion Hall in May.", []),
    ],
)
def test_names_through_the_pii_guard(text: str, expected: list[str]) -> None:
    guard = next(g for g in build_guards() if isinstance(g, PIIGuard))
    assert [text[r.start : r.end] for r in guard.detect(text) if r.entity_type == "PERSON"] == (
        expected
    )


def test_names_and_ssns_through_the_pii_guard() -> None:
    guard = next(g for g in build_guards() if isinstance(g, PIIGuard))
    text = (
        "Client intake\nTaxpayer SSN 721829848\nTomador: IGOR ROCHA\n"
        "Dorotea: ¿Me pasas el número?\nSalary is paid on the first."
    )
    found = [(r.entity_type, text[r.start : r.end]) for r in guard.detect(text)]
    assert found == [
        ("US_SSN", "721829848"),
        ("PERSON", "IGOR ROCHA"),
        ("PERSON", "Dorotea"),
    ]
