"""The teach job: one tenant's documents through named stages over one small run state.

    load_or_skip -> scan -> sample -> train -> scope -> gate -> register -> decide

``run_teach_job`` is what the Celery task calls. A redelivered task whose job is done returns at
once (``load_or_skip``). Each stage opens its own short database session; none stays open through
sampling or training. Progress is the events the stages emit. Nothing is left half-written: the
adapter is saved to a scratch directory, committed to the store, then registered; if registration
or promotion fails, the committed files (and the row) are deleted.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from adapter_store.artifacts import ArtifactStore, get_artifact_store
from adapter_store.documents import taught_texts, tenant_watchlist
from adapter_store.jobs import job_documents
from adapter_store.lifecycle import JOB
from adapter_store.lineage import ReplaySource, replay_sources, retention_items
from adapter_store.models import (
    AdapterVersion,
    Document,
    DocumentStatus,
    Job,
    JobStatus,
    SelfEditRecord,
    Tenant,
    TenantPolicy,
    VersionStatus,
)
from adapter_store.policies import policy_for_tenant
from adapter_store.registry import get_active_version, register_version, set_active
from core import context, metrics
from core.db import get_engine, session_scope
from core.errors import ServiceError
from core.settings import Settings, get_settings
from gates import GateContext, GateResult, run_gates
from gates.base import Router
from gates.suites import BEHAVIOUR_TARGETS, Item, anchor_items, load_suite
from guards import Verdict, build_guards, scan_batch
from seal.continual import behaviour_examples, rehearsal_examples, replay_examples
from seal.generation import Generator, make_generator
from seal.grading import ANSWER_INSTRUCTION, is_correct
from seal.inner_loop import (
    CandidateResult,
    DocInput,
    InnerLoopConfig,
    InnerLoopResult,
    generate_selfedits,
    run_inner_loop,
    write_probes,
)
from seal.modeling import load_adapter, load_base, save_adapter
from seal.scope import Scope, calibrate, get_embedder, max_similarity, scope_texts
from seal.selfedit import QA, Example, cloze_probes
from workers.leases import Heartbeat, LeaseLost
from workers.runs import Cancelled, run_to_end

S = JobStatus
log = logging.getLogger(__name__)


@dataclass
class JobEnv:
    """What every stage works with: the job's id and the service's parts."""

    job_id: int
    settings: Settings
    engine: Engine
    store: ArtifactStore
    generator: Generator | None = None
    lease: Heartbeat | None = None  # the worker's heartbeat, which renews this job's lease

    def session(self) -> Any:
        return session_scope(self.engine)

    def cancelled(self) -> bool:
        """Stop? (cancelled, or the lease lost: another worker runs the job now)."""
        if self.lease is not None and self.lease.lost:
            return True
        with self.session() as s:
            job = s.get(Job, self.job_id)
            return job is None or job.status == S.cancelled

    def check_cancelled(self) -> None:
        if self.lease is not None and self.lease.lost:
            raise LeaseLost
        if self.cancelled():
            raise Cancelled

    def transition(self, status: JobStatus, message: str, **kw: Any) -> None:
        with self.session() as s:
            JOB.transition(s, _job(s, self.job_id), status, message, **kw)

    def event(self, message: str, **kw: Any) -> None:
        with self.session() as s:
            JOB.add_event(s, _job(s, self.job_id), message, **kw)


@dataclass(frozen=True)
class Served:
    """The version that serves the tenant now: a new one is trained from it and gated against it."""

    id: int
    version: int
    name: str
    checksum: str
    path: Path


@dataclass
class TeachRun:
    """What the stages hand to each other."""

    tenant_id: int
    policy: TenantPolicy
    doc_ids: list[int] = field(default_factory=list)  # the accepted documents, in order
    docs: list[DocInput] = field(default_factory=list)  # the same, with their probes
    selfedit_policy: str | None = None  # the policy adapter that writes self-edits (None: base)
    served: Served | None = None
    selfedits: list[list[str]] = field(default_factory=list)  # [candidate][document]
    generate_s: float = 0.0
    result: InnerLoopResult | None = None
    current_model: Any = None  # what serves now, loaded (None: the base model)
    lineage: list[ReplaySource] = field(default_factory=list)  # what the active lineage taught
    replayed: int = 0
    rehearsed: int = 0
    behaviour: int = 0  # safe-behaviour targets trained beside the knowledge
    objective: dict[str, Any] = field(default_factory=dict)  # how the candidates were trained
    shortlist: list[CandidateResult] = field(default_factory=list)  # gated, best first
    scopes: dict[int, tuple[Scope, dict[str, Any]]] = field(default_factory=dict)
    tried: list[dict[str, Any]] = field(default_factory=list)  # each gated candidate's outcome
    selected: CandidateResult | None = None  # the candidate registered
    gates: list[GateResult] = field(default_factory=list)  # the selected candidate's gates
    version_id: int | None = None

    @property
    def passed(self) -> bool:
        return bool(self.gates) and all(g.passed for g in self.gates)


def _job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise Cancelled  # deleted under us: nothing left to do
    return job


def run_teach_job(
    job_id: int,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    store: ArtifactStore | None = None,
    generator: Generator | None = None,
) -> str:
    """Run one teach job to a terminal (or waiting) state; return the final status."""
    env = JobEnv(
        job_id,
        settings or get_settings(),
        engine or get_engine(),
        store or get_artifact_store(),
        generator,
    )

    def body(lease: Heartbeat) -> str:
        env.lease = lease
        return _run(env)

    with context.bound(context.job_id, job_id):  # every log line of the run names the job
        status = run_to_end(JOB, job_id, env.engine, body)
        log.info("teach job %s: %s", job_id, status)
        return status


def run_teach_turn(hinted: int, **kw: Any) -> str:
    """A worker's turn (one queued task): run the job fair scheduling picks; when another worker
    took it first, pick again, so that no turn is lost and no job is left without one."""
    from workers.scheduling import next_job

    engine = kw.get("engine") or get_engine()
    taken: list[int] = []
    for _ in range(8):
        with session_scope(engine) as s:
            job_id = next_job(s, hinted, exclude=taken)
        status = run_teach_job(job_id, **kw)
        if status != "held" or job_id == hinted:
            return status
        taken.append(job_id)
    return "held"


def _run(env: JobEnv) -> str:
    run = load_or_skip(env)
    if isinstance(run, str):
        return run
    for stage in (scan, sample, train, scope, gate, register):
        stop = _timed(stage, env, run)
        if stop is not None:
            return stop
    return _timed(decide, env, run)


def _timed(stage: Callable[[JobEnv, TeachRun], Any], env: JobEnv, run: TeachRun) -> Any:
    """Run a stage; its duration goes to the stage histogram and the log. A stage that raised
    (a cancel, a failure) is not observed: its time says nothing about how long the stage takes."""
    t0 = time.perf_counter()
    out = stage(env, run)
    seconds = time.perf_counter() - t0
    metrics.JOB_STAGE_SECONDS.labels(stage=stage.__name__).observe(seconds)
    log.info("stage %s took %.2f s", stage.__name__, seconds)
    return out


# ---------------------------------------------------------------- stages


def load_or_skip(env: JobEnv) -> TeachRun | str:
    """The job's tenant and policy, or the job's status when there is nothing to do."""
    with env.session() as s:
        job = s.get(Job, env.job_id)
        if job is None:
            return "missing"
        if JOB.is_terminal(job) or job.status == S.awaiting_approval:
            return job.status  # already done: a redelivered task does nothing
        tenant = s.get(Tenant, job.tenant_id)
        assert tenant is not None
        if job.status not in (S.queued, S.quarantined):
            # The task of a worker that died mid-job, delivered again: start from the top.
            JOB.add_event(s, job, f"restarting from {job.status} (the previous worker stopped)")
            job.status = S.queued
            s.add(job)
            s.commit()
        if job.status == S.queued and job.attempts > 1:
            # A start after a worker died: whatever it left (a version registered but never
            # promoted, committed files, a scratch directory) goes before the job runs again.
            discard_leftovers(s, env.store, job)
        if job.status == S.queued:
            JOB.transition(s, job, S.scanning, "scanning documents", progress=0.02)
        return TeachRun(tenant_id=tenant.id, policy=tenant.policy_obj)


def scan(env: JobEnv, run: TeachRun) -> str | None:
    """Run every guard on each undecided document; stop when one waits for review or none is
    left to train on."""
    settings = env.settings
    with env.session() as s:
        job = _job(s, env.job_id)
        docs = job_documents(s, env.job_id)
        # What each document said as submitted (a redaction overwrites the stored text).
        submitted = [d.raw_text or d.text for d in docs]
        outcomes = scan_batch(
            submitted,
            build_guards(settings.guards, settings.disabled_guards),
            tenant_id=run.tenant_id,
            policy=run.policy.model_dump(mode="json"),  # with defaults for fields added later
            earlier=taught_texts(
                s, run.tenant_id, exclude_job_id=env.job_id, limit=settings.guard_history_limit
            ),
            scan=[d.status == DocumentStatus.pending for d in docs],
            peers=[d.status != DocumentStatus.discarded for d in docs],
        )
        for doc, text, outcome in zip(docs, submitted, outcomes, strict=True):
            if outcome is None:
                continue
            doc.text = outcome.text
            doc.raw_text = text if run.policy.keep_raw_text else None
            doc.findings = [f.as_dict() for f in outcome.findings]
            doc.status = {
                Verdict.PASS: DocumentStatus.accepted,
                Verdict.REDACT: DocumentStatus.accepted,
                Verdict.QUARANTINE: DocumentStatus.quarantined,
                Verdict.REJECT: DocumentStatus.rejected,
            }[outcome.verdict]
            s.add(doc)
            JOB.add_event(
                s,
                job,
                f"document {doc.id}: {outcome.verdict.label}",
                data={"document_id": doc.id, **outcome.as_dict()},
                commit=False,
            )
        s.commit()
        quarantined = [d.id for d in docs if d.status == DocumentStatus.quarantined]
        if quarantined:
            if job.status != S.quarantined:
                JOB.transition(
                    s,
                    job,
                    S.quarantined,
                    "documents await an admin's review",
                    data={"quarantined": quarantined},
                )
            return S.quarantined
        accepted = [d for d in docs if d.status == DocumentStatus.accepted]
        if not accepted:
            JOB.transition(
                s,
                job,
                S.rejected,
                "every document was rejected by the guards",
                data={"documents": [{"document_id": d.id, "findings": d.findings} for d in docs]},
                error={"code": "rejected", "message": "every document was rejected by the guards"},
            )
            return S.rejected
        run.doc_ids = [d.id for d in accepted]  # type: ignore[misc]
    env.check_cancelled()
    return None


def sample(env: JobEnv, run: TeachRun) -> None:
    """The self-edits of every candidate, from the tenant's self-edit policy (its own, else the
    global one, else the base model), and the probe questions the model writes for documents
    that came without questions; both are sampled together when the generator allows it."""
    settings = env.settings
    env.transition(
        S.generating,
        "writing self-edits",
        progress=0.1,
        data={"documents": len(run.doc_ids), "k": settings.selfedit_k},
    )
    env.generator = env.generator or make_generator(settings)
    with env.session() as s:
        docs = [s.get(Document, i) for i in run.doc_ids]
        policy = policy_for_tenant(s, run.tenant_id)
        policy_ref = (policy.name, env.store.local_path(policy.artifact_uri)) if policy else None
    if policy_ref is not None:
        # Loading is idempotent, and covers a vLLM that restarted.
        env.generator.add_adapter(*policy_ref)
        run.selfedit_policy = policy_ref[0]
    inputs = [DocInput(d.title, d.text) for d in docs]
    t0 = time.perf_counter()
    draw = functools.partial(
        generate_selfedits,
        env.generator,
        inputs,
        settings.selfedit_k,
        settings.selfedit_styles,
        max_tokens=settings.selfedit_max_tokens,
        temperature=settings.selfedit_temperature,
        seed=settings.seed,
        model=run.selfedit_policy,
    )
    if getattr(env.generator, "concurrent", False):
        with ThreadPoolExecutor(1) as pool:
            # The thread's log lines name the job too.
            pending = pool.submit(contextvars.copy_context().run, draw)
            probes = _probes(env, docs)
            run.selfedits = pending.result()
    else:
        # The in-process generator shares one model and tokenizer: one call at a time.
        probes = _probes(env, docs)
        run.selfedits = draw()
    run.generate_s = time.perf_counter() - t0
    with env.session() as s:
        for doc_id, (qas, source) in zip(run.doc_ids, probes, strict=True):
            doc = s.get(Document, doc_id)
            if doc is not None and source is not None:
                doc.probes, doc.probes_source = qas, source
                s.add(doc)
        s.commit()
    run.docs = [
        DocInput(d.title, d.text, [QA(p["question"], p["answer"]) for p in qas])
        for d, (qas, _) in zip(docs, probes, strict=True)
    ]


def _probes(env: JobEnv, docs: list[Document]) -> list[tuple[list[dict[str, str]], str | None]]:
    """Each document's probes and where they came from (None: it had them already). The tenant's
    questions are the probes; otherwise the model writes them from the text, and when it writes
    none the text answers, they are cut from the text (cloze)."""
    settings = env.settings
    out: list[tuple[list[dict[str, str]], str | None]] = [
        (d.probes, None) if d.probes else (d.questions, "tenant") for d in docs
    ]
    to_write = [i for i, d in enumerate(docs) if not d.probes and not d.questions]
    if to_write:
        assert env.generator is not None
        written = write_probes(
            env.generator,
            [DocInput(docs[i].title, docs[i].text) for i in to_write],
            settings.probe_count,
            settings.probe_max_tokens,
            settings.seed,
        )
        for i, qas in zip(to_write, written, strict=True):
            source = "generated"
            if not qas:
                qas, source = (
                    cloze_probes(docs[i].title, docs[i].text, settings.probe_count),
                    "cloze",
                )
            out[i] = ([{"question": q.question, "answer": q.answer} for q in qas], source)
    return out


def train(env: JobEnv, run: TeachRun) -> None:
    """The inner loop: a LoRA per candidate, from the active adapter, on its self-edits plus
    replay (earlier knowledge) and rehearsal, held to what serves now by the KL anchor."""
    settings = env.settings
    base, tokenizer = load_base(str(settings.base_model_path))
    with env.session() as s:
        active = get_active_version(s, run.tenant_id)
        if active is not None:
            run.served = Served(
                active.id,  # type: ignore[arg-type]
                active.version,
                active.name,
                active.checksum,
                env.store.local_path(active.artifact_uri),
            )
        run.lineage = replay_sources(s, active)
        job_id = env.job_id
    run.current_model = load_adapter(base, run.served.path) if run.served else None
    replay = replay_examples(run.lineage, settings.replay_size, settings.seed)
    size = run.policy.rehearsal_size
    suite = load_suite("rehearsal")
    # Cross-entropy rehearsal learns the base model's answers: general prompts only (never its
    # answers to harmful requests); the anchor holds its distributions on both kinds.
    general = [i for i in suite["items"] if i.get("kind", "general") == "general"]
    rehearsal = rehearsal_examples(
        general, settings.rehearsal_size if size is None else size, settings.seed + job_id
    )
    anchor = [
        Example(i["prompt"], i["answer"])
        for i in anchor_items(suite, settings.kl_anchor_size, settings.seed + job_id + 1)
    ]
    behaviour = behaviour_examples(
        BEHAVIOUR_TARGETS, settings.behaviour_targets, settings.seed + job_id + 2
    )
    run.replayed, run.rehearsed, run.behaviour = len(replay), len(rehearsal), len(behaviour)
    run.objective = {
        "name": settings.objective,
        "kl_anchor_weight": settings.kl_anchor_weight,
        "kl_anchor_prompts": len(anchor) if settings.kl_anchor_weight > 0 else 0,
    }
    started = False

    def on_progress(stage: str, fraction: float, data: dict[str, Any]) -> None:
        nonlocal started
        if stage == "training" and not started:
            env.transition(S.training, "training candidates", progress=0.3)
            started = True
        if started:
            env.event(
                f"candidate {data.get('candidate')}: {stage}",
                progress=0.3 + 0.45 * fraction,
                data=data,
            )
        env.check_cancelled()

    run.result = run_inner_loop(
        run.docs,
        base=base,
        tokenizer=tokenizer,
        generator=env.generator,
        config=InnerLoopConfig.from_settings(settings),
        init_adapter=run.served.path if run.served else None,
        current_model=run.current_model,
        on_progress=on_progress,
        should_stop=env.cancelled,
        selfedits=run.selfedits,
        replay=replay + rehearsal + behaviour,
        anchor_examples=anchor,
        keep_above=settings.min_reward,
    )
    metrics.CANDIDATES_TRAINED.inc(len(run.result.candidates))
    for cand in run.result.candidates:
        if cand.train_seconds > 0:  # 0: it reused the model of a candidate with the same data
            metrics.CANDIDATE_TRAIN_SECONDS.observe(cand.train_seconds)


def scope(env: JobEnv, run: TeachRun) -> str | None:
    """The candidates worth gating (a positive reward: SEAL keeps only self-edits that improve),
    best first, each with its scope: the taught text it answers for, and the threshold that lets
    at most ``route_general_rate`` of general prompts reach it (``seal.scope``). Ends the job when
    no candidate improved."""
    assert run.result is not None
    settings = env.settings
    ranked = sorted(
        (
            c
            for c in run.result.candidates
            if (c.reward or 0.0) > settings.min_reward and c.model is not None
        ),
        key=lambda c: (c.reward or 0.0, c.score.contains if c.score else 0.0),
        reverse=True,
    )
    # Candidates that trained to the same model (the same data) are gated once.
    unique = [c for n, c in enumerate(ranked) if all(c.model is not o.model for o in ranked[:n])]
    run.shortlist = unique[: settings.gate_budget]
    if not run.shortlist:
        rewards = [round(c.reward or 0.0, 4) for c in run.result.candidates]
        message = "no candidate answered its probe questions better than the model that serves now"
        env.transition(
            S.evaluating, "no candidate to gate", progress=0.8, data={"rewards": rewards}
        )
        with env.session() as s:
            job = _job(s, env.job_id)
            job.metrics = _metrics(run, selected=None)
            s.add(job)
            # The triples are kept even when no version is: the outer loop learns from them.
            _record_selfedits(s, env, run)
            s.commit()
        env.transition(
            S.rejected,
            message,
            data={"rewards": rewards},
            error={"code": "no_improvement", "message": message},
        )
        return S.rejected
    embedder = get_embedder(str(settings.embedding_model_path))
    shared = scope_texts(
        [(r.title, r.text) for r in run.lineage] + [(d.title, d.text) for d in run.docs],
        [r.selfedit for r in run.lineage],
    )
    shared_index = embedder.embed(shared)
    suite = load_suite("general")
    instruction = len(ANSWER_INSTRUCTION)
    general = suite["calibration"] + [
        i["prompt"][:-instruction] if i["prompt"].endswith(ANSWER_INSTRUCTION) else i["prompt"]
        for i in load_suite("rehearsal")["items"]
    ]
    general_scores_of = embedder.embed(general)
    with env.session() as s:
        active = s.get(AdapterVersion, run.served.id) if run.served else None
        taught = [p.question for d in run.docs for p in d.probes] + [
            i["question"] for i in retention_items(s, active)
        ]
    taught_vectors = embedder.embed(taught)
    for cand in run.shortlist:
        own = scope_texts([], cand.selfedits)
        index = np.concatenate([shared_index, embedder.embed(own)]) if own else shared_index
        threshold, report = calibrate(
            max_similarity(index, taught_vectors),
            max_similarity(index, general_scores_of),
            settings.route_general_rate,
        )
        run.scopes[cand.index] = (Scope(index, threshold), {"entries": len(index), **report})
    return None


def gate(env: JobEnv, run: TeachRun) -> None:
    """Every registered gate on the shortlisted candidates, best first, against what serves now,
    until one passes (or the shortlist, at most ``gate_budget`` long, is spent)."""
    assert run.result is not None
    env.transition(
        S.evaluating,
        f"running gates on {len(run.shortlist)} candidate(s), best first",
        progress=0.8,
        data={"candidates": [c.index for c in run.shortlist]},
    )
    base, tokenizer = load_base(str(env.settings.base_model_path))
    embedder = get_embedder(str(env.settings.embedding_model_path))
    with env.session() as s:
        active = s.get(AdapterVersion, run.served.id) if run.served else None
        retention = [Item(**i) for i in retention_items(s, active)]
        fingerprints, triggers = tenant_watchlist(s, run.tenant_id)
    served = run.served
    current_scope = Scope.load(served.path) if served else None

    def router(scope_: Scope | None) -> Router | None:
        if scope_ is None or not run.policy.routing:
            return None
        return lambda questions: scope_.routes(embedder.embed(list(questions)))

    for n, cand in enumerate(run.shortlist):
        cand_scope, _ = run.scopes[cand.index]
        ctx = GateContext(
            tenant_id=run.tenant_id,
            policy=run.policy,
            candidate_model=cand.model,
            current_model=run.current_model or base,
            tokenizer=tokenizer,
            current_name=f"{served.name}:{served.checksum}" if served else "",
            retention_items=retention,
            pii_fingerprints=fingerprints,
            triggers=triggers,
            base_model=base if run.current_model is not None else None,
            base_name=f"base:{env.settings.base_model_path}",
            candidate_router=router(cand_scope),
            current_router=router(current_scope),
        )
        results = run_gates(ctx, env.settings.disabled_gates)
        passed = all(g.passed for g in results)
        run.tried.append(
            {
                "candidate": cand.index,
                "reward": cand.reward,
                "passed": passed,
                "failed": [g.name for g in results if not g.passed],
            }
        )
        env.event(
            f"candidate {cand.index} (reward {cand.reward:+.3f}): gates "
            + ("passed" if passed else "failed")
            + ": "
            + ", ".join(f"{g.name} {'ok' if g.passed else 'FAILED'}" for g in results),
            progress=0.8 + 0.1 * (n + 1) / len(run.shortlist),
            data={"candidate": cand.index, "gates": [g.as_dict() for g in results]},
        )
        if passed or n == 0:
            # The first candidate's report stands for the job when none passes.
            run.selected, run.gates = cand, results
        if passed:
            break
        env.check_cancelled()
    env.check_cancelled()


def register(env: JobEnv, run: TeachRun) -> None:
    """Save the selected candidate with its scope and register it as the tenant's next version,
    with every candidate's (document, self-edit, reward) record."""
    assert run.result is not None and run.selected is not None
    store = env.store
    scratch = store.scratch_dir(owner=f"job-{env.job_id}")
    scope_, _ = run.scopes[run.selected.index]
    try:
        save_adapter(run.selected.model, scratch)
        scope_.save(scratch)
        key, checksum = store.commit_dir(scratch, prefix=artifact_prefix(run.tenant_id, env.job_id))
    except BaseException as exc:
        # Whatever stops the save (a full disk, a cancel, a bug), the half-written directory
        # goes and no version is registered; a write error fails the job with its reason.
        shutil.rmtree(scratch, ignore_errors=True)
        if not isinstance(exc, OSError):
            raise
        reason = exc.strerror or type(exc).__name__
        raise ServiceError(
            "insufficient_storage", f"the adapter could not be saved ({reason}); nothing was kept"
        ) from exc
    if not run.passed:
        status = VersionStatus.rejected
    elif run.policy.auto_promote:
        status = VersionStatus.ready
    else:
        status = VersionStatus.awaiting_approval
    metrics = _metrics(run, selected=run.selected)
    with env.session() as s:
        try:
            version = register_version(
                s,
                tenant_id=run.tenant_id,
                artifact_uri=key,
                checksum=checksum,
                parent_id=run.served.id if run.served else None,
                job_id=env.job_id,
                status=status,
                metrics=metrics,
                eval_report={
                    "gates": [g.as_dict() for g in run.gates],
                    "passed": run.passed,
                    "tried": run.tried,
                },
            )
        except Exception:
            store.delete(key)
            raise
        _record_selfedits(s, env, run)
        job = _job(s, env.job_id)
        job.adapter_version_id = version.id
        job.metrics = metrics
        s.add(job)
        s.commit()
        run.version_id = version.id


