"""Promotion and rollback: load the version into vLLM under its own name first, then move the
tenant's ``active`` alias in one update. If loading fails, the alias never moves, so the old
version keeps serving. Unloading the old version is the router's job, once its in-flight
requests have finished (``serving.router``)."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.artifacts import ArtifactStore, CorruptArtifact
from adapter_store.lifecycle import require_status
from adapter_store.models import AdapterVersion, PolicyVersion, VersionStatus, utcnow
from adapter_store.policies import set_active_policy
from adapter_store.registry import active_version_id, set_active
from core.errors import ServiceError
from core.settings import Settings
from serving.client import ServingError
from serving.replicas import ReplicaAdmin


def serving_admin(settings: Settings) -> ReplicaAdmin | None:
    """Adapter management on every vLLM replica (None: no serving)."""
    urls = settings.resolved_vllm_urls
    return ReplicaAdmin.for_urls(urls, settings.vllm_api_key) if urls else None


def preload(
    version: AdapterVersion | PolicyVersion, store: ArtifactStore, admin: ReplicaAdmin | None
) -> None:
    if admin is None:
        return
    try:
        admin.load_adapter(
            version.name, store.verified_path(version.artifact_uri, version.checksum)
        )
    except CorruptArtifact as exc:
        raise ServiceError(
            "unavailable",
            f"{version.name}'s files do not match their checksum; it is not served and the "
            "previous version keeps serving",
        ) from exc
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
    admin: ReplicaAdmin | None,
) -> None:
    """Make ``version`` (None: the base model) the tenant's active adapter. The alias moves only if
    it still points where it did when the request began: loading the adapter takes a while, and
    an approval or rollback that lands meanwhile must not be silently undone (409 instead)."""
    seen = active_version_id(session, tenant_id)
    session.commit()  # no transaction stays open while the adapter loads
    prepare_activation(tenant_id, version, store, admin)
    set_active(session, tenant_id, version.id if version else None, expected=seen)


def prepare_activation(
    tenant_id: int,
    version: AdapterVersion | None,
    store: ArtifactStore,
    admin: ReplicaAdmin | None,
) -> None:
    """Everything ``activate`` does before the alias moves: checks, and loading the version into
    the model server, so that a failed load leaves the alias where it was."""
    if version is not None:
        if version.tenant_id != tenant_id:
            raise ServiceError("not_found", f"adapter {version.id} not found")
        if version.status != VersionStatus.ready:
            raise ServiceError("invalid_state", f"version {version.version} is {version.status}")
        preload(version, store, admin)


Version = AdapterVersion | PolicyVersion


def _decided(session: Session, version: Version, status: str) -> None:
    version.status = status
    version.decided_at = version.decided_at or utcnow()
    session.add(version)
    session.commit()


def _label(version: Version) -> str:
    if isinstance(version, PolicyVersion):
        return f"policy {version.name}"
    return f"version {version.version}"


def approve(
    session: Session, version: Version, store: ArtifactStore, admin: ReplicaAdmin | None
) -> Version:
    """An admin's yes: an adapter version becomes its tenant's active one, a policy its scope's.
    It is loaded first, so a failed load leaves everything as it was."""
    require_status(version, "awaiting_approval", _label(version))
    seen = (
        None
        if isinstance(version, PolicyVersion)
        else active_version_id(session, version.tenant_id)
    )
    preload(version, store, admin)
    if isinstance(version, PolicyVersion):
        set_active_policy(session, version.scope, version)
    else:
        # The version becomes ready and active in one commit, and only if no other decision
        # moved the tenant's alias while the adapter loaded.
        version.status, version.decided_at = VersionStatus.ready, version.decided_at or utcnow()
        session.add(version)
        set_active(session, version.tenant_id, version.id, expected=seen)
    return version


def reject(session: Session, version: Version) -> Version:
    """An admin's no: what serves does not change."""
    require_status(version, "awaiting_approval", _label(version))
    _decided(session, version, "rejected")
    return version


# --- The self-edit policy: one active version per scope -----------------------------------------


def promote_policy(
    session: Session, version: PolicyVersion, store: ArtifactStore, admin: ReplicaAdmin | None
) -> None:
    """Load the policy into vLLM first, then make it the scope's active one: a failed load changes
    nothing, and the policy before it keeps writing self-edits."""
    preload(version, store, admin)
    set_active_policy(session, version.scope, version)


def rollback_policy(
    session: Session,
    scope: str,
    target: PolicyVersion | None,
    store: ArtifactStore,
    admin: ReplicaAdmin | None,
) -> None:
    """Make ``target`` (None: the base model) the scope's active policy again."""
    if target is not None:
        preload(target, store, admin)
    set_active_policy(session, scope, target)
