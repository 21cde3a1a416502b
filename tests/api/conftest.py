"""The API under test: the app on a fresh SQLite database per test (the ``engine`` fixture)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.deps import get_session
from api.main import create_app


@pytest.fixture
def client(engine):  # type: ignore[no-untyped-def]
    app = create_app()

    def _session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as c:
        yield c
