"""Leases and heartbeats: a run (teach job, policy round) is worked on by one worker at a time,
and a run whose worker died is started again or failed with a reason, never left running.

- A worker **claims** a run before working on it: one compare-and-set ``UPDATE`` that succeeds
  only when no live lease is held (the lease is free, has run out, or is the worker's own). A
  task the broker delivers twice (Redis redelivers after its visibility timeout, ``acks_late``
  redelivers a dead worker's task) finds the lease held and does nothing.
- While it works, the worker's heartbeat thread **renews** the lease and records the worker in
  ``worker_heartbeat`` (``/readyz`` counts the live ones). A renewal that finds the lease taken
  means this worker was presumed dead: the run stops at its next check without writing.
- The **reaper** (every worker, at start-up and on each heartbeat) finds runs in a working state
  whose lease ran out: their worker was killed. Under ``max_attempts`` starts the run goes back
  to ``queued`` and is enqueued again (the teach job starts from the top, on a clean state);
  after that it ends ``failed`` with ``worker_lost``.
- The **database away**: the heartbeat does not wait for it (a missed beat is retried on the
  next), and once it is back a reaper lets two beats pass before it reaps, so that live workers
  renew the leases that ran out meanwhile. A worker whose connection broke mid-run **gives the
  run back** (``give_back``: queued again, or failed ``database_unavailable``; workers.runs).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from adapter_store.lifecycle import JOB, ROUND, Lifecycle
from adapter_store.models import (
    JobStatus,
    RoundStatus,
    WorkerHeartbeat,
    utcnow,
)
from core.db import session_scope

log = logging.getLogger(__name__)

# The states in which a worker holds the run: a run found in one with its lease run out has lost
# its worker. (queued, quarantined and awaiting_approval wait for something else.)
WORKING: dict[str, frozenset[str]] = {
    JOB.kind: frozenset(
        {JobStatus.scanning, JobStatus.generating, JobStatus.training, JobStatus.evaluating}
    ),
    ROUND.kind: frozenset(
        {RoundStatus.sampling, RoundStatus.scoring, RoundStatus.training, RoundStatus.evaluating}
    ),
}


class LeaseLost(Exception):
    """Another worker took over the run (this one was presumed dead): stop without writing."""


def worker_name() -> str:
    """Unique per worker process: two processes on one host, or a restarted one, never share it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(
    session: Session, lifecycle: Lifecycle[Any], row_id: int, owner: str, ttl_s: float
) -> bool:
    """Take the run's lease unless another worker holds a live one; count the attempt."""
    table = lifecycle.model
    now = utcnow()
    taken = session.execute(
        update(table)
        .where(
            col(table.id) == row_id,
            col(table.status).not_in(lifecycle.terminal),
            or_(
                col(table.lease_owner).is_(None),
                col(table.lease_owner) == owner,
                col(table.lease_expires_at) < now,
            ),
        )
        .values(
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=ttl_s),
            attempts=table.attempts + 1,
            started_at=now,
        )
    )
    session.commit()
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def renew(
    session: Session, lifecycle: Lifecycle[Any], row_id: int, owner: str, ttl_s: float
) -> bool:
    """Extend the lease; False when another worker holds it now (or the run is gone)."""
    table = lifecycle.model
    renewed = session.execute(
        update(table)
        .where(col(table.id) == row_id, col(table.lease_owner) == owner)
        .values(lease_expires_at=utcnow() + timedelta(seconds=ttl_s))
    )
    session.commit()
    return bool(renewed.rowcount)  # type: ignore[attr-defined]


def release(session: Session, lifecycle: Lifecycle[Any], row_id: int, owner: str) -> None:
    table = lifecycle.model
    session.execute(
        update(table)
        .where(col(table.id) == row_id, col(table.lease_owner) == owner)
        .values(lease_owner=None, lease_expires_at=None)
    )
    session.commit()


@dataclass(frozen=True)
class Reaped:
    kind: str
    id: int
    action: str  # "requeued" | "failed"


def reap(
    session: Session,
    lifecycle: Lifecycle[Any],
    *,
    max_attempts: int,
    enqueue: Callable[[int], None],
) -> list[Reaped]:
    """Runs in a working state whose lease ran out: back to ``queued`` and enqueued again while
    attempts remain, else ``failed`` with ``worker_lost``. Each move is a compare-and-set on
    the expired lease, so two reapers never both act on one run."""
    table = lifecycle.model
    now = utcnow()
    expired = session.exec(
        select(table).where(
            col(table.status).in_(WORKING[lifecycle.kind]),
            or_(
                col(table.lease_expires_at) < now,
                col(table.lease_owner).is_(None),
            ),
        )
    ).all()
    out: list[Reaped] = []
    for row in expired:
        # None: its worker came back, or another reaper acted first.
        reaped = _give_back(
            session,
            lifecycle,
            row,
            max_attempts=max_attempts,
            enqueue=enqueue,
            code="worker_lost",
            why=f"the worker running this {lifecycle.kind} stopped",
        )
        if reaped is not None:
            out.append(reaped)
    return out


