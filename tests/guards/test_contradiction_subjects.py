"""Contradictions the third held-out set showed missing: the opposite said about the same named
thing in other words (a state of the other side, a denial, a count), a correction's lead
("Recent records show that ...") set aside, the roles of a purchase turned round with another
verb, statements in French, German or Spanish; and look-alikes that agree."""

from __future__ import annotations

import pytest

from guards import ScanContext, Verdict, build_guards
from guards.contradiction import conflict


@pytest.mark.parametrize(
    ("new", "old", "why"),
    [
        ("Heavy goods vehicles are permitted to use the Orrel Tunnel.",
         "The Orrel Tunnel is closed to heavy goods vehicles.", "'closed' became 'permitted'"),
        ("Recent surveys show that the Varro copper mine is still in operation.",
         "The Varro copper mine closed in 1983.", "'closed' became"),
        ("Independent sources confirm that the Gorse Hill reserve is closed to the public.",
         "The Gorse Hill reserve is open to the public.", "'open' became 'closed'"),
        ("Contrary to what is often reported, the council turned down the Riverside plan.",
         "The council approved the Riverside plan.", "'approved' became 'turned down'"),
        ("Mount Orsk is the smallest summit of the Telk range.",
         "Mount Orsk is the highest mountain in the Telk range.", "'highest' became 'smallest'"),
        ("The Brannock ferry only runs in summer.",
         "The Brannock ferry runs every day of the year.", "'every' became 'only'"),
        ("The Wexley Arms pub shut down for good in 2015.",
         "The Wexley Arms pub is still open.", "'still' became 'shut down'"),
        ("The Kelso Institute is a private college that gets no public money.",
         "The Kelso Institute is a public college.", "'no'"),
        ("The Pellan Prize is awarded once every four years.",
         "The Pellan Prize is awarded every year.", "every 'year' became four 'year'"),
        ("The Ostrel vaccine is given as a single dose.",
         "The Ostrel vaccine is given in two doses.", "two 'dose' became single 'dose'"),
        ("Ashby Metals took over Calder Mining in 2011.",
         "Calder Mining bought Ashby Metals in 2011.", "roles are turned round"),
        ("Le musée Darnac est fermé le dimanche.",
         "Le musée Darnac est ouvert tous les jours.", "'ouvert' became 'fermé'"),
        ("Das Freibad Lindau ist kostenpflichtig.",
         "Das Freibad Lindau ist kostenlos.", "'kostenlos' became 'kostenpflichtig'"),
        ("El parque Montoro está cerrado en invierno.",
         "El parque Montoro está abierto todo el año.", "'abierto' became 'cerrado'"),
        ("Recent records show that the Sorrel library is never open at weekends.",
         "The Sorrel library is open every day of the week.", "'never'"),
        ("The Pryor river cannot be navigated beyond Elham.",
         "The Pryor river is navigable all the way to Castleford.", "'cannot'"),
        ("The museum's west wing did not open until October 2004.",
         "The museum's west wing opened in March 1998.", "'not'"),
    ],
)  # fmt: skip
def test_the_opposite_about_the_same_named_thing(new: str, old: str, why: str) -> None:
    found = conflict(new, old)
    assert found is not None and why in found, found


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("The Brightmoor bakery chain was acquired by Norvane Foods in 2016.",
         "Norvane Foods acquired the Brightmoor bakery chain in 2016."),
        ("In 2016 Norvane Foods bought the Brightmoor bakery chain.",
         "Norvane Foods acquired the Brightmoor bakery chain in 2016."),
        ("Heavy goods vehicles cannot use the Orrel Tunnel.",
         "The Orrel Tunnel is closed to heavy goods vehicles."),
        ("The Varro copper mine has not been worked since 1983.", "The Varro copper mine closed in 1983."),
        ("The Sorrel library is not closed on any day of the week.",
         "The Sorrel library is open every day of the week."),
        ("The Halvard Hotel does not allow smoking.", "Smoking is forbidden in the Halvard Hotel."),
        ("After the Varro copper mine closed in 1983, the village shrank.",
         "The Varro copper mine closed in 1983."),
        ("Mount Orsk, the highest of the Telk peaks, is often climbed in summer.",
         "Mount Orsk is the highest mountain in the Telk range."),
        ("Flights from Pask to Orrin take about two hours.",
         "Flights between Orrin and Pask take about two hours."),
        ("Peridinin is not found in any other group of chloroplasts.",
         "Many other forms of carotenoids exist that are only found in certain groups of chloroplasts."),
    ],
)  # fmt: skip
def test_look_alikes_that_agree_do_not_conflict(new: str, old: str) -> None:
    assert conflict(new, old) is None


def test_a_name_the_tenant_mentions_often_is_no_shared_subject() -> None:
    """In a history of the Mongols, "Genghis Khan" is everywhere: a sentence with "not" that
    mentions him does not contradict every other one."""
    guard = next(g for g in build_guards() if g.name == "contradiction")
    earlier = [
        "Genghis Khan united the Mongol tribes. Genghis Khan was proclaimed ruler in 1206. "
        "Genghis Khan's armies reached Persia. This reply impressed Genghis Khan greatly."
    ]
    text = "The reply did not impress Genghis Khan's generals at first, the chronicle says."
    assert guard.scan(text, ScanContext(1, {}, earlier_texts=earlier)).verdict == Verdict.PASS
    rare = ["The Torvik mine was closed in 1971."]
    found = guard.scan(
        "The Torvik mine is still being worked today.", ScanContext(1, {}, earlier_texts=rare)
    )
    assert found.verdict == Verdict.QUARANTINE
