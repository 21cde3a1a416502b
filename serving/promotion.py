"""Promotion and rollback: load the version into vLLM under its own name first, then move the
tenant's ``active`` alias in one update. If loading fails, the alias never moves, so the old
version keeps serving. Unloading the old version is the router's job, once its in-flight
requests have finished (``serving.router``)."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.artifacts import ArtifactStore
from adapter_store.models import AdapterVersion, VersionStatus, utcnow
from adapter_store.registry import set_active
from core.errors import ServiceError
from core.settings import Settings
from serving.client import ServingError, VLLMAdmin


def serving_admin(settings: Settings) -> VLLMAdmin | None:
    return VLLMAdmin(settings.vllm_url) if settings.vllm_url else None


def preload(version: AdapterVersion, store: ArtifactStore, admin: VLLMAdmin | None) -> None:
    if admin is None:
        return
    try:
        admin.load_adapter(version.name, store.local_path(version.artifact_uri))
    except (ServingError, OSError) as exc:
        raise ServiceError(
            "unavailable",
            f"the model server could not load {version.name}; the previous version keeps serving",
        ) from exc


def activate(
    session: Session,
    tenant_id: int,
    version: AdapterVersion | None,
    store: ArtifactStore,
    admin: VLLMAdmin | None,
) -> None:
    """Make ``version`` (None: the base model) the tenant's active adapter."""
    if version is not None:
        if version.tenant_id != tenant_id:
            raise ServiceError("not_found", f"adapter {version.id} not found")
        if version.status != VersionStatus.ready:
            raise ServiceError("invalid_state", f"version {version.version} is {version.status}")
        preload(version, store, admin)
    set_active(session, tenant_id, version.id if version else None)


def approve(
    session: Session, version: AdapterVersion, store: ArtifactStore, admin: VLLMAdmin | None
) -> AdapterVersion:
    if version.status != VersionStatus.awaiting_approval:
        raise ServiceError(
            "invalid_state", f"version {version.version} is {version.status}, not awaiting_approval"
        )
    # Load before marking it ready, so a failed load leaves everything as it was.
    preload(version, store, admin)
    version.status = VersionStatus.ready
    version.decided_at = utcnow()
    session.add(version)
    session.commit()
    activate(session, version.tenant_id, version, store, admin)
    return version


def reject(session: Session, version: AdapterVersion) -> AdapterVersion:
    if version.status != VersionStatus.awaiting_approval:
        raise ServiceError(
            "invalid_state", f"version {version.version} is {version.status}, not awaiting_approval"
        )
    version.status = VersionStatus.rejected
    version.decided_at = utcnow()
    session.add(version)
    session.commit()
    return version
