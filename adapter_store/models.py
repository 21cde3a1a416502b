"""SQLModel tables. Created by Alembic migrations (``migrations/``); ``create_all`` only in tests.

Adapter versions are immutable rows unique on (tenant, version); deployment is the separate
``active`` alias row, so promotion and rollback are one update (MLflow's registry model).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic import Field as PydField
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class PolicyTraining(StrEnum):
    off = "off"
    own = "own"
    shared = "shared"


class PIIMode(StrEnum):
    redact = "redact"
    block = "block"
    allow = "allow"


class TenantPolicy(BaseModel):
    """Per-tenant policy. Unknown fields are rejected so a typo never silently does nothing."""

    model_config = {"extra": "forbid"}

    # What happens to PII found in a document: the default for every entity type, and overrides
    # per Presidio entity type. Names are allowed by default: they are what knowledge is about
    # ("Tesla founded ..."), and NER tags invented or rare names (a city called "Quendril") as
    # people, so redacting them would gut ordinary teaching. A tenant holding customer records
    # sets {"PERSON": "redact"} (or "block"). Contact, financial and network identifiers follow
    # pii_mode. Findings are reported either way.
    pii_mode: PIIMode = PIIMode.redact
    pii_entities: dict[str, PIIMode] = PydField(default_factory=lambda: {"PERSON": PIIMode.allow})
    auto_promote: bool = True
    # Scoped adapters (seal/scope.py): a query reaches the tenant's adapter only when it concerns
    # what the tenant taught, the base model answers the rest. Off: the adapter answers everything.
    routing: bool = True
    # Gate thresholds (gates/). The first three judge what users get (through the routing); the
    # adapter alone, which only a misrouted query reaches, has its own looser ones. Its drop bound
    # is a guard against a broken adapter, not a forgetting bound: on SmolLM2-135M every update
    # that teaches a fact also moves its neighbours (a capital fact costs the adapter 20-24 points of
    # the general suite, a third of which asks for capitals; docs/forgetting.md), while the
    # router keeps general queries (~2%) away from it and the served gate measures what is left.
    max_retention_drop: float = PydField(0.05, ge=0.0, le=1.0)
    max_general_drop: float = PydField(0.02, ge=0.0, le=1.0)
    max_safety_regressions: int = PydField(0, ge=0)
    max_adapter_drop: float = PydField(0.3, ge=0.0, le=1.0)
    max_adapter_safety_regressions: int = PydField(1, ge=0)
    # How many of the base model's answers to general prompts are rehearsed beside new knowledge
    # (None: the service's SEAL_REHEARSAL_SIZE). Rehearsal keeps general ability; on a small model
    # it also slows the learning of a new fact (docs/forgetting.md), so a tenant may trade it.
    rehearsal_size: int | None = PydField(None, ge=0, le=256)
    keep_raw_text: bool = False
    # Fair-use limits (None: the service's SEAL_TENANT_MAX_* defaults); api/quotas.py.
    max_active_jobs: int | None = PydField(None, ge=1, le=1000)
    max_jobs_per_hour: int | None = PydField(None, ge=1, le=100_000)
    max_queries_per_minute: int | None = PydField(None, ge=1, le=1_000_000)
    max_scan_chars_per_minute: int | None = PydField(None, ge=1, le=1_000_000_000)
    # May the tenant's accepted documents train a self-edit policy (the outer loop)? "off": never;
    # "own": a policy that writes self-edits for this tenant only; "shared": also the global policy
    # that writes them for every tenant (the tenant's text then shapes others' training data).
    policy_training: PolicyTraining = PolicyTraining.off


class JobStatus(StrEnum):
    queued = "queued"
    scanning = "scanning"
    quarantined = "quarantined"
    generating = "generating"
    training = "training"
    evaluating = "evaluating"
    awaiting_approval = "awaiting_approval"
    promoted = "promoted"
    rejected = "rejected"
    failed = "failed"
    cancelled = "cancelled"


TERMINAL_JOB_STATUSES = frozenset(
    {JobStatus.promoted, JobStatus.rejected, JobStatus.failed, JobStatus.cancelled}
)


class VersionStatus(StrEnum):
    ready = "ready"  # passed its gates; may be (or have been) served
    awaiting_approval = "awaiting_approval"
    rejected = "rejected"


class DocumentStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    quarantined = "quarantined"
    rejected = "rejected"
    discarded = "discarded"


class Tenant(SQLModel, table=True):
    __tablename__ = "tenant"
    __table_args__ = (UniqueConstraint("name", name="uq_tenant_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    key_prefix: str = Field(max_length=16)
    policy: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # Set by an admin: the tenant's key is refused and its adapters stop serving until enabled.
    disabled_at: datetime | None = None

    @property
    def policy_obj(self) -> TenantPolicy:
        return TenantPolicy.model_validate(self.policy or {})


class Leased(SQLModel):
    """A run a worker holds while it works on it (``workers/leases.py``): the holder renews the
    lease while it lives; a run whose lease ran out lost its worker and is started again (or
    failed after ``attempts`` tries) by the reaper, never run by two workers at once."""

    lease_owner: str | None = Field(default=None, max_length=128)
    lease_expires_at: datetime | None = None
    attempts: int = 0  # how many times a worker started the run
    started_at: datetime | None = None  # when a worker last started it (fair scheduling)


class Job(Leased, table=True):
    __tablename__ = "job"
    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key", name="uq_job_tenant_idempotency"),
        # Jobs by status, oldest first: the queue-depth metrics at every scrape, the worker's
        # fair scheduler and the console's status filter.
        Index("ix_job_status_created_at", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    status: str = Field(default=JobStatus.queued, max_length=32)
    progress: float = 0.0
    idempotency_key: str | None = Field(default=None, max_length=128)
    error: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # No foreign key: adapter_version.job_id already points here, and a cycle would need
    # deferred constraints. The pipeline keeps the two in step.
    adapter_version_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventBase(SQLModel):
    """What every run's event log records (``adapter_store.lifecycle`` writes them). Column
    types, not ``sa_column`` objects: a Column can belong to one table only."""

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=32)
    message: str = Field(default="", sa_type=Text, nullable=False)
    progress: float | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    created_at: datetime = Field(default_factory=utcnow)


class JobEvent(EventBase, table=True):
    __tablename__ = "job_event"

    job_id: int = Field(foreign_key="job.id", index=True)


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    title: str | None = Field(default=None, max_length=512)
    # The text that training sees (after any redaction); raw text only when the policy keeps it.
    text: str = Field(sa_column=Column(Text, nullable=False))
    raw_text: str | None = Field(default=None, sa_column=Column(Text))
    questions: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Probe questions used for the reward: the tenant's, or written by the model from the text.
    probes: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    probes_source: str | None = Field(default=None, max_length=16)
    status: str = Field(default=DocumentStatus.pending, max_length=32)
    findings: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow)


class AdapterVersion(SQLModel, table=True):
    __tablename__ = "adapter_version"
    __table_args__ = (
        UniqueConstraint("tenant_id", "version", name="uq_adapter_version_tenant_version"),
        UniqueConstraint("name", name="uq_adapter_version_name"),
        UniqueConstraint("job_id", name="uq_adapter_version_job"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    version: int
    # The name vLLM serves it under; never reused for different weights.
    name: str = Field(max_length=64)
    parent_id: int | None = Field(default=None, foreign_key="adapter_version.id")
    job_id: int | None = Field(default=None, foreign_key="job.id")
    status: str = Field(default=VersionStatus.ready, max_length=32)
    artifact_uri: str = Field(max_length=1024)
    checksum: str = Field(max_length=64)
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    eval_report: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class AdapterAlias(SQLModel, table=True):
    """Which version an alias (``active``) points at for a tenant: promotion is one update."""

    __tablename__ = "adapter_alias"

    tenant_id: int = Field(foreign_key="tenant.id", primary_key=True)
    alias: str = Field(default="active", primary_key=True, max_length=32)
    version_id: int = Field(foreign_key="adapter_version.id")
    updated_at: datetime = Field(default_factory=utcnow)


class SelfEditRecord(SQLModel, table=True):
    """One (document, self-edit, reward) triple of the inner loop."""

    __tablename__ = "self_edit"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    candidate: int
    style: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    reward: float | None = None  # token-F1 gain of the candidate over the current adapter
    em_gain: float | None = None
    selected: bool = False
    created_at: datetime = Field(default_factory=utcnow)


# --- The self-edit policy (the outer loop, workers/outer_loop.py) ---------------------------------

GLOBAL_SCOPE = "global"


def policy_scope(tenant_id: int | None) -> str:
    """A policy writes self-edits for every tenant ("global") or for one ("tenant:<id>")."""
    return GLOBAL_SCOPE if tenant_id is None else f"tenant:{tenant_id}"


class PolicyStatus(StrEnum):
    candidate = "candidate"  # trained, being compared with the current policy
    awaiting_approval = "awaiting_approval"
    active = "active"  # writes the self-edits of its scope; at most one per scope
    retired = "retired"  # was active; a rollback may bring it back
    rejected = "rejected"  # did not beat the current policy, or an admin said no


class RoundStatus(StrEnum):
    queued = "queued"
    sampling = "sampling"
    scoring = "scoring"
    training = "training"
    evaluating = "evaluating"
    awaiting_approval = "awaiting_approval"
    promoted = "promoted"
    rejected = "rejected"
    failed = "failed"


TERMINAL_ROUND_STATUSES = frozenset(
    {RoundStatus.promoted, RoundStatus.rejected, RoundStatus.failed}
)


class PolicyVersion(SQLModel, table=True):
    """An immutable self-edit policy adapter, numbered per scope, served by vLLM under ``name``."""

    __tablename__ = "policy_version"
    __table_args__ = (
        UniqueConstraint("scope", "version", name="uq_policy_version_scope_version"),
        UniqueConstraint("name", name="uq_policy_version_name"),
        # One active policy per scope, enforced by the database as well as by the code.
        Index(
            "uq_policy_version_active",
            "scope",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=32, index=True)
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id")
    version: int
    name: str = Field(max_length=64)
    parent_id: int | None = Field(default=None, foreign_key="policy_version.id")
    round_id: int | None = Field(default=None, foreign_key="policy_round.id")
    status: str = Field(default=PolicyStatus.candidate, max_length=32)
    artifact_uri: str = Field(max_length=1024)
    checksum: str = Field(max_length=64)
    metrics: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class PolicyRound(Leased, table=True):
    """One ReST-EM round over a scope's policy: a job with its own lifecycle and events."""

    __tablename__ = "policy_round"
    __table_args__ = (Index("ix_policy_round_status_created_at", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=32, index=True)
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id")
    source: str = Field(max_length=16)  # "squad" | "tenants"
    status: str = Field(default=RoundStatus.queued, max_length=32)
    progress: float = 0.0
    # C, K, held-out size, seeds and training hyperparameters as the round used them.
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The policy that wrote the round's self-edits (None: the base model) and the one it trained.
    # No foreign key to policy_version: that table already points here.
    from_version_id: int | None = None
    policy_version_id: int | None = None
    error: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PolicyRoundEvent(EventBase, table=True):
    __tablename__ = "policy_round_event"

    round_id: int = Field(foreign_key="policy_round.id", index=True)


class PolicySample(SQLModel, table=True):
    """One (context, self-edit, reward) record of a round, kept whatever its fate."""

    __tablename__ = "policy_sample"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="policy_round.id", index=True)
    context_key: str = Field(max_length=64, index=True)  # "squad:train:17" | "document:42"
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id")
    split: str = Field(max_length=16)  # "train" | "heldout"
    policy: str = Field(max_length=16)  # "current" | "new"
    sample: int
    style: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    header: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    reward: float
    em_gain: float
    score: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    baseline: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    kept: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class WorkerHeartbeat(SQLModel, table=True):
    """A live worker process, as it last reported itself (``workers/leases.py``); ``/readyz``
    counts those seen recently."""

    __tablename__ = "worker_heartbeat"

    name: str = Field(primary_key=True, max_length=128)  # unique per process: host, pid, start
    hostname: str = Field(max_length=255)
    pid: int
    started_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow, index=True)
    running: str | None = Field(default=None, max_length=64)  # "job 12" | "round 3" | None


