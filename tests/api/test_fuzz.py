"""Property-based fuzzing of every operation in the OpenAPI document (schemathesis): whatever a
client sends — inside the schema or just outside it — the answer is never a 5xx. Tenant routes
get a tenant key, admin routes the admin key; the query routes need a model server and are
covered by their own validation tests (tests/api/test_query_body.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlmodel import Session, SQLModel

from api.deps import get_session
from api.main import create_app
from core.db import make_engine
from workers.leases import Heartbeat

ADMIN = {"Authorization": "Bearer test-admin-key"}
# Routes that forward to vLLM: without one they answer 503 by design.
NEEDS_MODEL_SERVER = ["/v1/chat/completions", "/v1/completions"]

# The schema is collected at import time (one test per operation), so the app and its database
# are built here, once for the module: a throwaway SQLite file.
_ENGINE = make_engine(f"sqlite:///{Path(tempfile.mkdtemp(prefix='seal-fuzz-')) / 'fuzz.db'}")
SQLModel.metadata.create_all(_ENGINE)
APP = create_app()


def _session():  # type: ignore[no-untyped-def]
    with Session(_ENGINE, expire_on_commit=False) as s:
        yield s


APP.dependency_overrides[get_session] = _session
# A worker's heartbeat beats on the database (/readyz is 503 without one, by design).
HEARTBEAT = Heartbeat(_ENGINE, "fuzz-worker", interval_s=5, lease_s=60).start()
with TestClient(APP) as _client:
    _key = _client.post("/v1/admin/tenants", json={"name": "fuzz"}, headers=ADMIN).json()["api_key"]
    TENANT = {"Authorization": f"Bearer {_key}"}
    # Something to find: a job, so that ids in paths sometimes exist.
    _doc = {"documents": [{"text": "The Zorblax bridge opened in 1911 over the river."}]}
    _client.post("/v1/knowledge", json=_doc, headers=TENANT)

schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path=NEEDS_MODEL_SERVER)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every run: a failure here is reproducible
)
def test_no_operation_answers_5xx(case):  # type: ignore[no-untyped-def]
    headers = ADMIN if case.path.startswith("/v1/admin") else TENANT
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
