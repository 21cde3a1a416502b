"""What the pages gather: bounded queries whose number does not grow with the data, the reward
plot's geometry, the policy form's parsing."""

from __future__ import annotations

import random
from contextlib import contextmanager

from sqlalchemy import event
from sqlmodel import Session

from adapter_store.models import PolicyRound, TenantPolicy
from adapter_store.registry import create_tenant
from api.console import views
from api.console.demo import HOSTILE, hostile_findings, quarantine, teach


@contextmanager
def _counting(engine):  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


PAGES = ["/console/review", "/console/tenants", "/console/adapters", "/console/jobs"]


def _queries(console, engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    out = {}
    for page in [*PAGES, "/console/adapters/1", "/console/audit", "/console/rounds"]:
        with _counting(engine) as statements:
            assert console.get(page).status_code == 200
        out[page] = len(statements)
    return out


def test_pages_cost_the_same_number_of_queries_with_more_data(console, engine, demo):
    few = _queries(console, engine)
    rng = random.Random(1)
    with Session(engine, expire_on_commit=False) as s:
        for i in range(60):
            tenant, _ = create_tenant(s, f"more-{i}")
            teach(s, tenant.id, "Zorblax has two suns.", to="promoted", rng=rng)
        for i in range(3):
            quarantine(s, tenant.id, HOSTILE, hostile_findings())
            teach(s, 1, f"Fact {i}.", to="awaiting_approval", rng=rng)
    many = _queries(console, engine)
    assert many == few
    assert max(many.values()) <= 12, many


def test_the_reward_plot_scales_rounds_into_the_box():
    rounds = [
        PolicyRound(
            id=i,
            scope="global",
            source="squad",
            report={
                "current": {"mean_reward": cur},
                "new": {"mean_reward": new},
                "mean_kept_reward": None if i == 2 else 0.3,
            },
        )
        for i, (cur, new) in enumerate([(0.1, 0.2), (0.2, -0.1), (0.15, 0.25)], start=1)
    ]
    plot = views.reward_plot(rounds, width=300, height=100)
    current, new, kept = plot.series
    assert [d[2] for d in new["dots"]] == [0.2, -0.1, 0.25]
    assert [d[3] for d in kept["dots"]] == ["round 1", "round 3"]
    xs = [d[0] for d in current["dots"]]
    assert xs == sorted(xs) and all(48 <= x <= 300 - 12 for x in xs)
    ys = {d[2]: d[1] for s in plot.series for d in s["dots"]}
    # Higher reward, higher on the screen (smaller y), all inside the plot area.
    assert ys[0.25] < ys[0.2] < ys[0.1] < ys[-0.1] and all(12 <= y <= 100 - 28 for y in ys.values())
    assert [label for _, label in plot.xticks] == ["#1", "#2", "#3"]
    assert views.reward_plot([]).empty


def test_the_policy_form_round_trips_the_stored_policy():
    policy = TenantPolicy(max_active_jobs=3, pii_entities={"PERSON": "allow", "IBAN_CODE": "block"})
    stored = policy.model_dump(mode="json")
    form = {}
    for f in views.policy_fields(stored):
        if f.kind == "bool":
            if f.checked:
                form[f.name] = "on"
        else:
            form[f.name] = f.value
    changes, problems = views.parse_policy_form(form)
    assert problems == []
    assert TenantPolicy.model_validate(changes).model_dump(mode="json") == stored
