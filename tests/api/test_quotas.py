"""Fair use: per-tenant limits answered 429 with Retry-After, one tenant's limit never another's."""

from __future__ import annotations

import pytest

from api.quotas import RateWindow

ADMIN = {"Authorization": "Bearer test-admin-key"}
DOC = {"documents": [{"text": "The Zorblax bridge opened in 1911 over the river Quell."}]}
HI = {"messages": [{"role": "user", "content": "hi"}]}


def _tenant(client, name, **policy):  # type: ignore[no-untyped-def]
    resp = client.post("/v1/admin/tenants", json={"name": name, "policy": policy}, headers=ADMIN)
    assert resp.status_code == 201, resp.text
    return {"Authorization": f"Bearer {resp.json()['api_key']}"}


def _limited(resp, fragment):  # type: ignore[no-untyped-def]
    assert resp.status_code == 429, resp.text
    err = resp.json()["error"]
    assert err["code"] == "rate_limited" and fragment in err["message"], err
    return int(resp.headers["Retry-After"])


def test_active_jobs_are_limited_and_a_replay_or_another_tenant_is_not(client):
    alice = _tenant(client, "alice", max_active_jobs=2)
    bob = _tenant(client, "bob", max_active_jobs=2)
    first = client.post("/v1/knowledge", json=DOC, headers={**alice, "Idempotency-Key": "k1"})
    assert client.post("/v1/knowledge", json=DOC, headers=alice).status_code == 202
    assert _limited(client.post("/v1/knowledge", json=DOC, headers=alice), "at most 2") == 60
    # A replayed key creates nothing: it is answered, not limited.
    replay = client.post("/v1/knowledge", json=DOC, headers={**alice, "Idempotency-Key": "k1"})
    assert replay.status_code == 202 and replay.json()["job_id"] == first.json()["job_id"]
    assert client.post("/v1/knowledge", json=DOC, headers=bob).status_code == 202
    # A finished (here: cancelled) job frees its place.
    client.post(f"/v1/jobs/{first.json()['job_id']}/cancel", headers=alice)
    assert client.post("/v1/knowledge", json=DOC, headers=alice).status_code == 202


def test_jobs_per_hour_say_when_the_oldest_leaves_the_window(client):
    alice = _tenant(client, "alice", max_active_jobs=10, max_jobs_per_hour=2)
    for _ in range(2):
        assert client.post("/v1/knowledge", json=DOC, headers=alice).status_code == 202
    retry = _limited(client.post("/v1/knowledge", json=DOC, headers=alice), "2 teach jobs per hour")
    assert 3500 < retry <= 3600


def test_queries_per_minute_are_limited_before_anything_else(client):
    alice = _tenant(client, "alice", max_queries_per_minute=2)
    bob = _tenant(client, "bob", max_queries_per_minute=2)
    for _ in range(2):  # no model server here: 503, but counted
        assert client.post("/v1/chat/completions", json=HI, headers=alice).status_code == 503
    retry = _limited(client.post("/v1/chat/completions", json=HI, headers=alice), "2 queries")
    assert 1 <= retry <= 60
    assert client.post("/v1/chat/completions", json=HI, headers=bob).status_code == 503


def test_scanned_characters_per_minute_are_limited(client):
    alice = _tenant(client, "alice", max_scan_chars_per_minute=100)
    text = {"documents": [{"text": "Water boils at 100 degrees Celsius at sea level, they say."}]}
    assert client.post("/v1/guards/scan", json=text, headers=alice).status_code == 200
    _limited(client.post("/v1/guards/scan", json=text, headers=alice), "100 characters")


def test_rate_window_waits_exactly_until_enough_has_aged_out():
    now = [0.0]
    window = RateWindow(60.0, clock=lambda: now[0])
    assert window.spend("a", 40, 100) == 0.0
    now[0] = 10.0
    assert window.spend("a", 40, 100) == 0.0
    now[0] = 20.0
    assert window.spend("a", 40, 100) == pytest.approx(40.0)  # the first 40 leaves at t=60
    assert window.spend("b", 100, 100) == 0.0  # keys are independent
    assert window.spend("c", 101, 100) == 60.0  # can never fit
    now[0] = 60.0
    assert window.spend("a", 40, 100) == 0.0
