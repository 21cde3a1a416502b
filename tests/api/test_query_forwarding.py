"""How the query route treats the database and the model servers around a query: the database
connection is back in the pool before the (slow) model server is called, and a replica that
cannot be reached is skipped for the next (none left: 503 with Retry-After). The model servers
are an httpx transport here; the end-to-end tests use the real vLLM."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from api.deps import get_session
from api.main import create_app
from serving.replicas import ReplicaSet

ADMIN = {"Authorization": "Bearer test-admin-key"}
BODY = {"model": "base", "messages": [{"role": "user", "content": "Capital of France?"}]}


@pytest.fixture
def api(engine, tmp_path):  # type: ignore[no-untyped-def]
    """(client, tenant headers, app): model servers at http://a and http://b, both ready."""
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        key = client.post("/v1/admin/tenants", json={"name": "q"}, headers=ADMIN).json()["api_key"]
        app.state.replicas = ReplicaSet(["http://a", "http://b"], LocalArtifactStore(tmp_path))
        for r in app.state.replicas.replicas:
            r.ready = True  # what a reconcile pass decides against real servers
        yield client, {"Authorization": f"Bearer {key}"}, app


def _upstream(app, handler) -> None:  # type: ignore[no-untyped-def]
    app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))


def _reply(text: str) -> httpx.Response:
    return httpx.Response(
        200, json={"choices": [{"message": {"role": "assistant", "content": text}}]}
    )


def test_the_database_connection_is_released_before_the_model_server_is_called(api, engine):
    client, auth, app = api
    seen: list[int] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(engine.pool.checkedout())
        return _reply("Paris.")

    _upstream(app, upstream)
    resp = client.post("/v1/chat/completions", json=BODY, headers=auth)
    assert resp.status_code == 200, resp.text
    assert resp.json()["choices"][0]["message"]["content"] == "Paris."
    assert resp.headers["X-Adapter"] == "base" and resp.headers["X-Route"] == "requested_base"
    assert seen == [0]  # no connection held while the model server worked


def test_a_replica_that_cannot_be_reached_is_skipped_and_marked_down(api):
    client, auth, app = api
    hosts: list[str] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.host == "a":
            raise httpx.ConnectError("connection refused", request=request)
        return _reply("Paris.")

    _upstream(app, upstream)
    for _ in range(4):
        resp = client.post("/v1/chat/completions", json=BODY, headers=auth)
        assert resp.status_code == 200, resp.text
    a, b = app.state.replicas.replicas
    assert not a.ready and b.ready
    assert hosts.count("a") == 1 and hosts.count("b") == 4  # tried once, then left alone


def test_with_no_replica_left_a_query_is_503_with_retry_after(api):
    client, auth, app = api

    def upstream(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    _upstream(app, upstream)
    for _ in range(2):  # both fail now; then none is ready at all
        resp = client.post("/v1/chat/completions", json=BODY, headers=auth)
        assert resp.status_code == 503, resp.text
        assert resp.headers["Retry-After"] == "5" and resp.json()["error"]["code"] == "unavailable"
    assert app.state.replicas.ready() == []


def test_queries_spread_over_the_ready_replicas(api):
    client, auth, app = api
    hosts: list[str] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return _reply("Paris.")

    _upstream(app, upstream)
    for _ in range(4):
        assert client.post("/v1/chat/completions", json=BODY, headers=auth).status_code == 200
    assert sorted(hosts) == ["a", "a", "b", "b"]
