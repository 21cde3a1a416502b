"""Running a job or a round to its end: whatever goes wrong, it ends ``failed`` with a reason that
is safe to show, never stuck in a running state; and only one worker runs it at a time (the
run's lease, ``workers.leases``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from adapter_store.lifecycle import Lifecycle
from core.db import session_scope
from core.errors import ServiceError
from core.settings import get_settings
from workers.leases import Heartbeat, LeaseLost, claim, release, worker_name

log = logging.getLogger(__name__)

# The worker process's heartbeat (started when the Celery worker is ready; workers.tasks).
_process_heartbeat: Heartbeat | None = None


class Cancelled(Exception):
    """The run was cancelled while it ran (the worker noticed at a check)."""


def set_process_heartbeat(heartbeat: Heartbeat | None) -> None:
    global _process_heartbeat
    _process_heartbeat = heartbeat


def heartbeat_for(engine: Engine) -> tuple[Heartbeat, bool]:
    """The worker's heartbeat when it beats on this engine, else a new one for one run (called
    in-process: tests, benchmarks). True when the caller started it and must stop it."""
    beat = _process_heartbeat
    if beat is not None and beat.engine is engine:
        return beat, False
    settings = get_settings()
    return (
        Heartbeat(
            engine, worker_name(), settings.worker_heartbeat_s, settings.worker_lease_s
        ).start(),
        True,
    )


def run_to_end(
    lifecycle: Lifecycle[Any],
    row_id: int,
    engine: Engine,
    body: Callable[[Heartbeat], str],
) -> str:
    """Claim the run's lease and call ``body`` (which returns the run's final status and may
    check ``heartbeat.lost``); on an error end the run failed. A run another live worker holds
    is left alone ("held")."""
    beat, own = heartbeat_for(engine)
    try:
        with session_scope(engine) as session:
            if not claim(session, lifecycle, row_id, beat.name, beat.lease_s):
                log.info("%s %s is held by another worker or has ended", lifecycle.kind, row_id)
                return "held"
        with beat.holding(lifecycle, row_id):
            status = _guarded(lifecycle, row_id, engine, lambda: body(beat))
        try:
            with session_scope(engine) as session:
                release(session, lifecycle, row_id, beat.name)
        except Exception:  # noqa: BLE001 - the run has ended; a stale lease on it is harmless
            log.warning("%s %s: could not release the lease", lifecycle.kind, row_id)
        return status
    finally:
        if own:
            beat.stop()


def _guarded(
    lifecycle: Lifecycle[Any], row_id: int, engine: Engine, body: Callable[[], str]
) -> str:
    try:
        return body()
    except LeaseLost:
        # Another worker runs it now: write nothing (its lease is not ours to release either).
        log.warning("%s %s: lease lost to another worker; stopping", lifecycle.kind, row_id)
        return "lease_lost"
    except (Cancelled, InterruptedError):
        return "cancelled"
    except ServiceError as exc:
        code, message = exc.code, exc.message
    except Exception as exc:  # noqa: BLE001 - a run must end failed, never stuck
        # exc_info, not the formatted traceback: the log formatter leaves out the message,
        # which can quote a document (core.logging).
        log.error("%s %s failed (%s)", lifecycle.kind, row_id, type(exc).__name__, exc_info=True)
        code = "internal_error"
        message = f"the {lifecycle.kind} failed in the worker ({type(exc).__name__})"
    with session_scope(engine) as session:
        lifecycle.fail(session, row_id, code, message)
    return lifecycle.failed
