"""One exception type with a code, and one table from code to HTTP status. Messages are safe to show."""

from __future__ import annotations

from typing import Any

STATUS_BY_CODE: dict[str, int] = {
    "invalid_request": 400,
    "invalid_json": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "invalid_state": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "validation_error": 422,
    "unavailable": 503,
    "insufficient_storage": 507,
    "upstream_error": 502,
    "internal_error": 500,
}


class ServiceError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if code not in STATUS_BY_CODE:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}  # e.g. Retry-After on a 429 or 503

    @property
    def status_code(self) -> int:
        return STATUS_BY_CODE[self.code]


def not_found(kind: str, ident: object) -> ServiceError:
    return ServiceError("not_found", f"{kind} {ident} not found")
