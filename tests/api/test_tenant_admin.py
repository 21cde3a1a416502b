"""Admin control of a tenant's access: key rotation, disabling and enabling."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.models import Job, JobStatus, Tenant, VersionStatus
from adapter_store.registry import active_versions, register_version, set_active

ADMIN = {"Authorization": "Bearer test-admin-key"}
DOC = {"documents": [{"text": "The Zorblax bridge opened in 1911 over the river Quell."}]}


def _tenant(client, name="acme"):  # type: ignore[no-untyped-def]
    data = client.post("/v1/admin/tenants", json={"name": name}, headers=ADMIN).json()
    return data["id"], {"Authorization": f"Bearer {data['api_key']}"}


def test_a_rotated_key_replaces_the_old_one_at_once(client):
    tid, old = _tenant(client)
    resp = client.post(f"/v1/admin/tenants/{tid}/rotate-key", headers=ADMIN)
    assert resp.status_code == 200
    new = {"Authorization": f"Bearer {resp.json()['api_key']}"}
    assert resp.json()["key_prefix"] != "" and resp.json()["api_key"].startswith(
        resp.json()["key_prefix"]
    )
    assert client.get("/v1/models", headers=old).status_code == 401
    assert client.get("/v1/models", headers=new).status_code == 200
    # The key is shown once: reading the tenant never shows it.
    assert "api_key" not in client.get(f"/v1/admin/tenants/{tid}", headers=ADMIN).json()


def test_disabling_refuses_the_key_stops_serving_and_cancels_unfinished_jobs(client, engine):
    tid, key = _tenant(client)
    other_id, other = _tenant(client, "other")
    job_id = client.post("/v1/knowledge", json=DOC, headers=key).json()["job_id"]
    with Session(engine, expire_on_commit=False) as s:
        for t in (tid, other_id):
            v = register_version(
                s,
                tenant_id=t,
                artifact_uri=f"a{t}",
                checksum="c",
                parent_id=None,
                job_id=None,
                status=VersionStatus.ready,
                metrics={},
            )
            set_active(s, t, v.id)
        assert {v.tenant_id for v in active_versions(s)} == {tid, other_id}
    resp = client.post(f"/v1/admin/tenants/{tid}/disable", headers=ADMIN)
    assert resp.status_code == 200
    assert resp.json()["disabled_at"] and resp.json()["cancelled_jobs"] == [job_id]
    for method, path in (("get", "/v1/models"), ("get", f"/v1/jobs/{job_id}")):
        denied = client.request(method, path, headers=key)
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    with Session(engine) as s:
        assert s.get(Job, job_id).status == JobStatus.cancelled
        # The reconciler keeps loaded only what active_versions lists.
        assert {v.tenant_id for v in active_versions(s)} == {other_id}
    assert client.get("/v1/models", headers=other).status_code == 200  # others are untouched
    enabled = client.post(f"/v1/admin/tenants/{tid}/enable", headers=ADMIN)
    assert enabled.status_code == 200 and enabled.json()["disabled_at"] is None
    assert client.get("/v1/models", headers=key).status_code == 200
    with Session(engine) as s:
        assert {v.tenant_id for v in active_versions(s)} == {tid, other_id}
        assert s.get(Tenant, tid).disabled_at is None


def test_tenant_keys_cannot_reach_the_admin_routes(client):
    tid, key = _tenant(client)
    for action in ("rotate-key", "disable", "enable"):
        assert client.post(f"/v1/admin/tenants/{tid}/{action}", headers=key).status_code == 401
    assert client.post("/v1/admin/tenants/999/disable", headers=ADMIN).status_code == 404
