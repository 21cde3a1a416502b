"""``general``: the shared general-capability suite (``gates/data/general_suite.json``: everyday
knowledge and questions near the topics tenants teach, all answered by the base model). What users
get may drop at most ``max_general_drop`` (tenant policy) below what they get now, and the adapter
alone at most ``max_adapter_drop``, both as paired drops over the items that are stable under batch
composition (the noise floor, measured on the serving models and cached with them)."""

from __future__ import annotations

from gates.base import GateContext, GateResult, cached, register_gate, served_and_adapter
from gates.suites import Item, grade, grade_with_noise, load_suite


def general_gate(ctx: GateContext) -> GateResult:
    suite = load_suite("general")
    items = [Item(**i) for i in suite["items"]]
    version = suite["version"]
    base, base_noise = cached(
        ctx.base_name, "general", version, lambda: grade_with_noise(ctx.base, ctx.tokenizer, items)
    )
    current, current_noise = base, base_noise
    if ctx.base_model is not None:
        current, current_noise = cached(
            ctx.current_name,
            "general",
            version,
            lambda: grade_with_noise(ctx.current_model, ctx.tokenizer, items),
        )
    candidate = grade(ctx.candidate_model, ctx.tokenizer, items)
    return served_and_adapter(
        "general",
        ctx,
        items,
        {"base": base, "current": current, "candidate": candidate},
        [a or b for a, b in zip(base_noise, current_noise, strict=True)],
        ctx.policy.max_general_drop,
        suite=version,
    )


register_gate("general", general_gate)
