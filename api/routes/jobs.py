"""A tenant's jobs: status, events, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from adapter_store.jobs import is_terminal, job_documents, job_events, transition
from adapter_store.models import AdapterVersion, Job, JobStatus, VersionStatus, utcnow
from api.deps import CurrentTenant, SessionDep, TenantJob
from api.schemas import EventPublic, JobPublic
from core.errors import ServiceError

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


def job_public(session, job: Job, with_documents: bool = False) -> JobPublic:  # type: ignore[no-untyped-def]
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
            for d in job_documents(session, job.id)
        ]
    return JobPublic(
        id=job.id,
        status=job.status,
        progress=round(job.progress, 3),
        error=job.error,  # type: ignore[arg-type]
        metrics=job.metrics,
        adapter_version=version.version if version else None,
        documents=docs,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


@router.get("", response_model=list[JobPublic])
def list_jobs(
    tenant: CurrentTenant,
    session: SessionDep,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[JobPublic]:
    """The tenant's jobs, newest first."""
    stmt = select(Job).where(Job.tenant_id == tenant.id)
    if status:
        if status not in set(JobStatus):
            raise ServiceError(
                "validation_error", f"`status` must be one of {', '.join(JobStatus)}"
            )
        stmt = stmt.where(Job.status == status)
    rows = session.exec(stmt.order_by(col(Job.id).desc()).limit(limit))
    return [job_public(session, j) for j in rows]


@router.get("/{job_id}", response_model=JobPublic)
def get_job(job: TenantJob, session: SessionDep) -> JobPublic:
    """One job with its documents' verdicts, progress and metrics."""
    return job_public(session, job, with_documents=True)


@router.get("/{job_id}/events", response_model=list[EventPublic])
def get_events(
    job: TenantJob, session: SessionDep, after: Annotated[int, Query(ge=0)] = 0
) -> list[EventPublic]:
    """The job's transitions and progress events, oldest first (`after` = last event id seen)."""
    return [
        EventPublic(
            id=e.id,
            status=e.status,
            message=e.message,
            progress=e.progress,  # type: ignore[arg-type]
            data=e.data,
            created_at=e.created_at,
        )
        for e in job_events(session, job.id, after)
    ]  # type: ignore[arg-type]


@router.post("/{job_id}/cancel", response_model=JobPublic)
def cancel(job: TenantJob, session: SessionDep) -> JobPublic:
    """Cancel a job that has not finished; the worker stops at its next check."""
    if is_terminal(job):
        raise ServiceError("invalid_state", f"job {job.id} is already {job.status}")
    if job.adapter_version_id:
        # A version waiting for approval is withdrawn with its job.
        version = session.get(AdapterVersion, job.adapter_version_id)
        if version and version.status == VersionStatus.awaiting_approval:
            version.status, version.decided_at = VersionStatus.rejected, utcnow()
            session.add(version)
    transition(session, job, JobStatus.cancelled, "cancelled by the tenant")
    return job_public(session, job)
