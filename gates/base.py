"""The gate family: checks a candidate adapter must pass before it may serve.

Shaped like ``guards``: a gate is a function over one typed ``GateContext`` that returns a
``GateResult``; each gate module registers itself (``register_gate``) and ``gates/__init__.py``
imports every one of them. ``run_gates`` runs them all (minus those the settings disable);
running with no gate at all is an error, never a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapter_store.models import TenantPolicy
from gates.suites import Item


@dataclass
class GateContext:
    """Everything a gate may look at: the candidate, what serves now, and the tenant's part of
    the suites (built from the store by the teach job)."""

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
    return [_GATES[name](ctx) for name in names]


# ---------------------------------------------------------------- shared by the accuracy gates

# What the active model scores does not change until it is replaced: cache it per model name.
_CURRENT_CACHE: dict[tuple[str, str, str], Any] = {}


def current_scores(ctx: GateContext, suite: str, version: str, compute: Callable[[], Any]) -> Any:
    key = (ctx.current_name, suite, version)
    if not ctx.current_name:
        return compute()
    if key not in _CURRENT_CACHE:
        _CURRENT_CACHE[key] = compute()
    return _CURRENT_CACHE[key]


def _accuracy(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def lost_items(
    items: list[Item], current: list[bool], candidate: list[bool], limit: int = 20
) -> list[dict[str, str]]:
    lost = [i for i, c, n in zip(items, current, candidate, strict=True) if c and not n]
    return [{"question": i.question, "answer": i.answer} for i in lost[:limit]]


def accuracy_decision(
    name: str,
    items: list[Item],
    current: list[bool],
    candidate: list[bool],
    max_drop: float,
    **report: Any,
) -> GateResult:
    """Pass when the candidate's accuracy on ``items`` is at most ``max_drop`` below the current
    model's; the report lists the items the candidate lost."""
    cur, cand = _accuracy(current), _accuracy(candidate)
    return GateResult(
        name,
        cand >= cur - max_drop - 1e-9,
        {
            **report,
            "n": len(items),
            "current": round(cur, 4),
            "candidate": round(cand, 4),
            "delta": round(cand - cur, 4),
            "max_drop": max_drop,
            "lost": lost_items(items, current, candidate),
        },
    )
