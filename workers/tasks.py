"""Celery tasks: thin wrappers that take ids and call plain functions."""

from __future__ import annotations

from celery.signals import worker_process_init

from core.settings import get_settings
from workers.celery_app import TEACH_TASK, celery_app


@worker_process_init.connect
def _configure_worker(**_: object) -> None:
    from workers.modeling import set_threads

    set_threads(get_settings().torch_threads)


@celery_app.task(name=TEACH_TASK, acks_late=True)
def teach(job_id: int) -> str:
    from workers.pipeline import run_teach_job

    return run_teach_job(job_id)
