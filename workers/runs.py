"""Running a job or a round to its end: whatever goes wrong, it ends ``failed`` with a reason that
is safe to show, never stuck in a running state; and only one worker runs it at a time (the
run's lease, ``workers.leases``).

The database going away is not the run's fault: the run's sessions wait for it
(``core.db.session_scope``), and a connection that breaks mid-statement gives the run back once
the database answers again (queued and started over, attempts permitting)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from adapter_store.lifecycle import JOB, Lifecycle
from core import db
from core.db import database_unreachable, session_scope, wait_for_database
from core.errors import ServiceError
from core.settings import get_settings
from workers.leases import Heartbeat, LeaseLost, claim, give_back, release, worker_name

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
    *,
    enqueue: Callable[[int], None] | None = None,
) -> str:
    """Claim the run's lease and call ``body`` (which returns the run's final status and may
    check ``heartbeat.lost``); on an error end the run failed. A run another live worker holds
    is left alone ("held"). ``enqueue`` gives a run back to the queue (default: its Celery
    task)."""
    beat, own = heartbeat_for(engine)
    try:
        with session_scope(engine) as session:
            if not claim(session, lifecycle, row_id, beat.name, beat.lease_s):
                log.info("%s %s is held by another worker or has ended", lifecycle.kind, row_id)
                return "held"
        with beat.holding(lifecycle, row_id):
            status = _guarded(
                lifecycle,
                row_id,
                engine,
                lambda: body(beat),
                lambda: _after_outage(lifecycle, row_id, engine, beat.name, enqueue),
            )
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
    lifecycle: Lifecycle[Any],
    row_id: int,
    engine: Engine,
    body: Callable[[], str],
    after_outage: Callable[[], str],
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
        if _database_away(exc):
            return after_outage()  # not the run's fault: it is given back, not failed
        # exc_info, not the formatted traceback: the log formatter leaves out the message,
        # which can quote a document (core.logging).
        log.error("%s %s failed (%s)", lifecycle.kind, row_id, type(exc).__name__, exc_info=True)
        code = "internal_error"
        message = f"the {lifecycle.kind} failed in the worker ({type(exc).__name__})"
    with session_scope(engine) as session:
        lifecycle.fail(session, row_id, code, message)
    return lifecycle.failed


def _database_away(error: BaseException | None) -> bool:
    """Is the database's absence behind this error (itself, or what it was raised from)?"""
    while error is not None:
        if database_unreachable(error):
            return True
        error = error.__cause__
    return False


def _after_outage(
    lifecycle: Lifecycle[Any],
    row_id: int,
    engine: Engine,
    owner: str,
    enqueue: Callable[[int], None] | None,
) -> str:
    """The database went away under the run. Once it answers again the run is given back: queued
    and started over from the top (a clean state, as after a dead worker), or failed when its
    attempts are used up. Should it stay away, nothing renews the lease once this returns: it
    runs out, and a reaper does the same when the database is back."""
    log.warning("%s %s: the database went away mid-run; waiting for it", lifecycle.kind, row_id)
    if not wait_for_database(engine, db.WAIT_S):
        return "database_unavailable"
    with session_scope(engine) as session:
        outcome = give_back(
            session,
            lifecycle,
            row_id,
            owner,
            max_attempts=get_settings().run_max_attempts,
            enqueue=enqueue or _celery_enqueue(lifecycle),
            code="database_unavailable",
            why="the database connection broke",
        )
    log.warning("%s %s: given back after a database outage: %s", lifecycle.kind, row_id, outcome)
    return outcome


def _celery_enqueue(lifecycle: Lifecycle[Any]) -> Callable[[int], None]:
    from workers.celery_app import enqueue_policy_round, enqueue_teach

    return enqueue_teach if lifecycle.kind == JOB.kind else enqueue_policy_round
