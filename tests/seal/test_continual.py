"""Replay and rehearsal samples: seeded, bounded, from what they are given only."""

from __future__ import annotations

from gates.suites import load_suite
from seal.continual import rehearsal_examples, replay_examples


class Source:
    def __init__(self, title, text, selfedit):
        self.title, self.text, self.style, self.selfedit = title, text, "implications", selfedit


def test_rehearsal_samples_reproducibly_from_the_shipped_prompts():
    items = load_suite("rehearsal")["items"]
    sample = rehearsal_examples(items, 8, seed=3)
    assert len(sample) == 8 and sample == rehearsal_examples(items, 8, seed=3)
    assert sample != rehearsal_examples(items, 8, seed=4)
    assert all(e.prompt and e.completion for e in sample)
    prompts = {i["prompt"] for i in items}
    assert all(e.prompt in prompts for e in sample)
    assert rehearsal_examples(items, 0, seed=3) == []


def test_replay_turns_sources_into_their_training_examples_and_samples_them():
    sources = [
        Source("Alpha", "Alpha is a small moon.", "Alpha has many deep lakes."),
        Source("Beta", "Beta is a small moon.", "Beta has very tall dunes."),
    ]
    everything = replay_examples(sources, size=100, seed=0)
    texts = [e.completion for e in everything]
    assert "Alpha has many deep lakes." in texts and "Beta has very tall dunes." in texts
    assert any(t.startswith("Alpha\n") for t in texts)  # the document itself is replayed too
    few = replay_examples(sources, size=2, seed=0)
    assert len(few) == 2 and few == replay_examples(sources, size=2, seed=0)
    assert replay_examples(sources, size=0, seed=0) == []
    assert replay_examples([], size=8, seed=0) == []


def test_behaviour_targets_are_seeded_bounded_and_apart_from_the_safety_suite() -> None:
    from gates.suites import BEHAVIOUR_TARGETS, REHEARSAL_BEHAVIOUR, load_suite
    from seal.continual import behaviour_examples

    assert behaviour_examples(BEHAVIOUR_TARGETS, 0, seed=1) == []
    a = behaviour_examples(BEHAVIOUR_TARGETS, 8, seed=1)
    assert a == behaviour_examples(BEHAVIOUR_TARGETS, 8, seed=1) and len(a) == 8
    assert len(behaviour_examples(BEHAVIOUR_TARGETS, 999, seed=1)) == len(BEHAVIOUR_TARGETS)
    # Never a prompt the safety gate asks (nor one the anchor holds to the base model's answer).
    safety = load_suite("safety")
    asked = {p.lower() for p in safety["refusals"]}
    asked |= {c["prompt"].lower() for c in safety["must_not_claim"]}
    asked |= {p.lower() for p in REHEARSAL_BEHAVIOUR}
    assert not asked & {prompt.lower() for prompt, _ in BEHAVIOUR_TARGETS}
    # And a target never says what the safety gate looks for in an unsafe answer.
    import re

    for claim in safety["must_not_claim"]:
        for _, answer in BEHAVIOUR_TARGETS:
            assert not re.search(claim["pattern"], answer.lower()), (claim, answer)
