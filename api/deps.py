"""Every dependency of the routes. Ownership checks live here, never in the routes: another
tenant's resource is a 404, so that a caller cannot even learn it exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Path, Request
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from adapter_store.artifacts import ArtifactStore, LocalArtifactStore
from adapter_store.audit import Actor
from adapter_store.models import AdapterVersion, Document, Job, PolicyVersion, Tenant
from adapter_store.registry import keys_match, tenant_by_key
from api.quotas import TenantRates
from api.schemas import problems
from core.db import get_engine
from core.errors import ServiceError, not_found
from core.settings import Settings, get_settings

SettingsDep = Annotated[Settings, Depends(get_settings)]


# A database id: the tables' ids (and versions) are INTEGER, 32 bits on PostgreSQL. A value beyond
# it reached the database as "integer out of range" (a 500, found by the fuzzer on PostgreSQL;
# SQLite's INTEGER is 64 bits and let 2**63 - 1 through); it is a 422 here.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def get_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_store(settings: SettingsDep) -> ArtifactStore:
    return LocalArtifactStore(settings.resolved_artifact_dir)


StoreDep = Annotated[ArtifactStore, Depends(get_store)]


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise ServiceError("unauthorized", "missing `Authorization: Bearer <key>` header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ServiceError("unauthorized", "the Authorization header must be `Bearer <key>`")
    return token.strip()


AuthHeader = Annotated[str | None, Header(alias="Authorization")]


def require_admin(settings: SettingsDep, authorization: AuthHeader = None) -> None:
    token = _bearer(authorization)
    if not settings.admin_key or not keys_match(token, settings.admin_key):
        raise ServiceError("unauthorized", "invalid admin key")


AdminDep = Depends(require_admin)


def admin_actor(settings: SettingsDep, authorization: AuthHeader = None) -> Actor:
    """The admin, as the audit trail records it (the route is already admin-only)."""
    require_admin(settings, authorization)
    return Actor.admin(_bearer(authorization))


AdminActor = Annotated[Actor, Depends(admin_actor)]


def current_tenant(session: SessionDep, authorization: AuthHeader = None) -> Tenant:
    tenant = tenant_by_key(session, _bearer(authorization))
    if tenant is None:
        raise ServiceError("unauthorized", "invalid API key")
    if tenant.disabled_at is not None:
        raise ServiceError("forbidden", "this tenant is disabled; an admin can enable it")
    return tenant


CurrentTenant = Annotated[Tenant, Depends(current_tenant)]


def tenant_actor(tenant: CurrentTenant) -> Actor:
    return Actor.tenant(tenant.id, tenant.key_prefix)  # type: ignore[arg-type]


TenantActor = Annotated[Actor, Depends(tenant_actor)]


def tenant_job(tenant: CurrentTenant, session: SessionDep, job_id: RowId) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.tenant_id != tenant.id:
        raise not_found("job", job_id)
    return job


TenantJob = Annotated[Job, Depends(tenant_job)]


def admin_tenant(session: SessionDep, tenant_id: RowId) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise not_found("tenant", tenant_id)
    return tenant


AdminTenant = Annotated[Tenant, Depends(admin_tenant)]


def admin_adapter(session: SessionDep, adapter_id: RowId) -> AdapterVersion:
    version = session.get(AdapterVersion, adapter_id)
    if version is None:
        raise not_found("adapter", adapter_id)
    return version


AdminAdapter = Annotated[AdapterVersion, Depends(admin_adapter)]


def admin_document(session: SessionDep, document_id: RowId) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise not_found("document", document_id)
    return doc


AdminDocument = Annotated[Document, Depends(admin_document)]


def admin_policy(session: SessionDep, policy_id: RowId) -> PolicyVersion:
    version = session.get(PolicyVersion, policy_id)
    if version is None:
        raise not_found("policy", policy_id)
    return version


AdminPolicy = Annotated[PolicyVersion, Depends(admin_policy)]


def require_json(request: Request) -> None:
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ServiceError(
            "unsupported_media_type",
            f"the body must be application/json; got {content_type or 'no content type'}",
        )


JsonBody = Depends(require_json)


Body = TypeVar("Body", bound=BaseModel)


async def optional_body(request: Request, model: type[Body]) -> Body:
    """A JSON body that may be left out entirely (an empty POST means "the defaults")."""
    raw = await request.body()
    try:
        return model.model_validate_json(raw) if raw.strip() else model()
    except ValidationError as exc:
        raise ServiceError("validation_error", problems(exc)) from None


def tenant_rates(request: Request) -> TenantRates:
    return request.app.state.tenant_rates


RatesDep = Annotated[TenantRates, Depends(tenant_rates)]
