"""One lifecycle for every long-running, versioned thing: teach jobs and the adapter versions they
produce, policy rounds and the self-edit policies they produce.

- ``Lifecycle`` holds a run's states (which moves are allowed, which end it) and writes its event
  log; ``JOB`` and ``ROUND`` are its two instances.
- ``allocate_version`` numbers an immutable version max+1 within its scope, retrying when another
  writer won the number (MLflow's registry model).
- ``rollback_target`` and ``require_status`` are the shared rules of aliases and approvals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, func, select

from adapter_store.models import (
    TERMINAL_JOB_STATUSES,
    TERMINAL_ROUND_STATUSES,
    EventBase,
    Job,
    JobEvent,
    JobStatus,
    PolicyRound,
    PolicyRoundEvent,
    RoundStatus,
    utcnow,
)
from core import metrics
from core.errors import ServiceError, not_found

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class Lifecycle(Generic[Row]):
    """The states of one kind of run (a row with ``status``, ``progress``, ``error``,
    ``updated_at``) and its event table (rows pointing back through ``event_fk``)."""

    kind: str  # "job" | "round": how messages name it
    model: type[Row]
    event_model: type[EventBase]
    event_fk: str
    allowed: dict[str, frozenset[str]]
    terminal: frozenset[str]
    failed: str

    def is_terminal(self, row: Row) -> bool:
        return row.status in self.terminal  # type: ignore[attr-defined]

    def add_event(
        self,
        session: Session,
        row: Row,
        message: str,
        *,
        progress: float | None = None,
        data: dict[str, Any] | None = None,
        commit: bool = True,
    ) -> EventBase:
        """Record a progress event in the run's current state."""
        if progress is not None:
            row.progress = progress
            row.updated_at = utcnow()
            session.add(row)
        event = self.event_model(
            status=row.status,  # type: ignore[attr-defined]
            message=message,
            progress=progress,
            data=data or {},
            **{self.event_fk: row.id},  # type: ignore[attr-defined]
        )
        session.add(event)
        if commit:
            session.commit()
        return event

    def transition(
        self,
        session: Session,
        row: Row,
        status: str,
        message: str,
        *,
        progress: float | None = None,
        data: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
        with_move: Callable[[Session], None] | None = None,
    ) -> Row:
        """Move the run to a new state and log the event, refusing moves the lifecycle does not
        allow. The caller's pending changes to the row (a report, metrics) are committed first;
        the state is then re-read, so a concurrent cancel is seen.

        The move itself is a compare-and-set (``UPDATE ... WHERE status = <the state read>``): of
        two writers racing from the same state (a cancel and the worker's promotion), exactly one
        wins and the other gets ``invalid_state``. ``with_move`` stages more changes (an alias
        move) that commit with the move, or not at all."""
        session.commit()
        session.refresh(row)
        current = row.status  # type: ignore[attr-defined]
        if status not in self.allowed.get(current, frozenset()):
            raise self._refused(row, current, status)
        table = type(row)
        moved = session.execute(
            update(table)
            .where(col(table.id) == row.id, col(table.status) == current)  # type: ignore[attr-defined]
            .values(status=status)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            session.refresh(row)
            raise self._refused(row, row.status, status)  # type: ignore[attr-defined]
        if with_move is not None:
            with_move(session)
        row.status = status
        if status in self.terminal and status != self.failed:
            progress = 1.0 if progress is None else progress
        if error is not None:
            row.error = error
        self.add_event(session, row, message, progress=progress, data=data, commit=False)
        row.updated_at = utcnow()
        session.add(row)
        session.commit()
        if status in self.terminal:
            # Counted here, where every run ends (a worker's stage, a cancel, an admin's
            # decision, the reaper), whichever process that is.
            metrics.record_finished(self.kind, status, (error or {}).get("code"))
        session.refresh(row)
        return row

    def _refused(self, row: Row, current: str, status: str) -> ServiceError:
        return ServiceError(
            "invalid_state",
            f"{self.kind} {row.id} is {current}; it cannot become {status}",  # type: ignore[attr-defined]
        )

    def events(self, session: Session, row_id: int, after_id: int = 0) -> list[EventBase]:
        fk = getattr(self.event_model, self.event_fk)
        return list(
            session.exec(
                select(self.event_model)
                .where(fk == row_id, col(self.event_model.id) > after_id)
                .order_by(col(self.event_model.id))
            )
        )

    def fail(self, session: Session, row_id: int, code: str, message: str) -> None:
        """End a run as failed with a reason, unless it already ended."""
        row = session.get(self.model, row_id)
        if row is not None and not self.is_terminal(row):
            self.transition(
                session, row, self.failed, message, error={"code": code, "message": message}
            )


def _with_exits(forward: dict[str, set[str]], exits: set[str]) -> dict[str, frozenset[str]]:
    """Any running state may also take one of the ``exits`` (failed, cancelled)."""
    return {state: frozenset(nxt | exits) for state, nxt in forward.items()}


S, R = JobStatus, RoundStatus

JOB: Lifecycle[Job] = Lifecycle(
    kind="job",
    model=Job,
    event_model=JobEvent,
    event_fk="job_id",
    allowed=_with_exits(
        {
            S.queued: {S.scanning},
            S.scanning: {S.quarantined, S.generating, S.rejected},
            S.quarantined: {S.generating, S.rejected},
            S.generating: {S.training},
            S.training: {S.evaluating},
            S.evaluating: {S.awaiting_approval, S.promoted, S.rejected},
            S.awaiting_approval: {S.promoted, S.rejected},
        },
        {S.failed, S.cancelled},
    ),
    terminal=TERMINAL_JOB_STATUSES,
    failed=S.failed,
)

ROUND: Lifecycle[PolicyRound] = Lifecycle(
    kind="round",
    model=PolicyRound,
    event_model=PolicyRoundEvent,
    event_fk="round_id",
    allowed=_with_exits(
        {
            R.queued: {R.sampling},
            R.sampling: {R.scoring},
            R.scoring: {R.training, R.rejected},
            R.training: {R.evaluating},
            R.evaluating: {R.awaiting_approval, R.promoted, R.rejected},
            R.awaiting_approval: {R.promoted, R.rejected},
        },
        {R.failed},
    ),
    terminal=TERMINAL_ROUND_STATUSES,
    failed=R.failed,
)


def end_after_decision(
    session: Session, lifecycle: Lifecycle[Any], row_id: int | None, *, approved: bool, name: str
) -> None:
    """An admin's approve/reject of a version ends the run that produced it, if it still waits
    (both lifecycles name these states alike)."""
    row = session.get(lifecycle.model, row_id) if row_id is not None else None
    if row is None or row.status != "awaiting_approval":
        return
    if approved:
        lifecycle.transition(session, row, "promoted", f"{name} approved by an admin")
    else:
        lifecycle.transition(
            session,
            row,
            "rejected",
            f"{name} rejected by an admin",
            error={"code": "rejected_by_admin", "message": f"an admin rejected {name}"},
        )


# ---------------------------------------------------------------- versions


def allocate_version(
    session: Session,
    model: type[Row],
    scope: Sequence[Any],
    build: Callable[[int], Row],
    *,
    on_conflict: Callable[[], None] | None = None,
    attempts: int = 5,
) -> Row:
    """Insert ``build(n)`` with n = max+1 of ``model.version`` among the rows matching ``scope``
    (where-clauses), retrying if another writer took the number. ``on_conflict`` may raise when
    a retry cannot help (the row exists for another reason)."""
    for _ in range(attempts):
        current = session.exec(select(func.max(model.version)).where(*scope)).one()  # type: ignore[attr-defined]
        row = build((current or 0) + 1)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            if on_conflict is not None:
                on_conflict()
            continue
        session.refresh(row)
        return row
    raise ServiceError(
        "conflict",
        f"could not allocate a {model.__tablename__} number; try again",
    )


def require_status(row: Any, expected: str, label: str) -> None:
    if row.status != expected:
        raise ServiceError("invalid_state", f"{label} is {row.status}, not {expected}")


def rollback_target(
    session: Session,
    model: type[Row],
    scope: Sequence[Any],
    *,
    version: int | None,
    active: Any,
    servable: Sequence[str],
    kind: str,
) -> Row | None:
    """The version a rollback moves to: the one asked for (it must be in a ``servable`` status),
    else the newest servable one older than ``active`` (None: the base model)."""
    if version is not None:
        row = session.exec(select(model).where(*scope, model.version == version)).first()  # type: ignore[attr-defined]
        if row is None:
            raise not_found(f"{kind} version", version)
        if row.status not in servable:  # type: ignore[attr-defined]
            raise ServiceError(
                "invalid_state",
                f"{kind} version {version} is {row.status}; only a version that is "  # type: ignore[attr-defined]
                f"{' or '.join(servable)} can serve",
            )
        return row
    if active is None:
        raise ServiceError("invalid_state", f"there is no active {kind} to roll back from")
    return session.exec(
        select(model)
        .where(*scope, model.version < active.version, col(model.status).in_(servable))  # type: ignore[attr-defined]
        .order_by(col(model.version).desc())  # type: ignore[attr-defined]
    ).first()
