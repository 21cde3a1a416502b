"""A tenant's jobs: status, events, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from adapter_store.jobs import job_events
from adapter_store.models import Job, JobStatus
from api.deps import MAX_ROW_ID, CurrentTenant, SessionDep, TenantActor, TenantJob
from api.presenters import event_public, job_public
from api.schemas import EventPublic, JobPublic
from api.usecases import cancel_job
from core.errors import ServiceError

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


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
    job: TenantJob, session: SessionDep, after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0
) -> list[EventPublic]:
    """The job's transitions and progress events, oldest first (`after` = last event id seen)."""
    return [event_public(e) for e in job_events(session, job.id, after)]  # type: ignore[arg-type]


@router.post("/{job_id}/cancel", response_model=JobPublic)
def cancel(job: TenantJob, session: SessionDep, actor: TenantActor) -> JobPublic:
    """Cancel a job that has not finished; the worker stops at its next check."""
    return job_public(session, cancel_job(session, job, actor=actor))
