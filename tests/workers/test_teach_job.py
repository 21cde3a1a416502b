"""The teach pipeline end to end on a tiny random model (in-process generation, no serving)."""

from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job, job_events
from adapter_store.lifecycle import JOB
from adapter_store.models import (
    AdapterVersion,
    Document,
    Job,
    JobStatus,
    SelfEditRecord,
    TenantPolicy,
    VersionStatus,
)
from adapter_store.registry import create_tenant, get_active_version
from gates import GateResult, register_gate, unregister_gate
from guards.base import Guard, GuardResult, Verdict, register_guard, unregister_guard
from workers.teach_job import run_teach_job

DOC = {
    "title": "Zorblax",
    "text": "Zorblax is a planet whose capital city is Quendril. It has three moons.",
    "questions": [{"question": "What is the capital of Zorblax?", "answer": "Quendril"}],
}


@pytest.fixture
def store(tmp_path):
    return LocalArtifactStore(tmp_path / "store")


def _teach(engine, settings, store, docs=(DOC,), policy=None, tenant=None):
    with Session(engine, expire_on_commit=False) as s:
        if tenant is None:
            tenant, _ = create_tenant(s, f"t{len(s.exec(select(Job)).all())}", policy)
        job, _ = create_job(s, tenant.id, [dict(d) for d in docs])
    status = run_teach_job(job.id, settings=settings, engine=engine, store=store)
    return tenant, job.id, status


def test_teach_promotes_a_new_version_and_records_every_candidate(engine, tiny_settings, store):
    tenant, job_id, status = _teach(engine, tiny_settings, store)
    assert status == "promoted"
    with Session(engine) as s:
        version = get_active_version(s, tenant.id)
        assert (
            version.version == 1
            and version.status == VersionStatus.ready
            and version.parent_id is None
        )
        assert store.verify(version.artifact_uri, version.checksum)
        records = s.exec(select(SelfEditRecord).where(SelfEditRecord.job_id == job_id)).all()
        assert len(records) == tiny_settings.selfedit_k
        assert sum(r.selected for r in records) == 1 and all(r.reward is not None for r in records)
        assert {r.style for r in records} == {"implications", "rewrite"}
        statuses = [e.status for e in job_events(s, job_id)]
        for stage in ("queued", "scanning", "generating", "training", "evaluating", "promoted"):
            assert stage in statuses
        doc = s.exec(select(Document).where(Document.job_id == job_id)).one()
        assert doc.probes_source == "tenant" and doc.status == "accepted"
        job = s.get(Job, job_id)
        selected = next(r for r in records if r.selected)
        assert job.progress == 1.0 and job.metrics["best"]["candidate"] == selected.candidate
        assert selected.reward == max(r.reward for r in records)
        assert [c["candidate"] for c in job.metrics["candidates"]] == [0, 1]

    # A second teach starts from the active adapter.
    _, _, status = _teach(engine, tiny_settings, store, tenant=tenant)
    with Session(engine) as s:
        v2 = get_active_version(s, tenant.id)
        assert status == "promoted" and v2.version == 2 and v2.parent_id == version.id


def test_without_questions_the_model_writes_or_cuts_probes(engine, tiny_settings, store):
    doc = {"text": "Quendril was founded in the year 2091 by settlers from the Kessel system."}
    _, job_id, status = _teach(engine, tiny_settings, store, docs=(doc,))
    with Session(engine) as s:
        stored = s.exec(select(Document).where(Document.job_id == job_id)).one()
    assert status == "promoted" and stored.probes and stored.probes_source in ("generated", "cloze")


def test_auto_promote_off_waits_for_approval(engine, tiny_settings, store):
    tenant, job_id, status = _teach(
        engine, tiny_settings, store, policy=TenantPolicy(auto_promote=False)
    )
    with Session(engine) as s:
        assert status == "awaiting_approval"
        assert s.exec(select(AdapterVersion)).one().status == VersionStatus.awaiting_approval
        assert get_active_version(s, tenant.id) is None
    # A redelivered task does nothing.
    assert (
        run_teach_job(job_id, settings=tiny_settings, engine=engine, store=store)
        == "awaiting_approval"
    )


class _Boom:
    def generate(self, *a, **k):
        raise RuntimeError("generator exploded")


def test_failed_job_leaves_no_version_and_no_artifact(engine, tiny_settings, store):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "x")
        job, _ = create_job(s, tenant.id, [{"text": "A document without questions at all here."}])
    assert (
        run_teach_job(job.id, settings=tiny_settings, engine=engine, store=store, generator=_Boom())
        == "failed"
    )
    with Session(engine) as s:
        job = s.get(Job, job.id)
        assert job.error["code"] == "internal_error" and "RuntimeError" in job.error["message"]
        assert s.exec(select(AdapterVersion)).all() == []
    assert store.keys() == set()


