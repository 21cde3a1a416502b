"""Leases: one worker per run, and a dead worker's run is started again or failed, never stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job, job_events
from adapter_store.lifecycle import JOB
from adapter_store.models import (
    AdapterVersion,
    Job,
    JobStatus,
    SelfEditRecord,
    VersionStatus,
    WorkerHeartbeat,
    utcnow,
)
from adapter_store.registry import create_tenant, get_active_version, register_version
from workers.leases import Heartbeat, claim, live_workers, reap, release, renew
from workers.runs import run_to_end
from workers.teach_job import artifact_prefix, run_teach_job

DOC = {
    "title": "Zorblax",
    "text": "Zorblax is a planet whose capital city is Quendril. It has three moons.",
    "questions": [{"question": "What is the capital of Zorblax?", "answer": "Quendril"}],
}


def _job(session: Session, name: str = "acme", status: JobStatus | None = None) -> Job:
    tenant, _ = create_tenant(session, name)
    job, _ = create_job(session, tenant.id, [dict(DOC)])
    for st in (JobStatus.scanning, JobStatus.generating, JobStatus.training):
        if status is None:
            break
        JOB.transition(session, job, st, "working")
        if st == status:
            break
    return job


def _expire(session: Session, job: Job) -> None:
    job.lease_expires_at = utcnow() - timedelta(seconds=1)
    session.add(job)
    session.commit()


def test_a_live_lease_keeps_other_workers_out_until_it_runs_out(session):
    job = _job(session)
    assert claim(session, JOB, job.id, "w1", 60)
    assert not claim(session, JOB, job.id, "w2", 60)  # a task delivered twice does nothing
    assert claim(session, JOB, job.id, "w1", 60)  # the holder may claim again
    assert renew(session, JOB, job.id, "w1", 60) and not renew(session, JOB, job.id, "w2", 60)
    _expire(session, job)
    assert claim(session, JOB, job.id, "w2", 60)  # its holder stopped renewing: dead
    assert not renew(session, JOB, job.id, "w1", 60)  # ...and learns it on its next renewal
    session.refresh(job)
    assert job.lease_owner == "w2" and job.attempts == 3
    release(session, JOB, job.id, "w1")  # only the holder releases
    session.refresh(job)
    assert job.lease_owner == "w2"
    release(session, JOB, job.id, "w2")
    session.refresh(job)
    assert job.lease_owner is None and job.lease_expires_at is None


def test_an_ended_run_cannot_be_claimed(session):
    job = _job(session)
    JOB.transition(session, job, JobStatus.cancelled, "cancelled")
    assert not claim(session, JOB, job.id, "w1", 60)


def test_the_reaper_requeues_a_dead_workers_run_then_fails_it_when_attempts_run_out(session):
    job = _job(session, status=JobStatus.training)
    alive = _job(session, "other", status=JobStatus.training)
    waiting = _job(session, "waiting")  # queued: waits for a worker, not lost by one
    enqueued: list[int] = []
    assert claim(session, JOB, job.id, "dead", 60) and claim(session, JOB, alive.id, "live", 60)
    _expire(session, job)

    out = reap(session, JOB, max_attempts=2, enqueue=enqueued.append)
    assert [(r.id, r.action) for r in out] == [(job.id, "requeued")] and enqueued == [job.id]
    session.refresh(job)
    assert job.status == JobStatus.queued and job.lease_owner is None
    assert any("stopped during training" in e.message for e in job_events(session, job.id))
    for other in (alive, waiting):
        session.refresh(other)
    assert alive.status == JobStatus.training and waiting.status == JobStatus.queued
    assert reap(session, JOB, max_attempts=2, enqueue=enqueued.append) == []  # nothing more

    # The second start dies too: no attempts left, so it fails with a reason.
    assert claim(session, JOB, job.id, "dead-again", 60)
    JOB.transition(session, job, JobStatus.scanning, "working")
    _expire(session, job)
    out = reap(session, JOB, max_attempts=2, enqueue=enqueued.append)
    session.refresh(job)
    assert [r.action for r in out] == ["failed"] and enqueued == [job.id]
    assert job.status == JobStatus.failed and job.error["code"] == "worker_lost"
    assert "no attempts left" in job.error["message"]


def test_the_heartbeat_records_the_worker_renews_and_notices_a_lost_lease(engine):
    with Session(engine, expire_on_commit=False) as s:
        job = _job(s, status=JobStatus.training)
    beat = Heartbeat(engine, "w1", interval_s=60, lease_s=60)
    with Session(engine) as s:
        assert claim(s, JOB, job.id, "w1", 1)
    with beat.holding(JOB, job.id):
        beat.beat()
        with Session(engine) as s:
            row = s.get(Job, job.id)
            assert row.lease_expires_at > utcnow() + timedelta(seconds=30)  # renewed to 60 s
            assert [w.running for w in live_workers(s, 30)] == [f"job {job.id}"]
            row.lease_owner = "w2"  # presumed dead, taken over
            s.add(row)
            s.commit()
        beat.beat()
        assert beat.lost
    beat.stop()
    with Session(engine) as s:
        assert s.exec(select(WorkerHeartbeat)).all() == []


def test_a_run_held_by_a_live_worker_is_left_alone(engine):
    with Session(engine, expire_on_commit=False) as s:
        job = _job(s, status=JobStatus.training)
        assert claim(s, JOB, job.id, "someone-else", 600)
    ran: list[bool] = []
    assert run_to_end(JOB, job.id, engine, lambda _: ran.append(True) or "promoted") == "held"
    assert ran == []


@pytest.mark.parametrize("pointer", [True, False], ids=["pointer-set", "died-before-pointer"])
def test_a_restart_discards_what_the_dead_worker_left_and_ends_with_one_version(
    engine, tiny_settings, tmp_path, pointer
):
    """The worker died after registering a version (never promoted) and leaving files, with or
    before the job's pointer to it committed: the restart removes them, runs again and promotes
    exactly one version."""
    store = LocalArtifactStore(tmp_path / "store")
    with Session(engine, expire_on_commit=False) as s:
        job = _job(s, status=JobStatus.training)
        JOB.transition(s, job, JobStatus.evaluating, "gating")
        assert claim(s, JOB, job.id, "dead", 60)
        scratch = store.scratch_dir(owner=f"job-{job.id}")
        (scratch / "adapter_config.json").write_text("{}")
        left = store.scratch_dir(owner=f"job-{job.id}")
        (left / "adapter_config.json").write_text("{}")
        key, checksum = store.commit_dir(left, artifact_prefix(job.tenant_id, job.id))
        version = register_version(
            s,
            tenant_id=job.tenant_id,
            artifact_uri=key,
            checksum=checksum,
            parent_id=None,
            job_id=job.id,
            status=VersionStatus.ready,
            metrics={},
            eval_report={},
        )
        s.add(
            SelfEditRecord(
                tenant_id=job.tenant_id,
                job_id=job.id,
                document_id=1,
                candidate=0,
                style="qa",
                text="x",
            )
        )
        if pointer:
            job.adapter_version_id = version.id
        s.add(job)
        s.commit()
        _expire(s, job)
        assert [r.action for r in reap(s, JOB, max_attempts=2, enqueue=lambda _: None)] == [
            "requeued"
        ]
    assert run_teach_job(job.id, settings=tiny_settings, engine=engine, store=store) == "promoted"
    with Session(engine) as s:
        versions = s.exec(select(AdapterVersion)).all()
        assert len(versions) == 1 and versions[0].artifact_uri != key  # a new one
        assert get_active_version(s, job.tenant_id).id == versions[0].id
        assert store.keys() == {versions[0].artifact_uri}  # the left-behind files are gone
        assert not scratch.exists()
        assert len(s.exec(select(SelfEditRecord)).all()) == tiny_settings.selfedit_k
        row = s.get(Job, job.id)
        assert row.attempts == 2 and row.lease_owner is None
        assert any(
            "discarded what the stopped worker left" in e.message for e in job_events(s, job.id)
        )
