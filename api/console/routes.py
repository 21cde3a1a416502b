"""The admin console's pages (``/console``): server-rendered, a little JavaScript, nothing from
another host. Routes are thin: they check the session (and, for a change, the CSRF token), call
the same use cases as the REST API with the console's actor, and render what ``views`` gathered.

Security (see docs/console.md): the admin key is typed once into the login form and never put in
a page or a cookie; the session cookie is HttpOnly, SameSite=Strict, Path=/console (and Secure over
https); the database stores its hash only; every state change needs the session's CSRF token and a
same-site origin; every reply forbids framing, caching and scripts from anywhere but here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from adapter_store.audit import ACTIONS, ACTOR_KINDS, Actor
from adapter_store.models import ConsoleSession, PolicyVersion, utcnow
from adapter_store.registry import keys_match
from api.console import auth, views
from api.deps import (
    MAX_ROW_ID,
    AdminAdapter,
    AdminDocument,
    AdminPolicy,
    AdminTenant,
    RowId,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from api.schemas import TenantCreate, problems
from api.usecases import (
    add_tenant,
    change_policy,
    decide_document,
    decide_version,
    disable_tenant,
    enable_tenant,
    rollback_scope,
    rollback_tenant,
    rotate_tenant_key,
    start_round,
)
from core.errors import ServiceError

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        # Everything shown is escaped: document text, titles and findings are hostile input.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)
STATIC = {"console.css": "text/css", "console.js": "text/javascript"}
FLASH = "seal_console_flash"

# No script, style, frame or form target outside this origin; no inline script (the confirm
# prompts and live updates are in console.js). Pages are never cached: one shows a new key.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _fmt_dt(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _fmt_num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


TEMPLATES.env.filters["dt"] = _fmt_dt
TEMPLATES.env.filters["num"] = _fmt_num
TEMPLATES.env.filters["short_json"] = views.short_json


# ---------------------------------------------------------------- replies


def _console_path(value: str | None, default: str = "/console/review") -> str:
    """Where to go back to: a console path only (no open redirect to another site)."""
    if value and value.startswith("/console") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _flash_value(kind: str, text: str) -> str:
    raw = json.dumps({"kind": kind, "text": text[:1000]}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH)
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        return {"kind": str(data["kind"]), "text": str(data["text"])}
    except (ValueError, KeyError, TypeError):
        return None


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def redirect(request: Request, url: str, flash: str | None = None, kind: str = "ok") -> Response:
    """Post/redirect/get, with a one-time message for the next page."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH,
            _flash_value(kind, flash),
            max_age=60,
            path=auth.COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=_https(request),
        )
    return response


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    *,
    flash: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    row: ConsoleSession | None = getattr(request.state, "console_session", None)
    pending = _read_flash(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "session": row,
            "csrf": row.csrf_token if row else "",
            "flash": flash or pending,
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )
    if pending is not None:
        response.delete_cookie(FLASH, path=auth.COOKIE_PATH)
    return response


def error_page(request: Request, status_code: int, message: str) -> Response:
    return render(request, "console/error.html", status_code, message=message, status=status_code)


