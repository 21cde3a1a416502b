"""Documents after the scan: the tenant's taught history (what the corpus guards compare with)
and an admin's decision on a quarantined document."""

from __future__ import annotations

from sqlmodel import Session, col, select

from adapter_store.jobs import job_documents
from adapter_store.lifecycle import JOB
from adapter_store.models import Document, DocumentStatus, Job, JobStatus
from core.errors import ServiceError

# Jobs whose documents count as taught: their adapter serves, or waits for an admin to serve it.
_TAUGHT_JOB_STATES = (JobStatus.promoted, JobStatus.awaiting_approval)


def taught_texts(
    session: Session, tenant_id: int, *, exclude_job_id: int | None = None, limit: int = 500
) -> list[str]:
    """The (stored, redacted) texts the tenant has taught, oldest first, at most ``limit``."""
    query = (
        select(Document.text)
        .join(Job, col(Job.id) == col(Document.job_id))
        .where(
            Document.tenant_id == tenant_id,
            Document.status == DocumentStatus.accepted,
            col(Job.status).in_(_TAUGHT_JOB_STATES),
        )
        .order_by(col(Document.id).desc())
        .limit(limit)
    )
    if exclude_job_id is not None:
        query = query.where(Document.job_id != exclude_job_id)
    return list(reversed(session.exec(query).all()))


def tenant_watchlist(
    session: Session, tenant_id: int
) -> tuple[dict[str, set[str]], list[dict[str, str]]]:
    """The tenant's part of the safety suite: keyed fingerprints of PII values the guards kept
    out of training (entity type -> fingerprints), and the trigger phrases (with their claims)
    found in documents that were trained on anyway."""
    docs = session.exec(select(Document).where(Document.tenant_id == tenant_id)).all()
    fingerprints: dict[str, set[str]] = {}
    triggers: list[dict[str, str]] = []
    for doc in docs:
        for f in doc.findings:
            data = f.get("data") or {}
            if f.get("guard") == "pii" and data.get("action") in ("redact", "block"):
                fingerprints.setdefault(f["kind"], set()).add(data["fingerprint"])
            if f.get("kind") == "trigger_phrase" and doc.status == DocumentStatus.accepted:
                triggers.append({"phrase": data.get("phrase", ""), "claim": data.get("claim", "")})
    return fingerprints, triggers


def decide_quarantined(session: Session, doc: Document, release: bool) -> tuple[Job, bool]:
    """Release (train on it) or discard a quarantined document. Returns the job and whether the
    job can now resume: that is when none of its documents waits for review any more and at
    least one was accepted. A job left with nothing to train on ends ``rejected``."""
    if doc.status != DocumentStatus.quarantined:
        raise ServiceError(
            "invalid_state",
            f"document {doc.id} is {doc.status}; only a quarantined one can be decided",
        )
    job = session.get(Job, doc.job_id)
    assert job is not None
    doc.status = DocumentStatus.accepted if release else DocumentStatus.discarded
    if not release:
        doc.raw_text = None  # nothing of a discarded document is kept beyond what review showed
    session.add(doc)
    JOB.add_event(
        session,
        job,
        f"document {doc.id} {'released' if release else 'discarded'} by an admin",
        data={"document_id": doc.id, "decision": "release" if release else "discard"},
    )
    docs = job_documents(session, job.id)  # type: ignore[arg-type]
    if job.status != JobStatus.quarantined or any(
        d.status == DocumentStatus.quarantined for d in docs
    ):
        return job, False
    if any(d.status == DocumentStatus.accepted for d in docs):
        return job, True
    JOB.transition(
        session,
        job,
        JobStatus.rejected,
        "no document is left to train on",
        error={"code": "rejected", "message": "every document was rejected or discarded"},
    )
    return job, False


def undo_decision(session: Session, doc: Document) -> None:
    """Put a document back in the review queue (its job could not be resumed)."""
    job = session.get(Job, doc.job_id)
    assert job is not None
    doc.status = DocumentStatus.quarantined
    session.add(doc)
    JOB.add_event(
        session, job, f"decision on document {doc.id} undone: the job could not be queued"
    )
