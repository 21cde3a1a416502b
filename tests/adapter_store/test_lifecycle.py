"""The one lifecycle of jobs and rounds: allowed moves, events, failing, and version numbering."""

import pytest
from sqlmodel import Session, select

from adapter_store.jobs import create_job
from adapter_store.lifecycle import JOB, ROUND, allocate_version, end_after_decision
from adapter_store.models import (
    GLOBAL_SCOPE,
    Job,
    JobEvent,
    JobStatus,
    PolicyRoundEvent,
    PolicyVersion,
    RoundStatus,
)
from adapter_store.policies import create_round
from adapter_store.registry import create_tenant
from core.errors import ServiceError


def test_job_transitions_follow_the_lifecycle_and_log_every_move(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        a, _ = create_tenant(s, "a")
        job, _ = create_job(s, a.id, [{"text": "x"}])
        with pytest.raises(ServiceError, match="job .* is queued; it cannot become training"):
            JOB.transition(s, job, JobStatus.training, "skip ahead")
        JOB.transition(s, job, JobStatus.scanning, "scan", progress=0.02)
        JOB.add_event(s, job, "halfway", progress=0.5, data={"n": 1})
        JOB.transition(s, job, JobStatus.cancelled, "stop")
        with pytest.raises(ServiceError, match="is cancelled"):
            JOB.transition(s, job, JobStatus.generating, "resume")
        assert JOB.is_terminal(job) and job.progress == 1.0
        events = JOB.events(s, job.id)
        assert [(e.status, e.message) for e in events] == [
            ("queued", "job queued"),
            ("scanning", "scan"),
            ("scanning", "halfway"),
            ("cancelled", "stop"),
        ]
        assert all(isinstance(e, JobEvent) for e in events) and events[2].data == {"n": 1}
        assert [e.message for e in JOB.events(s, job.id, after_id=events[1].id)] == [
            "halfway",
            "stop",
        ]


def test_of_two_writers_racing_from_one_state_exactly_one_moves_the_run(any_engine, monkeypatch):
    with Session(any_engine, expire_on_commit=False) as s:
        a, _ = create_tenant(s, "a")
        job, _ = create_job(s, a.id, [{"text": "x"}])
        JOB.transition(s, job, JobStatus.scanning, "scan")
    worker = Session(any_engine, expire_on_commit=False)
    stale = worker.get(Job, job.id)
    # The worker read `scanning`; a cancel commits before the worker's move is written.
    with Session(any_engine, expire_on_commit=False) as tenant_side:
        JOB.transition(tenant_side, tenant_side.get(Job, job.id), JobStatus.cancelled, "stop")
    moved: list[int] = []
    monkeypatch.setattr(worker, "refresh", lambda row: None)  # the worker's read stays stale
    with pytest.raises(ServiceError, match="is cancelled; it cannot become generating"):
        JOB.transition(
            worker, stale, JobStatus.generating, "go on", with_move=lambda tx: moved.append(1)
        )
    assert moved == []  # what was to commit with the move did not run
    with Session(any_engine) as check:
        assert check.get(Job, job.id).status == JobStatus.cancelled
    worker.close()


def test_rounds_share_the_lifecycle_with_their_own_states(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        rnd = create_round(s, GLOBAL_SCOPE, None, "squad", {})
        with pytest.raises(ServiceError, match="round .* cannot become cancelled"):
            ROUND.transition(s, rnd, "cancelled", "rounds are not cancelled")
        ROUND.transition(s, rnd, RoundStatus.sampling, "sampling")
        ROUND.fail(s, rnd.id, "internal_error", "it broke")
        s.refresh(rnd)
        assert rnd.status == RoundStatus.failed and rnd.error["message"] == "it broke"
        ROUND.fail(s, rnd.id, "internal_error", "again")  # already ended: nothing changes
        events = ROUND.events(s, rnd.id)
        assert all(isinstance(e, PolicyRoundEvent) for e in events)
        assert [e.status for e in events] == ["queued", "sampling", "failed"]


def test_a_decision_ends_only_a_run_that_waits_for_it(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        a, _ = create_tenant(s, "a")
        waiting, _ = create_job(s, a.id, [{"text": "x"}])
        waiting.status = JobStatus.awaiting_approval
        s.add(waiting)
        s.commit()
        running, _ = create_job(s, a.id, [{"text": "y"}])
        end_after_decision(s, JOB, waiting.id, approved=False, name="t1-v1")
        end_after_decision(s, JOB, running.id, approved=True, name="t1-v2")
        end_after_decision(s, JOB, None, approved=True, name="none")
        assert s.get(Job, waiting.id).status == JobStatus.rejected
        assert s.get(Job, waiting.id).error["code"] == "rejected_by_admin"
        assert s.get(Job, running.id).status == JobStatus.queued


def test_versions_are_numbered_per_scope_and_a_lost_race_retries(any_engine):
    def policy(scope, name):
        return lambda n: PolicyVersion(
            scope=scope, version=n, name=name, artifact_uri="k", checksum="c"
        )

    with Session(any_engine, expire_on_commit=False) as s:
        a = allocate_version(s, PolicyVersion, [PolicyVersion.scope == "x"], policy("x", "p-a"))
        b = allocate_version(s, PolicyVersion, [PolicyVersion.scope == "x"], policy("x", "p-b"))
        c = allocate_version(s, PolicyVersion, [PolicyVersion.scope == "y"], policy("y", "p-c"))
        assert (a.version, b.version, c.version) == (1, 2, 1)
        # A name already taken conflicts on every attempt: the caller learns it, nothing is written.
        with pytest.raises(ServiceError, match="could not allocate"):
            allocate_version(s, PolicyVersion, [PolicyVersion.scope == "x"], policy("x", "p-a"))
        conflicts = []
        with pytest.raises(ServiceError, match="taken"):

            def stop() -> None:
                conflicts.append(1)
                raise ServiceError("conflict", "taken")

            allocate_version(
                s, PolicyVersion, [PolicyVersion.scope == "x"], policy("x", "p-a"), on_conflict=stop
            )
        assert conflicts == [1]
        assert len(s.exec(select(PolicyVersion)).all()) == 3
