"""Every error leaves the API as ``{"error": {"code", "message"}}`` with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.db import database_unreachable
from core.errors import ServiceError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    422: "validation_error",
}

# A restart of PostgreSQL takes a few seconds: the client is told to come back after that.
DATABASE_RETRY_AFTER_S = 5


def error_response(
    status: int, code: str, message: str, headers: dict | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def _describe(err: dict) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
    msg = err.get("msg", "invalid value")
    return f"`{loc}`: {msg}" if loc else msg


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError) -> JSONResponse:
        headers = dict(exc.headers)
        if exc.code == "unauthorized":
            headers["WWW-Authenticate"] = "Bearer"
        return error_response(exc.status_code, exc.code, exc.message, headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "invalid_json", "the body is not valid JSON (or not UTF-8)")
        # Collect every problem and report them at once.
        return error_response(422, "validation_error", "; ".join(_describe(e) for e in errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 400 and "parsing the body" in message:
            # FastAPI's words for a body that is not JSON or not UTF-8.
            code, message = "invalid_json", "the body is not valid JSON (or not UTF-8)"
        return error_response(exc.status_code, code, message)

    @app.exception_handler(SQLAlchemyError)
    async def _database(_: Request, exc: SQLAlchemyError) -> JSONResponse:
        if not database_unreachable(exc):
            raise exc  # the statement's fault: a 500 (below), not the database's absence
        # The driver's message names the host and port: it is logged, never sent.
        log.warning("the database is unreachable (%s): answering 503", type(exc).__name__)
        return error_response(
            503,
            "unavailable",
            "the database is unavailable; retry later",
            {"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(
            500, "internal_error", "internal error; the request was not completed"
        )
