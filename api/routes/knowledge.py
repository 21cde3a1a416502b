"""Teaching: documents in, a job out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from api.deps import CurrentTenant, JsonBody, SessionDep, SettingsDep, TenantActor
from api.limits import check_limits
from api.schemas import JobAccepted, KnowledgeIn
from api.usecases import submit_teach

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])


@router.post("", status_code=202, response_model=JobAccepted, dependencies=[JsonBody])
def teach(
    body: KnowledgeIn,
    tenant: CurrentTenant,
    session: SessionDep,
    settings: SettingsDep,
    actor: TenantActor,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)] = None,
) -> JSONResponse:
    """Queue documents to be learned into the tenant's adapter; returns the job at once."""
    check_limits(body.documents, settings)
    docs = [d.model_dump(exclude_none=True) for d in body.documents]
    job = submit_teach(session, tenant, docs, idempotency_key, settings, actor=actor)
    # A replayed Idempotency-Key gets the first job back, in its current state.
    return JSONResponse(
        JobAccepted(job_id=job.id, status=job.status).model_dump(),
        status_code=202,
    )