class ConsoleRoute(APIRoute):
    """Turns what the console's dependencies and use cases raise into pages (the app's handlers
    answer JSON, for the API), and adds the security headers to every reply."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except auth.LoginRequired:
                target = request.url.path if request.method == "GET" else "/console/review"
                response = RedirectResponse(
                    f"/console/login?next={_console_path(target)}", status_code=303
                )
            except auth.CsrfRejected as exc:
                log.warning("console: refused a state change: %s", exc.reason)
                response = error_page(request, 403, exc.reason)
            except ServiceError as exc:
                response = error_page(request, exc.status_code, exc.message)
            except RequestValidationError as exc:
                message = "; ".join(
                    f"`{'.'.join(map(str, e['loc'][1:]))}`: {e['msg']}" for e in exc.errors()
                )
                response = error_page(request, 422, message)
            except Exception:  # noqa: BLE001 - a page, never a stack trace
                log.exception("console: unexpected error")
                response = error_page(request, 500, "internal error; nothing was changed")
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return console_handler


# ---------------------------------------------------------------- dependencies


def console_session(request: Request, session: SessionDep) -> ConsoleSession:
    row = auth.session_for_token(session, request.cookies.get(auth.COOKIE))
    if row is None:
        raise auth.LoginRequired()
    request.state.console_session = row
    return row


ConsoleSessionDep = Annotated[ConsoleSession, Depends(console_session)]


def console_writer(
    request: Request, row: ConsoleSessionDep, csrf_token: Annotated[str, Form()] = ""
) -> Actor:
    """A state change: the session's CSRF token, from this site; the admin as the audit trail
    records a console action."""
    auth.check_csrf(request, row, csrf_token)
    return auth.console_actor(row)


WriterDep = Annotated[Actor, Depends(console_writer)]

# Pages need a session; this runs before any path parameter is looked up, so that a visitor
# without one cannot tell an existing id from a missing one.
_public = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
_pages = APIRouter(
    route_class=ConsoleRoute, include_in_schema=False, dependencies=[Depends(console_session)]
)


def act(request: Request, back: str, done: Callable[[], str]) -> Response:
    """Run a use case; back to the page with what happened, or with why it did not."""
    try:
        message = done()
    except ServiceError as exc:
        return redirect(request, back, exc.message, "error")
    return redirect(request, back, message)


# ---------------------------------------------------------------- login


@_public.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise ServiceError("not_found", f"no file {name!r}")
    return FileResponse(
        _HERE / "static" / name,
        media_type=STATIC[name],
        headers={"Cache-Control": "public, max-age=300"},
    )


@_public.get("/login")
def login_form(request: Request, session: SessionDep, next: str | None = None) -> Response:
    if auth.session_for_token(session, request.cookies.get(auth.COOKIE)) is not None:
        return RedirectResponse(_console_path(next), status_code=303)
    return render(request, "console/login.html", next=_console_path(next))


@_public.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    auth.check_same_origin(request)
    throttle = auth.login_throttle(request)
    client = request.client.host if request.client else "unknown"
    wait = throttle.wait_s(client)
    if wait > 0:
        response = render(
            request,
            "console/login.html",
            429,
            next=_console_path(next),
            flash={
                "kind": "error",
                "text": f"Too many failed attempts; try again in {int(wait) + 1} s.",
            },
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    key = key.strip()
    if not settings.admin_key or not key or not keys_match(key, settings.admin_key):
        throttle.failed(client)
        log.warning("console: failed login from %s", client)
        return render(
            request,
            "console/login.html",
            401,
            next=_console_path(next),
            flash={"kind": "error", "text": "That is not the admin key."},
        )
    throttle.succeeded(client)
    token, row = auth.start_session(session, key)
    response = RedirectResponse(_console_path(next), status_code=303)
    response.set_cookie(
        auth.COOKIE,
        token,
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        path=auth.COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_https(request),
    )
    return response


@_pages.post("/logout")
def logout(request: Request, session: SessionDep, row: ConsoleSessionDep, _: WriterDep) -> Response:
    auth.end_session(session, row)
    request.state.console_session = None
    response = redirect(request, "/console/login", "Logged out.")
    response.delete_cookie(auth.COOKIE, path=auth.COOKIE_PATH)
    return response


@_public.get("/")
def home() -> Response:
    return RedirectResponse("/console/review", status_code=303)


# ---------------------------------------------------------------- review


@_pages.get("/review")
def review_page(request: Request, session: SessionDep) -> Response:
    return render(request, "console/review.html", nav="review", review=views.review(session))


@_pages.post("/documents/{document_id}/{decision}")
def decide_doc(
    request: Request,
    actor: WriterDep,
    doc: AdminDocument,
    session: SessionDep,
    decision: str,
) -> Response:
    if decision not in ("release", "discard"):
        raise ServiceError("not_found", f"no decision {decision!r}")

    def done() -> str:
        job = decide_document(session, doc, decision == "release", actor=actor)
        return f"Document {doc.id} {doc.status}; job {job.id} is {job.status}."

    return act(request, "/console/review", done)


@_pages.post("/adapters/{adapter_id}/{decision}")
def decide_adapter(
    request: Request,
    actor: WriterDep,
    version: AdminAdapter,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    decision: str,
) -> Response:
    if decision not in ("approve", "reject"):
        raise ServiceError("not_found", f"no decision {decision!r}")

    def done() -> str:
        decide_version(session, version, decision == "approve", store, settings, actor=actor)
        verb = "is now active" if decision == "approve" else "was rejected"
        return f"{version.name} {verb}."

    return act(request, "/console/review", done)


@_pages.post("/policies/{policy_id}/{decision}")
def decide_policy(
    request: Request,
    actor: WriterDep,
    version: AdminPolicy,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    decision: str,
    back: Annotated[str, Form()] = "",
) -> Response:
    if decision not in ("approve", "reject"):
        raise ServiceError("not_found", f"no decision {decision!r}")

    def done() -> str:
        decide_version(session, version, decision == "approve", store, settings, actor=actor)
        assert isinstance(version, PolicyVersion)
        verb = f"now writes the self-edits of {version.scope}" if decision == "approve" else ""
        return f"Policy {version.name} {verb or 'was rejected'}."

    return act(request, _console_path(back), done)


# ---------------------------------------------------------------- tenants


@_pages.get("/tenants")
def tenants_page(
    request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=10**6)] = 1
) -> Response:
    rows, total = views.tenants(session, page)
    return render(
        request,
        "console/tenants.html",
        nav="tenants",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // views.PAGE)),
    )


@_pages.post("/tenants")
def create_tenant(
    request: Request,
    actor: WriterDep,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    rows, total = views.tenants(session, 1)
    context = {"nav": "tenants", "rows": rows, "total": total, "page": 1}
    context["pages"] = max(1, -(-total // views.PAGE))
    try:
        body = TenantCreate(name=name.strip())
        tenant, key = add_tenant(session, body.name, None, actor=actor)
    except ValidationError as exc:
        flash = {"kind": "error", "text": problems(exc)}
        return render(request, "console/tenants.html", 422, flash=flash, name=name, **context)
    except ServiceError as exc:
        flash = {"kind": "error", "text": exc.message}
        return render(
            request, "console/tenants.html", exc.status_code, flash=flash, name=name, **context
        )
    return render(
        request,
        "console/tenant.html",
        201,
        nav="tenants",
        detail=views.tenant_detail(session, tenant),
        new_key=key,
        flash={"kind": "ok", "text": f"Tenant {tenant.name} created."},
    )


@_pages.get("/tenants/{tenant_id}")
def tenant_page(request: Request, tenant: AdminTenant, session: SessionDep) -> Response:
    return render(
        request, "console/tenant.html", nav="tenants", detail=views.tenant_detail(session, tenant)
    )


@_pages.post("/tenants/{tenant_id}/policy")
async def edit_policy(
    request: Request, actor: WriterDep, tenant: AdminTenant, session: SessionDep
) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    changes, form_problems = views.parse_policy_form(form)

    def apply() -> str | None:
        if form_problems:
            return "; ".join(form_problems)
        try:
            change_policy(session, tenant, changes, actor=actor)
        except ValidationError as exc:
            return problems(exc, "policy.")
        return None

    error = await asyncio.to_thread(apply)
    if error is None:
        return redirect(request, f"/console/tenants/{tenant.id}", "Policy saved.")
    posted = {**changes, "pii_entities": form.get("pii_entities", "")}
    detail = await asyncio.to_thread(views.tenant_detail, session, tenant, posted)
    return render(
        request,
        "console/tenant.html",
        422,
        nav="tenants",
        detail=detail,
        flash={"kind": "error", "text": f"Nothing was saved: {error}"},
    )


@_pages.post("/tenants/{tenant_id}/rotate-key")
def rotate_key(
    request: Request, actor: WriterDep, tenant: AdminTenant, session: SessionDep
) -> Response:
    key = rotate_tenant_key(session, tenant, actor=actor)
    return render(
        request,
        "console/tenant.html",
        nav="tenants",
        detail=views.tenant_detail(session, tenant),
        new_key=key,
        flash={"kind": "ok", "text": "New key issued; the old one is refused from now on."},
    )


@_pages.post("/tenants/{tenant_id}/disable")
def disable(
    request: Request, actor: WriterDep, tenant: AdminTenant, session: SessionDep
) -> Response:
    def done() -> str:
        cancelled = disable_tenant(session, tenant, actor=actor)
        return f"Tenant {tenant.name} disabled; {len(cancelled)} unfinished job(s) cancelled."

    return act(request, f"/console/tenants/{tenant.id}", done)


@_pages.post("/tenants/{tenant_id}/enable")
def enable(
    request: Request, actor: WriterDep, tenant: AdminTenant, session: SessionDep
) -> Response:
    def done() -> str:
        enable_tenant(session, tenant, actor=actor)
        return f"Tenant {tenant.name} enabled."

    return act(request, f"/console/tenants/{tenant.id}", done)


# ---------------------------------------------------------------- adapters


@_pages.get("/adapters")
def adapters_page(
    request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=10**6)] = 1
) -> Response:
    rows, total = views.tenants(session, page)
    return render(
        request,
        "console/adapters.html",
        nav="adapters",
        rows=rows,
        page=page,
        pages=max(1, -(-total // views.PAGE)),
    )


@_pages.get("/adapters/{tenant_id}")
def lineage_page(
    request: Request,
    tenant: AdminTenant,
    session: SessionDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    return render(
        request,
        "console/lineage.html",
        nav="adapters",
        lineage=views.lineage(session, tenant, before),
    )


@_pages.post("/tenants/{tenant_id}/rollback")
def rollback(
    request: Request,
    actor: WriterDep,
    tenant: AdminTenant,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    version: Annotated[str, Form()] = "",
) -> Response:
    def done() -> str:
        target = _optional_id(version, "version")
        rollback_tenant(session, tenant, target, store, settings, actor=actor)
        active = views.active_versions_of(session, [tenant.id]).get(tenant.id)  # type: ignore[list-item, arg-type]
        now = f"v{active.version}" if active else "the base model"
        return f"{tenant.name} now serves {now}."

    return act(request, f"/console/adapters/{tenant.id}", done)


def _optional_id(raw: str, name: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ROW_ID:
        raise ServiceError("validation_error", f"`{name}` must be a positive number; got {raw!r}")
    return int(raw)


# ---------------------------------------------------------------- jobs


@_pages.get("/jobs")
def jobs_page(
    request: Request,
    session: SessionDep,
    status: Annotated[str | None, Query(max_length=32)] = None,
    tenant_id: Annotated[str | None, Query(max_length=20)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    status = status if status in views.JOB_STATES else None
    tid = _optional_id(tenant_id or "", "tenant_id")
    rows, older = views.jobs(session, status=status, tenant_id=tid, before_id=before_id)
    return render(
        request,
        "console/jobs.html",
        nav="jobs",
        rows=rows,
        older=older,
        status=status or "",
        tenant_id=tid or "",
        states=views.JOB_STATES,
        newest=views.newest_job_id(session),
        live=before_id is None,
    )


POLL_S = 1.0
STREAM_MAX_S = 300.0  # then the browser's EventSource reconnects (a fresh session check)
HEARTBEAT_S = 15.0


async def job_updates(
    request: Request,
    engine: Engine,
    session_id: int,
    ids: list[int],
    newest: int,
    *,
    poll_s: float | None = None,
    max_s: float | None = None,
) -> AsyncIterator[str]:
    """Server-sent events for the jobs a page shows: ``job`` when one's status or progress
    changed, ``newest`` when jobs were created since, ``logout`` when the session ended. Each poll
    opens its own short session: no connection is held while waiting."""

    def poll() -> tuple[bool, dict[int, tuple[str, float, str]], int]:
        with Session(engine) as s:
            row = s.get(ConsoleSession, session_id)
            alive = row is not None and row.ended_at is None and row.expires_at > utcnow()
            return alive, views.job_states(s, ids), views.newest_job_id(s)

    poll_s = POLL_S if poll_s is None else poll_s
    max_s = STREAM_MAX_S if max_s is None else max_s
    loop = asyncio.get_running_loop()
    started = beat = loop.time()
    known: dict[int, tuple[str, float, str]] = {}
    yield "retry: 3000\n\n"
    while loop.time() - started < max_s:
        if await request.is_disconnected():
            return
        alive, states, latest = await asyncio.to_thread(poll)
        if not alive:
            yield "event: logout\ndata: {}\n\n"
            return
        for job_id, state in states.items():
            if known.get(job_id) != state:
                known[job_id] = state
                data = {"id": job_id, "status": state[0], "progress": state[1]}
                yield f"event: job\ndata: {json.dumps({**data, 'updated_at': state[2]})}\n\n"
        if latest > newest:
            newest = latest
            yield f"event: newest\ndata: {json.dumps({'id': latest})}\n\n"
        if loop.time() - beat > HEARTBEAT_S:
            beat = loop.time()
            yield ": ping\n\n"
        await asyncio.sleep(poll_s)


@_pages.get("/jobs/stream")
async def jobs_stream(
    request: Request,
    session: SessionDep,
    row: ConsoleSessionDep,
    ids: Annotated[str, Query(max_length=2000)] = "",
    newest: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> Response:
    wanted = [int(i) for i in ids.split(",") if i.strip().isdigit()][:100]
    engine = session.get_bind()
    # The session checked the cookie; it gives its connection back before the stream starts.
    session.close()
    return StreamingResponse(
        job_updates(request, engine, row.id, wanted, newest),  # type: ignore[arg-type]
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@_pages.get("/jobs/{job_id}")
def job_page(request: Request, job_id: RowId, session: SessionDep) -> Response:
    return render(request, "console/job.html", nav="jobs", detail=views.job_detail(session, job_id))


# ---------------------------------------------------------------- policy rounds


@_pages.get("/rounds")
def rounds_page(
    request: Request,
    session: SessionDep,
    scope: Annotated[str | None, Query(max_length=32)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    return render(
        request,
        "console/rounds.html",
        nav="rounds",
        data=views.rounds(session, scope or None, before_id),
        scope=scope or "",
    )


@_pages.post("/rounds")
def start_round_action(
    request: Request,
    actor: WriterDep,
    session: SessionDep,
    tenant_id: Annotated[str, Form()] = "",
    contexts: Annotated[str, Form()] = "",
    k: Annotated[str, Form()] = "",
    heldout: Annotated[str, Form()] = "",
) -> Response:
    def done() -> str:
        config = {
            name: value
            for name, value in (
                ("contexts", _optional_id(contexts, "contexts")),
                ("k", _optional_id(k, "k")),
                ("heldout", _optional_id(heldout, "heldout")),
            )
            if value is not None
        }
        rnd = start_round(session, _optional_id(tenant_id, "tenant_id"), None, config, actor=actor)
        return f"Round {rnd.id} queued for {rnd.scope}."

    return act(request, "/console/rounds", done)


@_pages.get("/rounds/{round_id}")
def round_page(
    request: Request,
    round_id: RowId,
    session: SessionDep,
    split: Annotated[str | None, Query(pattern="^(train|heldout)?$")] = None,
    kept: Annotated[str | None, Query(pattern="^(yes|no)?$")] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    kept_flag = {"yes": True, "no": False}.get(kept or "")
    detail = views.round_detail(
        session, round_id, split=split or None, kept=kept_flag, offset=offset
    )
    return render(
        request,
        "console/round.html",
        nav="rounds",
        detail=detail,
        split=split or "",
        kept=kept or "",
        page=views.PAGE,
    )


@_pages.post("/policy/rollback")
def policy_rollback(
    request: Request,
    actor: WriterDep,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    tenant_id: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    def done() -> str:
        scope, target = rollback_scope(
            session,
            _optional_id(tenant_id, "tenant_id"),
            _optional_id(version, "version"),
            store,
            settings,
            actor=actor,
        )
        return f"{scope} now uses {target.name if target else 'the base model'}."

    return act(request, "/console/rounds", done)


# ---------------------------------------------------------------- audit


@_pages.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    params = {k: v for k, v in request.query_params.items() if k != "before_id"}
    filt, filter_problems = views.audit_filter(params)
    rows, older = views.audit(session, filt, before_id)
    return render(
        request,
        "console/audit.html",
        nav="audit",
        rows=rows,
        older=older,
        params=params,
        actions=ACTIONS,
        families=views.AUDIT_FAMILIES,
        actor_kinds=ACTOR_KINDS,
        flash={"kind": "error", "text": "; ".join(filter_problems)} if filter_problems else None,
    )


router = APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)
router.add_api_route("", home, methods=["GET"])
router.include_router(_public)
router.include_router(_pages)
