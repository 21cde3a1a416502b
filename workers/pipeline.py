"""The teach pipeline for one job: scan -> generate -> train -> evaluate -> gate -> register -> promote.

``run_teach_job`` is what the Celery task calls. It re-reads the job, returns early when the work is
done, and leaves nothing half-written: the adapter is saved to a scratch directory, committed to the
store, then registered; if registration fails the committed artifact is deleted.
"""

from __future__ import annotations

import functools
import logging
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from adapter_store.artifacts import ArtifactStore, get_artifact_store
from adapter_store.documents import taught_texts
from adapter_store.jobs import add_event, is_terminal, job_documents, transition
from adapter_store.models import (
    Document,
    DocumentStatus,
    Job,
    JobStatus,
    SelfEditRecord,
    Tenant,
    VersionStatus,
)
from adapter_store.policies import policy_for_tenant
from adapter_store.registry import get_active_version, register_version
from core.db import get_engine, session_scope
from core.errors import ServiceError
from core.settings import Settings, get_settings
from guards import ScanContext, Verdict, build_guards, scan_text
from workers.forgetting import (
    rehearsal_examples,
    replay_examples,
    retention_items,
    tenant_safety_context,
)
from workers.gates import GateContext, run_gates
from workers.generation import Generator, make_generator
from workers.hyperparams import header_bounds
from workers.inner_loop import (
    DocInput,
    InnerLoopResult,
    generate_selfedits,
    run_inner_loop,
    write_probes,
)
from workers.modeling import LoraConfigSpec, TrainConfig, load_adapter, load_base, save_adapter
from workers.selfedit import QA, cloze_probes
from workers.suites import is_correct

log = logging.getLogger(__name__)
S = JobStatus


class JobCancelled(Exception):
    pass


def train_config(settings: Settings) -> TrainConfig:
    return TrainConfig(
        learning_rate=settings.learning_rate,
        epochs=settings.epochs,
        min_steps=settings.min_steps,
        batch_size=settings.batch_size,
        max_seq_len=settings.max_seq_len,
        seed=settings.seed,
        lora=LoraConfigSpec(
            settings.lora_rank,
            settings.lora_alpha,
            settings.lora_dropout,
            tuple(settings.lora_target_modules),
        ),
    )


def _cancel_check(engine: Engine, job_id: int) -> Callable[[], bool]:
    def cancelled() -> bool:
        with Session(engine) as s:
            job = s.get(Job, job_id)
            return job is None or job.status == S.cancelled

    return cancelled


def scan_documents(
    session: Session, job: Job, tenant: Tenant, docs: list[Document], settings: Settings
) -> list[Document]:
    """Run every registered guard on each undecided document; return the ones cleared for training.

    Each document is compared with what the tenant taught before and with the other documents of
    this job (flooding, triggers and contradictions show up across documents)."""
    guards = build_guards(settings.guards, settings.disabled_guards)
    earlier = taught_texts(
        session,
        tenant.id,
        exclude_job_id=job.id,
        limit=settings.guard_history_limit,  # type: ignore[arg-type]
    )
    policy = tenant.policy_obj.model_dump(mode="json")  # with defaults for fields added later
    # What each document said as submitted (the loop below overwrites text with the redaction).
    submitted_texts = {d.id: d.raw_text or d.text for d in docs}
    for doc in docs:
        if doc.status != DocumentStatus.pending:
            continue
        submitted = submitted_texts[doc.id]
        peers = [
            submitted_texts[d.id]
            for d in docs
            if d is not doc and d.status != DocumentStatus.discarded
        ]
        ctx = ScanContext(
            tenant_id=tenant.id, policy=policy, earlier_texts=earlier, peer_texts=peers
        )
        outcome = scan_text(submitted, ctx, guards)
        doc.text = outcome.text
        doc.raw_text = submitted if tenant.policy_obj.keep_raw_text else None
        doc.findings = [f.as_dict() for f in outcome.findings]
        doc.status = {
            Verdict.PASS: DocumentStatus.accepted,
            Verdict.REDACT: DocumentStatus.accepted,
            Verdict.QUARANTINE: DocumentStatus.quarantined,
            Verdict.REJECT: DocumentStatus.rejected,
        }[outcome.verdict]
        session.add(doc)
        add_event(
            session,
            job,
            f"document {doc.id}: {outcome.verdict.label}",
            data={"document_id": doc.id, **outcome.as_dict()},
            commit=False,
        )
    session.commit()
    return [d for d in docs if d.status == DocumentStatus.accepted]