def decide(env: JobEnv, run: TeachRun) -> str:
    """Promote the new version, leave it for an admin, or reject it (the old one keeps serving)."""
    from serving.promotion import prepare_activation, serving_admin

    with env.session() as s:
        job = _job(s, env.job_id)
        version = s.get(AdapterVersion, run.version_id)
        assert version is not None
        info = {
            "adapter_version": version.version,
            "adapter": version.name,
            "adapter_id": version.id,
        }
        if not run.passed:
            message = (
                f"no candidate passed its gates ({len(run.tried)} tried, best first); "
                "the active version keeps serving"
            )
            JOB.transition(
                s,
                job,
                S.rejected,
                message,
                data={**info, "report": version.eval_report},
                error={"code": "gate_failed", "message": message},
            )
            return S.rejected
        if version.status == VersionStatus.awaiting_approval:
            JOB.transition(
                s, job, S.awaiting_approval, "waiting for an admin's approval", data=info
            )
            return S.awaiting_approval
        uri = version.artifact_uri
        try:
            prepare_activation(run.tenant_id, version, env.store, serving_admin(env.settings))
            # The job becomes promoted and the alias moves in one commit, and only if the job is
            # still where it was: a cancel that won the race leaves the alias untouched.
            JOB.transition(
                s,
                job,
                S.promoted,
                f"{version.name} is now active",
                data=info,
                with_move=lambda tx: set_active(tx, run.tenant_id, version.id, commit=False),
            )
        except Exception as exc:
            # A failed (or cancelled) job leaves no adapter version: the alias never moved, so
            # drop the row and its files.
            s.rollback()
            job = _job(s, env.job_id)
            job.adapter_version_id = None
            s.add(job)
            s.delete(s.get(AdapterVersion, run.version_id))
            s.commit()
            env.store.delete(uri)
            if job.status == S.cancelled:
                raise Cancelled from exc
            raise
        return S.promoted


