"""Admin routes: tenants, the review queue, approvals and rollback."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlmodel import col, select

from adapter_store.documents import decide_quarantined, undo_decision
from adapter_store.jobs import finish_after_decision
from adapter_store.models import AdapterVersion, Document, DocumentStatus, Tenant, VersionStatus
from adapter_store.registry import create_tenant, get_active_version, rollback_target, update_policy
from api.deps import (
    AdminAdapter,
    AdminDep,
    AdminDocument,
    AdminTenant,
    JsonBody,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from api.routes.adapters import adapter_public
from api.routes.policy import awaiting_policies
from api.schemas import (
    AdapterPublic,
    DocumentDecision,
    RollbackIn,
    TenantCreate,
    TenantCreated,
    TenantPatch,
    TenantPublic,
    problems,
)
from core.errors import ServiceError
from serving.promotion import activate, approve, reject, serving_admin

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[AdminDep])


def tenant_public(session, tenant: Tenant) -> TenantPublic:  # type: ignore[no-untyped-def]
    active = get_active_version(session, tenant.id)  # type: ignore[arg-type]
    return TenantPublic(
        id=tenant.id,
        name=tenant.name,
        key_prefix=tenant.key_prefix,  # type: ignore[arg-type]
        policy=tenant.policy,
        created_at=tenant.created_at,
        active_version=active.version if active else None,
    )


@router.post("/tenants", status_code=201, response_model=TenantCreated, dependencies=[JsonBody])
def create(body: TenantCreate, session: SessionDep) -> TenantCreated:
    """Create a tenant; its API key is in this reply only."""
    tenant, key = create_tenant(session, body.name, body.policy)
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
def patch_tenant(body: TenantPatch, tenant: AdminTenant, session: SessionDep) -> TenantPublic:
    """Change a tenant's policy (PII mode, auto_promote, gate thresholds)."""
    try:
        update_policy(session, tenant, body.policy)
    except ValidationError as exc:
        raise ServiceError("validation_error", problems(exc, "policy.")) from None
    return tenant_public(session, tenant)


@router.post("/tenants/{tenant_id}/rollback", response_model=TenantPublic)
async def rollback(
    request: Request,
    tenant: AdminTenant,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
) -> TenantPublic:
    """Move the tenant's active alias back (to `version`, or to the previous servable version)."""
    raw = await request.body()
    try:
        # The body is optional: an empty POST rolls back to the previous version.
        body = RollbackIn.model_validate_json(raw) if raw.strip() else RollbackIn()
    except ValidationError as exc:
        raise ServiceError("validation_error", problems(exc)) from None
    target = rollback_target(session, tenant.id, body.version)  # type: ignore[arg-type]
    activate(session, tenant.id, target, store, serving_admin(settings))  # type: ignore[arg-type]
    return tenant_public(session, tenant)


@router.get("/review")
def review(session: SessionDep) -> dict:
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
    return {
        "documents": [
            {
                "id": d.id,
                "tenant_id": d.tenant_id,
                "job_id": d.job_id,
                "title": d.title,
                "text": d.text,
                "findings": d.findings,
            }
            for d in docs
        ],
        "adapters": [
            {"tenant_id": v.tenant_id, **adapter_public(session, v).model_dump(mode="json")}
            for v in versions
        ],
        "policies": awaiting_policies(session),
    }


def _decide(session, doc: Document, release: bool) -> DocumentDecision:  # type: ignore[no-untyped-def]
    job, resume = decide_quarantined(session, doc, release)
    if resume:
        from workers.celery_app import enqueue_teach

        try:
            enqueue_teach(job.id)  # type: ignore[arg-type]
        except Exception as exc:
            # Undo the decision so that the document is still in the review queue and the admin
            # can decide again; otherwise the job would wait with nothing left to review.
            undo_decision(session, doc)
            raise ServiceError(
                "unavailable",
                f"job {job.id} could not be queued (the task queue is unavailable); "
                f"document {doc.id} is still quarantined, try again",
            ) from exc
    session.refresh(job)
    return DocumentDecision(
        id=doc.id,  # type: ignore[arg-type]
        tenant_id=doc.tenant_id,
        job_id=doc.job_id,
        status=doc.status,
        job_status=job.status,
    )


@router.post("/documents/{document_id}/release", response_model=DocumentDecision)
def release_document(doc: AdminDocument, session: SessionDep) -> DocumentDecision:
    """Release a quarantined document: it will be trained on (its job resumes once no document
    of it waits for review)."""
    return _decide(session, doc, release=True)


@router.post("/documents/{document_id}/discard", response_model=DocumentDecision)
def discard_document(doc: AdminDocument, session: SessionDep) -> DocumentDecision:
    """Discard a quarantined document: it is never trained on; a job left with nothing to train
    on ends rejected."""
    return _decide(session, doc, release=False)


@router.post("/adapters/{adapter_id}/approve", response_model=AdapterPublic)
def approve_adapter(
    version: AdminAdapter, session: SessionDep, store: StoreDep, settings: SettingsDep
) -> AdapterPublic:
    """Approve a version that awaits approval: it becomes the tenant's active adapter."""
    approve(session, version, store, serving_admin(settings))
    finish_after_decision(session, version.job_id, True, version.name)
    return adapter_public(session, version)


@router.post("/adapters/{adapter_id}/reject", response_model=AdapterPublic)
def reject_adapter(version: AdminAdapter, session: SessionDep) -> AdapterPublic:
    """Reject a version that awaits approval; the active adapter does not change."""
    reject(session, version)
    finish_after_decision(session, version.job_id, False, version.name)
    return adapter_public(session, version)