def ensure_probes(
    session: Session, docs: list[Document], generator: Generator, settings: Settings
) -> None:
    """The tenant's questions are the probes; otherwise the model writes them from the text."""
    missing = [d for d in docs if not d.probes]
    with_questions = [d for d in missing if d.questions]
    for d in with_questions:
        d.probes, d.probes_source = d.questions, "tenant"
    to_write = [d for d in missing if not d.questions]
    if to_write:
        written = write_probes(
            generator,
            [DocInput(d.title, d.text) for d in to_write],
            settings.probe_count,
            settings.probe_max_tokens,
            settings.seed,
        )
        for d, qas in zip(to_write, written, strict=True):
            source = "generated"
            if not qas:
                qas, source = cloze_probes(d.title, d.text, settings.probe_count), "cloze"
            d.probes = [{"question": q.question, "answer": q.answer} for q in qas]
            d.probes_source = source
    for d in missing:
        session.add(d)
    session.commit()


def _doc_inputs(docs: list[Document]) -> list[DocInput]:
    return [
        DocInput(d.title, d.text, [QA(p["question"], p["answer"]) for p in d.probes]) for d in docs
    ]


def _fail(engine: Engine, job_id: int, code: str, message: str) -> None:
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job and not is_terminal(job):
            transition(session, job, S.failed, message, error={"code": code, "message": message})


def run_teach_job(
    job_id: int,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    store: ArtifactStore | None = None,
    generator: Generator | None = None,
) -> str:
    """Run one teach job to a terminal (or waiting) state; return the final status."""
    settings = settings or get_settings()
    engine = engine or get_engine()
    store = store or get_artifact_store()
    try:
        return _run(job_id, settings, engine, store, generator)
    except JobCancelled:
        return S.cancelled
    except InterruptedError:
        return S.cancelled
    except ServiceError as exc:
        _fail(engine, job_id, exc.code, exc.message)
        return S.failed
    except Exception as exc:  # noqa: BLE001 - a job must end failed, never stuck
        log.error("job %s failed: %s", job_id, traceback.format_exc())
        _fail(
            engine, job_id, "internal_error", f"the job failed in the worker ({type(exc).__name__})"
        )
        return S.failed


