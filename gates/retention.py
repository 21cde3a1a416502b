"""``retention``: the tenant's retention suite, i.e. the probe questions of every document taught
along the active adapter's lineage that the adapter promoted then answered correctly
(``adapter_store.lineage.retention_items``). A candidate may lose at most ``max_retention_drop``
(tenant policy) of the accuracy the active one has."""

from __future__ import annotations

from gates.base import GateContext, GateResult, accuracy_decision, register_gate
from gates.suites import grade


def retention_gate(ctx: GateContext) -> GateResult:
    items = ctx.retention_items
    if not items:
        return GateResult("retention", True, {"n": 0, "note": "nothing taught yet to retain"})
    current = grade(ctx.current_model, ctx.tokenizer, items)
    candidate = grade(ctx.candidate_model, ctx.tokenizer, items)
    return accuracy_decision("retention", items, current, candidate, ctx.policy.max_retention_drop)


register_gate("retention", retention_gate)
