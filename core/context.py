"""What the current unit of work is about, for logs and the audit trail: the HTTP request's id (the
API) or the job or round a worker runs. Context variables, so that every log line and audit row of
one request or job carries the same ids without passing them through every call."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
job_id: ContextVar[int | None] = ContextVar("job_id", default=None)
round_id: ContextVar[int | None] = ContextVar("round_id", default=None)

# An incoming X-Request-ID is kept when it looks like an id (a proxy's or a client's), so that one
# request can be followed across services; anything else is replaced, never logged as sent.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


@contextmanager
def bound(var: ContextVar, value: object) -> Iterator[None]:
    """Set a context variable for the duration of a block (a job's run, say)."""
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)