def _run(
    job_id: int,
    settings: Settings,
    engine: Engine,
    store: ArtifactStore,
    generator: Generator | None,
) -> str:
    cancelled = _cancel_check(engine, job_id)
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            log.warning("job %s does not exist", job_id)
            return "missing"
        if is_terminal(job) or job.status == S.awaiting_approval:
            return job.status  # already done: a redelivered task does nothing
        tenant = session.get(Tenant, job.tenant_id)
        assert tenant is not None
        if job.status not in (S.queued, S.quarantined):
            # acks_late redelivered the task of a worker that died mid-job: nothing was
            # registered (registration is the last step), so start again from the top.
            add_event(session, job, f"restarting from {job.status} (the previous worker stopped)")
            job.status = S.queued
            session.add(job)
            session.commit()
        if job.status == S.queued:
            transition(session, job, S.scanning, "scanning documents", progress=0.02)
        docs = job_documents(session, job_id)
        accepted = scan_documents(session, job, tenant, docs, settings)
        if any(d.status == DocumentStatus.quarantined for d in docs):
            if job.status != S.quarantined:
                transition(
                    session,
                    job,
                    S.quarantined,
                    "documents await an admin's review",
                    data={
                        "quarantined": [
                            d.id for d in docs if d.status == DocumentStatus.quarantined
                        ]
                    },
                )
            return S.quarantined
        if not accepted:
            reasons = [{"document_id": d.id, "findings": d.findings} for d in docs]
            transition(
                session,
                job,
                S.rejected,
                "every document was rejected by the guards",
                data={"documents": reasons},
                error={"code": "rejected", "message": "every document was rejected by the guards"},
            )
            return S.rejected
        if cancelled():
            raise JobCancelled
        transition(
            session,
            job,
            S.generating,
            "writing self-edits",
            progress=0.1,
            data={"documents": len(accepted), "k": settings.selfedit_k},
        )

        generator = generator or make_generator(settings)
        base, tokenizer = load_base(str(settings.base_model_path))
        # The self-edit policy (the outer loop's product): the tenant's own, else the global one,
        # else the base model. Loading is idempotent, and covers a vLLM that restarted.
        policy = policy_for_tenant(session, tenant.id)  # type: ignore[arg-type]
        if policy is not None:
            generator.add_adapter(policy.name, store.local_path(policy.artifact_uri))
        t0 = time.perf_counter()
        # Self-edits and the model's own probe questions are independent: a server samples them
        # together. (The in-process generator shares one model and tokenizer: one call at a time.)
        sample = functools.partial(
            generate_selfedits,
            generator,
            _doc_inputs(accepted),
            settings.selfedit_k,
            settings.selfedit_styles,
            max_tokens=settings.selfedit_max_tokens,
            temperature=settings.selfedit_temperature,
            seed=settings.seed,
            model=policy.name if policy else None,
        )
        if getattr(generator, "concurrent", False):
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(sample)
                ensure_probes(session, accepted, generator, settings)
                selfedits = pending.result()
        else:
            ensure_probes(session, accepted, generator, settings)
            selfedits = sample()
        generate_s = time.perf_counter() - t0
        parent = get_active_version(session, tenant.id)  # type: ignore[arg-type]
        parent_path = store.local_path(parent.artifact_uri) if parent else None
        current_model = load_adapter(base, parent_path) if parent_path else None

        state = {"training": False}

        def on_progress(stage: str, fraction: float, data: dict[str, Any]) -> None:
            if stage == "training" and not state["training"]:
                transition(session, job, S.training, "training candidates", progress=0.3)
                state["training"] = True
            if state["training"]:
                add_event(
                    session,
                    job,
                    f"candidate {data.get('candidate')}: {stage}",
                    progress=0.3 + 0.5 * fraction,
                    data=data,
                )
            if cancelled():
                raise JobCancelled

        replay = replay_examples(session, parent, settings.replay_size, settings.seed)
        size = tenant.policy_obj.rehearsal_size
        rehearsal = rehearsal_examples(
            settings.rehearsal_size if size is None else size,
            settings.seed + job.id,  # type: ignore[operator]
        )
        result = run_inner_loop(
            _doc_inputs(accepted),
            base=base,
            tokenizer=tokenizer,
            generator=generator,
            train_config=train_config(settings),
            k=settings.selfedit_k,
            styles=settings.selfedit_styles,
            selfedit_max_tokens=settings.selfedit_max_tokens,
            temperature=settings.selfedit_temperature,
            answer_max_tokens=settings.answer_max_tokens,
            init_adapter=parent_path,
            current_model=current_model,
            on_progress=on_progress,
            should_stop=cancelled,
            selfedits=selfedits,
            replay=replay + rehearsal,
            bounds=header_bounds(settings),
        )
        result.timings["replay_examples"] = len(replay)
        result.timings["rehearsal_examples"] = len(rehearsal)
        result.timings["generate_s"] = generate_s
        transition(
            session,
            job,
            S.evaluating,
            "running gates on the best candidate",
            progress=0.85,
            data={"best_candidate": result.best.index, "reward": result.best.reward},
        )
        gates = run_gates(
            GateContext(
                tenant_id=tenant.id,  # type: ignore[arg-type]
                policy=tenant.policy_obj.model_dump(mode="json"),
                candidate_model=result.best.model,
                current_model=current_model or base,
                tokenizer=tokenizer,
                settings=settings,
                extras={
                    "documents": accepted,
                    # Names the model that serves now, so its suite scores can be cached.
                    "current_name": f"{parent.name}:{parent.checksum}"
                    if parent
                    else f"base:{settings.base_model_path}",
                    "retention_items": retention_items(session, parent),
                    **tenant_safety_context(session, tenant.id),  # type: ignore[arg-type]
                },
            ),
            settings.disabled_gates,
        )
        passed = all(g.passed for g in gates)
        add_event(
            session,
            job,
            "gates "
            + ("passed" if passed else "failed")
            + ": "
            + ", ".join(f"{g.name} {'ok' if g.passed else 'FAILED'}" for g in gates),
            progress=0.9,
            data={"gates": [g.as_dict() for g in gates]},
        )
        if cancelled():
            raise JobCancelled
        version = _register(
            session,
            job,
            tenant,
            result,
            gates,
            passed,
            parent,
            accepted,
            store,
            settings,
            policy.name if policy else "base",
        )
        return _decide(session, job, tenant, version, passed, store, settings)


