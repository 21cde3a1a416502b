"""The metrics: a teach job on the tiny model moves the job, stage, candidate, guard and gate
metrics; /metrics reads the queue from the database; no metric is labelled by tenant; in
multiprocess mode the API's /metrics adds up what other processes wrote."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job
from adapter_store.models import Job, JobStatus, PolicyRound, utcnow
from adapter_store.registry import create_tenant
from core import metrics
from core.launcher import metrics_env
from core.settings import REPO_ROOT
from gates import registered_gates
from guards import build_guards
from workers.teach_job import run_teach_job

DOC = {
    "title": "Zorblax",
    "text": "Zorblax is a planet whose capital city is Quendril. It has three moons.",
    "questions": [{"question": "What is the capital of Zorblax?", "answer": "Quendril"}],
}
STAGES = ("scan", "sample", "train", "scope", "gate", "register", "decide")
# Every label any seal_ metric may carry: none names a tenant, a document or a job.
ALLOWED_LABELS = {
    "method",
    "route",
    "status",
    "kind",
    "outcome",
    "error_code",
    "stage",
    "guard",
    "verdict",
    "gate",
    "result",
    "replica",
    "stream",
    "le",
}


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def snapshot(settings) -> dict[str, float]:  # type: ignore[no-untyped-def]
    out = {
        "promoted": value(
            "seal_jobs_finished_total", kind="job", outcome="promoted", error_code=""
        ),
        "candidates": value("seal_candidates_trained_total"),
        "train_s": value("seal_candidate_train_seconds_count"),
        "docs_passed": value("seal_documents_scanned_total", verdict="pass"),
        "gates": sum(
            value("seal_gate_results_total", gate=g, result=r)
            for g in registered_gates()
            for r in ("passed", "failed")
        ),
    }
    for stage in STAGES:
        out[stage] = value("seal_job_stage_seconds_count", stage=stage)
    for guard in build_guards(settings.guards, settings.disabled_guards):
        out[f"guard:{guard.name}"] = sum(
            value("seal_guard_verdicts_total", guard=guard.name, verdict=v)
            for v in ("pass", "redact", "quarantine", "reject")
        )
    return out


def _queue_job(session: Session, tenant_id: int, status: str, age_s: float) -> Job:
    job, _ = create_job(session, tenant_id, [dict(DOC)])
    job.status, job.created_at = status, utcnow() - timedelta(seconds=age_s)
    session.add(job)
    session.commit()
    return job


def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:  # type: ignore[no-untyped-def]
    resp = client.get("/metrics")
    assert resp.status_code == 200, resp.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(resp.text)
        for s in family.samples
    }


def test_a_teach_job_moves_the_job_stage_candidate_guard_and_gate_metrics(
    engine, tiny_settings, tmp_path
):
    before = snapshot(tiny_settings)
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "metrics")
        job, _ = create_job(s, tenant.id, [dict(DOC)])
    store = LocalArtifactStore(tmp_path / "store")
    assert run_teach_job(job.id, settings=tiny_settings, engine=engine, store=store) == "promoted"
    after = snapshot(tiny_settings)
    moved = {k: after[k] - before[k] for k in before}

    assert moved["promoted"] == 1
    assert all(moved[stage] == 1 for stage in STAGES), moved
    assert moved["candidates"] == tiny_settings.selfedit_k
    assert 1 <= moved["train_s"] <= tiny_settings.selfedit_k
    assert moved["docs_passed"] == 1
    assert moved["gates"] >= len(registered_gates()) - len(tiny_settings.disabled_gates)
    guards = [k for k in moved if k.startswith("guard:")]
    assert guards and all(moved[k] == 1 for k in guards), moved


class _Boom:
    def generate(self, *a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("generator exploded")


def test_a_failed_job_is_counted_with_its_error_code_and_its_failed_stage_is_not_timed(
    engine, tiny_settings, tmp_path
):
    labels = {"kind": "job", "outcome": "failed", "error_code": "internal_error"}
    failed = value("seal_jobs_finished_total", **labels)
    scans = value("seal_job_stage_seconds_count", stage="scan")
    samples = value("seal_job_stage_seconds_count", stage="sample")
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "boom")
        job, _ = create_job(s, tenant.id, [{"text": "A document without any questions at all."}])
    store = LocalArtifactStore(tmp_path / "store")
    status = run_teach_job(
        job.id, settings=tiny_settings, engine=engine, store=store, generator=_Boom()
    )
    assert status == "failed"
    assert value("seal_jobs_finished_total", **labels) == failed + 1
    assert value("seal_job_stage_seconds_count", stage="scan") == scans + 1
    assert value("seal_job_stage_seconds_count", stage="sample") == samples


def test_metrics_reads_the_queue_from_the_database(client, engine):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "queue")
        _queue_job(s, tenant.id, JobStatus.queued, age_s=300)
        _queue_job(s, tenant.id, JobStatus.queued, age_s=10)
        _queue_job(s, tenant.id, JobStatus.training, age_s=900)  # older, but running
        _queue_job(s, tenant.id, JobStatus.quarantined, age_s=5)
        _queue_job(s, tenant.id, JobStatus.promoted, age_s=5000)  # ended: in no gauge
        s.add(
            PolicyRound(scope="global", source="squad", created_at=utcnow() - timedelta(seconds=60))
        )
        s.commit()
    got = scrape(client)
    assert got[("seal_queue_depth", (("kind", "job"),))] == 2
    assert 300 <= got[("seal_queue_oldest_age_seconds", (("kind", "job"),))] < 400
    assert got[("seal_queue_depth", (("kind", "round"),))] == 1
    assert got[("seal_queue_oldest_age_seconds", (("kind", "round"),))] >= 60
    in_status = {
        dict(labels)["status"]: v
        for (name, labels), v in got.items()
        if name == "seal_jobs_in_status"
    }
    assert in_status["queued"] == 2 and in_status["training"] == 1
    assert in_status["quarantined"] == 1 and in_status["scanning"] == 0
    assert "promoted" not in in_status and "failed" not in in_status


def test_an_empty_queue_reads_zero(client):
    got = scrape(client)
    for kind in ("job", "round"):
        assert got[("seal_queue_depth", (("kind", kind),))] == 0
        assert got[("seal_queue_oldest_age_seconds", (("kind", kind),))] == 0


def test_no_metric_carries_a_tenant_or_document_label(client, engine):
    for name, (_, labels) in metrics.defined_metrics().items():
        assert name.startswith("seal_"), name
        assert set(labels) <= ALLOWED_LABELS, (name, labels)
    # And what a scrape shows after a tenant's requests: no other label crept in elsewhere.
    key = client.post(
        "/v1/admin/tenants",
        json={"name": "labels"},
        headers={"Authorization": "Bearer test-admin-key"},
    ).json()["api_key"]
    auth = {"Authorization": f"Bearer {key}"}
    client.post("/v1/guards/scan", json={"documents": [{"text": "Hello there."}]}, headers=auth)
    client.get("/v1/jobs/12345", headers=auth)
    for (name, labels), _ in scrape(client).items():
        if name.startswith("seal_"):
            assert {k for k, _ in labels} <= ALLOWED_LABELS, (name, labels)
            # A route label is a template, never a path with an id in it.
            route = dict(labels).get("route", "")
            assert "12345" not in route, (name, labels)


WRITER = textwrap.dedent(
    """
    from core import metrics
    metrics.record_finished("job", "promoted", None)
    metrics.GUARD_VERDICTS.labels(guard="pii", verdict="redact").inc(2)
    metrics.ADAPTERS_LOADED.labels(replica="http://vllm-a:8000").set(3)
    metrics.JOB_STAGE_SECONDS.labels(stage="train").observe(42.0)
    """
)


def test_in_multiprocess_mode_the_api_adds_up_every_process(client, tmp_path, monkeypatch):
    """Two processes (a worker, say, and another) write into one directory; the API's /metrics
    shows their sum (gauges: the largest, as their mode says), and the queue besides."""
    directory = tmp_path / "prom"
    directory.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(directory), "PATH": "/usr/bin:/bin"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", WRITER], cwd=REPO_ROOT, env=env, check=True)
    assert len(list(directory.glob("*.db"))) >= 4  # counter, histogram, gauge files of 2 pids
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    got = scrape(client)
    finished = (("error_code", ""), ("kind", "job"), ("outcome", "promoted"))
    assert got[("seal_jobs_finished_total", finished)] == 2
    assert got[("seal_guard_verdicts_total", (("guard", "pii"), ("verdict", "redact")))] == 4
    assert got[("seal_adapters_loaded", (("replica", "http://vllm-a:8000"),))] == 3
    assert got[("seal_job_stage_seconds_count", (("stage", "train"),))] == 2
    assert got[("seal_job_stage_seconds_sum", (("stage", "train"),))] == 84.0
    assert ("seal_queue_depth", (("kind", "job"),)) in got


def test_the_launcher_gives_the_api_and_worker_a_fresh_metrics_directory(tmp_path):
    from core.settings import Settings

    settings = Settings(data_dir=tmp_path)
    stale = tmp_path / "metrics" / "counter_123.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old run")
    env = metrics_env(settings)
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics")
    assert (tmp_path / "metrics").is_dir() and not stale.exists()


def test_a_worker_serves_its_own_metrics_when_asked():
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    metrics.record_finished("round", "rejected", None)
    server, thread = metrics.start_metrics_server(port, "127.0.0.1")
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert 'seal_jobs_finished_total{error_code="",kind="round",outcome="rejected"}' in text


@pytest.mark.parametrize(
    ("code", "label"),
    [(None, ""), ("gate_failed", "gate_failed"), ("Something free text", "other")],
)
def test_error_codes_are_bounded(code, label):
    before = value("seal_jobs_finished_total", kind="job", outcome="failed", error_code=label)
    metrics.record_finished("job", "failed", code)
    assert value("seal_jobs_finished_total", kind="job", outcome="failed", error_code=label) == (
        before + 1
    )
