"""Ids on PostgreSQL, whose INTEGER columns hold 32 bits: an id beyond them (in a path, a query or
a body) is a 422, never the database's "integer out of range" as a 500. SQLite's INTEGER holds 64
bits, so only PostgreSQL shows it (the fuzzer found it there: bench/reliability.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

from api.deps import MAX_ROW_ID, get_session
from api.main import create_app
from core.db import make_engine
from tests.conftest import PG_URL, require_service
from tests.db_proxy import proxied_database, reachable

ADMIN = {"Authorization": "Bearer test-admin-key"}
BEYOND = 2**31  # the first id PostgreSQL's INTEGER cannot hold

pytestmark = pytest.mark.services


def test_ids_beyond_postgresqls_integer_are_422_not_500():
    require_service("PostgreSQL", reachable(make_engine(PG_URL)))
    assert MAX_ROW_ID == BEYOND - 1
    with proxied_database(PG_URL) as (url, _):
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        app = create_app()

        def _session():  # type: ignore[no-untyped-def]
            with Session(engine, expire_on_commit=False) as s:
                yield s

        app.dependency_overrides[get_session] = _session
        with TestClient(app, raise_server_exceptions=False) as client:
            created = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN)
            tenant = {"Authorization": f"Bearer {created.json()['api_key']}"}
            tid = created.json()["id"]
            job = client.post(
                "/v1/knowledge",
                json={"documents": [{"text": "Zorblax has moons."}]},
                headers=tenant,
            ).json()["job_id"]
            cases = [
                ("GET", f"/v1/jobs/{BEYOND}", tenant, None),
                ("GET", f"/v1/jobs/{job}/events?after={BEYOND}", tenant, None),
                ("GET", f"/v1/admin/tenants/{BEYOND}", ADMIN, None),
                ("GET", f"/v1/admin/audit?tenant_id={BEYOND}", ADMIN, None),
                ("POST", f"/v1/admin/tenants/{tid}/rollback", ADMIN, {"version": BEYOND}),
                ("POST", "/v1/admin/policy/rounds", ADMIN, {"tenant_id": BEYOND}),
            ]
            for method, path, headers, body in cases:
                resp = client.request(method, path, headers=headers, json=body)
                assert resp.status_code == 422, (path, resp.status_code, resp.text)
            # The largest id that fits is looked up and simply not found.
            assert client.get(f"/v1/jobs/{MAX_ROW_ID}", headers=tenant).status_code == 404
        engine.dispose()
