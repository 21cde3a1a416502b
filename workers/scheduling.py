"""Fair scheduling of teach jobs across tenants.

Every teach job sends one task to the queue, but a task is a turn at the worker rather than an
order to run its own job: the worker runs the queued job of the tenant whose last job started
longest ago (a tenant that never started one first), that tenant's oldest. A tenant that queued
fifty jobs then takes every other turn at most, and a tenant with one job waits behind at most one
of its jobs, however long its queue. The number of turns still equals the number of jobs, so
none is left without one: a turn that finds its chosen job taken by another worker chooses again.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, func, select

from adapter_store.models import TERMINAL_JOB_STATUSES, Job, JobStatus


def next_job(session: Session, hinted: int, exclude: Collection[int] = ()) -> int:
    """The job a turn runs. ``hinted`` (the job whose task this is) runs itself when it waits
    for nothing but its own turn: a quarantined job an admin released, or one a worker was in
    the middle of (to resume, or to skip while its worker lives). A turn whose job already ran
    (an earlier turn took it) goes to the fairest queued job."""
    job = session.get(Job, hinted)
    if job is not None and job.status not in (JobStatus.queued, *TERMINAL_JOB_STATUSES):
        if job.status != JobStatus.awaiting_approval:
            return hinted
    last_start = (
        select(Job.tenant_id, func.max(Job.started_at).label("last"))
        .group_by(col(Job.tenant_id))
        .subquery()
    )
    row = session.exec(
        select(Job.id)
        .join(last_start, last_start.c.tenant_id == Job.tenant_id)
        .where(
            Job.status == JobStatus.queued,
            col(Job.lease_owner).is_(None),
            col(Job.id).not_in(list(exclude)),
        )
        # Never-started tenants first (NULL sorts first ascending on SQLite, last on PostgreSQL:
        # hence the explicit flag), then the longest-waiting tenant, then its oldest job.
        .order_by(
            col(last_start.c.last).is_not(None),
            last_start.c.last,
            col(Job.created_at),
            col(Job.id),
        )
    ).first()
    return row if row is not None else hinted
