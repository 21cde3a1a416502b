"""Log lines: JSON with the request id of an HTTP request and the job id of a job run, and never a
document's text, not even in an exception's message."""

from __future__ import annotations

import io
import json
import logging

import pytest
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job
from adapter_store.registry import create_tenant
from core import context
from core.errors import ServiceError
from core.logging import WITHHELD, configure_logging, safe_traceback
from workers.teach_job import run_teach_job

ADMIN = {"Authorization": "Bearer test-admin-key"}
SENTENCE = "The quartermaster hid the silver ledger beneath the third floorboard of the mill."
EMAIL = "ada.lovelace@example.org"
SECRET_TEXT = f"{SENTENCE} Write to {EMAIL} for the key."
FIELDS = {"timestamp", "level", "logger", "message", "request_id", "job_id", "round_id"}


@pytest.fixture
def json_logs():  # type: ignore[no-untyped-def]
    """Every log line of the test, JSON, at DEBUG: the list of parsed lines, read at the end."""
    root = logging.getLogger()
    level = root.level
    buf = io.StringIO()
    handler = configure_logging(True, "DEBUG", stream=buf)

    def lines() -> list[dict]:
        raw = [line for line in buf.getvalue().splitlines() if line.strip()]
        parsed = [json.loads(line) for line in raw]  # every line is valid JSON
        for line in parsed:
            assert FIELDS <= set(line), line
        return parsed

    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_an_http_request_logs_json_lines_with_its_request_id(client, json_logs):
    resp = client.get("/v1/models", headers={"X-Request-ID": "req-abc-12345"})
    assert resp.status_code == 401 and resp.headers["X-Request-ID"] == "req-abc-12345"
    access = [line for line in json_logs() if line["logger"] == "seal.access"]
    assert access, json_logs()
    line = access[-1]
    assert line["request_id"] == "req-abc-12345" and line["job_id"] is None
    assert line["level"] == "INFO" and "GET /v1/models 401" in line["message"]


class _Explodes:
    """A generator whose error quotes the document it was given, as a library's might."""

    def generate(self, prompts, *a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot continue {prompts!r}")


def test_a_job_logs_json_lines_with_its_job_id_and_no_document_text(
    engine, tiny_settings, tmp_path, json_logs
):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "logs")
        job, _ = create_job(s, tenant.id, [{"title": "Mill", "text": SECRET_TEXT}])
    store = LocalArtifactStore(tmp_path / "store")
    status = run_teach_job(
        job.id, settings=tiny_settings, engine=engine, store=store, generator=_Explodes()
    )
    assert status == "failed"
    lines = json_logs()
    of_job = [line for line in lines if line["job_id"] == job.id]
    messages = [line["message"] for line in of_job]
    assert "stage scan took" in " ".join(messages), messages
    failure = next(line for line in of_job if line["level"] == "ERROR")
    assert "RuntimeError" in failure["exception"] and WITHHELD in failure["exception"]
    _assert_no_document_text(lines)


def test_a_guard_scan_keeps_document_text_out_of_the_logs(client, json_logs):
    key = client.post("/v1/admin/tenants", json={"name": "scan"}, headers=ADMIN).json()["api_key"]
    resp = client.post(
        "/v1/guards/scan",
        json={"documents": [{"text": SECRET_TEXT}, {"text": SECRET_TEXT}]},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["documents"][0]["findings"]  # the e-mail address was found
    lines = json_logs()
    assert any(line["request_id"] for line in lines)
    _assert_no_document_text(lines)


def _assert_no_document_text(lines: list[dict]) -> None:
    text = json.dumps(lines)
    for part in (SENTENCE, "silver ledger", "quartermaster", EMAIL, "ada.lovelace"):
        assert part not in text, part


def test_exceptions_keep_their_frames_and_only_a_service_errors_message():
    try:
        try:
            raise KeyError(SENTENCE)
        except KeyError as exc:
            raise ServiceError("unavailable", "the model server is restarting") from exc
    except ServiceError as exc:
        shown = safe_traceback(exc)
        everything = safe_traceback(exc, messages=True)
    assert "ServiceError: the model server is restarting" in shown
    assert "KeyError: " + WITHHELD in shown and SENTENCE not in shown
    assert "test_logging.py" in shown  # the frames are there to debug with
    assert SENTENCE in everything


def test_text_lines_carry_the_ids_too():
    buf = io.StringIO()
    handler = configure_logging(False, "INFO", stream=buf)
    try:
        with context.bound(context.round_id, 42), context.bound(context.request_id, "r-1"):
            logging.getLogger("seal.test").info("hello")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "[request=r-1 job=None round=42] hello" in buf.getvalue()


def test_configuring_again_replaces_only_its_own_handler():
    root = logging.getLogger()
    other = logging.NullHandler()
    root.addHandler(other)
    first = configure_logging(True)
    second = configure_logging(False)
    try:
        assert other in root.handlers and second in root.handlers and first not in root.handlers
    finally:
        root.removeHandler(second)
        root.removeHandler(other)


def test_the_celery_worker_logs_through_the_service_formatter(monkeypatch):
    """Celery's setup_logging signal has a receiver: Celery installs no handlers of its own."""
    from celery.signals import setup_logging

    from core.settings import get_settings

    monkeypatch.setenv("SEAL_LOG_FORMAT", "json")
    get_settings.cache_clear()
    root = logging.getLogger()
    level = root.level
    try:
        import workers.celery_app  # noqa: F401 - connects the receiver

        assert setup_logging.receivers
        setup_logging.send(
            sender=None, loglevel=logging.WARNING, logfile=None, format="", colorize=False
        )
        ours = [h for h in root.handlers if getattr(h, "_seal", False)]
        assert len(ours) == 1 and type(ours[0].formatter).__name__ == "JsonFormatter"
        assert root.level == logging.WARNING
    finally:
        for h in [h for h in root.handlers if getattr(h, "_seal", False)]:
            root.removeHandler(h)
        root.setLevel(level)
        get_settings.cache_clear()


def test_uvicorn_access_lines_are_left_to_the_api_own_access_log() -> None:
    """One access line per request (``seal.access``), not a second raw-path one from uvicorn."""
    import logging

    from core.logging import configure_logging

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging(json=True)
        access = logging.getLogger("uvicorn.access")
        assert access.propagate is False and not access.handlers
        assert logging.getLogger("uvicorn.error").propagate is True
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
