"""Teach jobs: creation with their documents, and the queries around them. Their states and
event log are ``adapter_store.lifecycle.JOB``'s."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from adapter_store.lifecycle import JOB
from adapter_store.models import Document, Job, JobEvent, JobStatus

S = JobStatus


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
        assert job.id is not None
        session.add(
            JobEvent(
                job_id=job.id,
                status=S.queued,
                message="job queued",
                progress=0.0,
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
    return JOB.events(session, job_id, after_id)  # type: ignore[return-value]
