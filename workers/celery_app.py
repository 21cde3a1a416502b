"""The Celery app. The API enqueues by task name and never imports the heavy worker modules."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import setup_logging

from core.settings import Settings, get_settings

TEACH_TASK = "workers.tasks.teach"
POLICY_ROUND_TASK = "workers.tasks.policy_round"


def transport_options(broker_url: str, settings: Settings) -> dict[str, object]:
    """Redis (and SQS) hand an unacknowledged task to another worker after a visibility timeout:
    set it above any job's length, so that a live job is never delivered twice for being long (a
    dead worker's job is recovered sooner, by its lease: workers.leases). Other transports have
    no such timeout (kombu's SQLAlchemy one passes its options to the engine)."""
    if broker_url.split(":", 1)[0] in ("redis", "rediss", "sqs"):
        return {"visibility_timeout": settings.broker_visibility_timeout_s}
    return {}


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
        broker_transport_options=transport_options(settings.resolved_broker_url, settings),
        worker_hijack_root_logger=False,
    )
    return app


celery_app = make_celery()


@setup_logging.connect
def _configure_logging(loglevel: Any = None, **_: Any) -> None:
    """The worker logs as the settings say (text when SEAL_LOG_FORMAT is unset). Connecting
    this signal is also what keeps Celery from installing handlers of its own."""
    from core.logging import configure_logging

    settings = get_settings()
    configure_logging(
        settings.log_format == "json",
        loglevel or settings.log_level,
        exception_messages=settings.log_exception_messages,
    )


def enqueue_teach(job_id: int) -> None:
    celery_app.send_task(TEACH_TASK, args=[job_id], queue=get_settings().task_queue)


def enqueue_policy_round(round_id: int) -> None:
    celery_app.send_task(POLICY_ROUND_TASK, args=[round_id], queue=get_settings().task_queue)
