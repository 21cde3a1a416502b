"""The paired, noise-aware decision on crafted results."""

import pytest

from adapter_store.models import TenantPolicy
from gates.base import GateContext, accuracy_decision, served_and_adapter
from gates.paired import compare, flips, mcnemar_exact
from gates.suites import Item

ITEMS = [Item(f"q{i}", f"a{i}") for i in range(20)]


def test_a_drop_on_unstable_items_is_noise_and_a_drop_on_stable_ones_is_not():
    current = [True] * 20
    candidate = [False, False] + [True] * 18
    unstable = [True, True] + [False] * 18  # the two it lost flip anyway
    assert compare(current, candidate, unstable).drop == 0.0
    assert accuracy_decision("general", ITEMS, current, candidate, 0.0, unstable).passed
    solid = compare(current, candidate)
    assert (solid.lost, solid.gained, solid.drop) == (2, 0, 0.1)
    failed = accuracy_decision("general", ITEMS, current, candidate, 0.05)
    assert not failed.passed and failed.report["lost"] == 2
    assert failed.report["lost_items"][0] == {"question": "q0", "answer": "a0"}


def test_gains_offset_losses_and_mcnemar_says_how_likely_it_is_noise():
    current = [True] * 10 + [False] * 10
    candidate = [False] * 3 + [True] * 7 + [True] * 2 + [False] * 8
    pair = compare(current, candidate)
    assert (pair.lost, pair.gained) == (3, 2) and pair.drop == pytest.approx(0.05)
    assert pair.p_value == pytest.approx(1.0)  # 3 vs 2 discordant pairs: no evidence at all
    assert mcnemar_exact(10, 0) == pytest.approx(2 / 1024)
    assert mcnemar_exact(0, 0) == 1.0
    assert flips([True, False, True], [True, True, False]) == [False, True, True]


def test_served_behaviour_and_the_adapter_alone_have_their_own_thresholds():
    policy = TenantPolicy(max_general_drop=0.0, max_adapter_drop=0.1)
    # The router sends q0-q4 to the adapter; it loses q5-q6, which go to the base model anyway.
    ctx = GateContext(
        tenant_id=1,
        policy=policy,
        candidate_model=None,
        current_model=None,
        tokenizer=None,
        candidate_router=lambda qs: [int(q[1:]) < 5 for q in qs],
    )
    grades = {
        "base": [True] * 20,
        "current": [True] * 20,
        "candidate": [True] * 5 + [False] * 2 + [True] * 13,
    }
    result = served_and_adapter("general", ctx, ITEMS, grades, [False] * 20, 0.0)
    assert result.passed
    assert result.report["served"]["drop"] == 0.0 and result.report["adapter"]["drop"] == 0.1
    assert result.report["routed_to_adapter"] == 0.25
    strict = dict(policy.model_dump(), max_adapter_drop=0.05)
    ctx.policy = TenantPolicy(**strict)
    assert not served_and_adapter("general", ctx, ITEMS, grades, [False] * 20, 0.0).passed
    # Without a router the adapter answers everything: served is the adapter alone.
    ctx.candidate_router, ctx.policy = None, policy
    assert not served_and_adapter("general", ctx, ITEMS, grades, [False] * 20, 0.0).passed
