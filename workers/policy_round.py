"""A ReST-EM round as a job: gather the scope's contexts, run ``seal.outer_loop.run_round``,
keep every (context, self-edit, reward) record, register the new policy and decide its fate.

Like a teach job it leaves nothing half-written: records and the policy version are written only
once the round has finished, and a failure after the adapter files were committed deletes them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapter_store.artifacts import ArtifactStore, get_artifact_store
from adapter_store.lifecycle import ROUND
from adapter_store.models import (
    GLOBAL_SCOPE,
    Document,
    DocumentStatus,
    PolicyRound,
    PolicySample,
    PolicyStatus,
    PolicyTraining,
    PolicyVersion,
    RoundStatus,
    Tenant,
)
from adapter_store.policies import active_policy, policy_for_tenant, register_policy, rounds_done
from core import context
from core.db import get_engine, session_scope
from core.errors import ServiceError
from core.settings import Settings, get_settings
from seal.generation import Generator, make_generator
from seal.modeling import load_base
from seal.outer_loop import (
    Context,
    RoundResult,
    load_squad_contexts,
    round_config,
    round_contexts,
    run_round,
    split_pool,
)
from seal.selfedit import QA
from workers.runs import run_to_end

log = logging.getLogger(__name__)
R = RoundStatus


def policy_name(rnd: PolicyRound) -> str:
    """The name vLLM serves a round's policy under: one per round, never reused."""
    who = "global" if rnd.tenant_id is None else f"t{rnd.tenant_id}"
    return f"policy-{who}-r{rnd.id}"


def opted_in(tenant: Tenant, scope: str) -> bool:
    mode = tenant.policy_obj.policy_training
    if scope == GLOBAL_SCOPE:
        return mode == PolicyTraining.shared
    return mode in (PolicyTraining.own, PolicyTraining.shared)


def tenant_contexts(session: Session, scope: str, tenant_id: int | None) -> list[Context]:
    """Accepted documents with probe questions, of the one tenant a tenant-scoped policy belongs to,
    or of the tenants that share their text with the global policy: never anyone else's."""
    if tenant_id is not None:
        tenant = session.get(Tenant, tenant_id)
        tenants = [tenant] if tenant is not None and opted_in(tenant, scope) else []
    else:
        tenants = [t for t in session.exec(select(Tenant)) if opted_in(t, scope)]
    ids = [t.id for t in tenants]
    if not ids:
        return []
    docs = session.exec(
        select(Document)
        .where(col(Document.tenant_id).in_(ids), Document.status == DocumentStatus.accepted)
        .order_by(col(Document.id))
    )
    return [
        Context(
            key=f"document:{d.id}",
            title=d.title,
            text=d.text,
            questions=tuple(QA(p["question"], p["answer"]) for p in d.probes),
            tenant_id=d.tenant_id,
        )
        for d in docs
        if d.probes
    ]


def gather_contexts(session: Session, rnd: PolicyRound, settings: Settings) -> list[Context]:
    if rnd.source == "squad":
        return load_squad_contexts(settings.squad_train_path)
    return tenant_contexts(session, rnd.scope, rnd.tenant_id)


def current_policy(session: Session, rnd: PolicyRound) -> PolicyVersion | None:
    """What writes the scope's self-edits now: a tenant scope without its own policy starts from
    the global one, as its teach jobs do."""
    if rnd.tenant_id is not None:
        return policy_for_tenant(session, rnd.tenant_id)
    return active_policy(session, GLOBAL_SCOPE)


def run_policy_round(
    round_id: int,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    store: ArtifactStore | None = None,
    generator: Generator | None = None,
) -> str:
    """Run one round to a terminal (or waiting) state; return the final status."""
    settings = settings or get_settings()
    engine = engine or get_engine()
    store = store or get_artifact_store()
    with context.bound(context.round_id, round_id):  # every log line of the run names it
        status = run_to_end(
            ROUND,
            round_id,
            engine,
            lambda _lease: _run(round_id, settings, engine, store, generator),
        )
        log.info("policy round %s: %s", round_id, status)
        return status


