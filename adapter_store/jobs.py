"""Job lifecycle: creation with its documents, guarded state transitions, and the event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from adapter_store.models import (
    TERMINAL_JOB_STATUSES,
    Document,
    Job,
    JobEvent,
    JobStatus,
    utcnow,
)
from core.errors import ServiceError

S = JobStatus
# Where a job may go from each state. Any running state may also fail or be cancelled.
_FORWARD: dict[str, set[str]] = {
    S.queued: {S.scanning},
    S.scanning: {S.quarantined, S.generating, S.rejected},
    S.quarantined: {S.generating, S.rejected},
    S.generating: {S.training},
    S.training: {S.evaluating},
    S.evaluating: {S.awaiting_approval, S.promoted, S.rejected},
    S.awaiting_approval: {S.promoted, S.rejected},
}
ALLOWED: dict[str, set[str]] = {
    state: nxt | {S.failed, S.cancelled} for state, nxt in _FORWARD.items()
}


def create_job(
    session: Session,
    tenant_id: int,
    documents: list[dict[str, Any]],
    idempotency_key: str | None = None,
) -> tuple[Job, bool]:
    """Create a queued job with its documents in one transaction. Returns (job, created);
    a repeated idempotency key returns the first job unchanged."""
    if idempotency_key:
        existing = find_by_idempotency_key(session, tenant_id, idempotency_key)
        if existing:
            return existing, False
    job = Job(tenant_id=tenant_id, status=S.queued, idempotency_key=idempotency_key)
    session.add(job)
    try:
        session.flush()
        for doc in documents:
            session.add(
                Document(
                    tenant_id=tenant_id,
                    job_id=job.id,  # type: ignore[arg-type]
                    title=doc.get("title"),
                    text=doc["text"],
                    questions=doc.get("questions") or [],
                )
            )
        session.add(
            JobEvent(
                job_id=job.id,
                status=S.queued,
                message="job queued",
                progress=0.0,  # type: ignore[arg-type]
                data={"documents": len(documents)},
            )
        )
        session.commit()
    except IntegrityError:
        # Two requests with one idempotency key raced; the other one won.
        session.rollback()
        existing = find_by_idempotency_key(session, tenant_id, idempotency_key or "")
        if existing is None:
            raise
        return existing, False
    session.refresh(job)
    return job, True


def find_by_idempotency_key(session: Session, tenant_id: int, key: str) -> Job | None:
    return session.exec(
        select(Job).where(Job.tenant_id == tenant_id, Job.idempotency_key == key)
    ).first()


def job_documents(session: Session, job_id: int) -> list[Document]:
    return list(
        session.exec(select(Document).where(Document.job_id == job_id).order_by(col(Document.id)))
    )


def job_events(session: Session, job_id: int, after_id: int = 0) -> list[JobEvent]:
    return list(
        session.exec(
            select(JobEvent)
            .where(JobEvent.job_id == job_id, col(JobEvent.id) > after_id)
            .order_by(col(JobEvent.id))
        )
    )


def add_event(
    session: Session,
    job: Job,
    message: str,
    *,
    progress: float | None = None,
    data: dict[str, Any] | None = None,
    commit: bool = True,
) -> JobEvent:
    """Record a progress event in the job's current state."""
    if progress is not None:
        job.progress = progress
        job.updated_at = utcnow()
        session.add(job)
    event = JobEvent(
        job_id=job.id,
        status=job.status,
        message=message,
        progress=progress,  # type: ignore[arg-type]
        data=data or {},
    )
    session.add(event)
    if commit:
        session.commit()
    return event


def transition(
    session: Session,
    job: Job,
    status: JobStatus,
    message: str,
    *,
    progress: float | None = None,
    data: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> Job:
    """Move a job to a new state and log the event, refusing moves the lifecycle does not allow."""
    session.refresh(job)
    if status not in ALLOWED.get(job.status, set()):
        raise ServiceError(
            "invalid_state", f"job {job.id} is {job.status}; it cannot become {status}"
        )
    job.status = status
    job.updated_at = utcnow()
    if status in TERMINAL_JOB_STATUSES and status != S.failed:
        progress = 1.0 if progress is None else progress
    if progress is not None:
        job.progress = progress
    if error is not None:
        job.error = error
    session.add(job)
    session.add(
        JobEvent(
            job_id=job.id,
            status=status,
            message=message,
            progress=progress,  # type: ignore[arg-type]
            data=data or {},
        )
    )
    session.commit()
    session.refresh(job)
    return job


def is_terminal(job: Job) -> bool:
    return job.status in TERMINAL_JOB_STATUSES


def finish_after_decision(
    session: Session, version_job_id: int | None, approved: bool, name: str
) -> None:
    """An admin's approve/reject ends the job that produced the version."""
    if version_job_id is None:
        return
    job = session.get(Job, version_job_id)
    if job is None or job.status != S.awaiting_approval:
        return
    if approved:
        transition(session, job, S.promoted, f"{name} approved by an admin and now active")
    else:
        transition(
            session,
            job,
            S.rejected,
            f"{name} rejected by an admin",
            error={"code": "rejected_by_admin", "message": "an admin rejected the adapter"},
        )
