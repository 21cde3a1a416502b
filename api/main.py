"""The FastAPI app: routers, error handlers, request limits, metrics and the adapter reconciler."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import httpx
from fastapi import FastAPI, Request

from adapter_store.artifacts import LocalArtifactStore
from api import console
from api.body_limit import BodySizeLimit
from api.errors import install_error_handlers
from api.quotas import TenantRates
from api.request_id import RequestId
from api.routes import (
    adapters,
    admin,
    audit,
    guards,
    jobs,
    knowledge,
    openai_compat,
    ops,
    policy,
)
from core.db import get_engine
from core.logging import configure_from_settings
from core.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS
from core.settings import Settings, get_settings
from serving.client import auth_headers
from serving.replicas import ReplicaSet
from serving.scoping import ScopeRouter

log = logging.getLogger(__name__)
access_log = logging.getLogger("seal.access")
# Scrapes and probes: an access line each at DEBUG only, or they would drown the rest.
_QUIET_ROUTES = {"/metrics", "/healthz", "/readyz"}


async def _reconcile_forever(app: FastAPI, interval_s: float) -> None:
    while True:
        try:
            await asyncio.to_thread(app.state.replicas.reconcile, get_engine())
        except Exception:  # noqa: BLE001 - the database away; try again next pass
            log.warning("adapter reconcile failed; retrying", exc_info=True)
        await asyncio.sleep(interval_s)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    app.state.http = httpx.AsyncClient(
        timeout=httpx.Timeout(300.0, connect=5.0), headers=auth_headers(settings.vllm_api_key)
    )
    task = warm = None
    if settings.resolved_vllm_urls:
        store = LocalArtifactStore(settings.resolved_artifact_dir)
        app.state.replicas = ReplicaSet(
            settings.resolved_vllm_urls, store, api_key=settings.vllm_api_key
        )
        app.state.scope_router = ScopeRouter(store, settings.embedding_model_path)
        task = asyncio.create_task(_reconcile_forever(app, 5.0))
        # The embedding model loads in the background: the first query need not wait for it.
        warm = asyncio.create_task(asyncio.to_thread(app.state.scope_router.warm))
    try:
        yield
    finally:
        if task:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        if warm:
            with suppress(Exception):
                await warm
        await app.state.http.aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_from_settings(settings)  # SEAL_LOG_FORMAT unset: logging is the host's (tests)
    app = FastAPI(
        title="SEAL service",
        version="1.0",
        lifespan=lifespan,
        description="Teach a tenant's own LoRA adapter over REST; query it OpenAI-style.",
    )
    install_error_handlers(app)
    app.state.tenant_rates = TenantRates()
    # Innermost (added first): a BaseHTTPMiddleware outside it would wrap the 413 raised while
    # the body streams in into an exception group, and the route would see a generic error.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)

    @app.middleware("http")
    async def metrics(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        seconds = time.perf_counter() - started
        HTTP_REQUESTS.labels(request.method, path, response.status_code).inc()
        HTTP_REQUEST_SECONDS.labels(path).observe(seconds)
        # The route template, never the path or query: no ids or text from the caller.
        access_log.log(
            logging.DEBUG if path in _QUIET_ROUTES else logging.INFO,
            "%s %s %s %.1f ms",
            request.method,
            path,
            response.status_code,
            seconds * 1000,
        )
        return response

    # Outermost: every reply, a 413 or a 429 included, carries the request's id.
    app.add_middleware(RequestId)

    for module in (ops, admin, audit, policy, knowledge, guards, jobs, adapters, openai_compat):
        app.include_router(module.router)
    app.include_router(console.router)  # /console: the admin's pages (not in the OpenAPI document)
    return app


app = create_app()