def _run(
    round_id: int,
    settings: Settings,
    engine: Engine,
    store: ArtifactStore,
    generator: Generator | None,
) -> str:
    with session_scope(engine) as session:
        rnd = session.get(PolicyRound, round_id)
        if rnd is None:
            log.warning("round %s does not exist", round_id)
            return "missing"
        if ROUND.is_terminal(rnd) or rnd.status == R.awaiting_approval:
            return rnd.status  # a redelivered task does nothing
        if rnd.status != R.queued:
            # acks_late redelivered the task of a worker that died mid-round: nothing was written
            # (records and the version come last), so start again.
            rnd.status = R.queued
            session.add(rnd)
            ROUND.add_event(session, rnd, "restarting (the previous worker stopped)")
        if rnd.attempts > 1:
            discard_leftovers(session, store, rnd)

        opts = rnd.config
        cfg = round_config(settings, k=opts.get("k"), eval_k=opts.get("eval_k"))
        contexts = gather_contexts(session, rnd, settings)
        heldout_n = opts.get("heldout") or settings.outer_heldout
        if len(contexts) <= heldout_n:
            raise ServiceError(
                "invalid_state",
                f"{len(contexts)} usable contexts (accepted documents with questions, from tenants "
                f"that opted in) cannot hold out {heldout_n} and train on the rest",
            )
        pool, heldout = split_pool(contexts, heldout_n, cfg.inner.seed)
        index = rounds_done(session, rnd.scope, rnd.id) + 1  # type: ignore[arg-type]
        train = round_contexts(pool, opts.get("contexts") or settings.outer_contexts, index)
        current = current_policy(session, rnd)
        generator = generator or make_generator(settings)
        current_ref = None
        if current is not None:
            current_ref = (current.name, store.local_path(current.artifact_uri))
            generator.add_adapter(*current_ref)
        rnd.from_version_id = current.id if current else None
        rnd.config = {
            **opts,
            "round_index": index,
            "train_contexts": [c.key for c in train],
            "heldout_contexts": [c.key for c in heldout],
            "k": cfg.k,
            "eval_k": cfg.eval_k,
            "min_reward": cfg.min_reward,
            "min_improvement": cfg.min_improvement,
            "policy_training": {
                "learning_rate": cfg.policy.learning_rate,
                "epochs": cfg.policy.epochs,
                "min_steps": cfg.policy.min_steps,
            },
            "from_policy": current.name if current else "base",
        }
        session.add(rnd)
        ROUND.transition(
            session,
            rnd,
            R.sampling,
            f"sampling {cfg.k} self-edits for each of {len(train)} contexts",
            progress=0.02,
            data={
                "contexts": len(train),
                "heldout": len(heldout),
                "policy": rnd.config["from_policy"],
            },
        )
        base, tokenizer = load_base(str(settings.base_model_path))
        name = policy_name(rnd)
        scratch = store.scratch_dir(owner=f"round-{rnd.id}")
        t0 = time.perf_counter()
        result = run_round(
            train,
            heldout,
            base=base,
            tokenizer=tokenizer,
            generator=generator,
            cfg=cfg,
            current_policy=current_ref,
            new_policy_name=name,
            save_dir=scratch,
            on_progress=_progress(session, rnd),
        )
        wall_s = time.perf_counter() - t0
        report = {**result.report(), "wall_s": round(wall_s, 1)}
        return _finish(session, rnd, result, report, current, name, scratch, store, settings)


def artifact_prefix(rnd: PolicyRound) -> str:
    """Where a round's policy is committed: a restart of the round can find what it left."""
    return f"policies/{rnd.scope.replace(':', '-')}/round-{rnd.id}"


def discard_leftovers(session: Session, store: ArtifactStore, rnd: PolicyRound) -> None:
    """Before a round runs again after its worker died: its policy if it was registered but
    never decided (still a candidate), its records, its files and its scratch directory."""
    version = session.exec(
        select(PolicyVersion).where(
            PolicyVersion.round_id == rnd.id, PolicyVersion.status == PolicyStatus.candidate
        )
    ).first()
    if version is not None:
        session.delete(version)
    for sample in session.exec(select(PolicySample).where(PolicySample.round_id == rnd.id)):
        session.delete(sample)
    rnd.policy_version_id = None
    session.add(rnd)
    session.commit()
    referenced = set(session.exec(select(PolicyVersion.artifact_uri)))
    store.discard_leftovers(f"round-{rnd.id}", artifact_prefix(rnd), referenced)


