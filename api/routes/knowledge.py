"""Teaching: documents in, a job out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from adapter_store.jobs import create_job, transition
from adapter_store.models import JobStatus
from api.deps import CurrentTenant, JsonBody, SessionDep, SettingsDep
from api.schemas import JobAccepted, KnowledgeIn, TextIn
from core.errors import ServiceError
from core.settings import Settings

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])


def check_limits(
    documents: list[TextIn], settings: Settings, max_documents: int | None = None
) -> None:
    """Collect every limit a request breaks and report them at once."""
    problems = []
    max_documents = max_documents or settings.max_documents
    if len(documents) > max_documents:
        problems.append(f"`documents` has {len(documents)} items; at most {max_documents}")
    for i, doc in enumerate(documents):
        if len(doc.text) > settings.max_document_chars:
            problems.append(
                f"`documents[{i}].text` has {len(doc.text)} characters; "
                f"at most {settings.max_document_chars}"
            )
        questions = getattr(doc, "questions", None)
        if questions and len(questions) > settings.max_questions_per_document:
            problems.append(
                f"`documents[{i}].questions` has {len(questions)} items; "
                f"at most {settings.max_questions_per_document}"
            )
    if problems:
        raise ServiceError("validation_error", "; ".join(problems))


@router.post("", status_code=202, response_model=JobAccepted, dependencies=[JsonBody])
def teach(
    body: KnowledgeIn,
    tenant: CurrentTenant,
    session: SessionDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)] = None,
) -> JSONResponse:
    """Queue documents to be learned into the tenant's adapter; returns the job at once."""
    check_limits(body.documents, settings)  # type: ignore[arg-type]
    docs = [d.model_dump(exclude_none=True) for d in body.documents]
    job, created = create_job(session, tenant.id, docs, idempotency_key)  # type: ignore[arg-type]
    if created:
        # Commit before enqueue (create_job committed): the worker must find the job.
        from workers.celery_app import enqueue_teach

        try:
            enqueue_teach(job.id)  # type: ignore[arg-type]
        except Exception as exc:
            transition(
                session,
                job,
                JobStatus.failed,
                "the task queue is unavailable",
                error={"code": "unavailable", "message": "the task queue is unavailable"},
            )
            raise ServiceError("unavailable", "the task queue is unavailable; try again") from exc
    # A replayed Idempotency-Key gets the first job back, in its current state.
    return JSONResponse(
        JobAccepted(job_id=job.id, status=job.status).model_dump(),  # type: ignore[arg-type]
        status_code=202,
    )
