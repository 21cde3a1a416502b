"""The self-edit policy registry and its rounds: plain functions over a session.

A policy version is immutable; its ``status`` carries the lifecycle (candidate -> awaiting_approval
-> active -> retired, or rejected). Promotion retires the scope's active version and activates the
new one in one transaction; a partial unique index keeps one active version per scope.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

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
from core.errors import ServiceError, not_found

R = RoundStatus
# Where a round may go from each state; any running state may also fail.
_FORWARD: dict[str, set[str]] = {
    R.queued: {R.sampling},
    R.sampling: {R.scoring},
    R.scoring: {R.training, R.rejected},
    R.training: {R.evaluating},
    R.evaluating: {R.awaiting_approval, R.promoted, R.rejected},
    R.awaiting_approval: {R.promoted, R.rejected},
}
ALLOWED: dict[str, set[str]] = {s: nxt | {R.failed} for s, nxt in _FORWARD.items()}


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
    session.add(
        PolicyRoundEvent(round_id=row.id, status=R.queued, message="round queued", progress=0.0)  # type: ignore[arg-type]
    )
    session.commit()
    session.refresh(row)
    return row


def round_event(
    session: Session,
    rnd: PolicyRound,
    message: str,
    *,
    progress: float | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    if progress is not None:
        rnd.progress = progress
        rnd.updated_at = utcnow()
        session.add(rnd)
    session.add(
        PolicyRoundEvent(
            round_id=rnd.id,  # type: ignore[arg-type]
            status=rnd.status,
            message=message,
            progress=progress,
            data=data or {},
        )
    )
    session.commit()


def round_transition(
    session: Session,
    rnd: PolicyRound,
    status: RoundStatus,
    message: str,
    *,
    progress: float | None = None,
    data: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> PolicyRound:
    session.commit()  # the caller's pending changes to the round (report, config) go first
    session.refresh(rnd)
    if status not in ALLOWED.get(rnd.status, set()):
        raise ServiceError(
            "invalid_state", f"round {rnd.id} is {rnd.status}; it cannot become {status}"
        )
    rnd.status = status
    if status in TERMINAL_ROUND_STATUSES and status != R.failed:
        progress = 1.0
    if error is not None:
        rnd.error = error
    rnd.updated_at = utcnow()
    session.add(rnd)
    session.commit()
    round_event(session, rnd, message, progress=progress, data=data)
    return rnd


def round_events(session: Session, round_id: int) -> list[PolicyRoundEvent]:
    return list(
        session.exec(
            select(PolicyRoundEvent)
            .where(PolicyRoundEvent.round_id == round_id)
            .order_by(col(PolicyRoundEvent.id))
        )
    )


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
    attempts: int = 5,
) -> PolicyVersion:
    """Insert a version numbered max+1 within its scope, retrying if another writer won."""
    for _ in range(attempts):
        current = session.exec(
            select(func.max(PolicyVersion.version)).where(PolicyVersion.scope == scope)
        ).one()
        row = PolicyVersion(
            scope=scope,
            tenant_id=tenant_id,
            version=(current or 0) + 1,
            name=name,
            parent_id=parent_id,
            round_id=round_id,
            status=status,
            artifact_uri=artifact_uri,
            checksum=checksum,
            metrics=metrics,
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        session.refresh(row)
        return row
    raise ServiceError("conflict", "could not allocate a policy version number; try again")


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


def get_policy(session: Session, policy_id: int) -> PolicyVersion:
    row = session.get(PolicyVersion, policy_id)
    if row is None:
        raise not_found("policy", policy_id)
    return row


def policy_rollback_target(
    session: Session, scope: str, version: int | None
) -> PolicyVersion | None:
    """The version a rollback moves to: the one asked for (it must have served before, or be
    the active one), else the newest retired version older than the active one (None: the base
    model)."""
    if version is not None:
        row = session.exec(
            select(PolicyVersion).where(
                PolicyVersion.scope == scope, PolicyVersion.version == version
            )
        ).first()
        if row is None:
            raise not_found("policy version", version)
        if row.status not in (PolicyStatus.retired, PolicyStatus.active):
            raise ServiceError(
                "invalid_state",
                f"policy version {version} is {row.status}; only a version that served can return",
            )
        return row
    active = active_policy(session, scope)
    if active is None:
        raise ServiceError("invalid_state", f"the {scope} scope has no active policy to roll back")
    return session.exec(
        select(PolicyVersion)
        .where(
            PolicyVersion.scope == scope,
            PolicyVersion.version < active.version,
            PolicyVersion.status == PolicyStatus.retired,
        )
        .order_by(col(PolicyVersion.version).desc())
    ).first()
