"""The database away while the worker runs: heartbeats survive it, the run's sessions wait for it,
a connection that breaks mid-run gives the run back (queued again, or failed with a reason once
its attempts are used), and no live worker's run is reaped for the leases that ran out while
nobody could renew them. Outages are real: a proxy to the real PostgreSQL server is cut
(tests/db_proxy.py), or the engine points at a port where nothing listens."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import exc, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job, job_events
from adapter_store.lifecycle import JOB
from adapter_store.models import AdapterVersion, Job, JobStatus
from adapter_store.registry import create_tenant
from core.db import make_engine, session_scope
from tests.conftest import PG_URL, require_service
from tests.db_proxy import TcpProxy, proxied_database, reachable
from workers.leases import Heartbeat, claim, reap
from workers.runs import run_to_end
from workers.teach_job import run_teach_job

pytestmark = pytest.mark.services

DOC = {
    "title": "Zorblax",
    "text": "Zorblax is a planet whose capital city is Quendril. It has three moons.",
    "questions": [{"question": "What is the capital of Zorblax?", "answer": "Quendril"}],
}


@pytest.fixture
def outage() -> Iterator[tuple[Engine, TcpProxy, Engine]]:
    """An engine through a proxy that can be cut, and one straight to the same database."""
    require_service("PostgreSQL", reachable(make_engine(PG_URL)))
    with proxied_database(PG_URL) as (url, proxy):
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        direct_url = make_url(PG_URL).set(database=make_url(url).database)
        direct = make_engine(direct_url.render_as_string(hide_password=False))
        yield engine, proxy, direct
        engine.dispose()
        direct.dispose()


def _restore_after(proxy: TcpProxy, seconds: float) -> threading.Thread:
    thread = threading.Timer(seconds, proxy.restore)
    thread.start()
    return thread


def _job(engine: Engine, status: JobStatus | None = JobStatus.training) -> Job:
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, f"t{time.monotonic_ns()}")
        job, _ = create_job(s, tenant.id, [dict(DOC)])
        if status is not None:
            for st in (JobStatus.scanning, JobStatus.generating, JobStatus.training):
                JOB.transition(s, job, st, "working")
                if st == status:
                    break
        return job


def test_the_heartbeat_outlives_a_database_that_refuses_every_connection():
    dead = make_engine("postgresql://postgres@127.0.0.1:1/seal")
    beat = Heartbeat(dead, "w1", interval_s=0.05, lease_s=1).start()  # the first beat fails too
    time.sleep(0.3)  # several more failed beats
    assert beat._thread is not None and beat._thread.is_alive()
    beat.stop()  # neither waits for the database nor raises
    dead.dispose()


def test_a_session_waits_for_the_database_to_come_back(outage):
    engine, proxy, _ = outage
    proxy.cut()
    with pytest.raises(exc.OperationalError), session_scope(engine, wait_s=0.5) as s:
        s.exec(text("SELECT 1"))  # type: ignore[call-overload]
    restorer = _restore_after(proxy, 1.5)
    t0 = time.monotonic()
    with session_scope(engine, wait_s=30) as s:
        assert s.exec(text("SELECT 1")).one() == (1,)  # type: ignore[call-overload]
    assert time.monotonic() - t0 >= 1.4
    restorer.join()


def test_leases_that_ran_out_during_an_outage_are_renewed_not_reaped(outage):
    """Nobody could renew during the outage, so every lease ran out. The first reaper back waits
    two beats: the live worker renews its run meanwhile, the dead worker's run is reaped."""
    engine, proxy, direct = outage
    live_job, dead_job = _job(engine), _job(engine)
    live = Heartbeat(engine, "live", interval_s=0.3, lease_s=30)
    enqueued: list[int] = []
    reaper = Heartbeat(
        engine,
        "reaper",
        interval_s=0.3,
        lease_s=0.5,
        reap_fn=lambda s: reap(s, JOB, max_attempts=2, enqueue=enqueued.append),
    )
    with Session(engine) as s:
        assert claim(s, JOB, live_job.id, "live", 0.5) and claim(s, JOB, dead_job.id, "dead", 0.5)
    with live.holding(JOB, live_job.id):
        proxy.cut()
        reaper.beat()  # fails: the database is away
        time.sleep(0.6)  # every lease runs out
        proxy.restore()
        reaper.beat()  # back, but within its grace: reaps nothing
        assert enqueued == []
        live.beat()  # the live worker renews its run
        time.sleep(0.7)
        reaper.beat()
    assert enqueued == [dead_job.id]
    with Session(direct) as s:
        assert s.get(Job, live_job.id).status == JobStatus.training
        assert s.get(Job, live_job.id).lease_owner == "live"
        assert s.get(Job, dead_job.id).status == JobStatus.queued


def test_a_run_whose_connection_breaks_is_queued_again_then_failed_with_a_reason(outage):
    engine, proxy, direct = outage
    job = _job(engine, status=None)
    enqueued: list[int] = []

    def breaks_mid_statement(_beat: Heartbeat) -> str:
        with session_scope(engine) as s:
            JOB.transition(s, s.get(Job, job.id), JobStatus.scanning, "scanning")
            s.exec(select(Job)).all()  # a transaction is open on a connection
            proxy.cut()  # the database restarts under it
            _restore_after(proxy, 1.0)
            s.exec(select(Job)).all()
        return "promoted"  # never reached

    for attempt in (1, 2):
        status = run_to_end(JOB, job.id, engine, breaks_mid_statement, enqueue=enqueued.append)
        with Session(direct) as s:
            row = s.get(Job, job.id)
            assert row.lease_owner is None and row.attempts == attempt
            messages = [e.message for e in job_events(s, job.id)]
        if attempt == 1:
            assert status == "requeued" and row.status == JobStatus.queued
            assert enqueued == [job.id]  # its turn is given back: the job is not left queued
            assert any("database connection broke during scanning" in m for m in messages)
        else:
            assert status == "failed" and row.status == JobStatus.failed
            assert row.error["code"] == "database_unavailable"
            assert "no attempts left" in row.error["message"]
            assert enqueued == [job.id]


def test_a_teach_job_rides_out_a_database_outage(outage, tiny_settings, tmp_path):
    """The proxy is cut for 3 s once the job is under way: the job waits (or, if a statement was
    in flight, is started over) and ends promoted with exactly one version and no stray files."""
    engine, proxy, direct = outage
    settings = tiny_settings.model_copy(update={"selfedit_k": 1})
    store = LocalArtifactStore(tmp_path / "store")
    job = _job(engine, status=None)
    cut_during: list[str] = []

    def cut_once_under_way() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with Session(direct) as s:
                status = s.get(Job, job.id).status
            if status in (JobStatus.generating, JobStatus.training):
                proxy.cut()
                cut_during.append(status)
                time.sleep(3)
                proxy.restore()
                return
            time.sleep(0.02)

    cutter = threading.Thread(target=cut_once_under_way)
    cutter.start()
    status = run_teach_job(job.id, settings=settings, engine=engine, store=store)
    cutter.join()
    if status == "requeued":  # a statement was in flight: the job starts over, cleanly
        status = run_teach_job(job.id, settings=settings, engine=engine, store=store)
    assert cut_during, "the job ended before the outage could be injected"
    assert status == "promoted"
    with Session(direct) as s:
        versions = s.exec(select(AdapterVersion)).all()
        assert len(versions) == 1
        assert store.keys() == {versions[0].artifact_uri}  # nothing orphaned
        assert s.get(Job, job.id).lease_owner is None
