"""The self-edit policy registry and its rounds: plain functions over a session.

A policy version is immutable; its ``status`` carries the lifecycle (candidate -> awaiting_approval
-> active -> retired, or rejected). Promotion retires the scope's active version and activates the
new one in one transaction; a partial unique index keeps one active version per scope.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from adapter_store.lifecycle import ROUND, allocate_version, rollback_target
from adapter_store.models import (
    GLOBAL_SCOPE,
    TERMINAL_ROUND_STATUSES,
    PolicyRound,
    PolicyRoundEvent,
    PolicyStatus,
    PolicyVersion,
    RoundStatus,
    policy_scope,
    utcnow,
)
from core.errors import ServiceError

R = RoundStatus


def active_policy(session: Session, scope: str) -> PolicyVersion | None:
    return session.exec(
        select(PolicyVersion).where(
            PolicyVersion.scope == scope, PolicyVersion.status == PolicyStatus.active
        )
    ).first()


def policy_for_tenant(session: Session, tenant_id: int) -> PolicyVersion | None:
    """The policy that writes a tenant's self-edits: its own if it has one, else the global one,
    else None (the base model)."""
    return active_policy(session, policy_scope(tenant_id)) or active_policy(session, GLOBAL_SCOPE)


def active_policies(session: Session) -> list[PolicyVersion]:
    return list(
        session.exec(select(PolicyVersion).where(PolicyVersion.status == PolicyStatus.active))
    )


def round_in_progress(session: Session, scope: str) -> PolicyRound | None:
    return session.exec(
        select(PolicyRound).where(
            PolicyRound.scope == scope,
            col(PolicyRound.status).not_in([*TERMINAL_ROUND_STATUSES, R.awaiting_approval]),
        )
    ).first()


def rounds_done(session: Session, scope: str, before_id: int) -> int:
    """How many earlier rounds of the scope got past sampling (failed ones did not count): the next
    round takes the next contexts, so a round that kept nothing is not repeated identically."""
    return session.exec(
        select(func.count())
        .select_from(PolicyRound)
        .where(
            PolicyRound.scope == scope,
            col(PolicyRound.id) < before_id,
            col(PolicyRound.status).in_([R.awaiting_approval, R.promoted, R.rejected]),
        )
    ).one()


def create_round(
    session: Session, scope: str, tenant_id: int | None, source: str, config: dict[str, Any]
) -> PolicyRound:
    """Queue a round; one round at a time per scope (two would train the same policy twice)."""
    busy = round_in_progress(session, scope)
    if busy is not None:
        raise ServiceError(
            "conflict", f"round {busy.id} of the {scope} policy is still {busy.status}"
        )
    row = PolicyRound(scope=scope, tenant_id=tenant_id, source=source, config=config)
    session.add(row)
    session.flush()
    ROUND.add_event(session, row, "round queued", progress=0.0)
    session.refresh(row)
    return row


def round_events(session: Session, round_id: int) -> list[PolicyRoundEvent]:
    return ROUND.events(session, round_id)  # type: ignore[return-value]


def register_policy(
    session: Session,
    *,
    scope: str,
    tenant_id: int | None,
    name: str,
    parent_id: int | None,
    round_id: int | None,
    status: PolicyStatus,
    artifact_uri: str,
    checksum: str,
    metrics: dict[str, Any],
) -> PolicyVersion:
    """Insert a version numbered max+1 within its scope."""
    return allocate_version(
        session,
        PolicyVersion,
        [PolicyVersion.scope == scope],
        lambda n: PolicyVersion(
            scope=scope,
            tenant_id=tenant_id,
            version=n,
            name=name,
            parent_id=parent_id,
            round_id=round_id,
            status=status,
            artifact_uri=artifact_uri,
            checksum=checksum,
            metrics=metrics,
        ),
    )


def set_active_policy(session: Session, scope: str, version: PolicyVersion | None) -> None:
    """Make ``version`` (None: the base model) the scope's active policy, retiring the one before,
    in one transaction."""
    current = active_policy(session, scope)
    if current is not None and (version is None or current.id != version.id):
        current.status = PolicyStatus.retired
        session.add(current)
        session.flush()  # the partial unique index sees one active version at every step
    if version is not None:
        if version.scope != scope:
            raise ServiceError("not_found", f"policy {version.id} not found in scope {scope}")
        version.status = PolicyStatus.active
        version.decided_at = version.decided_at or utcnow()
        session.add(version)
    session.commit()


def policy_rollback_target(
    session: Session, scope: str, version: int | None
) -> PolicyVersion | None:
    """The version a rollback moves to: the one asked for (it must have served before, or be
    the active one), else the newest retired version older than the active one (None: the base
    model)."""
    return rollback_target(
        session,
        PolicyVersion,
        [PolicyVersion.scope == scope],
        version=version,
        active=active_policy(session, scope),
        servable=(PolicyStatus.retired, PolicyStatus.active),
        kind=f"{scope} policy",
    )
