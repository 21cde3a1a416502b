"""Query metrics: latency by route and stream, and tokens from vLLM's usage (a stream's only when
it carries usage). The model servers are an httpx transport, as in test_query_forwarding.py."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from api.deps import get_session
from api.main import create_app
from api.routes.openai_compat import StreamUsage
from serving.replicas import ReplicaSet

ADMIN = {"Authorization": "Bearer test-admin-key"}
BODY = {"model": "base", "messages": [{"role": "user", "content": "Capital of France?"}]}


@pytest.fixture
def api(engine, tmp_path):  # type: ignore[no-untyped-def]
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        key = client.post("/v1/admin/tenants", json={"name": "m"}, headers=ADMIN).json()["api_key"]
        app.state.replicas = ReplicaSet(["http://a"], LocalArtifactStore(tmp_path))
        app.state.replicas.replicas[0].ready = True
        yield client, {"Authorization": f"Bearer {key}"}, app


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _events(*events: dict) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + (
        b"data: [DONE]\n\n"
    )


def test_a_reply_is_timed_and_its_usage_counted(api):
    client, auth, app = api
    usage = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    reply = {"choices": [{"message": {"role": "assistant", "content": "Paris."}}], "usage": usage}
    app.state.http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=reply))
    )
    count = value("seal_query_seconds_count", route="base", stream="false")
    prompt = value("seal_query_tokens_total", route="base", kind="prompt")
    completion = value("seal_query_tokens_total", route="base", kind="completion")
    assert client.post("/v1/chat/completions", json=BODY, headers=auth).status_code == 200
    assert value("seal_query_seconds_count", route="base", stream="false") == count + 1
    assert value("seal_query_tokens_total", route="base", kind="prompt") == prompt + 7
    assert value("seal_query_tokens_total", route="base", kind="completion") == completion + 3


def test_a_refused_query_is_not_timed_as_answered(api):
    client, auth, app = api
    app.state.http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(400, json={"message": "no"}))
    )
    count = value("seal_query_seconds_count", route="base", stream="false")
    assert client.post("/v1/chat/completions", json=BODY, headers=auth).status_code == 422
    assert value("seal_query_seconds_count", route="base", stream="false") == count


def test_a_stream_counts_its_usage_only_when_it_carries_one(api):
    client, auth, app = api
    chunk = {"choices": [{"delta": {"content": "Par"}}], "usage": None}
    with_usage = _events(
        chunk, {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2}}
    )
    bodies = iter([with_usage, _events(chunk, chunk)])

    def upstream(request: httpx.Request) -> httpx.Response:
        body = next(bodies)

        async def pieces():  # type: ignore[no-untyped-def]
            for i in range(0, len(body), 7):  # events split across reads
                yield body[i : i + 7]

        return httpx.Response(200, content=pieces(), headers={"content-type": "text/event-stream"})

    app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    count = value("seal_query_seconds_count", route="base", stream="true")
    completion = value("seal_query_tokens_total", route="base", kind="completion")
    for _ in range(2):
        resp = client.post("/v1/chat/completions", json={**BODY, "stream": True}, headers=auth)
        assert resp.status_code == 200 and resp.text.endswith("data: [DONE]\n\n")
    assert value("seal_query_seconds_count", route="base", stream="true") == count + 2
    assert value("seal_query_tokens_total", route="base", kind="completion") == completion + 2


def test_stream_usage_is_the_last_one_seen():
    usage = StreamUsage()
    for piece in (b'data: {"usage": {"completion_tokens": 1}}\n\ndata: {"us', b'age": {"comp'):
        usage.feed(piece)
    usage.feed(b'letion_tokens": 4}}\n\ndata: [DONE]\n\n')
    assert usage.usage == {"completion_tokens": 4}
    none = StreamUsage()
    none.feed(b'data: {"choices": [], "usage": null}\n\n')
    assert none.usage is None
