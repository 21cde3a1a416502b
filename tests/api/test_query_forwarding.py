"""How the query route treats the database and the model server around a query: the database
connection is back in the pool before the (slow) model server is called. The model server is an
httpx transport here; the end-to-end tests use the real vLLM."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from api.deps import get_session
from api.main import create_app
from serving.client import VLLMAdmin
from serving.router import AdapterRouter

ADMIN = {"Authorization": "Bearer test-admin-key"}


def test_the_database_connection_is_released_before_the_model_server_is_called(engine, tmp_path):
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    seen: list[int] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(engine.pool.checkedout())
        reply = {"choices": [{"message": {"role": "assistant", "content": "Paris."}}]}
        return httpx.Response(200, json=reply)

    with TestClient(app) as client:
        key = client.post("/v1/admin/tenants", json={"name": "q"}, headers=ADMIN).json()["api_key"]
        app.state.http = httpx.AsyncClient(
            base_url="http://upstream", transport=httpx.MockTransport(upstream)
        )
        app.state.adapter_router = AdapterRouter(
            VLLMAdmin("http://upstream"), LocalArtifactStore(tmp_path)
        )
        body = {"model": "base", "messages": [{"role": "user", "content": "Capital of France?"}]}
        resp = client.post(
            "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
        )
    assert resp.status_code == 200, resp.text
    assert resp.json()["choices"][0]["message"]["content"] == "Paris."
    assert resp.headers["X-Adapter"] == "base" and resp.headers["X-Route"] == "requested_base"
    assert seen == [0]  # no connection held while the model server worked
