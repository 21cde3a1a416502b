"""The Celery app. The API enqueues by task name and never imports the heavy worker modules."""

from __future__ import annotations

from celery import Celery

from core.settings import get_settings

TEACH_TASK = "workers.tasks.teach"
POLICY_ROUND_TASK = "workers.tasks.policy_round"


def make_celery() -> Celery:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Celery("seal", broker=settings.resolved_broker_url, include=["workers.tasks"])
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,  # state lives in the database, not in a result backend
        # Long CPU/GPU tasks: a worker that dies mid-task gives the task back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # One queue for teach jobs and policy rounds: both train on the same cores, one at a time.
        task_routes={
            TEACH_TASK: {"queue": settings.task_queue},
            POLICY_ROUND_TASK: {"queue": settings.task_queue},
        },
        task_default_queue=settings.task_queue,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


celery_app = make_celery()


def enqueue_teach(job_id: int) -> None:
    celery_app.send_task(TEACH_TASK, args=[job_id], queue=get_settings().task_queue)


def enqueue_policy_round(round_id: int) -> None:
    celery_app.send_task(POLICY_ROUND_TASK, args=[round_id], queue=get_settings().task_queue)
