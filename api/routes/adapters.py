"""A tenant's adapter versions."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import Session, col, select

from adapter_store.models import AdapterVersion
from adapter_store.registry import get_active_version
from api.deps import CurrentTenant, SessionDep
from api.schemas import AdapterPublic

router = APIRouter(prefix="/v1/adapters", tags=["adapters"])


def adapter_public(
    session: Session, v: AdapterVersion, active_id: int | None = -1
) -> AdapterPublic:
    if active_id == -1:
        active = get_active_version(session, v.tenant_id)
        active_id = active.id if active else None
    parent = session.get(AdapterVersion, v.parent_id) if v.parent_id else None
    return AdapterPublic(
        id=v.id,
        version=v.version,
        name=v.name,
        status=v.status,
        active=v.id == active_id,  # type: ignore[arg-type]
        parent_version=parent.version if parent else None,
        job_id=v.job_id,
        checksum=v.checksum,
        metrics=v.metrics,
        eval_report=v.eval_report,
        created_at=v.created_at,
        decided_at=v.decided_at,
    )


@router.get("", response_model=list[AdapterPublic])
def list_adapters(tenant: CurrentTenant, session: SessionDep) -> list[AdapterPublic]:
    """Adapter versions with status, eval report, parent version and which one is active."""
    active = get_active_version(session, tenant.id)  # type: ignore[arg-type]
    rows = session.exec(
        select(AdapterVersion)
        .where(AdapterVersion.tenant_id == tenant.id)
        .order_by(col(AdapterVersion.version))
    )
    return [adapter_public(session, v, active.id if active else None) for v in rows]