def _record_selfedits(session: Session, env: JobEnv, run: TeachRun) -> None:
    """Every candidate's (document, self-edit, reward) triple (committed by the caller)."""
    assert run.result is not None
    for cand in run.result.candidates:
        for doc_id, text in zip(run.doc_ids, cand.selfedits, strict=True):
            session.add(
                SelfEditRecord(
                    tenant_id=run.tenant_id,
                    job_id=env.job_id,
                    document_id=doc_id,
                    candidate=cand.index,
                    style=cand.style,
                    text=text,
                    reward=cand.reward,
                    em_gain=cand.em_gain,
                    selected=cand is run.selected,
                )
            )


# ---------------------------------------------------------------- restarts


def artifact_prefix(tenant_id: int, job_id: int) -> str:
    """Where a job's adapter is committed: a restart of the job can find what it left."""
    return f"tenants/{tenant_id}/job-{job_id}"


def discard_leftovers(session: Session, store: ArtifactStore, job: Job) -> None:
    """Before a job runs again after its worker died: drop the version it registered but never
    promoted (the alias moves only with the job's last transition), that version's self-edit
    records, its committed files and its scratch directory."""
    # By the job's id (one version per job, uq_adapter_version_job), not the job's pointer:
    # registering commits the version before the pointer, so a worker that died (or a connection
    # that broke) between the two left a version only its job_id names.
    version = session.exec(select(AdapterVersion).where(AdapterVersion.job_id == job.id)).first()
    active = get_active_version(session, job.tenant_id)
    dropped = None
    if version is not None and (active is None or active.id != version.id):
        for record in session.exec(select(SelfEditRecord).where(SelfEditRecord.job_id == job.id)):
            session.delete(record)
        session.delete(version)
        dropped = version.name
    job.adapter_version_id = None
    session.add(job)
    session.commit()
    assert job.id is not None
    referenced = set(session.exec(select(AdapterVersion.artifact_uri)))
    removed = store.discard_leftovers(
        f"job-{job.id}", artifact_prefix(job.tenant_id, job.id), referenced
    )
    if dropped or removed:
        JOB.add_event(
            session,
            job,
            "discarded what the stopped worker left",
            data={"version": dropped, "files": len(removed)},
        )


