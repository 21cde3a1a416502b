"""A thin httpx wrapper: every failure becomes one ``ApiError`` with the server's own message and
the exit code a script can branch on."""

from __future__ import annotations

from typing import Any

import httpx

from cli.exits import Exit

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class ApiError(Exception):
    """A request that did not succeed. ``code`` is the API's error code (or ``connection_error``
    when no answer came at all); ``message`` is safe to show."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    @property
    def exit_code(self) -> Exit:
        # 429 and 5xx mean "not now": a script may retry them, unlike a refused request.
        if self.status is None or self.status >= 500 or self.status == 429:
            return Exit.UNAVAILABLE
        return Exit.API_ERROR

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def error_from_response(resp: httpx.Response) -> ApiError:
    """The API answers ``{"error": {"code", "message"}}``; a proxy in front of it may not."""
    code, message = f"http_{resp.status_code}", resp.reason_phrase or "request failed"
    try:
        err = resp.json().get("error") or {}
        code, message = str(err.get("code") or code), str(err.get("message") or message)
    except (ValueError, AttributeError):
        text = resp.text.strip()
        if text:
            message = text[:300]
    if retry_after := resp.headers.get("Retry-After"):
        message += f" (retry after {retry_after} s)"
    return ApiError(code, message, resp.status_code)


class Client:
    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {key}", "User-Agent": "seal-cli"},
            timeout=timeout,
            transport=transport,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """The response of a request that succeeded (2xx); anything else raises ``ApiError``."""
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        try:
            resp = self._http.request(
                method, path, json=json, params=params, headers=headers, **extra
            )
        except httpx.TimeoutException:
            raise ApiError(
                "timeout", f"the SEAL API at {self.base_url} did not answer in time"
            ) from None
        except httpx.TransportError as exc:
            raise ApiError(
                "connection_error",
                f"cannot reach the SEAL API at {self.base_url} ({exc or type(exc).__name__}); "
                "is it running, and is SEAL_URL right?",
            ) from None
        if resp.is_success:
            return resp
        raise error_from_response(resp)

    def get(self, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return self.json(self.request("GET", path, params=clean))

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.json(self.request("POST", path, json=body, **kwargs))

    def json(self, resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except ValueError:
            # A 200 that is not JSON: SEAL_URL points at some other web server.
            raise ApiError(
                "invalid_response",
                f"{resp.request.url} did not answer with JSON; is {self.base_url} the SEAL API?",
                resp.status_code,
            ) from None

    def close(self) -> None:
        self._http.close()
