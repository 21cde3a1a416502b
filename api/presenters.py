"""Rows as the API shows them: one function per public shape, shared by every route that
returns it (routes never import each other)."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.jobs import job_documents
from adapter_store.models import (
    AdapterVersion,
    EventBase,
    Job,
    PolicyRound,
    PolicyVersion,
    Tenant,
)
from adapter_store.registry import get_active_version
from api.schemas import (
    AdapterPublic,
    EventPublic,
    JobPublic,
    PolicyPublic,
    RoundPublic,
    TenantPublic,
)


def tenant_public(session: Session, tenant: Tenant) -> TenantPublic:
    active = get_active_version(session, tenant.id)  # type: ignore[arg-type]
    return TenantPublic(
        id=tenant.id,
        name=tenant.name,
        key_prefix=tenant.key_prefix,
        policy=tenant.policy,
        created_at=tenant.created_at,
        active_version=active.version if active else None,
        disabled_at=tenant.disabled_at,
    )


_UNKNOWN = -1


def adapter_public(
    session: Session, v: AdapterVersion, active_id: int | None = _UNKNOWN
) -> AdapterPublic:
    """``active_id``: the tenant's active version id when the caller knows it (None: no active
    version); otherwise it is read."""
    if active_id == _UNKNOWN:
        active = get_active_version(session, v.tenant_id)
        active_id = active.id if active else None
    parent = session.get(AdapterVersion, v.parent_id) if v.parent_id else None
    return AdapterPublic(
        id=v.id,
        version=v.version,
        name=v.name,
        status=v.status,
        active=v.id == active_id,
        parent_version=parent.version if parent else None,
        job_id=v.job_id,
        checksum=v.checksum,
        metrics=v.metrics,
        eval_report=v.eval_report,
        created_at=v.created_at,
        decided_at=v.decided_at,
    )


def job_public(session: Session, job: Job, with_documents: bool = False) -> JobPublic:
    version = (
        session.get(AdapterVersion, job.adapter_version_id) if job.adapter_version_id else None
    )
    docs = []
    if with_documents:
        docs = [
            {
                "id": d.id,
                "title": d.title,
                "status": d.status,
                "findings": d.findings,
                "probes_source": d.probes_source,
                "probes": len(d.probes),
            }
            for d in job_documents(session, job.id)  # type: ignore[arg-type]
        ]
    return JobPublic(
        id=job.id,
        status=job.status,
        progress=round(job.progress, 3),
        error=job.error,
        metrics=job.metrics,
        adapter_version=version.version if version else None,
        documents=docs,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


def event_public(e: EventBase) -> EventPublic:
    return EventPublic(
        id=e.id,
        status=e.status,
        message=e.message,
        progress=e.progress,
        data=e.data,
        created_at=e.created_at,
    )


def round_public(rnd: PolicyRound) -> RoundPublic:
    return RoundPublic.model_validate(rnd, from_attributes=True)


def policy_public(v: PolicyVersion) -> PolicyPublic:
    return PolicyPublic.model_validate(v, from_attributes=True)
