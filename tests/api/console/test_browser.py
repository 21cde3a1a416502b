"""The console in a real browser: headless Chromium (Debian's, through Playwright) against the app
served by uvicorn on a loopback port, a SQLite file behind it. Log in, release a quarantined
document, approve a version, roll back (through the confirm prompt), and watch a job's progress
move while the test advances it in the database, without a reload.

Chromium is required when CI=true (a missing one fails these tests); elsewhere they skip."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, SQLModel

from adapter_store.lifecycle import JOB
from adapter_store.models import AdapterVersion, Document, Job
from adapter_store.registry import active_version_id
from api.console.demo import seed_demo
from api.deps import get_session
from api.main import create_app
from core.db import make_engine
from tests.conftest import require_service

from .conftest import ADMIN_KEY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The app on a loopback port over a seeded SQLite file, for the module's tests."""
    require_service("Chromium (/usr/bin/chromium)", CHROMIUM.exists())
    import uvicorn

    import adapter_store.models  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('console') / 'console.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        ids = seed_demo(s)
    app = create_app()

    def session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = session
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "engine": engine, **ids}
    server.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser(live):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live["url"], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#key", ADMIN_KEY)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/review")
    yield page
    context.close()


def _flash(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".flash").inner_text()


def test_a_wrong_key_is_refused_and_the_cookie_is_out_of_reach_of_scripts(browser, live):
    context = browser.new_context(base_url=live["url"])
    page = context.new_page()
    page.goto("/console/review")
    assert page.url.endswith("/console/login?next=/console/review")
    page.fill("#key", "wrong")
    page.click("button[type=submit]")
    assert "That is not the admin key." in _flash(page)
    page.fill("#key", ADMIN_KEY)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/review")
    assert page.evaluate("document.cookie") == ""  # HttpOnly
    (cookie,) = context.cookies()
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/console")
    assert ADMIN_KEY not in page.content()
    context.close()


def test_release_a_quarantined_document(page, live):
    doc_id = live["quarantined_document"]
    card = page.locator(f"#document-{doc_id}")
    assert card.locator("mark.g-pii").inner_text().startswith("<EMAIL_ADDRESS>")
    card.get_by_role("button", name="Release").click()
    page.wait_for_url("**/console/review")
    assert _flash(page).startswith(f"Document {doc_id} accepted")
    assert page.locator(f"#document-{doc_id}").count() == 0
    with Session(live["engine"]) as s:
        assert s.get(Document, doc_id).status == "accepted"


def test_approve_a_version_awaiting_approval(page, live):
    vid = live["awaiting_version"]
    questions: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.locator(f"#version-{vid}").get_by_role("button", name="Approve").click()
    page.wait_for_selector(".flash")
    assert questions == ["Approve t1-v4? It becomes acme's active adapter."]
    assert _flash(page) == "t1-v4 is now active."
    with Session(live["engine"]) as s:
        assert active_version_id(s, live["tenants"]["acme"]) == vid
        assert s.get(AdapterVersion, vid).status == "ready"


def test_roll_back_through_the_confirm_prompt(page, live):
    acme = live["tenants"]["acme"]
    with Session(live["engine"]) as s:
        before = active_version_id(s, acme)
    page.goto(f"/console/adapters/{acme}")
    button = page.locator('tr[data-version="2"]').get_by_role("button")
    assert button.inner_text() == "Roll back to v2"
    # Dismissed: nothing is posted.
    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    page.wait_for_timeout(300)
    with Session(live["engine"]) as s:
        assert active_version_id(s, acme) == before
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    page.wait_for_selector(".flash")
    assert _flash(page) == "acme now serves v2."
    assert page.locator("#active-alias").inner_text() == "t1-v2"
    with Session(live["engine"]) as s:
        version = s.get(AdapterVersion, active_version_id(s, acme))
        assert version.version == 2


def test_a_jobs_progress_moves_on_the_page_without_a_reload(page, live):
    job_id = live["running_job"]
    page.goto("/console/jobs")
    row = page.locator(f'tr[data-job-id="{job_id}"]')
    status = row.locator('[data-field="status"]')
    progress = row.locator('[data-field="progress-text"]')
    assert (status.inner_text(), progress.inner_text()) == ("training", "45%")
    page.evaluate("window.__not_reloaded = true")
    page.wait_for_timeout(500)  # the stream is open and has sent the first states
    engine = live["engine"]
    with Session(engine) as s:
        JOB.add_event(s, s.get(Job, job_id), "candidate 2 of 3 trained", progress=0.6)
    progress.filter(has_text="60%").wait_for()
    with Session(engine) as s:
        JOB.transition(s, s.get(Job, job_id), "evaluating", "gating the candidates", progress=0.8)
    status.filter(has_text="evaluating").wait_for()
    assert progress.inner_text() == "80%"
    assert row.locator("progress").get_attribute("value") is not None
    assert float(row.locator("progress").evaluate("p => p.value")) == 0.8
    assert page.evaluate("window.__not_reloaded") is True


def test_the_stream_stops_polling_when_the_page_is_closed(browser, live):
    from sqlalchemy import event

    polls: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if "console_session" in statement:  # each poll re-checks the session
            polls.append(statement)

    context = browser.new_context(base_url=live["url"])
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#key", ADMIN_KEY)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/review")
    page.goto("/console/jobs")
    event.listen(live["engine"], "before_cursor_execute", count)
    try:
        page.wait_for_timeout(2500)
        assert len(polls) >= 2  # about one a second
        context.close()
        time.sleep(1.5)  # a poll under way finishes
        polls.clear()
        time.sleep(2.5)
        assert polls == []
    finally:
        event.remove(live["engine"], "before_cursor_execute", count)
