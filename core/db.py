"""Database engine and sessions, shared by the API and the workers, and what counts as the
database being unreachable (the API answers it 503; the worker waits for the database)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from core.settings import get_settings

log = logging.getLogger(__name__)

# PostgreSQL connections: a host that stops answering (rather than refusing) would otherwise hang
# a request or a stage until the kernel gives up (minutes): connecting gives up after 5 s, and
# an established connection whose peer went silent is found dead by TCP keepalives in ~25 s.
PG_CONNECT_ARGS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

# How long the worker's units of work wait for an unreachable database before they give up (a
# restart of PostgreSQL pauses a job for its few seconds instead of failing it).
WAIT_S = 600.0

# PostgreSQL error codes that mean the server, not the statement: connection exceptions (class
# 08), shutting down or starting up (57P01-57P03), too many connections (53300).
_PG_UNREACHABLE = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite's equivalents: the file is locked by a long writer, or cannot be opened.
_SQLITE_UNREACHABLE = ("database is locked", "unable to open database file")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        # The API and the worker write the same file: WAL lets readers proceed during a write.
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    connect_args = PG_CONNECT_ARGS if url.startswith("postgresql+psycopg") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.resolved_database_url)


def database_unreachable(error: BaseException) -> bool:
    """Is this the database being out of reach (stopped, restarting, a connection cut, the
    connection pool exhausted) rather than a fault of the statement? Only the first is worth
    trying again later."""
    if isinstance(error, exc.TimeoutError | exc.DisconnectionError):
        return True  # the pool had no connection to give in time; a connection found dead
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, exc.OperationalError | exc.InterfaceError):
        return False  # integrity, data and programming errors are the statement's
    orig = error.orig
    if isinstance(orig, sqlite3.Error):
        return any(s in str(orig) for s in _SQLITE_UNREACHABLE)
    if type(orig).__module__.split(".")[0] in ("psycopg", "psycopg2"):
        # No SQL state: the client's own verdict (connection refused or lost, server closed it).
        state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        return state is None or str(state).startswith(_PG_UNREACHABLE)
    return False


def wait_for_database(engine: Engine, timeout_s: float) -> bool:
    """Poll until the database answers (True) or ``timeout_s`` passed (False). Errors other than
    the database being out of reach are raised."""
    deadline = time.monotonic() + timeout_s
    delay, warned = 0.5, False
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            if warned:
                log.warning("the database answers again")
            return True
        except exc.SQLAlchemyError as error:
            if not database_unreachable(error):
                raise
            if time.monotonic() + delay > deadline:
                return False
            if not warned:
                log.warning("the database is unreachable (%s); waiting", type(error).__name__)
                warned = True
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


@contextmanager
def session_scope(
    engine: Engine | None = None, *, wait_s: float | None = None
) -> Iterator[Session]:
    """A session for one short unit of the worker's work. While the database is unreachable it
    first waits for it, up to ``wait_s`` (default ``WAIT_S``; 0: not at all), so that a restart
    of the database pauses the work instead of failing it; a connection that breaks during the
    work still raises (workers.runs then starts the run again)."""
    engine = engine or get_engine()
    wait = WAIT_S if wait_s is None else wait_s
    if wait > 0 and not wait_for_database(engine, wait):
        log.warning("the database stayed unreachable for %.0f s; giving up", wait)
    with Session(engine, expire_on_commit=False) as session:
        yield session