def give_back(
    session: Session,
    lifecycle: Lifecycle[Any],
    row_id: int,
    owner: str,
    *,
    max_attempts: int,
    enqueue: Callable[[int], None],
    code: str,
    why: str,
) -> str:
    """The holder of a run lets go of it mid-way (the database went away under it): like a dead
    worker's run, it goes back to ``queued`` and is enqueued again while attempts remain, else
    it fails with ``code``. A run no longer held by ``owner`` is left alone ("lease_lost"); one
    that already left the working states keeps its state, and a ``queued`` one gets its turn
    back. Returns what became of it."""
    row = session.get(lifecycle.model, row_id)
    if row is None or row.lease_owner != owner:
        return "lease_lost"
    if row.status not in WORKING[lifecycle.kind]:
        release(session, lifecycle, row_id, owner)
        if row.status == "queued":  # broke before its first stage: the turn is given back
            enqueue(row_id)
            return "requeued"
        return str(row.status)
    reaped = _give_back(
        session, lifecycle, row, max_attempts=max_attempts, enqueue=enqueue, code=code, why=why
    )
    return "lease_lost" if reaped is None else reaped.action


def _give_back(
    session: Session,
    lifecycle: Lifecycle[Any],
    row: Any,
    *,
    max_attempts: int,
    enqueue: Callable[[int], None],
    code: str,
    why: str,
) -> Reaped | None:
    """Requeue (attempts permitting) or fail a working run, by a compare-and-set on the state
    and lease holder read: None when either changed meanwhile."""
    table = lifecycle.model
    was, owner = row.status, row.lease_owner
    retry = row.attempts < max_attempts
    moved = session.execute(
        update(table)
        .where(
            col(table.id) == row.id,
            col(table.status) == was,
            col(table.lease_owner).is_(None) if owner is None else col(table.lease_owner) == owner,
        )
        .values(
            lease_owner=None,
            lease_expires_at=None,
            **({"status": "queued"} if retry else {}),
        )
    )
    session.commit()
    if not moved.rowcount:  # type: ignore[attr-defined]
        return None
    session.refresh(row)
    message = f"{why} during {was} (attempt {row.attempts} of {max_attempts})"
    if retry:
        lifecycle.add_event(session, row, f"{message}; queued again")
        enqueue(row.id)
        reaped = Reaped(lifecycle.kind, row.id, "requeued")
    else:
        lifecycle.fail(session, row.id, code, f"{message}; no attempts left")
        reaped = Reaped(lifecycle.kind, row.id, "failed")
    log.warning("%s %s: %s (%s)", lifecycle.kind, row.id, reaped.action, code)
    return reaped


def live_workers(session: Session, within_s: float) -> list[WorkerHeartbeat]:
    since = utcnow() - timedelta(seconds=within_s)
    return list(session.exec(select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen >= since)))


@dataclass
class Heartbeat:
    """The worker's heartbeat thread: records the worker, renews the lease of the run it works
    on, and reaps runs whose worker died. ``lost`` is set when the held lease was taken over."""

    engine: Engine
    name: str
    interval_s: float
    lease_s: float
    reap_fn: Callable[[Session], list[Reaped]] | None = None
    started_at: Any = field(default_factory=utcnow)
    _holding: tuple[Lifecycle[Any], int] | None = None
    _lost: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _missed: bool = False  # the last beat could not reach the database
    _reap_after: float = 0.0  # time.monotonic() before which this heartbeat does not reap

    def start(self) -> Heartbeat:
        self.beat()
        self._thread = threading.Thread(target=self._loop, name="seal-heartbeat", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval_s + 5)
        try:
            with session_scope(self.engine, wait_s=0) as s:
                s.exec(delete(WorkerHeartbeat).where(col(WorkerHeartbeat.name) == self.name))
                s.commit()
        except Exception:  # noqa: BLE001 - the row ages out anyway
            log.warning("could not remove the heartbeat of %s", self.name)

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    @contextmanager
    def holding(self, lifecycle: Lifecycle[Any], row_id: int) -> Iterator[None]:
        with self._lock:
            self._holding = (lifecycle, row_id)
            self._lost.clear()
        try:
            yield
        finally:
            with self._lock:
                self._holding = None

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.beat()

    def beat(self) -> None:
        """One heartbeat; a database that does not answer is retried on the next one (the lease
        outlives several missed beats), not waited for."""
        try:
            with session_scope(self.engine, wait_s=0) as s:
                with self._lock:
                    holding = self._holding
                if holding is not None and not renew(s, *holding, self.name, self.lease_s):
                    self._lost.set()
                row = s.get(WorkerHeartbeat, self.name) or WorkerHeartbeat(
                    name=self.name,
                    hostname=socket.gethostname(),
                    pid=os.getpid(),
                    started_at=self.started_at,
                )
                row.last_seen = utcnow()
                row.running = f"{holding[0].kind} {holding[1]}" if holding else None
                s.add(row)
                s.commit()
                if self._missed:
                    # The database was away, so every worker's renewals failed too and their
                    # leases may have run out meanwhile: reap only once each live worker has had
                    # two beats to renew, or the first reaper back would restart every run that
                    # was going fine.
                    self._missed = False
                    self._reap_after = time.monotonic() + 2 * self.interval_s
                if self.reap_fn is not None and time.monotonic() >= self._reap_after:
                    self.reap_fn(s)
        except Exception:  # noqa: BLE001 - never kill the thread: the next beat retries
            self._missed = True
            log.warning("heartbeat failed", exc_info=True)
