"""Every request gets an id (the caller's ``X-Request-ID`` when it is a sane id, else a new one),
bound for the request's logs and audit rows and returned in the ``X-Request-ID`` header."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.context import new_request_id, request_id

HEADER = "X-Request-ID"


class RequestId:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would run the route in another task, and
    the context variable set here would not reach it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = new_request_id(incoming)
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
