"""Request and response shapes of the v1 API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adapter_store.models import TenantPolicy


def problems(exc: ValidationError, prefix: str = "") -> str:
    """Every broken field of a validation error, named, in one message."""
    return "; ".join(f"`{prefix}{'.'.join(map(str, e['loc']))}`: {e['msg']}" for e in exc.errors())


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TenantCreate(Strict):
    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")
    policy: TenantPolicy | None = None


class TenantPatch(Strict):
    policy: dict[str, Any]


class TenantPublic(BaseModel):
    id: int
    name: str
    key_prefix: str
    policy: dict[str, Any]
    created_at: datetime
    active_version: int | None = None
    disabled_at: datetime | None = None


class TenantCreated(TenantPublic):
    api_key: str


class TenantDisabled(TenantPublic):
    cancelled_jobs: list[int]


class QuestionIn(Strict):
    question: str = Field(min_length=1, max_length=1000)
    answer: str = Field(min_length=1, max_length=1000)


class TextIn(Strict):
    title: str | None = Field(default=None, max_length=512)
    text: str

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("`text` must not be empty")
        return v


class DocumentIn(TextIn):
    questions: list[QuestionIn] | None = None


class KnowledgeIn(Strict):
    documents: list[DocumentIn] = Field(min_length=1)


class ScanIn(Strict):
    documents: list[TextIn] = Field(min_length=1)


class FindingPublic(BaseModel):
    guard: str
    kind: str
    start: int | None
    end: int | None
    score: float
    explanation: str


class ScanResult(BaseModel):
    verdict: str  # pass | redact | quarantine | reject
    text: str  # what would be stored and trained on (PII redacted per the tenant's policy)
    findings: list[FindingPublic]


class ScanOut(BaseModel):
    verdict: str  # the most severe verdict over all documents
    documents: list[ScanResult]


class DocumentDecision(BaseModel):
    id: int
    tenant_id: int
    job_id: int
    status: str
    job_status: str


class JobAccepted(BaseModel):
    job_id: int
    status: str


class JobPublic(BaseModel):
    id: int
    status: str
    progress: float
    error: dict[str, Any] | None
    metrics: dict[str, Any]
    adapter_version: int | None = None
    documents: list[dict[str, Any]] = []
    created_at: datetime
    updated_at: datetime


class EventPublic(BaseModel):
    id: int
    status: str
    message: str
    progress: float | None
    data: dict[str, Any]
    created_at: datetime


class AdapterPublic(BaseModel):
    id: int
    version: int
    name: str
    status: str
    active: bool
    parent_version: int | None
    job_id: int | None
    checksum: str
    metrics: dict[str, Any]
    eval_report: dict[str, Any]
    created_at: datetime
    decided_at: datetime | None


# Ids a client sends: within the columns' INTEGER (api.deps.MAX_ROW_ID), or the database would
# overflow (a 500) instead of a 422.
_ID_MAX = 2**31 - 1


class RollbackIn(Strict):
    version: int | None = Field(default=None, ge=1, le=_ID_MAX)


class PolicyRoundCreate(Strict):
    """Start a ReST-EM round. Without ``tenant_id`` it trains the global policy; with one, that
    tenant's own policy, on its documents only (its policy must opt in)."""

    tenant_id: int | None = Field(None, ge=1, le=_ID_MAX)
    source: Literal["squad", "tenants"] | None = None  # default: squad (global), tenants (tenant)
    contexts: int | None = Field(None, ge=1, le=400)
    k: int | None = Field(None, ge=1, le=16)
    heldout: int | None = Field(None, ge=1, le=100)
    eval_k: int | None = Field(None, ge=1, le=16)


class PolicyRollbackIn(Strict):
    tenant_id: int | None = Field(None, ge=1, le=_ID_MAX)  # None: the global policy
    # None: the previous version (or the base model)
    version: int | None = Field(None, ge=1, le=_ID_MAX)


class RoundPublic(BaseModel):
    id: int
    scope: str
    tenant_id: int | None
    source: str
    status: str
    progress: float
    config: dict[str, Any]
    report: dict[str, Any]
    from_version_id: int | None
    policy_version_id: int | None
    error: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


class RoundDetail(RoundPublic):
    events: list[EventPublic]


class SamplePublic(BaseModel):
    id: int
    context_key: str
    tenant_id: int | None
    split: str
    policy: str
    sample: int
    style: str
    text: str
    header: dict[str, Any] | None
    reward: float
    em_gain: float
    score: dict[str, Any]
    baseline: dict[str, Any]
    kept: bool
    created_at: datetime


class SamplesPage(BaseModel):
    round_id: int
    offset: int
    samples: list[SamplePublic]


class PolicyPublic(BaseModel):
    id: int
    scope: str
    tenant_id: int | None
    version: int
    name: str
    status: str
    parent_id: int | None
    round_id: int | None
    checksum: str
    metrics: dict[str, Any]
    created_at: datetime
    decided_at: datetime | None


class PolicyVersions(BaseModel):
    scope: str
    active: str  # the active policy's name, or "base"
    versions: list[PolicyPublic]


class PolicyRollbackOut(BaseModel):
    scope: str
    active: str


class QuarantinedDocument(BaseModel):
    id: int
    tenant_id: int
    job_id: int
    title: str | None
    text: str
    findings: list[dict[str, Any]]


class ReviewAdapter(AdapterPublic):
    tenant_id: int


class ReviewQueue(BaseModel):
    documents: list[QuarantinedDocument]
    adapters: list[ReviewAdapter]
    policies: list[PolicyPublic]


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_kind: str
    actor_id: int | None
    key_prefix: str | None
    via: str
    action: str
    object_type: str
    object_id: str | None
    tenant_id: int | None
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEventPublic]
    # Pass as `before_id` for the next (older) page; null on the last one.
    next_before_id: int | None
