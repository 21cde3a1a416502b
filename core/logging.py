"""Log lines for operators: one JSON object a line (or plain text), each with the id of the HTTP
request or of the job or round it belongs to (``core.context``), and never a document's text.

    configure_logging(json=True)

The API calls it when ``SEAL_LOG_FORMAT`` is set, the worker from Celery's ``setup_logging``
signal (so that Celery does not install its own handlers), the launcher for itself. Every line
has ``timestamp``, ``level``, ``logger``, ``message``, ``request_id``, ``job_id`` and ``round_id``
(null when unbound), plus whatever a call passes in ``extra``.

No document text: log calls name ids, counts and stages, never texts or findings. What a call
site cannot control is an exception's message (a database error shows its parameters, a
tokenizer error the text it choked on), so an exception is logged as its type and frames only;
a ``ServiceError``'s message is written for the caller to read and is kept.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import IO, Any

from core import context
from core.errors import ServiceError

try:  # python-json-logger >= 3.1
    from pythonjsonlogger.json import JsonFormatter as _JsonFormatter
except ImportError:  # pragma: no cover - python-json-logger 2.x
    from pythonjsonlogger.jsonlogger import JsonFormatter as _JsonFormatter

CONTEXT_FIELDS = ("request_id", "job_id", "round_id")
WITHHELD = "(message withheld: it may quote a document; SEAL_LOG_EXCEPTION_MESSAGES=true shows it)"
# Libraries that log every request they make at INFO: the reconciler's health checks every 5 s.
_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING}

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ContextFilter(logging.Filter):
    """Stamps each record with the ids bound in ``core.context`` where the call was made."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        record.job_id = context.job_id.get()
        record.round_id = context.round_id.get()
        return True


def safe_traceback(exc: BaseException, messages: bool = False) -> str:
    """An exception and its causes as type and frames (file, line, function, source line), with
    the message only when ``messages`` or when it is a ``ServiceError``'s."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        shown = messages or isinstance(current, ServiceError)
        message = str(current) if shown else WITHHELD
        parts.append(
            f"Traceback (most recent call last):\n{frames}{type(current).__qualname__}: {message}"
        )
        if current.__cause__ is not None:
            current = current.__cause__
        else:
            current = None if current.__suppress_context__ else current.__context__
    # Outermost first, then what it was raised from (or while handling).
    return "\n\nraised from (or while handling):\n".join(parts)


class _SafeExceptions:
    exception_messages = False

    def formatException(self, ei: Any) -> str:
        if ei is None or ei[1] is None:
            return ""
        return safe_traceback(ei[1], self.exception_messages)


class JsonFormatter(_SafeExceptions, _JsonFormatter):
    def __init__(self, exception_messages: bool = False) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(request_id)s %(job_id)s %(round_id)s",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp=True,
        )
        self.exception_messages = exception_messages

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, *args: Any) -> None:
        super().add_fields(log_data, record, *args)
        log_data.pop("color_message", None)  # uvicorn's copy of the message with ANSI colours


class TextFormatter(_SafeExceptions, logging.Formatter):
    def __init__(self, exception_messages: bool = False) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s "
            "[request=%(request_id)s job=%(job_id)s round=%(round_id)s] %(message)s"
        )
        self.exception_messages = exception_messages


def configure_logging(
    json: bool,
    level: str | int = "INFO",
    *,
    stream: IO[str] | None = None,
    exception_messages: bool = False,
) -> logging.Handler:
    """Send every logger's lines through one handler on the root logger (stderr unless
    ``stream``). Calling it again replaces the handler it installed, and only that one."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_seal", False)]:
        root.removeHandler(old)
        old.close()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._seal = True  # type: ignore[attr-defined]
    handler.addFilter(ContextFilter())
    formatter_cls = JsonFormatter if json else TextFormatter
    handler.setFormatter(formatter_cls(exception_messages=exception_messages))
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    # uvicorn's loggers have handlers of their own and do not propagate: their lines would come
    # out in uvicorn's format, without the ids.
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    # The API writes its own access line (``seal.access``: the route template, status and time);
    # uvicorn's would repeat it with the raw path, which may carry ids and query strings.
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    return handler


def configure_from_settings(settings: Any, *, default: str | None = None) -> logging.Handler | None:
    """``configure_logging`` as the settings say (``log_format``, else ``default``; neither:
    leave logging alone)."""
    fmt = settings.log_format or default
    if fmt is None:
        return None
    return configure_logging(
        fmt == "json", settings.log_level, exception_messages=settings.log_exception_messages
    )
