"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from core.metrics import CONTENT_TYPE, QueueCollector, read_queue, render
from core.settings import Settings

router = APIRouter(tags=["ops"])
log = logging.getLogger(__name__)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The API process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, session: SessionDep, settings: SettingsDep) -> JSONResponse:
    """Ready when the database answers, the model server is healthy and at least one worker's
    heartbeat is recent (teach jobs would otherwise wait with no one to run them)."""
    checks: dict[str, bool] = {}
    checks["database"], workers = await asyncio.to_thread(_database_and_workers, session, settings)
    checks["workers"] = workers > 0
    body: dict = {"workers": workers}
    replicas = getattr(request.app.state, "replicas", None)
    if replicas is not None:
        # Ready replicas: healthy, with every active adapter loaded (the reconciler's verdict).
        body["model_servers"] = {"ready": len(replicas.ready()), "of": len(replicas.replicas)}
        checks["model_server"] = bool(replicas.ready())
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks, **body},
        status_code=200 if ok else 503,
    )


def _database_and_workers(session: Session, settings: Settings) -> tuple[bool, int]:
    """Does the database answer, and how many workers beat within three heartbeats?"""
    from workers.leases import live_workers

    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        return True, len(live_workers(session, 3 * settings.worker_heartbeat_s))
    except Exception:  # noqa: BLE001
        return False, 0
    finally:
        session.close()


@router.get("/metrics")
def metrics(session: SessionDep) -> Response:
    """Prometheus metrics: every process's of this host (the API's and the worker's, in
    multiprocess mode) and the queue, read from the database now."""
    collectors = []
    try:
        collectors.append(QueueCollector(read_queue(session)))
    except Exception:  # noqa: BLE001 - the database away: the other metrics still answer
        log.warning("could not read the queue for the metrics", exc_info=True)
    finally:
        session.close()
    return Response(render(*collectors), media_type=CONTENT_TYPE)