def _progress(session: Session, rnd: PolicyRound):
    """Map run_round's stages to the round's lifecycle and its event log."""
    spans = {
        "sampling": (0.02, 0.1),
        "scoring": (0.1, 0.6),
        "training": (0.6, 0.7),
        "evaluating": (0.7, 0.98),
    }
    stage_status = {"scoring": R.scoring, "training": R.training, "evaluating": R.evaluating}

    def on_progress(stage: str, fraction: float, data: dict[str, Any]) -> None:
        lo, hi = spans.get(stage, (rnd.progress, rnd.progress))
        progress = lo + (hi - lo) * fraction
        status = stage_status.get(stage)
        if status is not None and rnd.status != status:
            ROUND.transition(session, rnd, status, f"{stage}", progress=progress, data=data)
        else:
            ROUND.add_event(session, rnd, stage, progress=progress, data=data)

    return on_progress


def _save_records(session: Session, rnd: PolicyRound, result: RoundResult) -> None:
    for r in result.records:
        session.add(PolicySample(round_id=rnd.id, **r.as_dict()))  # type: ignore[arg-type]
    session.commit()


def _finish(
    session: Session,
    rnd: PolicyRound,
    result: RoundResult,
    report: dict[str, Any],
    current: PolicyVersion | None,
    name: str,
    scratch: Path,
    store: ArtifactStore,
    settings: Settings,
) -> str:
    from serving.promotion import promote_policy, serving_admin

    if result.policy_model is None:
        _save_records(session, rnd, result)
        rnd.report = report
        session.add(rnd)
        ROUND.transition(
            session,
            rnd,
            R.rejected,
            "no self-edit beat the no-adapter baseline: nothing to learn",
            data=report,
        )
        return R.rejected

    key, checksum = store.commit_dir(scratch, prefix=artifact_prefix(rnd))
    admin = serving_admin(settings)
    try:
        if admin is not None:
            # The evaluation loaded it from the scratch directory, which the commit moved.
            admin.unload_adapter(name)
        _save_records(session, rnd, result)
        status = PolicyStatus.candidate
        version = register_policy(
            session,
            scope=rnd.scope,
            tenant_id=rnd.tenant_id,
            name=name,
            parent_id=current.id if current else None,
            round_id=rnd.id,
            status=status,
            artifact_uri=key,
            checksum=checksum,
            metrics=report,
        )
    except Exception:
        session.rollback()
        for sample in session.exec(select(PolicySample).where(PolicySample.round_id == rnd.id)):
            session.delete(sample)
        session.commit()
        store.delete(key)
        raise
    rnd.policy_version_id = version.id
    rnd.report = report
    session.add(rnd)
    session.commit()
    info = {"policy": name, "policy_id": version.id, "version": version.version, **_verdict(report)}
    if not result.improved:
        version.status = PolicyStatus.rejected
        session.add(version)
        session.commit()
        ROUND.transition(
            session,
            rnd,
            R.rejected,
            "the new policy did not beat the current one on held-out contexts",
            data=info,
        )
        return R.rejected
    if not settings.outer_auto_promote:
        version.status = PolicyStatus.awaiting_approval
        session.add(version)
        session.commit()
        ROUND.transition(
            session, rnd, R.awaiting_approval, "waiting for an admin's approval", data=info
        )
        return R.awaiting_approval
    promote_policy(session, version, store, admin)
    ROUND.transition(
        session, rnd, R.promoted, f"{name} now writes the self-edits of {rnd.scope}", data=info
    )
    return R.promoted


def _verdict(report: dict[str, Any]) -> dict[str, Any]:
    cur, new = report.get("current") or {}, report.get("new") or {}
    return {
        "current_mean_reward": cur.get("mean_reward"),
        "new_mean_reward": new.get("mean_reward"),
    }
