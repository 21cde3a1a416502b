"""``general``: the shared general-capability suite (``gates/data/general_suite.json``); a
candidate may score at most ``max_general_drop`` (tenant policy) below the active model."""

from __future__ import annotations

from gates.base import GateContext, GateResult, accuracy_decision, current_scores, register_gate
from gates.suites import Item, grade, load_suite


def general_gate(ctx: GateContext) -> GateResult:
    suite = load_suite("general")
    items = [Item(**i) for i in suite["items"]]
    current = current_scores(
        ctx, "general", suite["version"], lambda: grade(ctx.current_model, ctx.tokenizer, items)
    )
    candidate = grade(ctx.candidate_model, ctx.tokenizer, items)
    return accuracy_decision(
        "general",
        items,
        current,
        candidate,
        ctx.policy.max_general_drop,
        suite=suite["version"],
    )


register_gate("general", general_gate)
