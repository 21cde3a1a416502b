"""The console's sessions and CSRF protection.

An admin logs in with the admin key once; the key is compared and forgotten. The browser then holds
a random session token in an HttpOnly, SameSite=Strict cookie scoped to ``/console``; the database
holds only the token's SHA-256 (``ConsoleSession.token_hash``), so a copy of the database opens no
session. Every state-changing form carries the session's CSRF token, and a request whose
Origin/Referer/Sec-Fetch-Site says it came from another site is refused even with a valid token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import Request
from sqlmodel import Session, select

from adapter_store import audit
from adapter_store.audit import Actor
from adapter_store.models import ConsoleSession, utcnow

COOKIE = "seal_console"
COOKIE_PATH = "/console"
SESSION_LIFETIME = timedelta(hours=8)


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the login form."""


class CsrfRejected(Exception):
    """A state change without the session's CSRF token, or sent from another site."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, admin_key: str) -> tuple[str, ConsoleSession]:
    """A new session for an admin who gave the right key; returns the cookie's token (shown to
    the browser only) and the row. The login is recorded in the audit trail."""
    token = secrets.token_urlsafe(32)
    actor = Actor.admin(admin_key, via="console")
    row = ConsoleSession(
        token_hash=_digest(token),
        csrf_token=secrets.token_urlsafe(32),
        key_prefix=actor.key_prefix or "",
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    audit.record(
        session,
        actor,
        "console.login",
        "console_session",
        row.id,
        after={"expires_at": row.expires_at.isoformat()},
    )
    return token, row


def session_for_token(session: Session, token: str | None) -> ConsoleSession | None:
    """The live session the cookie names (not ended, not expired), or None."""
    if not token or len(token) > 128:
        return None
    row = session.exec(
        select(ConsoleSession).where(ConsoleSession.token_hash == _digest(token))
    ).first()
    if row is None or row.ended_at is not None or row.expires_at <= utcnow():
        return None
    return row


def console_actor(row: ConsoleSession) -> Actor:
    """The admin behind a console session, as the audit trail records it (no secret in it)."""
    return Actor("admin", None, row.key_prefix, via="console")


def end_session(session: Session, row: ConsoleSession) -> None:
    """Log out: the session ends server-side, so the old cookie opens nothing any more."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        session.add(row)
        session.commit()
        audit.record(session, console_actor(row), "console.logout", "console_session", row.id)


def check_csrf(request: Request, row: ConsoleSession, form_token: str) -> None:
    """The form's token must be the session's, and the request must come from this site."""
    if not form_token or not hmac.compare_digest(form_token.encode(), row.csrf_token.encode()):
        raise CsrfRejected("the form's CSRF token is missing or wrong; reload the page and retry")
    check_same_origin(request)


def check_same_origin(request: Request) -> None:
    """Browsers say where a request came from: a form posted by another site is refused even if
    it somehow carried a valid token. Absent headers (a non-browser client) are not proof of
    anything either way; the token is what protects it then."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise CsrfRejected(f"a request from another site ({site}) cannot change anything here")
    host = request.headers.get("host", "")
    for header in ("origin", "referer"):
        value = request.headers.get(header)
        if value is None:
            continue
        if value == "null" or urlsplit(value).netloc != host:
            raise CsrfRejected(f"the request's {header.title()} is not this console")
        return  # Origin, when present, decides; Referer is the fallback


@dataclass
class LoginThrottle:
    """Per client address: after ``free`` failed logins in a row, each further attempt waits
    twice as long as the one before (1 s, 2 s, 4 s ... up to ``max_wait`` s). A success clears
    the count; an address quiet for ``forget_after`` seconds starts over. In memory, per API
    process: a brake on guessing, not an account lock-out (the admin key is 256 random bits)."""

    free: int = 5
    max_wait: float = 300.0
    forget_after: float = 900.0
    max_clients: int = 10_000
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, client: str, now: float | None = None) -> float:
        """Seconds the client must wait before its next attempt (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
            if count < self.free or now - last > self.forget_after:
                return 0.0
            wait = min(2.0 ** (count - self.free), self.max_wait)
            return max(0.0, wait - (now - last))

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
            if now - last > self.forget_after:
                count = 0
            self._failures[client] = (count + 1, now)
            if len(self._failures) > self.max_clients:
                # Forget the quietest address rather than grow without bound.
                oldest = min(self._failures, key=lambda k: self._failures[k][1])
                del self._failures[oldest]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def login_throttle(request: Request) -> LoginThrottle:
    """The app's throttle (one per app, created on first use)."""
    state = request.app.state
    throttle = getattr(state, "console_login_throttle", None)
    if throttle is None:
        throttle = state.console_login_throttle = LoginThrottle()
    return throttle
