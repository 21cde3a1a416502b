"""Live job updates: the stream sends a job when its status or progress changed, holds no database
connection between polls, and ends when the browser goes away or the session ends."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from adapter_store.lifecycle import JOB
from adapter_store.models import ConsoleSession, Job, utcnow
from api.console import routes


class _Browser:
    """A request that stays connected for ``polls`` checks."""

    def __init__(self, polls: int) -> None:
        self.polls = polls

    async def is_disconnected(self) -> bool:
        self.polls -= 1
        return self.polls < 0


def _session_id(engine) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return s.exec(select(ConsoleSession.id)).one()


def test_changes_are_sent_and_no_connection_is_held_between_polls(console, engine, demo):
    job_id, sid = demo["running_job"], _session_id(engine)

    async def run() -> list[str]:
        stream = routes.job_updates(
            _Browser(10), engine, sid, [job_id, 999], demo["queued_job"], poll_s=0.01
        )
        out = [await anext(stream), await anext(stream)]
        assert engine.pool.checkedout() == 0
        with Session(engine) as s:
            job = s.get(Job, job_id)
            JOB.add_event(s, job, "candidate 2 of 3 trained", progress=0.6)
            JOB.transition(s, job, "evaluating", "gating", progress=0.8)
        out.append(await anext(stream))
        with Session(engine) as s:
            s.add(Job(tenant_id=demo["tenants"]["acme"]))
            s.commit()
        out.append(await anext(stream))
        await stream.aclose()
        return out

    retry, first, moved, newest = asyncio.run(run())
    assert retry == "retry: 3000\n\n"
    assert first.startswith("event: job\n") and '"status": "training", "progress": 0.45' in first
    assert '"status": "evaluating", "progress": 0.8' in moved
    assert newest == f'event: newest\ndata: {{"id": {demo["queued_job"] + 1}}}\n\n'


def test_the_stream_ends_when_the_browser_disconnects(console, engine, demo):
    async def run() -> list[str]:
        stream = routes.job_updates(_Browser(2), engine, _session_id(engine), [], 0, poll_s=0)
        return [event async for event in stream]

    events = asyncio.run(run())
    # retry, then two polls (the newest job id once), then the disconnect ends it.
    assert events[0].startswith("retry") and len(events) == 2


def test_the_stream_ends_with_the_session(console, engine, demo):
    sid = _session_id(engine)
    with Session(engine) as s:
        row = s.get(ConsoleSession, sid)
        row.ended_at = utcnow()
        s.add(row)
        s.commit()

    async def run() -> list[str]:
        return [e async for e in routes.job_updates(_Browser(5), engine, sid, [1], 10**6)]

    assert asyncio.run(run())[-1] == "event: logout\ndata: {}\n\n"


def test_the_stream_route_is_an_event_stream(console, demo, monkeypatch):
    monkeypatch.setattr(routes, "STREAM_MAX_S", 0.2)
    monkeypatch.setattr(routes, "POLL_S", 0.05)
    job_id = demo["running_job"]
    resp = console.get(f"/console/jobs/stream?ids={job_id},x&newest=0")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert f'"id": {job_id}, "status": "training"' in resp.text
    assert "event: newest" in resp.text


def test_the_stream_needs_a_session(client):
    resp = client.get("/console/jobs/stream", follow_redirects=False)
    assert resp.status_code == 303
