"""Fair scheduling: a tenant's one job waits behind at most one job of a tenant that queued many."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from adapter_store.jobs import create_job
from adapter_store.lifecycle import JOB
from adapter_store.models import Job, JobStatus, utcnow
from adapter_store.registry import create_tenant
from workers.scheduling import next_job

DOC = {"text": "Quendril is the capital of Zorblax."}


def _jobs(session: Session, tenant_id: int, n: int) -> list[int]:
    return [create_job(session, tenant_id, [dict(DOC)])[0].id for _ in range(n)]


def _run(session: Session, job_id: int, when) -> None:  # type: ignore[no-untyped-def]
    """What a worker does with the job it picked: start it (then it ends)."""
    job = session.get(Job, job_id)
    job.started_at, job.attempts = when, job.attempts + 1
    session.add(job)
    session.commit()
    JOB.transition(session, job, JobStatus.scanning, "started")
    JOB.transition(session, job, JobStatus.failed, "done")


def test_a_tenant_with_one_job_waits_behind_at_most_one_of_a_flooders(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        flooder, _ = create_tenant(s, "flooder")
        quiet, _ = create_tenant(s, "quiet")
        flood = _jobs(s, flooder.id, 50)
        (single,) = _jobs(s, quiet.id, 1)  # queued after all fifty
        order, clock = [], utcnow()
        # One turn per job, in the order the tasks were sent.
        for turn, hinted in enumerate([*flood, single]):
            picked = next_job(s, hinted)
            order.append(picked)
            _run(s, picked, clock + timedelta(seconds=turn))
    assert sorted(order) == sorted([*flood, single])  # every job ran once, no turn was lost
    assert order.index(single) <= 1
    assert order[0] == flood[0]  # then the queue of the flooder in its own order
    assert [j for j in order if j != single] == flood


def test_two_flooders_and_a_newcomer_take_turns(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        a, b, c = (create_tenant(s, n)[0] for n in "abc")
        ja, jb = _jobs(s, a.id, 3), _jobs(s, b.id, 3)
        clock = utcnow()
        picked = []
        for turn in range(3):
            picked.append(next_job(s, ja[0]))
            _run(s, picked[-1], clock + timedelta(seconds=turn))
        (jc,) = _jobs(s, c.id, 1)
        picked.append(next_job(s, ja[0]))  # the newcomer has never started: next
        assert picked == [ja[0], jb[0], ja[1], jc]


def test_a_job_that_is_not_simply_queued_runs_on_its_own_turn(any_engine):
    with Session(any_engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "t")
        first, released = _jobs(s, tenant.id, 2)
        job = s.get(Job, released)
        JOB.transition(s, job, JobStatus.scanning, "scanning")
        JOB.transition(s, job, JobStatus.quarantined, "waiting for review")
        # The admin released it: its turn resumes it, not another queued job.
        assert next_job(s, released) == released
        # A queued job whose lease a worker just took is not picked again.
        row = s.get(Job, first)
        row.lease_owner, row.lease_expires_at = "w1", utcnow() + timedelta(seconds=60)
        s.add(row)
        s.commit()
        assert next_job(s, first) == first  # nothing else queued: the turn's own job
        (other,) = _jobs(s, tenant.id, 1)
        assert next_job(s, first) == other
        assert next_job(s, first, exclude=[other]) == first
