"""Admin routes for the self-edit policy (the outer loop): start a ReST-EM round, follow it, read
its (context, self-edit, reward) records, and approve, reject or roll back policy versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError
from sqlmodel import Session, col, select

from adapter_store.models import (
    PolicyRound,
    PolicySample,
    PolicyStatus,
    PolicyVersion,
    Tenant,
    policy_scope,
)
from adapter_store.policies import (
    active_policy,
    create_round,
    get_policy,
    policy_rollback_target,
    round_events,
)
from api.deps import AdminDep, JsonBody, SessionDep, SettingsDep, StoreDep
from api.schemas import PolicyRollbackIn, PolicyRoundCreate, problems
from core.errors import ServiceError, not_found
from serving.promotion import approve_policy, reject_policy, rollback_policy, serving_admin

router = APIRouter(prefix="/v1/admin/policy", tags=["policy"], dependencies=[AdminDep])


def round_public(rnd: PolicyRound) -> dict[str, Any]:
    return {
        "id": rnd.id,
        "scope": rnd.scope,
        "tenant_id": rnd.tenant_id,
        "source": rnd.source,
        "status": rnd.status,
        "progress": rnd.progress,
        "config": rnd.config,
        "report": rnd.report,
        "from_version_id": rnd.from_version_id,
        "policy_version_id": rnd.policy_version_id,
        "error": rnd.error,
        "created_at": rnd.created_at,
        "updated_at": rnd.updated_at,
    }


def policy_public(v: PolicyVersion) -> dict[str, Any]:
    return {
        "id": v.id,
        "scope": v.scope,
        "tenant_id": v.tenant_id,
        "version": v.version,
        "name": v.name,
        "status": v.status,
        "parent_id": v.parent_id,
        "round_id": v.round_id,
        "checksum": v.checksum,
        "metrics": v.metrics,
        "created_at": v.created_at,
        "decided_at": v.decided_at,
    }


def _round(session: Session, round_id: int) -> PolicyRound:
    rnd = session.get(PolicyRound, round_id)
    if rnd is None:
        raise not_found("round", round_id)
    return rnd


def _scope_of(session: Session, tenant_id: int | None) -> str:
    if tenant_id is not None and session.get(Tenant, tenant_id) is None:
        raise not_found("tenant", tenant_id)
    return policy_scope(tenant_id)


@router.post("/rounds", status_code=202, dependencies=[JsonBody])
def start_round(body: PolicyRoundCreate, session: SessionDep) -> dict[str, Any]:
    """Queue a ReST-EM round over the global policy, or over one tenant's own policy."""
    scope = _scope_of(session, body.tenant_id)
    source = body.source or ("squad" if body.tenant_id is None else "tenants")
    if body.tenant_id is not None:
        if source != "tenants":
            raise ServiceError(
                "validation_error",
                "a tenant's policy trains on that tenant's documents only: `source` must be "
                "'tenants'",
            )
        tenant = session.get(Tenant, body.tenant_id)
        if tenant is not None and tenant.policy_obj.policy_training == "off":
            raise ServiceError(
                "invalid_state",
                f"tenant {body.tenant_id} has not opted in: set its policy's `policy_training` to "
                "'own' or 'shared' first",
            )
    config = body.model_dump(exclude={"tenant_id", "source"}, exclude_none=True)
    rnd = create_round(session, scope, body.tenant_id, source, config)
    from workers.celery_app import enqueue_policy_round

    try:
        enqueue_policy_round(rnd.id)  # type: ignore[arg-type]
    except Exception as exc:
        for event in round_events(session, rnd.id):  # type: ignore[arg-type]
            session.delete(event)
        session.delete(rnd)
        session.commit()
        raise ServiceError(
            "unavailable", "the round could not be queued (the task queue is unavailable)"
        ) from exc
    return round_public(rnd)


