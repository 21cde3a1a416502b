"""Console sessions: the admin key once at login, then an HttpOnly, SameSite=Strict cookie whose
hash is all the database keeps; CSRF token and same-site origin on every change; logout ends the
session server-side; repeated wrong keys slow the guesser down."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from adapter_store.models import ConsoleSession, Tenant
from api.console.auth import COOKIE, LoginThrottle

from .conftest import ADMIN_KEY, csrf, login, trail

PAGES = [
    "/console/review",
    "/console/tenants",
    "/console/tenants/1",
    "/console/adapters",
    "/console/adapters/1",
    "/console/jobs",
    "/console/jobs/1",
    "/console/rounds",
    "/console/rounds/1",
    "/console/audit",
]


def _cookie(resp) -> str:  # type: ignore[no-untyped-def]
    return resp.headers.get("set-cookie", "")


def console_token(resp) -> str:  # type: ignore[no-untyped-def]
    return _cookie(resp).split(";")[0].removeprefix(f"{COOKIE}=")


def test_a_wrong_key_is_refused_without_a_cookie_or_a_session(client, engine):
    resp = client.post("/console/login", data={"key": "not-the-key"}, follow_redirects=False)
    assert resp.status_code == 401
    assert "That is not the admin key." in resp.text and "not-the-key" not in resp.text
    assert COOKIE not in _cookie(resp)
    with Session(engine) as s:
        assert s.exec(select(ConsoleSession)).all() == []
    assert client.get("/console/review", follow_redirects=False).status_code == 303


def test_login_sets_a_strict_httponly_cookie_and_stores_only_its_hash(client, engine):
    resp = client.post(
        "/console/login", data={"key": ADMIN_KEY, "next": "/console/jobs"}, follow_redirects=False
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/console/jobs"
    token = console_token(resp)
    flags = [p.strip().lower() for p in _cookie(resp).split(";")]
    assert {"httponly", "samesite=strict", "path=/console"} <= set(flags)
    assert "secure" not in flags  # plain http here; see the https test
    with Session(engine) as s:
        row = s.exec(select(ConsoleSession)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.csrf_token) and row.key_prefix == "test…"
    page = client.get("/console/jobs").text
    assert ADMIN_KEY not in page and token not in page
    (event,) = trail(engine, "console.login")
    assert (event.actor_kind, event.via, event.key_prefix) == ("admin", "console", "test…")


def test_the_cookie_is_secure_over_https(client):
    secure = TestClient(client.app, base_url="https://testserver")
    resp = secure.post("/console/login", data={"key": ADMIN_KEY}, follow_redirects=False)
    assert "secure" in [p.strip().lower() for p in _cookie(resp).split(";")]


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/v1/models"])
def test_login_never_redirects_off_the_console(client, next_url):
    resp = client.post(
        "/console/login", data={"key": ADMIN_KEY, "next": next_url}, follow_redirects=False
    )
    assert resp.headers["location"] == "/console/review"


def test_every_page_sends_a_visitor_without_a_session_to_the_login(client, demo):
    # Existing ids too: the session is checked before anything is looked up.
    for page in PAGES:
        resp = client.get(page, follow_redirects=False)
        assert resp.status_code == 303, page
        assert resp.headers["location"] == f"/console/login?next={page}"


@pytest.mark.parametrize(
    ("data", "headers", "reason"),
    [
        ({}, {}, "CSRF token is missing or wrong"),
        ({"csrf_token": "forged"}, {}, "CSRF token is missing or wrong"),
        ({"csrf_token": None}, {"Origin": "https://evil.example"}, "Origin is not this console"),
        ({"csrf_token": None}, {"Referer": "https://evil.example/x"}, "Referer is not this"),
        ({"csrf_token": None}, {"Sec-Fetch-Site": "cross-site"}, "another site (cross-site)"),
    ],
)
def test_a_change_without_the_token_or_from_another_site_is_refused(
    console, engine, data, headers, reason
):
    if data.get("csrf_token", "") is None:
        data = {"csrf_token": csrf(console)}
    resp = console.post(
        "/console/tenants", data={"name": "sneaky", **data}, headers=headers, follow_redirects=False
    )
    assert resp.status_code == 403 and reason in resp.text
    with Session(engine) as s:
        assert s.exec(select(Tenant)).all() == []
    assert trail(engine, "tenant.created") == []


def test_the_same_origin_with_the_token_is_accepted(console, engine):
    resp = console.post(
        "/console/tenants",
        data={"name": "acme", "csrf_token": csrf(console)},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert resp.status_code == 201


def test_a_post_without_a_session_changes_nothing(client, engine):
    resp = client.post("/console/tenants", data={"name": "x"}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/console/login")
    with Session(engine) as s:
        assert s.exec(select(Tenant)).all() == []


def test_logout_ends_the_session_and_the_old_cookie_opens_nothing(console, engine):
    old = console.cookies.get(COOKIE)
    resp = console.post(
        "/console/logout", data={"csrf_token": csrf(console)}, follow_redirects=False
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/console/login"
    assert f'{COOKIE}=""' in _cookie(resp) or "max-age=0" in _cookie(resp).lower()
    with Session(engine) as s:
        assert s.exec(select(ConsoleSession)).one().ended_at is not None
    replay = TestClient(console.app, cookies={COOKIE: old})
    assert replay.get("/console/review", follow_redirects=False).status_code == 303
    (event,) = trail(engine, "console.logout")
    assert event.via == "console"


def test_an_expired_session_opens_nothing(console, engine):
    with Session(engine) as s:
        row = s.exec(select(ConsoleSession)).one()
        row.expires_at = row.created_at - timedelta(seconds=1)
        s.add(row)
        s.commit()
    assert console.get("/console/review", follow_redirects=False).status_code == 303


def test_the_login_slows_down_after_repeated_wrong_keys(client):
    for _ in range(5):
        assert client.post("/console/login", data={"key": "guess"}).status_code == 401
    # Even the right key waits now: the guesser cannot tell.
    blocked = client.post("/console/login", data={"key": ADMIN_KEY}, follow_redirects=False)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert COOKIE not in _cookie(blocked)


def test_throttle_doubles_the_wait_and_forgets_a_success():
    throttle = LoginThrottle(free=2, max_wait=8)
    for t in range(2):
        throttle.failed("ip", now=float(t))
    assert throttle.wait_s("ip", now=1.0) == 1.0
    throttle.failed("ip", now=10.0)
    assert throttle.wait_s("ip", now=10.0) == 2.0 and throttle.wait_s("ip", now=12.5) == 0
    for t in range(5):
        throttle.failed("ip", now=20.0 + t)
    assert throttle.wait_s("ip", now=24.0) == 8.0  # capped
    assert throttle.wait_s("other", now=24.0) == 0
    throttle.succeeded("ip")
    assert throttle.wait_s("ip", now=24.0) == 0


def test_logging_in_again_keeps_sessions_apart(client, engine):
    login(client)
    login(client)
    with Session(engine) as s:
        assert len(s.exec(select(ConsoleSession)).all()) == 2
