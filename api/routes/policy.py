"""Admin routes for the self-edit policy (the outer loop): start a ReST-EM round, follow it, read
its (context, self-edit, reward) records, and approve, reject or roll back policy versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session, col, select

from adapter_store.models import PolicyRound, PolicySample, PolicyVersion, policy_scope
from adapter_store.policies import active_policy, round_events
from api.deps import (
    MAX_ROW_ID,
    AdminActor,
    AdminDep,
    AdminPolicy,
    JsonBody,
    RowId,
    SessionDep,
    SettingsDep,
    StoreDep,
    optional_body,
)
from api.presenters import event_public, policy_public, round_public
from api.schemas import (
    PolicyPublic,
    PolicyRollbackIn,
    PolicyRollbackOut,
    PolicyRoundCreate,
    PolicyVersions,
    RoundDetail,
    RoundPublic,
    SamplePublic,
    SamplesPage,
)
from api.usecases import decide_version, rollback_scope, scope_of, start_round
from core.errors import not_found

router = APIRouter(prefix="/v1/admin/policy", tags=["policy"], dependencies=[AdminDep])


def _round(session: Session, round_id: int) -> PolicyRound:
    rnd = session.get(PolicyRound, round_id)
    if rnd is None:
        raise not_found("round", round_id)
    return rnd


@router.post("/rounds", status_code=202, response_model=RoundPublic, dependencies=[JsonBody])
def create_round(body: PolicyRoundCreate, session: SessionDep, actor: AdminActor) -> RoundPublic:
    """Queue a ReST-EM round over the global policy, or over one tenant's own policy."""
    config = body.model_dump(exclude={"tenant_id", "source"}, exclude_none=True)
    return round_public(start_round(session, body.tenant_id, body.source, config, actor=actor))


@router.get("/rounds", response_model=list[RoundPublic])
def list_rounds(
    session: SessionDep,
    tenant_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[RoundPublic]:
    """Rounds, newest first, with their reports (held-out rewards of the current and new policy,
    how many self-edits were kept, header outcomes, timings)."""
    stmt = select(PolicyRound).order_by(col(PolicyRound.id).desc()).limit(limit)
    if tenant_id is not None:
        stmt = stmt.where(PolicyRound.scope == policy_scope(tenant_id))
    return [round_public(r) for r in session.exec(stmt)]


@router.get("/rounds/{round_id}", response_model=RoundDetail)
def get_round(session: SessionDep, round_id: RowId) -> RoundDetail:
    """One round with its progress events."""
    rnd = _round(session, round_id)
    return RoundDetail(
        **round_public(rnd).model_dump(),
        events=[event_public(e) for e in round_events(session, round_id)],
    )


@router.get("/rounds/{round_id}/samples", response_model=SamplesPage)
def list_samples(
    session: SessionDep,
    round_id: RowId,
    split: Annotated[str | None, Query(pattern="^(train|heldout)$")] = None,
    kept: Annotated[bool | None, Query()] = None,
    context: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SamplesPage:
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
    return SamplesPage(
        round_id=round_id,
        offset=offset,
        samples=[SamplePublic.model_validate(r, from_attributes=True) for r in rows],
    )


@router.get("/versions", response_model=PolicyVersions)
def list_versions(
    session: SessionDep, tenant_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None
) -> PolicyVersions:
    """Policy versions of a scope (the global one, or a tenant's), and which is active."""
    scope = scope_of(session, tenant_id)
    rows = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.scope == scope)
        .order_by(col(PolicyVersion.version).desc())
    )
    active = active_policy(session, scope)
    return PolicyVersions(
        scope=scope,
        active=active.name if active else "base",
        versions=[policy_public(v) for v in rows],
    )


@router.post("/versions/{policy_id}/approve", response_model=PolicyPublic)
def approve(
    version: AdminPolicy,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> PolicyPublic:
    """Approve a policy awaiting approval: it writes its scope's self-edits from the next job on."""
    decide_version(session, version, True, store, settings, actor=actor)
    return policy_public(version)


@router.post("/versions/{policy_id}/reject", response_model=PolicyPublic)
def reject(
    version: AdminPolicy,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> PolicyPublic:
    """Reject a policy awaiting approval; the active policy does not change."""
    decide_version(session, version, False, store, settings, actor=actor)
    return policy_public(version)


@router.post("/rollback", response_model=PolicyRollbackOut)
async def rollback(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> PolicyRollbackOut:
    """Move a scope's active policy back (to `version`, or to the previous one / the base model)."""
    body = await optional_body(request, PolicyRollbackIn)
    scope, target = rollback_scope(
        session, body.tenant_id, body.version, store, settings, actor=actor
    )
    return PolicyRollbackOut(scope=scope, active=target.name if target else "base")