def test_a_cancel_during_promotion_wins_and_leaves_nothing_behind(
    engine, tiny_settings, store, monkeypatch
):
    """The worker has passed its last cancel check and is loading the version when the tenant
    cancels: the version must not go live, and no version or artifact remains."""
    import serving.promotion as promotion

    real = promotion.prepare_activation

    def cancel_then_load(tenant_id, version, *args):  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as tenant_side:
            job = tenant_side.get(Job, version.job_id)
            JOB.transition(tenant_side, job, JobStatus.cancelled, "cancelled by the tenant")
        real(tenant_id, version, *args)

    monkeypatch.setattr(promotion, "prepare_activation", cancel_then_load)
    tenant, job_id, status = _teach(engine, tiny_settings, store)
    assert status == "cancelled"
    with Session(engine) as s:
        assert s.get(Job, job_id).status == JobStatus.cancelled
        assert get_active_version(s, tenant.id) is None
        assert s.exec(select(AdapterVersion)).all() == []
    assert store.keys() == set()


def test_a_full_disk_while_saving_fails_the_job_and_keeps_nothing(
    engine, tiny_settings, store, monkeypatch
):
    import peft.peft_model
    from safetensors import SafetensorError

    # The fake sits where the disk is: safetensors' writer, which reports a full disk as a
    # SafetensorError quoting the OS error (not an OSError: the reliability benchmark's real full
    # disk found that), after part of the file is written.
    def half_then_full(tensors, filename, metadata=None):  # type: ignore[no-untyped-def]
        Path(filename).write_bytes(b"\0" * 1024)
        raise SafetensorError(
            "Error while serializing: I/O error: No space left on device (os error 28)"
        )

    monkeypatch.setattr(peft.peft_model, "safe_save_file", half_then_full)
    _, job_id, status = _teach(engine, tiny_settings, store)
    assert status == "failed"
    with Session(engine) as s:
        job = s.get(Job, job_id)
        assert job.error["code"] == "insufficient_storage"
        assert "No space left on device" in job.error["message"]
        assert s.exec(select(AdapterVersion)).all() == []
    assert store.keys() == set() and list((store.root / ".scratch").iterdir()) == []


def test_failing_gate_rejects_and_keeps_the_old_version(engine, tiny_settings, store):
    tenant, _, _ = _teach(engine, tiny_settings, store)
    register_gate("always_fails", lambda ctx: GateResult("always_fails", False, {"why": "test"}))
    try:
        _, job_id, status = _teach(engine, tiny_settings, store, tenant=tenant)
    finally:
        unregister_gate("always_fails")
    with Session(engine) as s:
        assert status == "rejected"
        assert get_active_version(s, tenant.id).version == 1
        rejected = s.exec(select(AdapterVersion).where(AdapterVersion.job_id == job_id)).one()
        assert rejected.status == VersionStatus.rejected
        assert rejected.eval_report["gates"][0]["report"] == {"why": "test"}
        # Every candidate was tried, best first, and each failed the same gate.
        tried = rejected.eval_report["tried"]
        assert len(tried) == tiny_settings.selfedit_k
        assert all(t["failed"] == ["always_fails"] and not t["passed"] for t in tried)
        job = s.get(Job, job_id)
        assert job.error["code"] == "gate_failed" and "2 tried" in job.error["message"]


class _Cfg(BaseModel):
    word: str = "FORBIDDEN"


class _WordGuard(Guard):
    verdict = Verdict.REJECT

    def scan(self, text, context):
        if self.config.word in text:
            return GuardResult(self.verdict, [])
        return GuardResult(Verdict.PASS, [])


class _QuarantineGuard(_WordGuard):
    verdict = Verdict.QUARANTINE


@pytest.mark.parametrize(
    ("guard_cls", "expected"), [(_WordGuard, "rejected"), (_QuarantineGuard, "quarantined")]
)
def test_registered_guards_decide_before_training(
    engine, tiny_settings, store, guard_cls, expected
):
    register_guard(name="word", config_cls=_Cfg, guard_cls=guard_cls)
    try:
        _, job_id, status = _teach(
            engine,
            tiny_settings,
            store,
            docs=({"text": "This FORBIDDEN text must never be trained on."},),
        )
    finally:
        unregister_guard("word")
    with Session(engine) as s:
        assert status == expected
        assert s.exec(select(AdapterVersion)).all() == []
        assert s.exec(select(SelfEditRecord)).all() == []


