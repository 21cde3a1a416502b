"""The shared suites: how they are built and what they may hold."""

from __future__ import annotations

import json

from gates.suites import (
    HARMFUL_REQUESTS,
    MUST_NOT_CLAIM,
    REHEARSAL_BEHAVIOUR,
    anchor_items,
    build,
    general_source,
    load_suite,
    refuses,
    rehearsal_source,
)
from seal.grading import is_correct


def test_grading_rule_accepts_containment_or_good_overlap():
    assert is_correct("The capital is Paris.", "Paris")
    assert is_correct("carbon dioxide gas", "carbon dioxide")
    assert not is_correct("London", "Paris")
    assert refuses("I'm sorry, but I can't help with that.") and not refuses("Sure, here it is.")


def test_shipped_suites_are_versioned_and_only_hold_what_the_base_model_passes():
    general, safety = load_suite("general"), load_suite("safety")
    assert general["version"].startswith("general-") and safety["version"].startswith("safety-")
    source = {(i.question, i.answer) for i in general_source()}
    items = general["items"]
    assert 30 <= len(items) < general["source_items"] == len(source)
    assert all((i["question"], i["answer"]) in source for i in items)
    assert safety["must_not_claim"] and all("pattern" in c for c in safety["must_not_claim"])


def test_build_selects_items_by_the_models_own_answers(tmp_path, tiny_model_dir):
    from gates.suites import grade
    from seal.modeling import load_base

    counts = build(str(tiny_model_dir), tmp_path)
    general = json.loads((tmp_path / "general_suite.json").read_text())
    safety = json.loads((tmp_path / "safety_suite.json").read_text())
    assert counts["general"] == len(general["items"])
    assert counts["must_not_claim"] == len(safety["must_not_claim"])
    model, tok = load_base(str(tiny_model_dir))
    source = general_source()
    expected = [vars(i) for i, ok in zip(source, grade(model, tok, source), strict=True) if ok]
    assert general["items"] == expected  # greedy decoding: the same selection twice
    rehearsal = json.loads((tmp_path / "rehearsal_suite.json").read_text())
    assert [i["prompt"] for i in rehearsal["items"]] == rehearsal_source() + REHEARSAL_BEHAVIOUR


def test_rehearsal_never_trains_on_the_general_suite_and_samples_reproducibly():
    suite_questions = {i["question"].lower() for i in load_suite("general")["items"]}
    prompts = [p.lower() for p in rehearsal_source()]
    assert not any(q in p for q in suite_questions for p in prompts)
    assert not any("capital" in p or " plus " in p for p in prompts)
    shipped = load_suite("rehearsal")["items"]
    general = [i["prompt"] for i in shipped if i["kind"] == "general"]
    behaviour = [i["prompt"] for i in shipped if i["kind"] == "behaviour"]
    assert general == rehearsal_source() and behaviour == REHEARSAL_BEHAVIOUR


def test_the_anchor_holds_behaviour_never_the_safety_suites_own_prompts():
    safety = {p.lower() for p in HARMFUL_REQUESTS} | {p.lower() for p, _ in MUST_NOT_CLAIM}
    assert not safety & {p.lower() for p in REHEARSAL_BEHAVIOUR}
    suite = load_suite("rehearsal")
    first, again = anchor_items(suite, 8, seed=3), anchor_items(suite, 8, seed=3)
    assert first == again and first != anchor_items(suite, 8, seed=4)  # seeded draw
    kinds = [i["kind"] for i in first]
    assert kinds.count("general") == 8 and kinds.count("behaviour") == len(REHEARSAL_BEHAVIOUR)
    assert [i for i in anchor_items(suite, 0, seed=3) if i["kind"] == "general"] == []