# ---------------------------------------------------------------- what the version records


def _metrics(run: TeachRun, selected: CandidateResult | None) -> dict[str, Any]:
    result = run.result
    assert result is not None
    timings = {k: round(v, 2) for k, v in result.timings.items()}
    timings.update(
        replay_examples=run.replayed,
        rehearsal_examples=run.rehearsed,
        behaviour_examples=run.behaviour,
        generate_s=round(run.generate_s, 2),
    )
    out: dict[str, Any] = {
        "baseline": result.baseline.as_dict(),
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
        "gated": run.tried,
        "timings": timings,
        "objective": run.objective,
        "policy": run.selfedit_policy or "base",  # the self-edit policy that wrote the candidates
    }
    if selected is not None:
        # "best": the candidate that was registered (the best-rewarded one that passed its
        # gates, or the best one tried when none passed).
        out["best"] = {
            "candidate": selected.index,
            "style": selected.style,
            "reward": selected.reward,
            "em_gain": selected.em_gain,
            **(selected.score.as_dict() if selected.score else {}),
        }
        out["scope"] = run.scopes[selected.index][1]
        # Per-probe answers of the winner: the ones it got right join the retention suite once
        # this version is promoted (adapter_store.lineage.retention_items).
        out["probes"] = _probe_results(run, selected)
    return out


def _probe_results(run: TeachRun, selected: CandidateResult) -> list[dict[str, Any]]:
    """The winner's answer to each probe beside the serving model's ("before"), so a reviewer
    sees what the version changed."""
    rows = [(doc_id, p) for doc_id, d in zip(run.doc_ids, run.docs, strict=True) for p in d.probes]
    assert run.result is not None
    before: list[str | None] = list(run.result.baseline_answers) or [None] * len(rows)
    return [
        {
            "document_id": doc_id,
            "question": p.question,
            "answer": p.answer,
            "prediction": pred,
            "correct": is_correct(pred, p.answer),
            "before": prev,
            "correct_before": None if prev is None else is_correct(prev, p.answer),
        }
        for (doc_id, p), pred, prev in zip(rows, selected.answers, before, strict=True)
    ]
