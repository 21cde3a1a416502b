"""Real Celery worker processes on Redis (tiny model, no serving): a teach job runs to the end,
and a job whose worker is SIGKILLed mid-training is recovered by another worker, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from celery import Celery
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.jobs import create_job, job_events
from adapter_store.models import AdapterVersion, Job
from adapter_store.registry import create_tenant, get_active_version
from core.settings import REPO_ROOT
from workers.celery_app import TEACH_TASK

pytestmark = pytest.mark.services
DOC = {
    "text": "Quendril is the capital city of the planet Zorblax.",
    "questions": [{"question": "Capital of Zorblax?", "answer": "Quendril"}],
}


def _env(tmp_path, tiny_model_dir, redis_url, engine, queue, **extra):
    return {
        **os.environ,
        "SEAL_DATA_DIR": str(tmp_path),
        "SEAL_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SEAL_BROKER_URL": redis_url,
        "SEAL_BASE_MODEL_PATH": str(tiny_model_dir),
        "SEAL_GENERATION_BACKEND": "local",
        "SEAL_VLLM_URL": "",
        "SEAL_SELFEDIT_K": "2",
        "SEAL_SELFEDIT_MAX_TOKENS": "32",
        "SEAL_PROBE_MAX_TOKENS": "32",
        "SEAL_EPOCHS": "1",
        "SEAL_MIN_STEPS": "2",
        "SEAL_KL_ANCHOR_SIZE": "4",
        # A random model's rewards are 0: let the job through to test the worker, not the bar.
        "SEAL_MIN_REWARD": "-1",
        "SEAL_TASK_QUEUE": queue,
        **extra,
    }


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app:celery_app", "worker",
         "-Q", env["SEAL_TASK_QUEUE"], "-P", "solo", "--loglevel", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _stop(worker) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)


def _wait(engine, job_id, statuses, worker, timeout=240) -> str:
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        with Session(engine) as s:
            status = s.get(Job, job_id).status
        if status in statuses:
            return status
        assert worker.poll() is None, worker.stdout.read().decode()[-3000:]
        time.sleep(0.5)
    return status


def _new_job(engine, name):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, name)
        job, _ = create_job(s, tenant.id, [dict(DOC)])
    return tenant, job


def test_worker_on_redis_runs_a_teach_job(tmp_path, tiny_model_dir, redis_url, engine):
    redis.Redis.from_url(redis_url).flushdb()
    tenant, job = _new_job(engine, "redis-tenant")
    env = _env(tmp_path, tiny_model_dir, redis_url, engine, f"training-test-{os.getpid()}")
    worker = _worker(env)
    try:
        Celery(broker=redis_url).send_task(TEACH_TASK, args=[job.id], queue=env["SEAL_TASK_QUEUE"])
        status = _wait(engine, job.id, ("promoted", "failed", "rejected"), worker)
        with Session(engine) as s:
            events = [e.message for e in job_events(s, job.id)]
            assert status == "promoted", (status, s.get(Job, job.id).error, events[-3:])
            assert get_active_version(s, tenant.id).version == 1
    finally:
        _stop(worker)


def test_a_job_whose_worker_is_killed_mid_training_is_run_again_by_another_worker_once(
    tmp_path, tiny_model_dir, redis_url, engine
):
    redis.Redis.from_url(redis_url).flushdb()
    tenant, job = _new_job(engine, "killed-tenant")
    queue = f"training-kill-{os.getpid()}"
    # Short leases so that the test sees the recovery in seconds; the first worker's training
    # would run for ages (it is killed in it).
    lease = {"SEAL_WORKER_LEASE_S": "4", "SEAL_WORKER_HEARTBEAT_S": "1"}
    first = _worker(
        _env(tmp_path, tiny_model_dir, redis_url, engine, queue, SEAL_MIN_STEPS="100000", **lease)
    )
    second = None
    try:
        Celery(broker=redis_url).send_task(TEACH_TASK, args=[job.id], queue=queue)
        assert _wait(engine, job.id, ("training",), first) == "training"
        time.sleep(2)  # well inside a training step
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        second = _worker(_env(tmp_path, tiny_model_dir, redis_url, engine, queue, **lease))
        status = _wait(engine, job.id, ("promoted", "failed", "rejected"), second)
        with Session(engine) as s:
            row = s.get(Job, job.id)
            messages = [e.message for e in job_events(s, job.id)]
            assert status == "promoted", (status, row.error, messages[-5:])
            assert any("stopped during training" in m and "queued again" in m for m in messages)
            assert row.attempts == 2 and row.lease_owner is None
            versions = s.exec(select(AdapterVersion).where(AdapterVersion.tenant_id == tenant.id))
            assert [v.version for v in versions] == [1]
            keys = LocalArtifactStore(tmp_path / "adapters").keys()
            assert keys == {get_active_version(s, tenant.id).artifact_uri}  # no orphans
    finally:
        for w in (first, second):
            if w is not None:
                _stop(w)
