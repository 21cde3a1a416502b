"""Celery tasks: thin wrappers that take ids and call plain functions."""

from __future__ import annotations

from celery.signals import worker_ready

from core.settings import get_settings
from workers.celery_app import TEACH_TASK, celery_app


@worker_ready.connect
def _configure_worker(**_: object) -> None:
    from workers.modeling import load_base, set_threads

    settings = get_settings()
    set_threads(settings.torch_threads)
    # Load the base model once at start-up rather than inside the first job.
    load_base(str(settings.base_model_path))


@celery_app.task(name=TEACH_TASK, acks_late=True)
def teach(job_id: int) -> str:
    from workers.pipeline import run_teach_job

    return run_teach_job(job_id)
