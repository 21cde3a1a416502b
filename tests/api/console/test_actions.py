"""Every console action goes through the same use case as the REST API: the store changes, and the
audit trail records it as the API's would, with ``via="console"``. A refused action is a message on
the page, and changes nothing."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from adapter_store.models import (
    AdapterVersion,
    Document,
    Job,
    JobStatus,
    PolicyRound,
    PolicyVersion,
    Tenant,
    VersionStatus,
)
from adapter_store.registry import active_version_id, hash_key

from .conftest import csrf, flash, post, trail


def _console_row(engine, action: str):  # type: ignore[no-untyped-def]
    """The one row the console wrote for ``action`` (the demo data holds API rows too)."""
    (row,) = [r for r in trail(engine, action) if r.via == "console" and r.key_prefix == "test…"]
    assert row.actor_kind == "admin"
    assert row.request_id  # the request that made the change
    return row


def test_release_a_quarantined_document(console, engine, demo):
    doc_id = demo["quarantined_document"]
    resp = post(console, f"/console/documents/{doc_id}/release")
    assert flash(console, resp).startswith("ok: Document")
    with Session(engine) as s:
        doc = s.get(Document, doc_id)
        assert doc.status == "accepted"
        # Nothing else waits: the job was queued again for the worker.
        assert s.get(Job, doc.job_id).status == JobStatus.quarantined
    row = _console_row(engine, "document.released")
    assert row.object_id == str(doc_id) and row.after["status"] == "accepted"
    assert f'id="document-{doc_id}"' not in console.get("/console/review").text


def test_discard_a_quarantined_document_ends_its_job(console, engine, demo):
    doc_id = demo["quarantined_document"]
    post(console, f"/console/documents/{doc_id}/discard")
    with Session(engine) as s:
        doc = s.get(Document, doc_id)
        assert doc.status == "discarded" and s.get(Job, doc.job_id).status == "rejected"
    assert _console_row(engine, "document.discarded").after["job_status"] == "rejected"


def test_deciding_twice_is_a_message_not_an_error_page(console, engine, demo):
    doc_id = demo["quarantined_document"]
    post(console, f"/console/documents/{doc_id}/discard")
    again = post(console, f"/console/documents/{doc_id}/release")
    assert flash(console, again) == (
        f"error: document {doc_id} is discarded; only a quarantined one can be decided"
    )
    assert len(trail(engine, "document.discarded")) == 1 and not trail(engine, "document.released")


def test_approve_a_version_makes_it_active_and_ends_its_job(console, engine, demo):
    vid, acme = demo["awaiting_version"], demo["tenants"]["acme"]
    resp = post(console, f"/console/adapters/{vid}/approve")
    assert flash(console, resp) == "ok: t1-v4 is now active."
    with Session(engine) as s:
        version = s.get(AdapterVersion, vid)
        assert version.status == VersionStatus.ready and active_version_id(s, acme) == vid
        assert s.get(Job, version.job_id).status == JobStatus.promoted
    assert _console_row(engine, "adapter.approved").object_id == str(vid)


def test_reject_a_version_keeps_the_active_one(console, engine, demo):
    vid, acme = demo["awaiting_version"], demo["tenants"]["acme"]
    with Session(engine) as s:
        before = active_version_id(s, acme)
    post(console, f"/console/adapters/{vid}/reject")
    with Session(engine) as s:
        assert s.get(AdapterVersion, vid).status == VersionStatus.rejected
        assert active_version_id(s, acme) == before
    _console_row(engine, "adapter.rejected")


def test_roll_back_to_a_named_version_and_to_the_previous_one(console, engine, demo):
    acme = demo["tenants"]["acme"]
    with Session(engine) as s:
        ids = {
            v.version: v.id
            for v in s.exec(select(AdapterVersion).where(AdapterVersion.tenant_id == acme))
        }
    resp = post(console, f"/console/tenants/{acme}/rollback", {"version": "1"})
    assert flash(console, resp) == "ok: acme now serves v1."
    with Session(engine) as s:
        assert active_version_id(s, acme) == ids[1]
    post(console, f"/console/tenants/{acme}/rollback", {"version": "3"})
    previous = post(console, f"/console/tenants/{acme}/rollback")  # no version: the one before
    assert flash(console, previous) == "ok: acme now serves v2."
    rows = trail(engine, "tenant.rolled_back")
    assert [r.after["active_version_id"] for r in rows] == [ids[1], ids[3], ids[2]]
    assert {r.via for r in rows} == {"console"}
    bad = post(console, f"/console/tenants/{acme}/rollback", {"version": "4"})
    assert "only a version that is ready can serve" in flash(console, bad)


def test_create_a_tenant_shows_its_key_once(console, engine):
    resp = post(console, "/console/tenants", {"name": "acme"})
    assert resp.status_code == 201
    key = re.search(r'id="new-key" class="key">([^<]+)<', resp.text).group(1)
    with Session(engine) as s:
        tenant = s.exec(select(Tenant)).one()
        assert tenant.key_hash == hash_key(key) and key.startswith(tenant.key_prefix)
    assert key not in console.get(f"/console/tenants/{tenant.id}").text
    assert key not in console.get("/console/tenants").text
    assert key not in console.get("/console/audit").text
    row = _console_row(engine, "tenant.created")
    assert row.after["name"] == "acme" and key not in str(row.after)
    assert resp.headers["cache-control"] == "no-store"


def test_create_a_tenant_names_what_is_wrong(console, engine):
    bad = post(console, "/console/tenants", {"name": "<bad name>"})
    assert bad.status_code == 422 and "`name`: String should match pattern" in bad.text
    post(console, "/console/tenants", {"name": "acme"})
    dup = post(console, "/console/tenants", {"name": "acme"})
    assert dup.status_code == 409 and "a tenant named &#39;acme&#39; already exists" in dup.text
    with Session(engine) as s:
        assert len(s.exec(select(Tenant)).all()) == 1


def test_edit_a_tenant_policy(console, engine, demo):
    acme = demo["tenants"]["acme"]
    form = {
        "pii_mode": "block",
        "pii_entities": "PERSON: redact\nEMAIL_ADDRESS=allow",
        "routing": "on",
        "max_retention_drop": "0.1",
        "max_general_drop": "0.02",
        "max_safety_regressions": "0",
        "max_adapter_drop": "0.3",
        "max_adapter_safety_regressions": "1",
        "rehearsal_size": "",
        "max_active_jobs": "3",
        "policy_training": "own",
    }
    resp = post(console, f"/console/tenants/{acme}/policy", form)
    assert flash(console, resp) == "ok: Policy saved."
    with Session(engine) as s:
        policy = s.get(Tenant, acme).policy
    assert policy["pii_mode"] == "block" and policy["max_active_jobs"] == 3
    assert policy["pii_entities"] == {"PERSON": "redact", "EMAIL_ADDRESS": "allow"}
    # Unticked boxes are off.
    assert policy["auto_promote"] is False and policy["keep_raw_text"] is False
    row = _console_row(engine, "tenant.policy_changed")
    assert row.after["max_retention_drop"] == 0.1 and row.before["pii_mode"] == "redact"


def test_a_policy_with_bad_values_is_refused_with_every_problem_named(console, engine, demo):
    acme = demo["tenants"]["acme"]
    with Session(engine) as s:
        before = s.get(Tenant, acme).policy
    form = {
        "pii_mode": "shout",
        "max_retention_drop": "1.5",
        "max_active_jobs": "2.5",
        "pii_entities": "PERSON redact",
    }
    resp = post(console, f"/console/tenants/{acme}/policy", form)
    assert resp.status_code == 422 and "Nothing was saved" in resp.text
    assert "`policy.pii_entities` line 1" in resp.text
    form.pop("pii_entities")
    resp = post(console, f"/console/tenants/{acme}/policy", form)
    assert resp.status_code == 422
    for problem in ("`policy.pii_mode`", "`policy.max_retention_drop`", "`policy.max_active_jobs`"):
        assert problem in resp.text
    assert 'value="1.5"' in resp.text  # the form keeps what was typed
    with Session(engine) as s:
        assert s.get(Tenant, acme).policy == before


def test_rotate_a_tenant_key(console, engine, demo):
    acme = demo["tenants"]["acme"]
    with Session(engine) as s:
        old = s.get(Tenant, acme).key_hash
    resp = post(console, f"/console/tenants/{acme}/rotate-key")
    key = re.search(r'id="new-key" class="key">([^<]+)<', resp.text).group(1)
    with Session(engine) as s:
        assert s.get(Tenant, acme).key_hash == hash_key(key) != old
    _console_row(engine, "tenant.key_rotated")


def test_disable_and_enable_a_tenant(console, engine, demo):
    initech, running = demo["tenants"]["initech"], demo["running_job"]
    resp = post(console, f"/console/tenants/{initech}/disable")
    assert flash(console, resp) == "ok: Tenant initech disabled; 1 unfinished job(s) cancelled."
    with Session(engine) as s:
        assert s.get(Tenant, initech).disabled_at is not None
        assert s.get(Job, running).status == JobStatus.cancelled
    assert _console_row(engine, "tenant.disabled").after["cancelled_jobs"] == [running]
    assert [r.via for r in trail(engine, "job.cancelled")] == ["console"]
    post(console, f"/console/tenants/{initech}/enable")
    with Session(engine) as s:
        assert s.get(Tenant, initech).disabled_at is None
    _console_row(engine, "tenant.enabled")


def test_approve_and_roll_back_a_policy(console, engine, demo):
    with Session(engine) as s:
        waiting = s.exec(select(PolicyVersion).where(PolicyVersion.status == "awaiting_approval"))
        pid = waiting.one().id
    resp = post(console, f"/console/policies/{pid}/approve", {"back": "/console/rounds"})
    assert resp.headers["location"] == "/console/rounds"
    with Session(engine) as s:
        assert s.get(PolicyVersion, pid).status == "active"
    _console_row(engine, "policy.approved")
    back = post(console, "/console/policy/rollback")
    assert flash(console, back) == "ok: global now uses policy-global-v3."
    with Session(engine) as s:
        assert s.get(PolicyVersion, pid).status == "retired"
    assert _console_row(engine, "policy.rolled_back").after == {"active": "policy-global-v3"}


def test_reject_a_policy(console, engine, demo):
    with Session(engine) as s:
        pid = s.exec(
            select(PolicyVersion.id).where(PolicyVersion.status == "awaiting_approval")
        ).one()
    post(console, f"/console/policies/{pid}/reject", {"back": "https://evil.example/"})
    with Session(engine) as s:
        assert s.get(PolicyVersion, pid).status == "rejected"
    _console_row(engine, "policy.rejected")


def test_start_a_round(console, engine):
    resp = post(console, "/console/rounds", {"contexts": "4", "k": "2"})
    assert flash(console, resp).startswith("ok: Round 1 queued for global")
    with Session(engine) as s:
        rnd = s.get(PolicyRound, 1)
        assert rnd.config == {"contexts": 4, "k": 2} and rnd.source == "squad"
    _console_row(engine, "policy_round.started")
    bad = post(console, "/console/rounds", {"tenant_id": "999"})
    assert flash(console, bad) == "error: tenant 999 not found"


def test_the_csrf_token_is_per_session(console, client):
    first = csrf(console)
    console.post("/console/logout", data={"csrf_token": first})
    from .conftest import login

    login(console)
    assert csrf(console) != first
