"""Every state change through the API leaves one audit row (who, what, which object, which request,
before/after); ``GET /v1/admin/audit`` filters and pages them; nothing edits them."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.lifecycle import JOB
from adapter_store.models import Job, JobStatus, VersionStatus
from adapter_store.registry import register_version

ADMIN = {"Authorization": "Bearer test-admin-key"}
DOC = {"documents": [{"title": "Zorblax", "text": "Zorblax's capital is Quendril."}]}


def _trail(client, **params):  # type: ignore[no-untyped-def]
    r = client.get("/v1/admin/audit", params=params, headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()


def test_tenant_lifecycle_is_recorded_with_actor_request_and_changes(client) -> None:  # type: ignore[no-untyped-def]
    created = client.post(
        "/v1/admin/tenants",
        json={"name": "acme"},
        headers={**ADMIN, "X-Request-ID": "req-create-0001"},
    ).json()
    tid = created["id"]
    client.patch(
        f"/v1/admin/tenants/{tid}", json={"policy": {"auto_promote": False}}, headers=ADMIN
    )
    rotated = client.post(f"/v1/admin/tenants/{tid}/rotate-key", headers=ADMIN).json()
    tenant = {"Authorization": f"Bearer {rotated['api_key']}"}
    job_id = client.post("/v1/knowledge", json=DOC, headers=tenant).json()["job_id"]
    client.post(f"/v1/jobs/{job_id}/cancel", headers=tenant)
    client.post(f"/v1/admin/tenants/{tid}/disable", headers=ADMIN)
    client.post(f"/v1/admin/tenants/{tid}/enable", headers=ADMIN)

    items = _trail(client, tenant_id=tid)["items"]
    assert [e["action"] for e in items] == [
        "tenant.enabled",
        "tenant.disabled",
        "job.cancelled",
        "knowledge.taught",
        "tenant.key_rotated",
        "tenant.policy_changed",
        "tenant.created",
    ]
    by = {e["action"]: e for e in items}
    made = by["tenant.created"]
    assert (made["actor_kind"], made["key_prefix"], made["via"]) == ("admin", "test…", "api")
    assert made["request_id"] == "req-create-0001"
    assert made["after"]["name"] == "acme" and created["api_key"] not in str(items)
    # Only what changed, before and after.
    assert by["tenant.policy_changed"]["before"] == {"auto_promote": True}
    assert by["tenant.policy_changed"]["after"] == {"auto_promote": False}
    assert by["tenant.key_rotated"]["after"]["key_prefix"] == rotated["api_key"][:12]
    taught = by["knowledge.taught"]
    assert (taught["actor_kind"], taught["actor_id"], taught["object_id"]) == (
        "tenant",
        tid,
        str(job_id),
    )
    assert taught["key_prefix"] == rotated["api_key"][:12]
    assert "Quendril" not in str(items)  # never document text
    assert by["job.cancelled"]["before"] == {"status": "queued"}


def test_approve_and_rollback_record_the_alias_moves(client, engine) -> None:  # type: ignore[no-untyped-def]
    tid = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN).json()["id"]
    with Session(engine, expire_on_commit=False) as s:
        versions = [
            register_version(
                s,
                tenant_id=tid,
                artifact_uri=f"k{i}",
                checksum="c",
                parent_id=None,
                job_id=None,
                status=VersionStatus.awaiting_approval,
                metrics={},
            )
            for i in range(3)
        ]
    for v in versions[:2]:
        client.post(f"/v1/admin/adapters/{v.id}/approve", headers=ADMIN)
    client.post(f"/v1/admin/adapters/{versions[2].id}/reject", headers=ADMIN)
    client.post(f"/v1/admin/tenants/{tid}/rollback", headers=ADMIN)

    adapters = _trail(client, action="adapter.")["items"]
    assert [(e["action"], e["object_id"]) for e in adapters] == [
        ("adapter.rejected", str(versions[2].id)),
        ("adapter.approved", str(versions[1].id)),
        ("adapter.approved", str(versions[0].id)),
    ]
    assert adapters[0]["before"] == {"status": "awaiting_approval"}
    assert adapters[0]["after"]["status"] == "rejected"
    (rollback,) = _trail(client, action="tenant.rolled_back")["items"]
    assert rollback["before"] == {"active_version_id": versions[1].id}
    assert rollback["after"] == {"active_version_id": versions[0].id}


def test_paging_and_filters_are_validated(client, engine) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        client.post("/v1/admin/tenants", json={"name": f"t{i}"}, headers=ADMIN)
    first = _trail(client, limit=2)
    second = _trail(client, limit=2, before_id=first["next_before_id"])
    third = _trail(client, limit=2, before_id=second["next_before_id"])
    ids = [e["id"] for page in (first, second, third) for e in page["items"]]
    assert len(ids) == 5 == len(set(ids)) and ids == sorted(ids, reverse=True)
    assert third["next_before_id"] is None

    r = client.get("/v1/admin/audit?actor=robot&action=tenant.renamed", headers=ADMIN)
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "`actor` must be one of" in message and "`action` must be" in message
    assert client.get("/v1/admin/audit?limit=501", headers=ADMIN).status_code == 422


def test_only_admins_read_it_and_nobody_edits_it(client) -> None:  # type: ignore[no-untyped-def]
    created = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN).json()
    tenant = {"Authorization": f"Bearer {created['api_key']}"}
    assert client.get("/v1/admin/audit", headers=tenant).status_code == 401
    row = _trail(client)["items"][0]["id"]
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/v1/admin/audit/{row}", headers=ADMIN).status_code in (
            404,
            405,
        )
        assert getattr(client, method)("/v1/admin/audit", headers=ADMIN).status_code == 405


def test_a_job_moved_by_the_worker_is_not_an_audited_action(client, engine) -> None:  # type: ignore[no-untyped-def]
    """The trail is for what admins and tenants do; the worker's transitions are the job's events."""
    created = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN).json()
    tenant = {"Authorization": f"Bearer {created['api_key']}"}
    job_id = client.post("/v1/knowledge", json=DOC, headers=tenant).json()["job_id"]
    with Session(engine) as s:
        JOB.transition(s, s.get(Job, job_id), JobStatus.scanning, "worker")
    assert [e["action"] for e in _trail(client)["items"]] == ["knowledge.taught", "tenant.created"]