@router.get("/rounds")
def list_rounds(
    session: SessionDep,
    tenant_id: Annotated[int | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """Rounds, newest first, with their reports (held-out rewards of the current and new policy,
    how many self-edits were kept, header outcomes, timings)."""
    stmt = select(PolicyRound).order_by(col(PolicyRound.id).desc()).limit(limit)
    if tenant_id is not None:
        stmt = stmt.where(PolicyRound.scope == policy_scope(tenant_id))
    return [round_public(r) for r in session.exec(stmt)]


@router.get("/rounds/{round_id}")
def get_round(session: SessionDep, round_id: Annotated[int, Path()]) -> dict[str, Any]:
    """One round with its progress events."""
    rnd = _round(session, round_id)
    return {
        **round_public(rnd),
        "events": [
            {
                "id": e.id,
                "status": e.status,
                "message": e.message,
                "progress": e.progress,
                "data": e.data,
                "created_at": e.created_at,
            }
            for e in round_events(session, round_id)
        ],
    }


@router.get("/rounds/{round_id}/samples")
def list_samples(
    session: SessionDep,
    round_id: Annotated[int, Path()],
    split: Annotated[str | None, Query(pattern="^(train|heldout)$")] = None,
    kept: Annotated[bool | None, Query()] = None,
    context: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """The round's (context, self-edit, reward) records, filterable."""
    _round(session, round_id)
    stmt = select(PolicySample).where(PolicySample.round_id == round_id)
    if split is not None:
        stmt = stmt.where(PolicySample.split == split)
    if kept is not None:
        stmt = stmt.where(PolicySample.kept == kept)
    if context is not None:
        stmt = stmt.where(PolicySample.context_key == context)
    rows = session.exec(stmt.order_by(col(PolicySample.id)).offset(offset).limit(limit))
    return {
        "round_id": round_id,
        "offset": offset,
        "samples": [r.model_dump(exclude={"round_id"}) for r in rows],
    }


@router.get("/versions")
def list_versions(
    session: SessionDep, tenant_id: Annotated[int | None, Query()] = None
) -> dict[str, Any]:
    """Policy versions of a scope (the global one, or a tenant's), and which is active."""
    scope = _scope_of(session, tenant_id)
    rows = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.scope == scope)
        .order_by(col(PolicyVersion.version).desc())
    )
    active = active_policy(session, scope)
    return {
        "scope": scope,
        "active": active.name if active else "base",
        "versions": [policy_public(v) for v in rows],
    }


@router.post("/versions/{policy_id}/approve")
def approve(
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    policy_id: Annotated[int, Path()],
) -> dict[str, Any]:
    """Approve a policy awaiting approval: it writes its scope's self-edits from the next job on."""
    version = approve_policy(
        session, get_policy(session, policy_id), store, serving_admin(settings)
    )
    return policy_public(version)


@router.post("/versions/{policy_id}/reject")
def reject(session: SessionDep, policy_id: Annotated[int, Path()]) -> dict[str, Any]:
    """Reject a policy awaiting approval; the active policy does not change."""
    return policy_public(reject_policy(session, get_policy(session, policy_id)))


@router.post("/rollback")
async def rollback(
    request: Request, session: SessionDep, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Move a scope's active policy back (to `version`, or to the previous one / the base model)."""
    raw = await request.body()
    try:
        body = PolicyRollbackIn.model_validate_json(raw) if raw.strip() else PolicyRollbackIn()
    except ValidationError as exc:
        raise ServiceError("validation_error", problems(exc)) from None
    scope = _scope_of(session, body.tenant_id)
    target = policy_rollback_target(session, scope, body.version)
    rollback_policy(session, scope, target, store, serving_admin(settings))
    return {"scope": scope, "active": target.name if target else "base"}


def awaiting_policies(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.status == PolicyStatus.awaiting_approval)
        .order_by(col(PolicyVersion.id))
    )
    return [policy_public(v) for v in rows]
