"""The audit trail: one append-only row per state change by an admin or a tenant (who, what, on
which object, when, from which request, before/after). Rows are only ever added here; the database
refuses to change them (``models.AUDIT_APPEND_ONLY``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from adapter_store.models import AuditEvent
from core import context

# Every action the trail knows, so that a filter with a typo is an error rather than an empty page.
ACTIONS = (
    "tenant.created",
    "tenant.policy_changed",
    "tenant.key_rotated",
    "tenant.disabled",
    "tenant.enabled",
    "tenant.rolled_back",
    "knowledge.taught",
    "job.cancelled",
    "document.released",
    "document.discarded",
    "adapter.approved",
    "adapter.rejected",
    "policy_round.started",
    "policy.approved",
    "policy.rejected",
    "policy.rolled_back",
    "console.login",
    "console.logout",
)
ACTOR_KINDS = ("admin", "tenant", "system")


@dataclass(frozen=True)
class Actor:
    """Who acts: the admin (by the prefix of the key used) or a tenant (its id and key prefix),
    through the REST API or the console."""

    kind: str
    id: int | None = None
    key_prefix: str | None = None
    via: str = "api"

    @classmethod
    def admin(cls, admin_key: str, via: str = "api") -> Actor:
        # Four characters: enough to tell two admin keys apart after a rotation, too few to help
        # anyone guess one.
        return cls("admin", None, admin_key[:4] + "…", via)

    @classmethod
    def tenant(cls, tenant_id: int, key_prefix: str) -> Actor:
        return cls("tenant", tenant_id, key_prefix)


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    tenant_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row (and commit it). ``before``/``after`` hold states, ids and counts, never
    document text or key material."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = AuditEvent(
        actor_kind=actor.kind,
        actor_id=actor.id,
        key_prefix=actor.key_prefix,
        via=actor.via,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        tenant_id=tenant_id,
        request_id=context.request_id.get(),
        before=before,
        after=after,
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@dataclass(frozen=True)
class AuditFilter:
    tenant_id: int | None = None
    actor_kind: str | None = None
    action: str | None = None  # an exact action, or a family ("adapter." matches adapter.*)
    object_type: str | None = None
    object_id: str | None = None
    request_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_events(
    session: Session, filt: AuditFilter, limit: int = 100, before_id: int | None = None
) -> list[AuditEvent]:
    """Newest first; ``before_id`` pages back from a row id (stable while rows are added)."""
    q = select(AuditEvent)
    if filt.tenant_id is not None:
        q = q.where(AuditEvent.tenant_id == filt.tenant_id)
    if filt.actor_kind:
        q = q.where(AuditEvent.actor_kind == filt.actor_kind)
    if filt.action:
        if filt.action.endswith("."):
            q = q.where(col(AuditEvent.action).startswith(filt.action))
        else:
            q = q.where(AuditEvent.action == filt.action)
    if filt.object_type:
        q = q.where(AuditEvent.object_type == filt.object_type)
    if filt.object_id:
        q = q.where(AuditEvent.object_id == filt.object_id)
    if filt.request_id:
        q = q.where(AuditEvent.request_id == filt.request_id)
    if filt.since:
        q = q.where(AuditEvent.at >= filt.since)
    if filt.until:
        q = q.where(AuditEvent.at < filt.until)
    if before_id is not None:
        q = q.where(col(AuditEvent.id) < before_id)
    return list(session.exec(q.order_by(col(AuditEvent.id).desc()).limit(limit)))
