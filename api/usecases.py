"""The service's use cases, one function each: routes parse and authorise, call one of these, and
shape the reply. Each leaves nothing half-done: work that must reach the task queue is committed
first and undone if the queue refuses it (``_enqueue_or_undo``). Each state change by an admin or a
tenant appends one row to the audit trail (``adapter_store.audit``), after the change committed:
the trail records what happened, never what was only attempted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from adapter_store import audit
from adapter_store.artifacts import ArtifactStore
from adapter_store.audit import Actor
from adapter_store.documents import decide_quarantined, taught_texts, undo_decision
from adapter_store.jobs import create_job, find_by_idempotency_key
from adapter_store.lifecycle import JOB, ROUND, end_after_decision
from adapter_store.models import (
    TERMINAL_JOB_STATUSES,
    AdapterVersion,
    Document,
    Job,
    JobStatus,
    PolicyRound,
    PolicyTraining,
    PolicyVersion,
    Tenant,
    TenantPolicy,
    policy_scope,
)
from adapter_store.policies import (
    active_policy,
    create_round,
    policy_rollback_target,
    round_events,
)
from adapter_store.registry import (
    active_version_id,
    create_tenant,
    rotate_key,
    set_disabled,
    tenant_rollback_target,
    update_policy,
    withdraw_version,
)
from api.quotas import check_teach_quota
from core.errors import ServiceError, not_found
from core.settings import Settings
from guards import ScanOutcome, build_guards, scan_batch
from serving.promotion import activate, approve, reject, rollback_policy, serving_admin


def _enqueue_or_undo(enqueue: Callable[[], None], undo: Callable[[], None], message: str) -> None:
    """Commit before enqueue (the caller did): the worker must find the row. If the queue is
    unreachable, undo what was committed and answer 503."""
    try:
        enqueue()
    except Exception as exc:
        undo()
        raise ServiceError("unavailable", message) from exc


# ---------------------------------------------------------------- teaching


def submit_teach(
    session: Session,
    tenant: Tenant,
    documents: list[dict[str, Any]],
    idempotency_key: str | None,
    settings: Settings,
    *,
    actor: Actor,
) -> Job:
    """Queue documents to be learned; a replayed idempotency key returns the first job as it is
    (a replay creates nothing, so the tenant's job quota does not apply to it)."""
    from workers.celery_app import enqueue_teach

    if idempotency_key:
        replayed = find_by_idempotency_key(session, tenant.id, idempotency_key)  # type: ignore[arg-type]
        if replayed is not None:
            return replayed
    check_teach_quota(session, tenant, settings)
    job, created = create_job(session, tenant.id, documents, idempotency_key)  # type: ignore[arg-type]
    if created:

        def fail_job() -> None:
            JOB.transition(
                session,
                job,
                JobStatus.failed,
                "the task queue is unavailable",
                error={"code": "unavailable", "message": "the task queue is unavailable"},
            )

        _enqueue_or_undo(
            lambda: enqueue_teach(job.id),  # type: ignore[arg-type]
            fail_job,
            "the task queue is unavailable; try again",
        )
        # Counts only: titles and texts may hold what the guards are about to redact.
        audit.record(
            session,
            actor,
            "knowledge.taught",
            "job",
            job.id,
            tenant_id=tenant.id,
            after={"status": job.status, "documents": len(documents)},
        )
    return job


def cancel_job(
    session: Session, job: Job, reason: str = "cancelled by the tenant", *, actor: Actor
) -> Job:
    """Cancel a job that has not finished; the worker stops at its next check. A version waiting
    for approval is withdrawn with its job."""
    if JOB.is_terminal(job):
        raise ServiceError("invalid_state", f"job {job.id} is already {job.status}")
    before = job.status
    if job.adapter_version_id:
        withdraw_version(session, job.adapter_version_id)
    JOB.transition(session, job, JobStatus.cancelled, reason)
    audit.record(
        session,
        actor,
        "job.cancelled",
        "job",
        job.id,
        tenant_id=job.tenant_id,
        before={"status": before},
        after={"status": job.status, "reason": reason},
    )
    return job


# ---------------------------------------------------------------- tenants (admin)


def add_tenant(
    session: Session, name: str, policy: TenantPolicy | None, *, actor: Actor
) -> tuple[Tenant, str]:
    """Create a tenant; its key is returned once and stored only hashed."""
    tenant, key = create_tenant(session, name, policy)
    audit.record(
        session,
        actor,
        "tenant.created",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        after={"name": tenant.name, "key_prefix": tenant.key_prefix, "policy": tenant.policy},
    )
    return tenant, key


def change_policy(
    session: Session, tenant: Tenant, changes: dict[str, Any], *, actor: Actor
) -> Tenant:
    """Merge ``changes`` into the tenant's policy (a ValidationError names every bad field)."""
    before = dict(tenant.policy or {})
    update_policy(session, tenant, changes)
    changed = sorted(k for k in {*before, *tenant.policy} if before.get(k) != tenant.policy.get(k))
    audit.record(
        session,
        actor,
        "tenant.policy_changed",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        before={k: before.get(k) for k in changed},
        after={k: tenant.policy.get(k) for k in changed},
    )
    return tenant


def rotate_tenant_key(session: Session, tenant: Tenant, *, actor: Actor) -> str:
    """A new key for the tenant (returned once); the old one is refused from this commit on."""
    before = tenant.key_prefix
    key = rotate_key(session, tenant)
    audit.record(
        session,
        actor,
        "tenant.key_rotated",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        before={"key_prefix": before},
        after={"key_prefix": tenant.key_prefix},
    )
    return key


def disable_tenant(session: Session, tenant: Tenant, *, actor: Actor) -> list[int]:
    """Disable a tenant: its key is refused from now on, its adapter stops being served, and its
    unfinished jobs are cancelled (a version awaiting approval is withdrawn with its job).
    Returns the cancelled jobs' ids."""
    set_disabled(session, tenant, True)
    unfinished = session.exec(
        select(Job).where(Job.tenant_id == tenant.id, col(Job.status).not_in(TERMINAL_JOB_STATUSES))
    ).all()
    cancelled = [
        cancel_job(session, job, "cancelled: the tenant was disabled", actor=actor).id
        for job in unfinished
    ]
    audit.record(
        session,
        actor,
        "tenant.disabled",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        before={"disabled": False},
        after={"disabled": True, "cancelled_jobs": cancelled},
    )
    return cancelled  # type: ignore[return-value]


def enable_tenant(session: Session, tenant: Tenant, *, actor: Actor) -> Tenant:
    """Accept the tenant's key again; its active adapter is loaded on the next reconcile pass."""
    was_disabled = tenant.disabled_at is not None
    set_disabled(session, tenant, False)
    audit.record(
        session,
        actor,
        "tenant.enabled",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        before={"disabled": was_disabled},
        after={"disabled": False},
    )
    return tenant


def scan_for_tenant(
    session: Session, tenant: Tenant, texts: list[str], settings: Settings
) -> list[ScanOutcome]:
    """The teach job's guards on texts, without creating a job."""
    outcomes = scan_batch(
        texts,
        build_guards(settings.guards, settings.disabled_guards),
        tenant_id=tenant.id,
        policy=tenant.policy_obj.model_dump(mode="json"),
        earlier=taught_texts(session, tenant.id, limit=settings.guard_history_limit),  # type: ignore[arg-type]
    )
    return [o for o in outcomes if o is not None]


# ---------------------------------------------------------------- review (admin)


def decide_document(session: Session, doc: Document, release: bool, *, actor: Actor) -> Job:
    """Release or discard a quarantined document; its job resumes once nothing of it waits."""
    from workers.celery_app import enqueue_teach

    before = doc.status
    job, resume = decide_quarantined(session, doc, release)
    if resume:
        # Undone, the document is back in the review queue and the admin can decide again;
        # otherwise the job would wait with nothing left to review.
        _enqueue_or_undo(
            lambda: enqueue_teach(job.id),  # type: ignore[arg-type]
            lambda: undo_decision(session, doc),
            f"job {job.id} could not be queued (the task queue is unavailable); "
            f"document {doc.id} is still quarantined, try again",
        )
    session.refresh(job)
    audit.record(
        session,
        actor,
        "document.released" if release else "document.discarded",
        "document",
        doc.id,
        tenant_id=doc.tenant_id,
        before={"status": before},
        after={"status": doc.status, "job_id": job.id, "job_status": job.status},
    )
    return job


def decide_version(
    session: Session,
    version: AdapterVersion | PolicyVersion,
    approved: bool,
    store: ArtifactStore,
    settings: Settings,
    *,
    actor: Actor,
) -> AdapterVersion | PolicyVersion:
    """Approve or reject a version awaiting approval: an adapter version (it becomes the tenant's
    active adapter) or a self-edit policy (it writes its scope's self-edits from the next job
    on). The job or round that produced it ends accordingly."""
    before = version.status
    if approved:
        approve(session, version, store, serving_admin(settings))
    else:
        reject(session, version)
    if isinstance(version, PolicyVersion):
        end_after_decision(session, ROUND, version.round_id, approved=approved, name=version.name)
    else:
        end_after_decision(session, JOB, version.job_id, approved=approved, name=version.name)
    kind = "policy" if isinstance(version, PolicyVersion) else "adapter"
    audit.record(
        session,
        actor,
        f"{kind}.{'approved' if approved else 'rejected'}",
        kind,
        version.id,
        tenant_id=version.tenant_id,
        before={"status": before},
        after={"status": version.status, "name": version.name},
    )
    return version


def rollback_tenant(
    session: Session,
    tenant: Tenant,
    version: int | None,
    store: ArtifactStore,
    settings: Settings,
    *,
    actor: Actor,
) -> None:
    """Move the tenant's active alias back (to ``version``, or to the previous ready one)."""
    before = active_version_id(session, tenant.id)  # type: ignore[arg-type]
    target = tenant_rollback_target(session, tenant.id, version)  # type: ignore[arg-type]
    activate(session, tenant.id, target, store, serving_admin(settings))  # type: ignore[arg-type]
    audit.record(
        session,
        actor,
        "tenant.rolled_back",
        "tenant",
        tenant.id,
        tenant_id=tenant.id,
        before={"active_version_id": before},
        after={"active_version_id": active_version_id(session, tenant.id)},  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- the outer loop (admin)


def scope_of(session: Session, tenant_id: int | None) -> str:
    if tenant_id is not None and session.get(Tenant, tenant_id) is None:
        raise not_found("tenant", tenant_id)
    return policy_scope(tenant_id)


def start_round(
    session: Session,
    tenant_id: int | None,
    source: str | None,
    config: dict[str, Any],
    *,
    actor: Actor,
) -> PolicyRound:
    """Queue a ReST-EM round over the global policy, or over one tenant's own policy (which
    trains on that tenant's documents only, and only when the tenant opted in)."""
    from workers.celery_app import enqueue_policy_round

    scope = scope_of(session, tenant_id)
    source = source or ("squad" if tenant_id is None else "tenants")
    if tenant_id is not None:
        if source != "tenants":
            raise ServiceError(
                "validation_error",
                "a tenant's policy trains on that tenant's documents only: `source` must be "
                "'tenants'",
            )
        tenant = session.get(Tenant, tenant_id)
        if tenant is not None and tenant.policy_obj.policy_training == PolicyTraining.off:
            raise ServiceError(
                "invalid_state",
                f"tenant {tenant_id} has not opted in: set its policy's `policy_training` to "
                "'own' or 'shared' first",
            )
    rnd = create_round(session, scope, tenant_id, source, config)

    def forget_round() -> None:
        for event in round_events(session, rnd.id):  # type: ignore[arg-type]
            session.delete(event)
        session.delete(rnd)
        session.commit()

    _enqueue_or_undo(
        lambda: enqueue_policy_round(rnd.id),  # type: ignore[arg-type]
        forget_round,
        "the round could not be queued (the task queue is unavailable)",
    )
    audit.record(
        session,
        actor,
        "policy_round.started",
        "policy_round",
        rnd.id,
        tenant_id=tenant_id,
        after={"scope": rnd.scope, "source": rnd.source, "config": rnd.config},
    )
    return rnd


def rollback_scope(
    session: Session,
    tenant_id: int | None,
    version: int | None,
    store: ArtifactStore,
    settings: Settings,
    *,
    actor: Actor,
) -> tuple[str, PolicyVersion | None]:
    """Move a scope's active policy back (to ``version``, or to the previous one / the base
    model); returns the scope and the policy now active."""
    scope = scope_of(session, tenant_id)
    before = active_policy(session, scope)
    target = policy_rollback_target(session, scope, version)
    rollback_policy(session, scope, target, store, serving_admin(settings))
    audit.record(
        session,
        actor,
        "policy.rolled_back",
        "policy_scope",
        scope,
        tenant_id=tenant_id,
        before={"active": before.name if before else None},
        after={"active": target.name if target else None},
    )
    return scope, target
