"""Admin routes: tenants, the review queue, approvals and rollback."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlmodel import col, select

from adapter_store.models import (
    AdapterVersion,
    Document,
    DocumentStatus,
    PolicyStatus,
    PolicyVersion,
    Tenant,
    VersionStatus,
)
from api.deps import (
    AdminActor,
    AdminAdapter,
    AdminDep,
    AdminDocument,
    AdminTenant,
    JsonBody,
    SessionDep,
    SettingsDep,
    StoreDep,
    optional_body,
)
from api.presenters import adapter_public, policy_public, tenant_public
from api.schemas import (
    AdapterPublic,
    DocumentDecision,
    QuarantinedDocument,
    ReviewAdapter,
    ReviewQueue,
    RollbackIn,
    TenantCreate,
    TenantCreated,
    TenantDisabled,
    TenantPatch,
    TenantPublic,
    problems,
)
from api.usecases import (
    add_tenant,
    change_policy,
    decide_document,
    decide_version,
    disable_tenant,
    enable_tenant,
    rollback_tenant,
    rotate_tenant_key,
)
from core.errors import ServiceError

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[AdminDep])


@router.post("/tenants", status_code=201, response_model=TenantCreated, dependencies=[JsonBody])
def create(body: TenantCreate, session: SessionDep, actor: AdminActor) -> TenantCreated:
    """Create a tenant; its API key is in this reply only."""
    tenant, key = add_tenant(session, body.name, body.policy, actor=actor)
    return TenantCreated(**tenant_public(session, tenant).model_dump(), api_key=key)


@router.get("/tenants", response_model=list[TenantPublic])
def list_tenants(session: SessionDep) -> list[TenantPublic]:
    """List tenants."""
    return [
        tenant_public(session, t) for t in session.exec(select(Tenant).order_by(col(Tenant.id)))
    ]


@router.get("/tenants/{tenant_id}", response_model=TenantPublic)
def get_tenant(tenant: AdminTenant, session: SessionDep) -> TenantPublic:
    """Show one tenant and its policy."""
    return tenant_public(session, tenant)


@router.patch("/tenants/{tenant_id}", response_model=TenantPublic, dependencies=[JsonBody])
def patch_tenant(
    body: TenantPatch, tenant: AdminTenant, session: SessionDep, actor: AdminActor
) -> TenantPublic:
    """Change a tenant's policy (PII mode, auto_promote, gate thresholds)."""
    try:
        change_policy(session, tenant, body.policy, actor=actor)
    except ValidationError as exc:
        raise ServiceError("validation_error", problems(exc, "policy.")) from None
    return tenant_public(session, tenant)


@router.post("/tenants/{tenant_id}/rotate-key", response_model=TenantCreated)
def rotate(tenant: AdminTenant, session: SessionDep, actor: AdminActor) -> TenantCreated:
    """Give the tenant a new API key (in this reply only); the old key stops working at once."""
    key = rotate_tenant_key(session, tenant, actor=actor)
    return TenantCreated(**tenant_public(session, tenant).model_dump(), api_key=key)


@router.post("/tenants/{tenant_id}/disable", response_model=TenantDisabled)
def disable(tenant: AdminTenant, session: SessionDep, actor: AdminActor) -> TenantDisabled:
    """Refuse the tenant's key, stop serving its adapter and cancel its unfinished jobs. Its data
    and versions stay; enabling it restores its key and its active adapter."""
    cancelled = disable_tenant(session, tenant, actor=actor)
    return TenantDisabled(**tenant_public(session, tenant).model_dump(), cancelled_jobs=cancelled)


@router.post("/tenants/{tenant_id}/enable", response_model=TenantPublic)
def enable(tenant: AdminTenant, session: SessionDep, actor: AdminActor) -> TenantPublic:
    """Accept the tenant's key again; its active adapter is loaded on the next reconcile pass."""
    enable_tenant(session, tenant, actor=actor)
    return tenant_public(session, tenant)


@router.post("/tenants/{tenant_id}/rollback", response_model=TenantPublic)
async def rollback(
    request: Request,
    tenant: AdminTenant,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> TenantPublic:
    """Move the tenant's active alias back (to `version`, or to the previous servable version)."""
    body = await optional_body(request, RollbackIn)
    # The database and the model server (loading the version) are blocking work: off the loop.
    await asyncio.to_thread(
        lambda: rollback_tenant(session, tenant, body.version, store, settings, actor=actor)
    )
    return await asyncio.to_thread(tenant_public, session, tenant)


@router.get("/review", response_model=ReviewQueue)
def review(session: SessionDep) -> ReviewQueue:
    """Quarantined documents, and adapter and self-edit policy versions awaiting approval."""
    docs = session.exec(
        select(Document)
        .where(Document.status == DocumentStatus.quarantined)
        .order_by(col(Document.id))
    )
    versions = session.exec(
        select(AdapterVersion)
        .where(AdapterVersion.status == VersionStatus.awaiting_approval)
        .order_by(col(AdapterVersion.id))
    )
    policies = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.status == PolicyStatus.awaiting_approval)
        .order_by(col(PolicyVersion.id))
    )
    return ReviewQueue(
        documents=[QuarantinedDocument.model_validate(d, from_attributes=True) for d in docs],
        adapters=[
            ReviewAdapter(tenant_id=v.tenant_id, **adapter_public(session, v).model_dump())
            for v in versions
        ],
        policies=[policy_public(p) for p in policies],
    )


def _document_decision(
    session: SessionDep, doc: Document, release: bool, actor: AdminActor
) -> DocumentDecision:
    job = decide_document(session, doc, release, actor=actor)
    return DocumentDecision(
        id=doc.id,
        tenant_id=doc.tenant_id,
        job_id=doc.job_id,
        status=doc.status,
        job_status=job.status,
    )


@router.post("/documents/{document_id}/release", response_model=DocumentDecision)
def release_document(
    doc: AdminDocument, session: SessionDep, actor: AdminActor
) -> DocumentDecision:
    """Release a quarantined document: it will be trained on (its job resumes once no document
    of it waits for review)."""
    return _document_decision(session, doc, True, actor)


@router.post("/documents/{document_id}/discard", response_model=DocumentDecision)
def discard_document(
    doc: AdminDocument, session: SessionDep, actor: AdminActor
) -> DocumentDecision:
    """Discard a quarantined document: it is never trained on; a job left with nothing to train
    on ends rejected."""
    return _document_decision(session, doc, False, actor)


@router.post("/adapters/{adapter_id}/approve", response_model=AdapterPublic)
def approve_adapter(
    version: AdminAdapter,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> AdapterPublic:
    """Approve a version that awaits approval: it becomes the tenant's active adapter."""
    decide_version(session, version, True, store, settings, actor=actor)
    return adapter_public(session, version)


@router.post("/adapters/{adapter_id}/reject", response_model=AdapterPublic)
def reject_adapter(
    version: AdminAdapter,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    actor: AdminActor,
) -> AdapterPublic:
    """Reject a version that awaits approval; the active adapter does not change."""
    decide_version(session, version, False, store, settings, actor=actor)
    return adapter_public(session, version)
