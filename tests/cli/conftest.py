"""The CLI against the real API: ``api.main.create_app()`` served by uvicorn on a loopback port in
a background thread, on a fresh SQLite database per test (the ``engine`` fixture). No Celery
worker runs here: enqueueing a teach job is recorded instead, and a test that needs a job to move
writes its transitions with the store's own functions, as the worker would."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from sqlmodel import Session
from typer.testing import CliRunner

from api.deps import get_session
from api.main import create_app

ADMIN_KEY = "test-admin-key"  # set by tests/conftest.py for the app's settings


@dataclass
class Api:
    url: str
    app: Any
    enqueued: list[int] = field(default_factory=list)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def api(engine, monkeypatch) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    served = Api(url="", app=app)
    # The worker is out of scope: the job stays queued unless a test moves it.
    monkeypatch.setattr("workers.celery_app.enqueue_teach", served.enqueued.append)

    sock = _free_socket()
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, access_log=False, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.01)
    served.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    yield served
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def unused_url() -> str:
    """A loopback URL where nothing listens: connecting is refused."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@dataclass
class Seal:
    """Runs ``seal ...`` in-process with the environment a user would set."""

    url: str
    config_path: str
    api_key: str | None = None
    admin_key: str | None = ADMIN_KEY
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str, **env: str | None) -> Any:
        from cli.main import app

        base = {
            "SEAL_URL": self.url,
            "SEAL_API_KEY": self.api_key,
            "SEAL_ADMIN_KEY": self.admin_key,
            "SEAL_CONFIG": self.config_path,  # never the developer's own file
            "COLUMNS": "200",  # wide tables: nothing elided that a test looks for
        }
        return self.runner.invoke(app, list(args), env={**base, **env})


@pytest.fixture
def seal(api, tmp_path) -> Seal:  # type: ignore[no-untyped-def]
    return Seal(url=api.url, config_path=str(tmp_path / "no-config.toml"))
