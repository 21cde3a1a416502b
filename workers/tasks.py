"""Celery tasks: thin wrappers that take ids and call plain functions."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_ready, worker_shutdown

from core.settings import get_settings
from workers.celery_app import (
    POLICY_ROUND_TASK,
    TEACH_TASK,
    celery_app,
    enqueue_policy_round,
    enqueue_teach,
)

log = logging.getLogger(__name__)


@worker_ready.connect
def _configure_worker(**_: object) -> None:
    from seal.modeling import load_base, set_threads

    settings = get_settings()
    set_threads(settings.torch_threads)
    serve_metrics()
    # Runs whose worker died (before this one started) are recovered first, then the heartbeat
    # keeps doing it while this worker lives.
    start_heartbeat()
    # Load the base model and the guards' models (spaCy, MiniLM) once at start-up, not in a job.
    load_base(str(settings.base_model_path))
    warm_guards()
    sweep_orphans()


@worker_shutdown.connect
def _stop_worker(**_: object) -> None:
    from workers.runs import _process_heartbeat, set_process_heartbeat

    if _process_heartbeat is not None:
        _process_heartbeat.stop()
        set_process_heartbeat(None)


def reap_dead_runs(session: Any) -> list[Any]:
    """Teach jobs and policy rounds whose worker died: queued again or failed."""
    from adapter_store.lifecycle import JOB, ROUND
    from workers.leases import reap

    attempts = get_settings().run_max_attempts
    return reap(session, JOB, max_attempts=attempts, enqueue=enqueue_teach) + reap(
        session, ROUND, max_attempts=attempts, enqueue=enqueue_policy_round
    )


def start_heartbeat() -> None:
    from core.db import get_engine
    from workers.leases import Heartbeat, worker_name
    from workers.runs import set_process_heartbeat

    settings = get_settings()
    beat = Heartbeat(
        get_engine(),
        worker_name(),
        settings.worker_heartbeat_s,
        settings.worker_lease_s,
        reap_fn=reap_dead_runs,
    )
    set_process_heartbeat(beat.start())


def serve_metrics() -> None:
    """A worker in its own container serves its metrics for Prometheus (core.metrics)."""
    settings = get_settings()
    if settings.worker_metrics_port is None:
        return
    from core.metrics import start_metrics_server

    start_metrics_server(settings.worker_metrics_port, settings.worker_metrics_host)
    log.info(
        "worker metrics on http://%s:%s/metrics",
        settings.worker_metrics_host,
        settings.worker_metrics_port,
    )


def warm_guards() -> None:
    from guards import ScanContext, build_guards, scan_text

    settings = get_settings()
    # A sentence with a cue of address, so that the semantic check loads its embedder too.
    scan_text(
        "Warm-up: you load the guards.",
        ScanContext(None, {}),
        build_guards(settings.guards, settings.disabled_guards),
        observe=False,
    )


def sweep_orphans() -> list[str]:
    """Remove artifacts that no version references (a worker killed between committing the files
    and registering the row leaves such a directory behind)."""
    from sqlmodel import select

    from adapter_store.artifacts import LocalArtifactStore
    from adapter_store.models import AdapterVersion, PolicyVersion
    from core.db import session_scope

    settings = get_settings()
    with session_scope() as session:
        referenced = set(session.exec(select(AdapterVersion.artifact_uri)))
        referenced |= set(session.exec(select(PolicyVersion.artifact_uri)))
    return LocalArtifactStore(settings.resolved_artifact_dir).sweep(referenced)


@celery_app.task(name=TEACH_TASK, acks_late=True)
def teach(job_id: int) -> str:
    """One turn at the worker: the fairest queued job runs (workers.scheduling), not
    necessarily ``job_id``."""
    from workers.teach_job import run_teach_turn

    return run_teach_turn(job_id)


@celery_app.task(name=POLICY_ROUND_TASK, acks_late=True)
def policy_round(round_id: int) -> str:
    from workers.policy_round import run_policy_round

    return run_policy_round(round_id)
