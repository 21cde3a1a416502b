"""The database out of reach: every route answers 503 ``unavailable`` with Retry-After (never a
500, never the driver's words), and answers normally again once it is back. The errors are
SQLAlchemy's own, from engines that cannot connect: nothing of the product is mocked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from api.deps import get_session
from api.main import create_app
from core.db import database_unreachable, make_engine
from tests.conftest import PG_URL, require_service
from tests.db_proxy import proxied_database, reachable

ADMIN = {"Authorization": "Bearer test-admin-key"}
TENANT = {"Authorization": "Bearer sk-seal-not-checked-the-database-is-down"}
# Routes that answer without the database (/metrics leaves the queue out), or report it in
# their own shape (/readyz: not_ready).
WITHOUT_DATABASE = {"/healthz", "/metrics", "/readyz"}
# Bodies for the routes that validate theirs before they reach the database.
BODIES = {"/v1/admin/tenants": {"name": "acme"}}
# What a leak of the driver's message would contain.
DRIVER_WORDS = ("psycopg", "connection", "refused", "127.0.0.1", "port", "sqlite", "Timeout")


def _client_on(engine: Engine) -> Iterator[TestClient]:
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _operations() -> list[tuple[str, str]]:
    app = create_app()
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods
    )


def _call(client: TestClient, method: str, path: str):  # type: ignore[no-untyped-def]
    url = path.replace("{", "").replace("}", "")  # {job_id} -> job_id: a bad id is a 422
    url = "/".join("1" if part.endswith("_id") else part for part in url.split("/"))
    headers = ADMIN if path.startswith("/v1/admin") else TENANT
    body = None if method == "GET" else BODIES.get(path, {})
    return client.request(method, url, headers=headers, json=body)


def _assert_unavailable(resp) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code == 503, resp.text
    assert resp.json() == {
        "error": {"code": "unavailable", "message": "the database is unavailable; retry later"}
    }
    assert int(resp.headers["Retry-After"]) > 0
    assert not any(word.lower() in resp.text.lower() for word in DRIVER_WORDS), resp.text


@pytest.fixture
def down_client() -> Iterator[TestClient]:
    """PostgreSQL on a port where nothing listens: every connection attempt is refused."""
    engine = make_engine("postgresql://postgres@127.0.0.1:1/seal")
    yield from _client_on(engine)
    engine.dispose()


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_route_answers_503_with_retry_after_when_the_database_is_down(
    down_client, method, path
):
    resp = _call(down_client, method, path)
    if path == "/readyz":
        assert resp.status_code == 503 and resp.json()["checks"]["database"] is False
    elif path in WITHOUT_DATABASE:
        assert resp.status_code == 200
    else:
        _assert_unavailable(resp)


def test_an_exhausted_connection_pool_is_503_not_500(tmp_path):
    engine = create_engine(
        f"sqlite:///{tmp_path / 'pool.db'}", pool_size=1, max_overflow=0, pool_timeout=0.2
    )
    SQLModel.metadata.create_all(engine)
    held = engine.connect()  # a slow request holds the only connection
    try:
        for client in _client_on(engine):
            _assert_unavailable(client.get("/v1/jobs", headers=TENANT))
    finally:
        held.close()
        engine.dispose()


def test_a_fault_of_the_statement_is_still_a_500(tmp_path):
    """A database that answers but lacks a table is a bug, not an outage: 500, not 503."""
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables created
    for client in _client_on(engine):
        resp = client.get("/v1/jobs", headers=TENANT)
        assert resp.status_code == 500
        assert resp.json()["error"]["code"] == "internal_error"
        assert "no such table" not in resp.text
    engine.dispose()


@pytest.mark.services
def test_real_postgresql_cut_and_restored_503_then_serves_again():
    """Through a proxy to the real server: answers, a cut (the server gone mid-run, open
    connections killed) is 503 on every kind of route, and the restored database answers the
    same requests again without restarting the API (the pool drops its dead connections)."""
    require_service("PostgreSQL", reachable(make_engine(PG_URL)))
    with proxied_database(PG_URL) as (url, proxy):
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        for client in _client_on(engine):
            created = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN)
            assert created.status_code == 201, created.text
            tenant = {"Authorization": f"Bearer {created.json()['api_key']}"}
            assert client.get("/v1/jobs", headers=tenant).status_code == 200
            assert client.get("/readyz").json()["checks"]["database"] is True

            proxy.cut()
            for resp in (
                client.get("/v1/jobs", headers=tenant),
                client.get("/v1/admin/tenants", headers=ADMIN),
                client.post("/v1/guards/scan", json={"texts": ["hello"]}, headers=tenant),
            ):
                _assert_unavailable(resp)
            assert client.get("/readyz").json()["checks"]["database"] is False

            proxy.restore()
            assert client.get("/v1/jobs", headers=tenant).status_code == 200
            assert client.get("/v1/admin/tenants", headers=ADMIN).status_code == 200
        engine.dispose()


def test_what_counts_as_the_database_being_unreachable(tmp_path):
    """Real errors from real engines: refused connections and pool timeouts are; a missing
    table or a broken constraint is not."""
    from sqlalchemy import exc, text

    def error_of(engine: Engine, sql: str) -> BaseException:
        with pytest.raises(exc.SQLAlchemyError) as info, engine.connect() as conn:
            conn.execute(text(sql))
        return info.value

    refused = make_engine("postgresql://postgres@127.0.0.1:1/seal")
    assert database_unreachable(error_of(refused, "SELECT 1"))
    sqlite = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert not database_unreachable(error_of(sqlite, "SELECT * FROM missing"))
    with sqlite.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert not database_unreachable(error_of(sqlite, "INSERT INTO t VALUES (1)"))
    pool = create_engine(
        f"sqlite:///{tmp_path / 'x.db'}", pool_size=1, max_overflow=0, pool_timeout=0.1
    )
    with pool.connect():
        assert database_unreachable(error_of(pool, "SELECT 1"))
    assert not database_unreachable(ValueError("not a database error"))
