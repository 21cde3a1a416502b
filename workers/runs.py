"""Running a job or a round to its end: whatever goes wrong, it ends ``failed`` with a reason that
is safe to show, never stuck in a running state."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from adapter_store.lifecycle import Lifecycle
from core.db import session_scope
from core.errors import ServiceError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The run was cancelled while it ran (the worker noticed at a check)."""


def run_to_end(
    lifecycle: Lifecycle[Any], row_id: int, engine: Engine, body: Callable[[], str]
) -> str:
    """Call ``body`` (which returns the run's final status); on an error end the run failed."""
    try:
        return body()
    except (Cancelled, InterruptedError):
        return "cancelled"
    except ServiceError as exc:
        code, message = exc.code, exc.message
    except Exception as exc:  # noqa: BLE001 - a run must end failed, never stuck
        log.error("%s %s failed: %s", lifecycle.kind, row_id, traceback.format_exc())
        code = "internal_error"
        message = f"the {lifecycle.kind} failed in the worker ({type(exc).__name__})"
    with session_scope(engine) as session:
        lifecycle.fail(session, row_id, code, message)
    return lifecycle.failed