# --- Operators: the audit trail and the console's sessions (issue 14) ----------------------------


class AuditEvent(SQLModel, table=True):
    """One state change by an admin or a tenant: who, what, on which object, when, from which
    request, and the before/after of what changed. Append-only: the API has no route that edits
    it, and the database refuses UPDATE and DELETE on it (triggers below and in migration 0005).
    Values that could hold PII or document text are never recorded, only ids, counts and states."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_tenant_id_id", "tenant_id", "id"),
        Index("ix_audit_event_action_id", "action", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor_kind: str = Field(max_length=16)  # "admin" | "tenant" | "system"
    actor_id: int | None = None  # the tenant's id when a tenant acted
    key_prefix: str | None = Field(default=None, max_length=16)
    via: str = Field(default="api", max_length=16)  # "api" | "console"
    action: str = Field(max_length=64)  # e.g. "tenant.created", "adapter.approved"
    object_type: str = Field(max_length=32)
    object_id: str | None = Field(default=None, max_length=64)
    # No foreign keys: the trail must outlive (and never block the removal of) what it names.
    tenant_id: int | None = None  # whose object it is, for filtering
    request_id: str | None = Field(default=None, max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


AUDIT_APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}


def _install_append_only(target: Any, connection: Any, **_: Any) -> None:
    """Also for tables made by ``create_all`` (tests), so that they hold the same guarantee."""
    for statement in AUDIT_APPEND_ONLY.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


event.listen(AuditEvent.__table__, "after_create", _install_append_only)  # type: ignore[attr-defined]


class ConsoleSession(SQLModel, table=True):
    """A logged-in admin's browser session (``/console``). The cookie carries a random token whose
    SHA-256 is stored here, so a database leak gives no usable session; logging out or expiry ends
    it server-side. The CSRF token is sent with every state-changing form."""

    __tablename__ = "console_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    csrf_token: str = Field(max_length=64)
    key_prefix: str = Field(max_length=16)  # of the admin key that logged in
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: datetime | None = None
