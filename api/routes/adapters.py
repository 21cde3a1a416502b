"""A tenant's adapter versions."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from adapter_store.models import AdapterVersion
from adapter_store.registry import get_active_version
from api.deps import CurrentTenant, SessionDep
from api.presenters import adapter_public
from api.schemas import AdapterPublic

router = APIRouter(prefix="/v1/adapters", tags=["adapters"])


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