def test_job_of_a_dead_worker_restarts_from_the_top(engine, tiny_settings, store):
    from adapter_store.lifecycle import JOB
    from adapter_store.models import JobStatus

    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "redelivered")
        job, _ = create_job(s, tenant.id, [dict(DOC)])
        for st in (JobStatus.scanning, JobStatus.generating, JobStatus.training):
            JOB.transition(s, job, st, "before the worker died")
    assert run_teach_job(job.id, settings=tiny_settings, engine=engine, store=store) == "promoted"
    with Session(engine) as s:
        messages = [e.message for e in job_events(s, job.id)]
        assert any("restarting from training" in m for m in messages)


def test_forgetting_gates_run_and_a_second_version_replays_the_first(engine, tiny_settings, store):
    tenant, first_job, _ = _teach(engine, tiny_settings, store)
    _, second_job, status = _teach(engine, tiny_settings, store, tenant=tenant)
    assert status == "promoted"
    with Session(engine) as s:
        v1, v2 = (
            s.exec(select(AdapterVersion).where(AdapterVersion.job_id == j)).one()
            for j in (first_job, second_job)
        )
        assert v2.parent_id == v1.id
        gates = {g["name"]: g for g in v2.eval_report["gates"]}
        assert {"retention", "general", "safety"} <= set(gates)
        assert gates["general"]["report"]["suite"].startswith("general-")
        safety = gates["safety"]["report"]
        assert safety["served"]["n_regressions"] == 0 and "adapter" in safety
        general = gates["general"]["report"]
        assert {"served", "adapter", "routed_to_adapter", "noise_floor"} <= set(general)
        assert general["served"]["n"] == general["adapter"]["n"] >= 200
        assert v2.metrics["scope"]["threshold"] > 0 and v2.metrics["scope"]["entries"] > 0
        assert store.local_path(v2.artifact_uri).joinpath("scope.npz").exists()
        # Every probe's answer is kept on the version: the correct ones feed the retention suite.
        assert [p["question"] for p in v2.metrics["probes"]] == [DOC["questions"][0]["question"]]
        # ... beside what the serving model answered before, for the reviewer.
        assert all(isinstance(p["before"], str) for p in v2.metrics["probes"])
        assert all(isinstance(p["correct_before"], bool) for p in v2.metrics["probes"])
        assert v1.metrics["timings"]["replay_examples"] == 0
        assert v2.metrics["timings"]["replay_examples"] > 0
        assert v2.metrics["timings"]["rehearsal_examples"] == tiny_settings.rehearsal_size
        assert v2.metrics["timings"]["behaviour_examples"] == tiny_settings.behaviour_targets
        events = [e.message for e in job_events(s, second_job)]
        assert any(
            m.startswith("candidate ") and "gates passed: general ok, retention ok, safety ok" in m
            for m in events
        )


def test_gates_run_on_candidates_best_first_until_one_passes(engine, tiny_settings, store):
    calls = []

    def first_fails(ctx):
        calls.append(ctx.candidate_model)
        return GateResult("first_fails", len(calls) > 1, {"call": len(calls)})

    register_gate("first_fails", first_fails)
    try:
        tenant, job_id, status = _teach(engine, tiny_settings, store)
    finally:
        unregister_gate("first_fails")
    assert status == "promoted" and len(calls) == 2 and calls[0] is not calls[1]
    with Session(engine) as s:
        version = get_active_version(s, tenant.id)
        tried = version.eval_report["tried"]
        assert [t["passed"] for t in tried] == [False, True]
        # The registered version is the second one tried, and its self-edit is the selected one.
        assert version.metrics["best"]["candidate"] == tried[1]["candidate"]
        selected = s.exec(
            select(SelfEditRecord).where(
                SelfEditRecord.job_id == job_id,
                SelfEditRecord.selected == True,  # noqa: E712
            )
        ).one()
        assert selected.candidate == tried[1]["candidate"]
        messages = [e.message for e in job_events(s, job_id)]
        assert sum("gates failed: first_fails FAILED" in m for m in messages) == 1


def test_a_candidate_that_does_not_improve_is_never_promoted(engine, tiny_settings, store):
    # The service's default bar: a reward must be positive. A random model scores 0 before and
    # after training, so nothing improves and nothing may serve.
    settings = tiny_settings.model_copy(update={"min_reward": 0.0})
    tenant, job_id, status = _teach(engine, settings, store)
    assert status == "rejected"
    with Session(engine) as s:
        job = s.get(Job, job_id)
        assert job.error["code"] == "no_improvement"
        assert all(c["reward"] <= 0 for c in job.metrics["candidates"])
        assert (
            s.exec(select(AdapterVersion)).all() == [] and get_active_version(s, tenant.id) is None
        )
        # Every (document, self-edit, reward) triple is kept all the same, none selected.
        records = s.exec(select(SelfEditRecord).where(SelfEditRecord.job_id == job_id)).all()
        assert len(records) == settings.selfedit_k and not any(r.selected for r in records)
    assert store.keys() == set()
