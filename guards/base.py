"""The guard plug-in family. A guard looks at one document's text and returns findings and a verdict;
the pipeline's scan stage runs every registered guard and never needs to change when one is added.

A new guard subclasses ``Guard``, declares a pydantic config, and calls ``register_guard``.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum
from typing import Any

from pydantic import BaseModel

from core import metrics


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
    # Machine-readable detail for later checks (a keyed fingerprint of a PII value, a trigger
    # phrase and its claim). Never a raw PII value: findings are stored and shown.
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Redaction:
    start: int
    end: int
    replacement: str


@dataclass
class GuardResult:
    verdict: Verdict
    findings: list[Finding] = field(default_factory=list)
    # Spans to replace in the stored text (PII redaction). Every guard sees the submitted text, so
    # that no redaction can hide an attack from a later guard; all are applied at the end.
    redactions: list[Redaction] = field(default_factory=list)


@dataclass
class ScanContext:
    """What a guard may know beyond the text: the tenant, its policy, what the tenant taught
    before (``earlier_texts``) and the other documents of the same request (``peer_texts``)."""

    tenant_id: int | None
    policy: dict[str, Any]
    earlier_texts: list[str] = field(default_factory=list)
    peer_texts: list[str] = field(default_factory=list)

    @property
    def other_texts(self) -> list[str]:
        return self.earlier_texts + self.peer_texts


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
    order: int


_REGISTRY: dict[str, _Registration] = {}


def register_guard(
    *, name: str, config_cls: type[BaseModel], guard_cls: type[Guard], order: int = 100
) -> None:
    """Register a guard class; lower ``order`` runs (and reports) first."""
    if name in _REGISTRY and _REGISTRY[name].guard_cls is not guard_cls:
        raise ValueError(f"a different guard is already registered as {name!r}")
    _REGISTRY[name] = _Registration(name, config_cls, guard_cls, order)


def unregister_guard(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered_guards() -> list[str]:
    return sorted(_REGISTRY)


def build_guards(
    configs: dict[str, dict[str, Any]] | None = None, disabled: list[str] | tuple[str, ...] = ()
) -> list[Guard]:
    """Instantiate every registered guard (except ``disabled``) with its config from ``configs``."""
    configs = configs or {}
    unknown = (set(configs) | set(disabled)) - set(_REGISTRY)
    if unknown:
        raise ValueError(f"no guard is registered as {', '.join(sorted(unknown))}")
    guards = []
    for name, reg in sorted(_REGISTRY.items(), key=lambda item: (item[1].order, item[0])):
        if name in disabled:
            continue
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


def apply_redactions(text: str, redactions: list[Redaction]) -> str:
    """Replace the spans, left to right; a span overlapping one already applied is skipped."""
    out, pos = [], 0
    for r in sorted(redactions, key=lambda r: (r.start, -r.end)):
        if r.start < pos:
            continue
        out += [text[pos : r.start], r.replacement]
        pos = r.end
    return "".join(out) + text[pos:]


def scan_text(
    text: str, context: ScanContext, guards: list[Guard], *, observe: bool = True
) -> ScanOutcome:
    """Run every guard on the submitted text; the verdict is the most severe one, and the text
    to store is the submitted text with every redaction applied. Finding spans refer to the
    submitted text. ``observe``: count the verdicts in the metrics (not a warm-up scan)."""
    verdict, findings, redactions = Verdict.PASS, [], []
    for guard in guards:
        t0 = time.perf_counter()
        result = guard.scan(text, context)
        if observe:
            metrics.GUARD_SECONDS.labels(guard=guard.name).observe(time.perf_counter() - t0)
            metrics.GUARD_VERDICTS.labels(guard=guard.name, verdict=result.verdict.label).inc()
        findings.extend(result.findings)
        redactions.extend(result.redactions)
        verdict = max(verdict, result.verdict)
    if observe:
        metrics.DOCUMENTS_SCANNED.labels(verdict=verdict.label).inc()
    findings = mask_quotes(text, findings)
    return ScanOutcome(verdict=verdict, text=apply_redactions(text, redactions), findings=findings)


def mask_quotes(text: str, findings: list[Finding]) -> list[Finding]:
    """Findings quote the text they are about (a flooded sentence, a trigger and its claim); a
    PII value the policy keeps out (redact or block) must not reach the job, its events or the
    review queue that way. Every quote of such a value, whole or cut off at the end of an excerpt,
    becomes ``<TYPE>``, as in the stored text. PII findings themselves carry a span, a type and a
    keyed fingerprint, never the value."""
    hidden = sorted(
        {
            (text[f.start : f.end], f"<{f.kind}>")
            for f in findings
            if f.guard == "pii" and f.start is not None and f.end is not None
            if f.data.get("action") != "allow"
        },
        key=lambda pair: -len(pair[0]),
    )
    if not hidden:
        return findings
    return [
        f
        if f.guard == "pii"
        else replace(f, explanation=_mask(f.explanation, hidden), data=_mask_data(f.data, hidden))
        for f in findings
    ]


def _mask(quote: str, hidden: list[tuple[str, str]]) -> str:
    for value, label in hidden:
        quote = quote.replace(value, label)
        # An excerpt cut at its length limit may end inside the value ("... call +1 415 55'").
        for k in range(len(value) - 1, 3, -1):
            quote = re.sub(re.escape(value[:k]) + r"(?=['\"])", label, quote)
    return quote


def _mask_data(data: dict[str, Any], hidden: list[tuple[str, str]]) -> dict[str, Any]:
    return {k: _mask(v, hidden) if isinstance(v, str) else v for k, v in data.items()}


def scan_batch(
    texts: Sequence[str],
    guards: list[Guard],
    *,
    tenant_id: int | None,
    policy: dict[str, Any],
    earlier: list[str],
    scan: Sequence[bool] | None = None,
    peers: Sequence[bool] | None = None,
) -> list[ScanOutcome | None]:
    """Scan the texts of one request (a teach job, a scan call): each is compared with what the
    tenant taught before (``earlier``) and with the request's other texts, since flooding, trigger
    phrases and contradictions show up across documents. ``scan[i]`` false skips text i (already
    decided: its outcome is None); ``peers[j]`` false leaves text j out of the others' comparisons
    (a discarded document)."""
    scan = scan if scan is not None else [True] * len(texts)
    peers = peers if peers is not None else [True] * len(texts)
    outcomes: list[ScanOutcome | None] = []
    for i, text in enumerate(texts):
        if not scan[i]:
            outcomes.append(None)
            continue
        ctx = ScanContext(
            tenant_id=tenant_id,
            policy=policy,
            earlier_texts=earlier,
            peer_texts=[t for j, t in enumerate(texts) if j != i and peers[j]],
        )
        outcomes.append(scan_text(text, ctx, guards))
    return outcomes
