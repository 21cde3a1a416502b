"""A real Celery worker process on Redis runs a teach job to the end (tiny model, no serving)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from celery import Celery
from sqlmodel import Session

from adapter_store.jobs import create_job, job_events
from adapter_store.models import Job
from adapter_store.registry import create_tenant, get_active_version
from core.settings import REPO_ROOT
from workers.celery_app import TEACH_TASK

pytestmark = pytest.mark.services


def test_worker_on_redis_runs_a_teach_job(tmp_path, tiny_model_dir, redis_url, engine):
    redis.Redis.from_url(redis_url).flushdb()
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "redis-tenant")
        job, _ = create_job(
            s,
            tenant.id,
            [
                {
                    "text": "Quendril is the capital city of the planet Zorblax.",
                    "questions": [{"question": "Capital of Zorblax?", "answer": "Quendril"}],
                }
            ],
        )
    queue = f"training-test-{os.getpid()}"
    env = {
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
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app:celery_app",
            "worker",
            "-Q",
            queue,
            "-P",
            "solo",
            "--loglevel",
            "WARNING",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        Celery(broker=redis_url).send_task(TEACH_TASK, args=[job.id], queue=queue)
        deadline, status = time.monotonic() + 240, None
        while time.monotonic() < deadline:
            with Session(engine) as s:
                status = s.get(Job, job.id).status
            if status in ("promoted", "failed", "rejected"):
                break
            assert worker.poll() is None, worker.stdout.read().decode()[-3000:]
            time.sleep(1)
        with Session(engine) as s:
            events = [e.message for e in job_events(s, job.id)]
            assert status == "promoted", (status, s.get(Job, job.id).error, events[-3:])
            assert get_active_version(s, tenant.id).version == 1
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
