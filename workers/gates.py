"""The gate stage: checks a candidate adapter must pass before it may serve.

Gates register themselves like guards do; the pipeline runs all of them against the currently
active version. Forgetting checks (retention, general capability, safety) plug in here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class GateContext:
    tenant_id: int
    policy: dict[str, Any]
    candidate_model: Any
    current_model: Any  # the active adapter's model, or the base model
    tokenizer: Any
    settings: Any
    extras: dict[str, Any] = field(default_factory=dict)


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
    _GATES[name] = fn


def unregister_gate(name: str) -> None:
    _GATES.pop(name, None)


def registered_gates() -> list[str]:
    return sorted(_GATES)


def run_gates(ctx: GateContext, disabled: list[str] | tuple[str, ...] = ()) -> list[GateResult]:
    unknown = set(disabled) - set(_GATES)
    if unknown:
        raise ValueError(f"no gate is registered as {', '.join(sorted(unknown))}")
    return [_GATES[name](ctx) for name in sorted(_GATES) if name not in disabled]
