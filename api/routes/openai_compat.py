"""OpenAI-compatible query endpoints. A query is answered by the tenant's active adapter (or the
base model); the request is forwarded to one of the project's vLLM replicas (the ready one with
the fewest requests in flight; the next one if it cannot be reached)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlmodel import Session
from starlette.background import BackgroundTask

from adapter_store.models import AdapterVersion, Tenant
from api.deps import CurrentTenant, JsonBody, SessionDep, SettingsDep
from api.query_body import parse_query
from core import metrics
from core.errors import ServiceError
from core.settings import Settings
from serving.replicas import Replica, ReplicaSet
from serving.router import BASE, AdapterRouter, resolve_model, tenant_model_id
from serving.scoping import Route, ScopeRouter, query_text

router = APIRouter(prefix="/v1", tags=["openai"])


@router.get("/models")
def models(tenant: CurrentTenant) -> dict[str, Any]:
    """The models this key may query: its own (answered by its active adapter) and `base`."""
    now = int(time.time())
    return {
        "object": "list",
        "data": [
            {
                "id": tenant_model_id(tenant),
                "object": "model",
                "created": now,
                "owned_by": tenant.name,
            },
            {"id": BASE, "object": "model", "created": now, "owned_by": "seal"},
        ],
    }


def _scopes(request: Request) -> ScopeRouter:
    scopes: ScopeRouter | None = getattr(request.app.state, "scope_router", None)
    if scopes is None:
        raise ServiceError("unavailable", "no model server is configured")
    return scopes


def _replicas(request: Request) -> ReplicaSet:
    replicas: ReplicaSet | None = getattr(request.app.state, "replicas", None)
    if replicas is None:
        raise ServiceError("unavailable", "no model server is configured")
    return replicas


async def _forward(
    request: Request, path: str, tenant: Any, session: Any, settings: Settings
) -> Any:
    started = time.perf_counter()
    request.app.state.tenant_rates.check_query(tenant, settings)
    body = parse_query(
        await request.body(),
        chat=path.endswith("chat/completions"),
        max_tokens=settings.max_query_tokens,
    )
    # Database work off the event loop; the session's connection goes back to the pool before
    # the (slow) model server call, so slow queries cannot exhaust the pool for other routes.
    asked_base, version = await asyncio.to_thread(_resolve, session, tenant, body.get("model"))
    if asked_base:
        route = Route(BASE, None, "requested_base")
    else:
        # Embedding the query is CPU work: off the event loop.
        route = await asyncio.to_thread(
            _scopes(request).route, version, tenant.policy_obj.routing, query_text(body)
        )
    name, version = route.model, route.version
    body["model"] = name
    served_by = "adapter" if version is not None else "base"  # the metrics' route label
    replicas = _replicas(request)
    client: httpx.AsyncClient = request.app.state.http
    tried: list[Replica] = []
    while True:
        replica = replicas.pick(exclude=tried)  # 503 with Retry-After when none is left
        adapters = replica.adapters

        async def send(url: str = f"{replica.url}{path}") -> httpx.Response:
            return await client.send(client.build_request("POST", url, json=body), stream=True)

        with adapters.track(name):  # the version stays loaded until its reply has been read
            try:
                resp = await _send_loaded(send, adapters, version)
            except httpx.TransportError:
                # Killed or restarting: no reply started, so the query goes to the next one.
                replicas.mark_down(replica)
                tried.append(replica)
                continue
            if resp.status_code >= 400:
                detail = (await resp.aread())[:500].decode(errors="replace")
                await resp.aclose()
                code = "validation_error" if resp.status_code in (400, 422) else "upstream_error"
                raise ServiceError(
                    code, f"the model server refused the request: {_vllm_message(detail)}"
                )
            if not body.get("stream"):
                payload = json.loads(await resp.aread())
                await resp.aclose()
                _observe(served_by, False, started, payload.get("usage"))
                return JSONResponse(payload, headers=route.headers())
        return StreamingResponse(
            _relay(resp, adapters, name, lambda usage: _observe(served_by, True, started, usage)),
            media_type="text/event-stream",
            headers=route.headers(),
            # A client gone before the stream starts never runs _relay: the upstream response
            # is closed here all the same (closing twice is harmless).
            background=BackgroundTask(resp.aclose),
        )


def _resolve(session: Session, tenant: Tenant, model: str | None) -> tuple[bool, Any]:
    try:
        return resolve_model(session, tenant, model)
    finally:
        session.close()  # loaded attributes stay readable; the connection is released


async def _send_loaded(
    send: Any, adapters: AdapterRouter, version: AdapterVersion | None
) -> httpx.Response:
    resp = await send()  # a transport error: the caller tries another replica
    if resp.status_code == 404 and version is not None:
        # vLLM restarted or evicted the adapter: load it under the same (immutable) name and retry.
        await resp.aclose()
        await asyncio.to_thread(adapters.ensure_loaded, version)
        resp = await send()
    return resp


async def _relay(
    resp: httpx.Response,
    adapters: AdapterRouter,
    name: str,
    done: Callable[[dict[str, Any] | None], None],
) -> AsyncIterator[bytes]:
    usage = StreamUsage()
    with adapters.track(name):  # the old version stays loaded until this stream ends
        try:
            async for chunk in resp.aiter_raw():
                usage.feed(chunk)
                yield chunk
        finally:
            await resp.aclose()
            done(usage.usage)


def _observe(route: str, stream: bool, started: float, usage: Any) -> None:
    """A query answered: its latency, and its tokens when vLLM reported them."""
    metrics.QUERY_SECONDS.labels(route=route, stream=str(stream).lower()).observe(
        time.perf_counter() - started
    )
    if not isinstance(usage, dict):
        return
    for kind in ("prompt", "completion"):
        tokens = usage.get(f"{kind}_tokens")
        if isinstance(tokens, int) and tokens > 0:
            metrics.QUERY_TOKENS.labels(route=route, kind=kind).inc(tokens)


class StreamUsage:
    """The usage object of a relayed event stream. vLLM puts one in a stream only when the
    client asked (``stream_options.include_usage``: in the last event; with continuous usage
    stats, a running total in every event): then the last one seen is the reply's. Otherwise
    the stream's tokens are not counted: counting its events would not be (an event can carry
    more than one token)."""

    _MAX_LINE = 1 << 20  # an event line longer than this is not a usage line: drop it

    def __init__(self) -> None:
        self.usage: dict[str, Any] | None = None
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        lines = (self._tail + chunk).split(b"\n")
        self._tail = lines.pop()
        if len(self._tail) > self._MAX_LINE:
            self._tail = b""
        for line in lines:
            if not line.startswith(b"data:") or b'"usage"' not in line:
                continue
            try:
                event = json.loads(line[5:])
            except ValueError:
                continue
            if isinstance(event, dict) and isinstance(event.get("usage"), dict):
                self.usage = event["usage"]


def _vllm_message(detail: str) -> str:
    try:
        err = json.loads(detail)
        return str(err.get("error", {}).get("message") or err.get("message") or detail)[:300]
    except (json.JSONDecodeError, AttributeError):
        return detail[:300]


@router.post("/chat/completions", dependencies=[JsonBody])
async def chat_completions(
    request: Request, tenant: CurrentTenant, session: SessionDep, settings: SettingsDep
) -> Any:
    """OpenAI chat completions, streaming or not, answered by the tenant's active adapter."""
    return await _forward(request, "/v1/chat/completions", tenant, session, settings)


@router.post("/completions", dependencies=[JsonBody])
async def completions(
    request: Request, tenant: CurrentTenant, session: SessionDep, settings: SettingsDep
) -> Any:
    """OpenAI text completions, answered by the tenant's active adapter."""
    return await _forward(request, "/v1/completions", tenant, session, settings)
