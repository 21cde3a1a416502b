"""The audit trail, read-only: there is no route that changes or removes a row."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from adapter_store.audit import ACTIONS, ACTOR_KINDS, AuditFilter, list_events
from api.deps import MAX_ROW_ID, AdminDep, SessionDep
from api.schemas import AuditEventPublic, AuditPage
from core.errors import ServiceError

router = APIRouter(prefix="/v1/admin/audit", tags=["admin"], dependencies=[AdminDep])

RowIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]


def audit_filter(
    tenant_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    request_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditFilter:
    """Check the filters (every problem named at once) and build the store's filter."""
    errors = []
    if actor is not None and actor not in ACTOR_KINDS:
        errors.append(f"`actor` must be one of {', '.join(ACTOR_KINDS)}; got {actor!r}")
    families = {a.split(".")[0] + "." for a in ACTIONS}
    if action is not None and action not in ACTIONS and action not in families:
        errors.append(
            f"`action` must be an action (e.g. 'adapter.approved') or a family ending in '.' "
            f"(e.g. 'adapter.'); got {action!r}"
        )
    if errors:
        raise ServiceError("validation_error", "; ".join(errors))
    return AuditFilter(
        tenant_id=tenant_id,
        actor_kind=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request_id=request_id,
        since=since,
        until=until,
    )


@router.get("", response_model=AuditPage)
def audit_trail(
    session: SessionDep,
    tenant_id: RowIdQuery = None,
    actor: Annotated[str | None, Query(max_length=16)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: RowIdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """Every state change by an admin or a tenant, newest first, filtered and paged."""
    filt = audit_filter(tenant_id, actor, action, object_type, object_id, request_id, since, until)
    # One row more than asked tells whether an older page exists.
    rows = list_events(session, filt, limit=limit + 1, before_id=before_id)
    page = rows[:limit]
    return AuditPage(
        items=[AuditEventPublic.model_validate(r) for r in page],
        next_before_id=page[-1].id if len(rows) > limit else None,
    )