def _register(
    session: Session,
    job: Job,
    tenant: Tenant,
    result: InnerLoopResult,
    gates: list,
    passed: bool,
    parent: Any,
    docs: list[Document],
    store: ArtifactStore,
    settings: Settings,
    policy_name: str,
):  # type: ignore[no-untyped-def]
    scratch = store.scratch_dir()
    save_adapter(result.best.model, scratch)
    key, checksum = store.commit_dir(scratch, prefix=f"tenants/{tenant.id}")
    if not passed:
        status = VersionStatus.rejected
    elif tenant.policy_obj.auto_promote:
        status = VersionStatus.ready
    else:
        status = VersionStatus.awaiting_approval
    metrics = {
        "baseline": result.baseline.as_dict(),
        "best": {
            "candidate": result.best.index,
            "style": result.best.style,
            "reward": result.best.reward,
            "em_gain": result.best.em_gain,
            **(result.best.score.as_dict() if result.best.score else {}),
        },
        "candidates": [
            {
                "candidate": c.index,
                "style": c.style,
                "reward": c.reward,
                "examples": c.n_examples,
                "train_s": round(c.train_seconds, 2),
                "header": c.header,
            }
            for c in result.candidates
        ],
        "timings": {k: round(v, 2) for k, v in result.timings.items()},
        "policy": policy_name,  # the self-edit policy that wrote the candidates
        # Per-probe answers of the winner: the ones it got right join the retention suite
        # once this version is promoted (workers.forgetting.retention_items).
        "probes": _probe_results(docs, result),
    }
    try:
        version = register_version(
            session,
            tenant_id=tenant.id,
            artifact_uri=key,
            checksum=checksum,  # type: ignore[arg-type]
            parent_id=parent.id if parent else None,
            job_id=job.id,
            status=status,
            metrics=metrics,
            eval_report={"gates": [g.as_dict() for g in gates], "passed": passed},
        )
    except Exception:
        store.delete(key)
        raise
    for cand in result.candidates:
        for doc, text in zip(docs, cand.selfedits, strict=True):
            session.add(
                SelfEditRecord(
                    tenant_id=tenant.id,
                    job_id=job.id,
                    document_id=doc.id,
                    candidate=cand.index,  # type: ignore[arg-type]
                    style=cand.style,
                    text=text,
                    reward=cand.reward,
                    em_gain=cand.em_gain,
                    selected=cand is result.best,
                )
            )
    job.adapter_version_id = version.id
    job.metrics = metrics
    session.add(job)
    session.commit()
    return version


def _probe_results(docs: list[Document], result: InnerLoopResult) -> list[dict[str, Any]]:
    rows = [(d.id, p) for d in docs for p in d.probes]
    return [
        {
            "document_id": doc_id,
            "question": p["question"],
            "answer": p["answer"],
            "prediction": pred,
            "correct": is_correct(pred, p["answer"]),
        }
        for (doc_id, p), pred in zip(rows, result.best.answers, strict=True)
    ]


def _decide(
    session: Session,
    job: Job,
    tenant: Tenant,
    version: Any,
    passed: bool,
    store: ArtifactStore,
    settings: Settings,
) -> str:
    from serving.promotion import activate, serving_admin

    info = {"adapter_version": version.version, "adapter": version.name, "adapter_id": version.id}
    if not passed:
        transition(
            session,
            job,
            S.rejected,
            "the candidate failed its gates",
            data={**info, "report": version.eval_report},
            error={"code": "gate_failed", "message": "the candidate failed its gates"},
        )
        return S.rejected
    if version.status == VersionStatus.awaiting_approval:
        transition(session, job, S.awaiting_approval, "waiting for an admin's approval", data=info)
        return S.awaiting_approval
    try:
        activate(session, tenant.id, version, store, serving_admin(settings))  # type: ignore[arg-type]
    except Exception:
        # A failed job leaves no adapter version: the alias never moved, so drop the row and files.
        session.rollback()
        job.adapter_version_id = None
        session.add(job)
        session.delete(version)
        session.commit()
        store.delete(version.artifact_uri)
        raise
    transition(session, job, S.promoted, f"{version.name} is now active", data=info)
    return S.promoted
