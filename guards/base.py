"""The guard plug-in family. A guard looks at one document's text and returns findings and a verdict;
the pipeline's scan stage runs every registered guard and never needs to change when one is added.

A new guard subclasses ``Guard``, declares a pydantic config, and calls ``register_guard``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Any

from pydantic import BaseModel


class Verdict(IntEnum):
    """Ordered by severity: a document's verdict is the most severe of its guards'."""

    PASS = 0
    REDACT = 1
    QUARANTINE = 2
    REJECT = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    guard: str
    kind: str
    start: int | None
    end: int | None
    score: float
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GuardResult:
    verdict: Verdict
    findings: list[Finding] = field(default_factory=list)
    # Set by guards that rewrite the text (PII redaction); None means unchanged.
    text: str | None = None


@dataclass
class ScanContext:
    """What a guard may know beyond the text: the tenant, its policy, and its earlier documents."""

    tenant_id: int | None
    policy: dict[str, Any]
    earlier_texts: list[str] = field(default_factory=list)


class Guard(ABC):
    name: str = "guard"

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    @abstractmethod
    def scan(self, text: str, context: ScanContext) -> GuardResult: ...


@dataclass(frozen=True)
class _Registration:
    name: str
    config_cls: type[BaseModel]
    guard_cls: type[Guard]


_REGISTRY: dict[str, _Registration] = {}


def register_guard(*, name: str, config_cls: type[BaseModel], guard_cls: type[Guard]) -> None:
    if name in _REGISTRY and _REGISTRY[name].guard_cls is not guard_cls:
        raise ValueError(f"a different guard is already registered as {name!r}")
    _REGISTRY[name] = _Registration(name, config_cls, guard_cls)


def unregister_guard(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered_guards() -> list[str]:
    return sorted(_REGISTRY)


def build_guards(configs: dict[str, dict[str, Any]] | None = None) -> list[Guard]:
    configs = configs or {}
    guards = []
    for name, reg in sorted(_REGISTRY.items()):
        guard = reg.guard_cls(reg.config_cls.model_validate(configs.get(name, {})))
        guard.name = name
        guards.append(guard)
    return guards


@dataclass
class ScanOutcome:
    verdict: Verdict
    text: str
    findings: list[Finding]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.label,
            "findings": [f.as_dict() for f in self.findings],
        }


def scan_text(text: str, context: ScanContext, guards: list[Guard]) -> ScanOutcome:
    """Run every guard; redactions chain (each guard sees the text the previous one produced)."""
    verdict, findings, current = Verdict.PASS, [], text
    for guard in guards:
        result = guard.scan(current, context)
        findings.extend(result.findings)
        verdict = max(verdict, result.verdict)
        if result.text is not None:
            current = result.text
    return ScanOutcome(verdict=verdict, text=current, findings=findings)
