"""The console under test: the app on a fresh SQLite database (``tests/api/conftest.py``'s
``client``), an admin logged in through the real login form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from adapter_store.models import AuditEvent

ADMIN_KEY = "test-admin-key"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client: TestClient) -> TestClient:
    resp = client.post("/console/login", data={"key": ADMIN_KEY}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return client


def csrf(client: TestClient, page: str = "/console/review") -> str:
    match = _CSRF.search(client.get(page).text)
    assert match, f"no CSRF field on {page}"
    return match.group(1)


def post(client: TestClient, path: str, data: dict | None = None, **kw):  # type: ignore[no-untyped-def]
    """A console form post with the session's CSRF token; the redirect is not followed."""
    return client.post(
        path, data={"csrf_token": csrf(client), **(data or {})}, follow_redirects=False, **kw
    )


def flash(client: TestClient, resp) -> str:  # type: ignore[no-untyped-def]
    """The message the page a post redirected to shows."""
    assert resp.status_code == 303, resp.text
    page = client.get(resp.headers["location"]).text
    match = re.search(r'<div class="flash (\w+)"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no message on {resp.headers['location']}"
    return f"{match.group(1)}: {match.group(2).strip()}"


def trail(engine, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def console(client: TestClient) -> TestClient:
    return login(client)


@pytest.fixture
def demo(engine):  # type: ignore[no-untyped-def]
    from api.console.demo import seed_demo

    with Session(engine, expire_on_commit=False) as s:
        return seed_demo(s)
