"""``retention``: the tenant's retention suite, i.e. the probe questions of every document taught
along the active adapter's lineage that the adapter answered correctly when it was registered
(``adapter_store.lineage.retention_items``). What users get may lose at most
``max_retention_drop`` (tenant policy) of it, the adapter alone at most ``max_adapter_drop``."""

from __future__ import annotations

from gates.base import GateContext, GateResult, register_gate, served_and_adapter
from gates.suites import grade, grade_with_noise


def retention_gate(ctx: GateContext) -> GateResult:
    items = ctx.retention_items
    if not items:
        return GateResult("retention", True, {"n": 0, "note": "nothing taught yet to retain"})
    current, noise = grade_with_noise(ctx.current_model, ctx.tokenizer, items)
    base = grade(ctx.base, ctx.tokenizer, items) if ctx.base_model is not None else current
    candidate = grade(ctx.candidate_model, ctx.tokenizer, items)
    return served_and_adapter(
        "retention",
        ctx,
        items,
        {"base": base, "current": current, "candidate": candidate},
        noise,
        ctx.policy.max_retention_drop,
    )


register_gate("retention", retention_gate)
