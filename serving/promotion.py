"""Promotion and rollback: load the version into vLLM under its own name first, then move the
tenant's ``active`` alias in one update. If loading fails, the alias never moves, so the old
version keeps serving. Unloading the old version is the router's job, once its in-flight
requests have finished (``serving.router``)."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.artifacts import ArtifactStore
from adapter_store.models import (
    AdapterVersion,
    PolicyRound,
    PolicyStatus,
    PolicyVersion,
    RoundStatus,
    VersionStatus,
    utcnow,
)
from adapter_store.policies import round_transition, set_active_policy
from adapter_store.registry import set_active
from core.errors import ServiceError
from core.settings import Settings
from serving.client import ServingError, VLLMAdmin


def serving_admin(settings: Settings) -> VLLMAdmin | None:
    return VLLMAdmin(settings.vllm_url) if settings.vllm_url else None


def preload(
    version: AdapterVersion | PolicyVersion, store: ArtifactStore, admin: VLLMAdmin | None
) -> None:
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


# --- The self-edit policy: same rules, one active version per scope ------------------------------


def promote_policy(
    session: Session, version: PolicyVersion, store: ArtifactStore, admin: VLLMAdmin | None
) -> None:
    """Load the policy into vLLM first, then make it the scope's active one: a failed load changes
    nothing, and the policy before it keeps writing self-edits."""
    preload(version, store, admin)
    set_active_policy(session, version.scope, version)


def approve_policy(
    session: Session, version: PolicyVersion, store: ArtifactStore, admin: VLLMAdmin | None
) -> PolicyVersion:
    if version.status != PolicyStatus.awaiting_approval:
        raise ServiceError(
            "invalid_state", f"policy {version.name} is {version.status}, not awaiting_approval"
        )
    promote_policy(session, version, store, admin)
    _end_round(session, version, approved=True)
    return version


def reject_policy(session: Session, version: PolicyVersion) -> PolicyVersion:
    if version.status != PolicyStatus.awaiting_approval:
        raise ServiceError(
            "invalid_state", f"policy {version.name} is {version.status}, not awaiting_approval"
        )
    version.status = PolicyStatus.rejected
    version.decided_at = utcnow()
    session.add(version)
    session.commit()
    _end_round(session, version, approved=False)
    return version


def rollback_policy(
    session: Session,
    scope: str,
    target: PolicyVersion | None,
    store: ArtifactStore,
    admin: VLLMAdmin | None,
) -> None:
    """Make ``target`` (None: the base model) the scope's active policy again."""
    if target is not None:
        preload(target, store, admin)
    set_active_policy(session, scope, target)


def _end_round(session: Session, version: PolicyVersion, approved: bool) -> None:
    rnd = session.get(PolicyRound, version.round_id) if version.round_id else None
    if rnd is None or rnd.status != RoundStatus.awaiting_approval:
        return
    if approved:
        round_transition(session, rnd, RoundStatus.promoted, f"{version.name} approved by an admin")
    else:
        round_transition(
            session,
            rnd,
            RoundStatus.rejected,
            f"{version.name} rejected by an admin",
            error={"code": "rejected_by_admin", "message": "an admin rejected the policy"},
        )
