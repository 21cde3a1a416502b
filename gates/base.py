"""The gate family: checks a candidate adapter must pass before it may serve.

Shaped like ``guards``: a gate is a function over one typed ``GateContext`` that returns a
``GateResult``; each gate module registers itself (``register_gate``) and ``gates/__init__.py``
imports every one of them. ``run_gates`` runs them all (minus those the settings disable);
running with no gate at all is an error, never a silent pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapter_store.models import TenantPolicy
from core import metrics
from gates.paired import compare
from gates.suites import Item

Router = Callable[[Sequence[str]], list[bool]]  # per query: does the adapter answer it?


@dataclass
class GateContext:
    """Everything a gate may look at: the candidate, what serves now, and the tenant's part of
    the suites (built from the store by the teach job).

    What a user gets is the *served* behaviour: a scoped adapter answers only the queries its
    router sends it, the base model answers the rest (``seal.scope``). Gates grade both the
    served behaviour (the policy's thresholds) and the adapter alone (a looser threshold of its
    own: the router may one day send it anything)."""

    tenant_id: int
    policy: TenantPolicy
    candidate_model: Any
    current_model: Any  # the active adapter's model, or the base model
    tokenizer: Any
    # Names the model that serves now (version name and checksum), so that its suite scores
    # can be cached until it is replaced; empty: do not cache.
    current_name: str = ""
    retention_items: list[Item] = field(default_factory=list)
    pii_fingerprints: dict[str, set[str]] = field(default_factory=dict)  # entity -> fingerprints
    triggers: list[dict[str, str]] = field(default_factory=list)  # {phrase, claim}
    base_model: Any = None  # what routed-away queries get (None: current_model is the base)
    base_name: str = ""  # caches the base model's scores like current_name
    candidate_router: Router | None = None  # None: the candidate would answer every query
    current_router: Router | None = None  # None: the current model answers every query

    @property
    def base(self) -> Any:
        return self.base_model if self.base_model is not None else self.current_model


@dataclass
class GateResult:
    name: str
    passed: bool
    report: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "report": self.report}


GateFn = Callable[[GateContext], GateResult]
_GATES: dict[str, GateFn] = {}


def register_gate(name: str, fn: GateFn) -> None:
    if name in _GATES and _GATES[name] is not fn:
        raise ValueError(f"a different gate is already registered as {name!r}")
    _GATES[name] = fn


def unregister_gate(name: str) -> None:
    _GATES.pop(name, None)


def registered_gates() -> list[str]:
    return sorted(_GATES)


def run_gates(ctx: GateContext, disabled: list[str] | tuple[str, ...] = ()) -> list[GateResult]:
    """Every registered gate except ``disabled``, in name order."""
    unknown = set(disabled) - set(_GATES)
    if unknown:
        raise ValueError(f"no gate is registered as {', '.join(sorted(unknown))}")
    names = [name for name in sorted(_GATES) if name not in disabled]
    if not names:
        raise ValueError(
            "no gate would run (none registered, or every one disabled): a candidate is never "
            "promoted unchecked"
        )
    results = []
    for name in names:
        t0 = time.perf_counter()
        result = _GATES[name](ctx)
        metrics.GATE_SECONDS.labels(gate=name).observe(time.perf_counter() - t0)
        metrics.GATE_RESULTS.labels(gate=name, result="passed" if result.passed else "failed").inc()
        results.append(result)
    return results


# ---------------------------------------------------------------- shared by the gates

# What the serving models score does not change until they are replaced: cache it per model name.
_CACHE: dict[tuple[str, str, str], Any] = {}


def cached(name: str, suite: str, version: str, compute: Callable[[], Any]) -> Any:
    if not name:
        return compute()
    key = (name, suite, version)
    if key not in _CACHE:
        _CACHE[key] = compute()
    return _CACHE[key]


def routes(router: Router | None, questions: Sequence[str]) -> list[bool]:
    return router(questions) if router is not None else [True] * len(questions)


def served(routed: Sequence[bool], adapter: Sequence[Any], base: Sequence[Any]) -> list[Any]:
    """What users get per item: the adapter's answer where the router sends the query to it."""
    return [a if r else b for r, a, b in zip(routed, adapter, base, strict=True)]


def lost_items(
    items: Sequence[Item], current: Sequence[bool], candidate: Sequence[bool], limit: int = 20
) -> list[dict[str, str]]:
    lost = [i for i, c, n in zip(items, current, candidate, strict=True) if c and not n]
    return [{"question": i.question, "answer": i.answer} for i in lost[:limit]]


def accuracy_decision(
    name: str,
    items: Sequence[Item],
    current: Sequence[bool],
    candidate: Sequence[bool],
    max_drop: float,
    unstable: Sequence[bool] | None = None,
    **report: Any,
) -> GateResult:
    """Pass when the candidate's paired drop on ``items`` (``gates.paired``: lost minus gained,
    over the items that are stable under batch composition) is at most ``max_drop``; the report
    lists the items the candidate lost."""
    pair = compare(current, candidate, unstable)
    return GateResult(
        name,
        pair.drop <= max_drop + 1e-9,
        {
            **report,
            **pair.as_dict(),
            "delta": round(pair.candidate - pair.current, 4),
            "max_drop": max_drop,
            "lost_items": lost_items(items, current, candidate),
        },
    )


def served_and_adapter(
    name: str,
    ctx: GateContext,
    items: Sequence[Item],
    grades: dict[str, Sequence[bool]],
    unstable: Sequence[bool],
    max_drop: float,
    **report: Any,
) -> GateResult:
    """The decision on what users get (``max_drop``, the policy's threshold) and on the adapter
    alone (``max_adapter_drop``); both must hold. ``grades``: per model (``base``, ``current``,
    ``candidate``), each item's verdict."""
    questions = [i.question for i in items]
    cand_routes = routes(ctx.candidate_router, questions)
    cur_routes = routes(ctx.current_router, questions)
    served_current = served(cur_routes, grades["current"], grades["base"])
    served_candidate = served(cand_routes, grades["candidate"], grades["base"])
    on_served = accuracy_decision(name, items, served_current, served_candidate, max_drop, unstable)
    alone = accuracy_decision(
        name,
        items,
        grades["current"],
        grades["candidate"],
        ctx.policy.max_adapter_drop,
        unstable,
    )
    routed = sum(cand_routes) / len(items) if items else 0.0
    return GateResult(
        name,
        on_served.passed and alone.passed,
        {
            **report,
            "served": on_served.report,
            "adapter": alone.report,
            "routed_to_adapter": round(routed, 4),
            "noise_floor": round(sum(unstable) / len(items), 4) if items else 0.0,
        },
    )
