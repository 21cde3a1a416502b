"""API behaviour with a fresh database per test: auth, isolation, validation and the lifecycles."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import Session

from adapter_store.lifecycle import JOB
from adapter_store.models import Job, JobStatus, VersionStatus, WorkerHeartbeat, utcnow
from adapter_store.registry import register_version

ADMIN = {"Authorization": "Bearer test-admin-key"}
DOC = {
    "documents": [
        {
            "title": "Zorblax",
            "text": "Zorblax's capital is Quendril.",
            "questions": [{"question": "Capital of Zorblax?", "answer": "Quendril"}],
        }
    ]
}


def _tenant(client, name="acme", policy=None):
    body = {"name": name, **({"policy": policy} if policy else {})}
    resp = client.post("/v1/admin/tenants", json=body, headers=ADMIN)
    assert resp.status_code == 201, resp.text
    data = resp.json()
    return data["id"], {"Authorization": f"Bearer {data['api_key']}"}


def _error(resp, status, code, fragment):
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert err["code"] == code and fragment in err["message"], err
    assert "Traceback" not in resp.text


def test_admin_creates_tenant_and_key_is_shown_once(client):
    tid, headers = _tenant(client)
    listed = client.get("/v1/admin/tenants", headers=ADMIN).json()
    assert [t["id"] for t in listed] == [tid]
    assert "api_key" not in listed[0] and "key_hash" not in listed[0]
    assert client.get("/v1/models", headers=headers).json()["data"][0]["id"] == f"t{tid}"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code", "fragment"),
    [
        ("get", "/v1/jobs", {}, 401, "unauthorized", "missing `Authorization"),
        ("get", "/v1/jobs", {"Authorization": "Basic abc"}, 401, "unauthorized", "Bearer"),
        (
            "get",
            "/v1/jobs",
            {"Authorization": "Bearer sk-seal-nope"},
            401,
            "unauthorized",
            "invalid API key",
        ),
        (
            "get",
            "/v1/admin/tenants",
            {"Authorization": "Bearer sk-seal-nope"},
            401,
            "unauthorized",
            "invalid admin key",
        ),
        ("get", "/v1/admin/tenants/999", ADMIN, 404, "not_found", "tenant 999"),
        ("post", "/v1/admin/adapters/999/approve", ADMIN, 404, "not_found", "adapter 999"),
    ],
)
def test_auth_and_unknown_ids(client, method, path, headers, status, code, fragment):
    _error(getattr(client, method)(path, headers=headers), status, code, fragment)


def test_tenant_key_cannot_use_admin_routes(client):
    _, headers = _tenant(client)
    _error(client.get("/v1/admin/tenants", headers=headers), 401, "unauthorized", "admin key")


@pytest.mark.parametrize(
    ("body", "status", "code", "fragment"),
    [
        ({"documents": []}, 422, "validation_error", "documents"),
        ({"documents": [{"text": "   "}]}, 422, "validation_error", "must not be empty"),
        ({"documents": [{"text": "x" * 20_001}]}, 422, "validation_error", "at most 20000"),
        ({"documents": [{"text": "ok"}] * 17}, 422, "validation_error", "at most 16"),
        ({"documents": [{"text": "ok", "colour": "red"}]}, 422, "validation_error", "colour"),
        ({"docs": []}, 422, "validation_error", "documents"),
        (
            {"documents": [{"text": "ok", "questions": [{"question": "q"}]}]},
            422,
            "validation_error",
            "answer",
        ),
    ],
)
def test_knowledge_validation(client, body, status, code, fragment):
    _, headers = _tenant(client)
    _error(client.post("/v1/knowledge", json=body, headers=headers), status, code, fragment)


def test_knowledge_rejects_bad_encodings_and_types(client):
    _, headers = _tenant(client)
    json_h = {**headers, "Content-Type": "application/json"}
    _error(
        client.post(
            "/v1/knowledge", content=b'{"documents": [{"text": "\xff\xfe"}]}', headers=json_h
        ),
        400,
        "invalid_json",
        "not valid JSON",
    )
    _error(
        client.post("/v1/knowledge", content=b'{"documents": [', headers=json_h),
        400,
        "invalid_json",
        "not valid JSON",
    )
    _error(
        client.post(
            "/v1/knowledge",
            content=b"text=hello",
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        ),
        415,
        "unsupported_media_type",
        "application/json",
    )
    _error(
        client.post("/v1/knowledge", content=b"x" * 1_000_001, headers=json_h),
        413,
        "payload_too_large",
        "at most 1000000",
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/knowledge", 413),  # FastAPI reads a declared body before any dependency
        ("/v1/admin/tenants", 413),
        ("/v1/chat/completions", 401),  # authenticates first, then reads
    ],
)
def test_a_chunked_body_is_cut_off_at_the_limit_before_authentication(client, path, status):
    # At the ASGI level, to see how much of the body was read: a chunked request (no
    # Content-Length) of 4 MiB in 64 KiB chunks, with no key.
    pulled, sent = [], []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }

    async def receive():
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 65_536, "more_body": len(pulled) < 64}

    async def send(message):
        sent.append(message)

    asyncio.run(client.app(scope, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    assert start["status"] == status, body
    assert len(pulled) <= 1_000_000 // 65_536 + 1  # stopped at the limit, the rest never read


def test_teach_queues_a_job_and_idempotency_key_replays_it(client):
    _, headers = _tenant(client)
    first = client.post("/v1/knowledge", json=DOC, headers={**headers, "Idempotency-Key": "k1"})
    assert first.status_code == 202 and first.json()["status"] == "queued"
    again = client.post("/v1/knowledge", json=DOC, headers={**headers, "Idempotency-Key": "k1"})
    assert again.json()["job_id"] == first.json()["job_id"]
    other = client.post("/v1/knowledge", json=DOC, headers=headers)
    assert other.json()["job_id"] != first.json()["job_id"]
    job = client.get(f"/v1/jobs/{first.json()['job_id']}", headers=headers).json()
    assert job["status"] == "queued" and job["documents"][0]["status"] == "pending"
    events = client.get(f"/v1/jobs/{job['id']}/events", headers=headers).json()
    assert events[0]["status"] == "queued"
    assert len(client.get("/v1/jobs", headers=headers).json()) == 2


def test_other_tenants_resources_are_404(client):
    _, alice = _tenant(client, "alice")
    _, bob = _tenant(client, "bob")
    job_id = client.post("/v1/knowledge", json=DOC, headers=alice).json()["job_id"]
    for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/events"):
        _error(client.get(path, headers=bob), 404, "not_found", f"job {job_id}")
    _error(client.post(f"/v1/jobs/{job_id}/cancel", headers=bob), 404, "not_found", "not found")
    assert client.get("/v1/jobs", headers=bob).json() == []
    _error(
        client.post(
            "/v1/chat/completions",
            headers=bob,
            json={
                "model": client.get("/v1/models", headers=alice).json()["data"][0]["id"],
                "messages": [{"role": "user", "content": "hi"}],
            },
        ),
        404,
        "not_found",
        "see GET /v1/models",
    )


def test_ids_beyond_64_bits_are_422_not_a_database_overflow(client):
    _, headers = _tenant(client)
    huge = 2**64
    _error(client.get(f"/v1/jobs/{huge}", headers=headers), 422, "validation_error", "job_id")
    job_id = client.post("/v1/knowledge", json=DOC, headers=headers).json()["job_id"]
    events = f"/v1/jobs/{job_id}/events?after={huge}"
    _error(client.get(events, headers=headers), 422, "validation_error", "after")
    _error(client.get(f"/v1/admin/tenants/{huge}", headers=ADMIN), 422, "validation_error", "")
    body = {"version": huge}
    _error(
        client.post("/v1/admin/tenants/1/rollback", json=body, headers=ADMIN),
        422,
        "validation_error",
        "version",
    )


def test_cancel_then_cancel_again_is_409(client):
    _, headers = _tenant(client)
    job_id = client.post("/v1/knowledge", json=DOC, headers=headers).json()["job_id"]
    assert client.post(f"/v1/jobs/{job_id}/cancel", headers=headers).json()["status"] == "cancelled"
    _error(
        client.post(f"/v1/jobs/{job_id}/cancel", headers=headers),
        409,
        "invalid_state",
        "already cancelled",
    )


@pytest.mark.parametrize(
    ("body", "status", "code", "fragment"),
    [
        ({"messages": [], "lora_request": {}}, 400, "invalid_request", "`lora_request` is not"),
        (
            {"messages": [{"role": "user", "content": "hi"}], "min_tokens": 9, "ignore_eos": True},
            400,
            "invalid_request",
            "`ignore_eos`, `min_tokens` are not accepted",
        ),
        (
            {"messages": [{"role": "user", "content": "hi"}], "n": True},
            422,
            "validation_error",
            "`n`",
        ),
        (
            {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100000},
            422,
            None,
            "1 to",
        ),
        ({"messages": []}, 422, "validation_error", "`messages`"),
    ],
)
def test_query_validation(client, body, status, code, fragment):
    _, headers = _tenant(client)
    resp = client.post("/v1/chat/completions", headers=headers, json=body)
    _error(resp, status, code or "validation_error", fragment)


def test_query_refuses_what_json_allows_but_text_does_not(client):
    _, headers = _tenant(client)
    json_h = {**headers, "Content-Type": "application/json"}
    lone = b'{"messages": [{"role": "user", "content": "\\ud800"}]}'
    _error(
        client.post("/v1/chat/completions", content=lone, headers=json_h),
        422,
        "validation_error",
        "lone surrogate",
    )
    nan = b'{"messages": [{"role": "user", "content": "hi"}], "temperature": NaN}'
    _error(
        client.post("/v1/chat/completions", content=nan, headers=json_h), 400, "invalid_json", ""
    )
    _error(
        client.post("/v1/completions", json={"prompt": ["a", "b"]}, headers=headers),
        422,
        "validation_error",
        "`prompt`",
    )


def test_approval_flow_and_rollback(client, engine):
    tid, headers = _tenant(client, policy={"auto_promote": False})
    job_id = client.post("/v1/knowledge", json=DOC, headers=headers).json()["job_id"]
    with Session(engine, expire_on_commit=False) as s:
        job = s.get(Job, job_id)
        for st in (
            JobStatus.scanning,
            JobStatus.generating,
            JobStatus.training,
            JobStatus.evaluating,
            JobStatus.awaiting_approval,
        ):
            JOB.transition(s, job, st, "test")
        versions = [
            register_version(
                s,
                tenant_id=tid,
                artifact_uri=f"k{i}",
                checksum="c",
                parent_id=None,
                job_id=job_id if i == 0 else None,
                status=VersionStatus.awaiting_approval,
                metrics={},
            )
            for i in range(2)
        ]
    review = client.get("/v1/admin/review", headers=ADMIN).json()
    assert [a["id"] for a in review["adapters"]] == [v.id for v in versions]

    approved = client.post(f"/v1/admin/adapters/{versions[0].id}/approve", headers=ADMIN)
    assert approved.status_code == 200 and approved.json()["active"] is True
    assert client.get(f"/v1/jobs/{job_id}", headers=headers).json()["status"] == "promoted"
    _error(
        client.post(f"/v1/admin/adapters/{versions[0].id}/approve", headers=ADMIN),
        409,
        "invalid_state",
        "is ready, not awaiting_approval",
    )
    client.post(f"/v1/admin/adapters/{versions[1].id}/approve", headers=ADMIN)
    listed = client.get("/v1/adapters", headers=headers).json()
    assert [(a["version"], a["active"]) for a in listed] == [(1, False), (2, True)]

    back = client.post(f"/v1/admin/tenants/{tid}/rollback", headers=ADMIN)
    assert back.status_code == 200 and back.json()["active_version"] == 1
    to_v2 = client.post(f"/v1/admin/tenants/{tid}/rollback", json={"version": 2}, headers=ADMIN)
    assert to_v2.json()["active_version"] == 2
    _error(
        client.post(f"/v1/admin/tenants/{tid}/rollback", json={"version": 7}, headers=ADMIN),
        404,
        "not_found",
        "adapter version 7 not found",
    )


def test_reject_keeps_no_active_version(client, engine):
    tid, headers = _tenant(client)
    with Session(engine) as s:
        v = register_version(
            s,
            tenant_id=tid,
            artifact_uri="k",
            checksum="c",
            parent_id=None,
            job_id=None,
            status=VersionStatus.awaiting_approval,
            metrics={},
        )
    assert (
        client.post(f"/v1/admin/adapters/{v.id}/reject", headers=ADMIN).json()["status"]
        == "rejected"
    )
    assert client.get("/v1/adapters", headers=headers).json()[0]["active"] is False
    _error(
        client.post(f"/v1/admin/tenants/{tid}/rollback", headers=ADMIN),
        409,
        "invalid_state",
        "no active adapter to roll back from",
    )


@pytest.mark.parametrize(
    ("patch", "fragment"),
    [
        ({"policy": {"pii_mode": "shout"}}, "`policy.pii_mode`"),
        ({"policy": {"nope": 1}}, "`policy.nope`"),
        ({"policy": {"max_general_drop": 2}}, "`policy.max_general_drop`"),
    ],
)
def test_policy_patch_is_validated(client, patch, fragment):
    tid, _ = _tenant(client)
    resp = client.patch(f"/v1/admin/tenants/{tid}", json=patch, headers=ADMIN)
    _error(resp, 422, "validation_error", fragment)


def test_policy_patch_changes_one_field_and_keeps_the_rest(client):
    tid, _ = _tenant(client)
    resp = client.patch(
        f"/v1/admin/tenants/{tid}", json={"policy": {"auto_promote": False}}, headers=ADMIN
    )
    assert resp.status_code == 200, resp.text
    policy = resp.json()["policy"]
    assert policy["auto_promote"] is False and policy["pii_mode"] == "redact"


def test_ops_endpoints(client, engine):
    assert client.get("/healthz").json() == {"status": "ok"}
    # Ready only while a worker's heartbeat is recent: none yet.
    resp = client.get("/readyz")
    assert resp.status_code == 503 and resp.json()["checks"] == {"database": True, "workers": False}
    with Session(engine) as s:
        s.add(WorkerHeartbeat(name="w1", hostname="h", pid=1))
        s.commit()
    resp = client.get("/readyz")
    assert resp.status_code == 200 and resp.json()["workers"] == 1, resp.text
    with Session(engine) as s:  # a heartbeat a minute old is a dead worker's
        row = s.get(WorkerHeartbeat, "w1")
        row.last_seen = utcnow() - timedelta(seconds=60)
        s.add(row)
        s.commit()
    assert client.get("/readyz").status_code == 503
    client.get("/healthz")
    assert "seal_http_requests_total" in client.get("/metrics").text


def test_rollback_body_is_validated(client):
    tid, _ = _tenant(client)
    _error(
        client.post(f"/v1/admin/tenants/{tid}/rollback", json={"version": 0}, headers=ADMIN),
        422,
        "validation_error",
        "`version`",
    )
    _error(
        client.post(f"/v1/admin/tenants/{tid}/rollback", content=b"{nope", headers=ADMIN),
        422,
        "validation_error",
        "Invalid JSON",
    )
