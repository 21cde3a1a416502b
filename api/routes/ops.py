"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlmodel import Session

from api.deps import SessionDep

router = APIRouter(tags=["ops"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The API process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, session: SessionDep) -> JSONResponse:
    """Ready when the database answers and the model server is healthy."""
    checks: dict[str, bool] = {}
    checks["database"] = await asyncio.to_thread(_database_answers, session)
    router_ = getattr(request.app.state, "adapter_router", None)
    if router_ is not None:
        checks["model_server"] = await asyncio.to_thread(router_.admin.healthy)
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503
    )


def _database_answers(session: Session) -> bool:
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        return True
    except Exception:  # noqa: BLE001
        return False


@router.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
