"""The ``seal`` command: tenants teach and query, admins create tenants and review.

Each command is one or two API calls and a rendering; the API's errors become exit codes
(``cli.exits``) with the server's own message."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from cli import render
from cli.client import ApiError, Client
from cli.config import ConfigError, load_config
from cli.documents import DocumentError, load_documents
from cli.exits import Exit, help_table
from cli.follow import adapter_of, exit_code, follow_job, outcome_lines

app = typer.Typer(
    name="seal",
    help=(
        "Teach the SEAL service new knowledge and query it; review what it learns.\n\n"
        "The service's URL comes from SEAL_URL, the tenant key from SEAL_API_KEY and the admin "
        "key from SEAL_ADMIN_KEY, or from `url`, `api_key` and `admin_key` in "
        "~/.config/seal/config.toml (SEAL_CONFIG names another file). Every command takes "
        "--json to print the API's JSON for scripts."
    ),
    epilog=help_table(),
    no_args_is_help=True,
    add_completion=False,
    # A traceback with locals would print the keys; unexpected errors stay plain.
    pretty_exceptions_enable=False,
)
tenants_app = typer.Typer(help="Tenants (admin key).", no_args_is_help=True)
app.add_typer(tenants_app, name="tenants")

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON to stdout (progress, if any, to stderr).")
]
P = ParamSpec("P")


# ---------------------------------------------------------------- plumbing


def _out() -> Console:
    # Made per call, not at import: a test runner swaps sys.stdout between invocations.
    return Console(highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


class UsageProblem(Exception):
    """A usage error found after parsing (Typer's own are raised before the command runs)."""


def _client(admin: bool = False) -> Client:
    config = load_config()
    return Client(config.url, config.admin() if admin else config.tenant_key())


def _wait(seconds: float) -> None:
    time.sleep(seconds)


def handles_errors(fn: Callable[P, None]) -> Callable[P, None]:
    """An error ends the command with its exit code and a message on stderr (with --json, also
    as ``{"error": ...}`` on stdout, so a script reading stdout sees it). API errors carry the
    server's message; a missing key or a broken input file is a usage error."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except ApiError as exc:
            status = f" (HTTP {exc.status})" if exc.status else ""
            _fail(exc, f" [{exc.code}]{status}", bool(kwargs.get("json_out")))
            raise typer.Exit(exc.exit_code) from None
        except (ConfigError, DocumentError, UsageProblem) as exc:
            error = ApiError("usage_error", str(exc))
            _fail(error, "", bool(kwargs.get("json_out")), "usage error: ")
            raise typer.Exit(Exit.USAGE) from None

    return wrapper


def _fail(exc: ApiError, detail: str, json_out: bool, label: str = "error: ") -> None:
    if json_out:
        _print_json(exc.as_dict())
    _err().print(Text.assemble((label, "bold red"), exc.message, (detail, "dim")))


def _show(data: Any, json_out: bool, human: Callable[[Console], None]) -> None:
    if json_out:
        _print_json(data)
    else:
        human(_out())


# ---------------------------------------------------------------- tenants (admin)


@tenants_app.command("create")
@handles_errors
def tenants_create(
    name: Annotated[str, typer.Argument(help="The tenant's name (letters, digits, space, . _ -).")],
    policy: Annotated[
        str | None,
        typer.Option(help="Policy as JSON, e.g. '{\"auto_promote\": false}' (docs/api.md)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Create a tenant. Its API key is shown once, now; it is stored hashed."""
    body: dict[str, Any] = {"name": name}
    if policy is not None:
        try:
            body["policy"] = json.loads(policy)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"not valid JSON ({exc.msg})", param_hint="--policy") from None
        if not isinstance(body["policy"], dict):
            raise typer.BadParameter("must be a JSON object", param_hint="--policy")
    tenant = _client(admin=True).post("/v1/admin/tenants", body)

    def human(out: Console) -> None:
        out.print(render.tenants_table([tenant]))
        out.print("API key (shown once; store it now):", style="bold yellow")
        # Plain and unwrapped: the key must survive a copy and paste whole.
        typer.echo(tenant["api_key"])

    _show(tenant, json_out, human)


@tenants_app.command("list")
@handles_errors
def tenants_list(json_out: JsonOpt = False) -> None:
    """List tenants."""
    rows = _client(admin=True).get("/v1/admin/tenants")
    _show(rows, json_out, lambda out: out.print(render.tenants_table(rows)))


# ---------------------------------------------------------------- teaching (tenant key)


def _report(client: Client, job: dict[str, Any], json_out: bool) -> Exit:
    adapter = adapter_of(client, job)
    code = exit_code(job)
    if json_out:
        _print_json({"job": job, "adapter": adapter, "exit_code": int(code)})
    else:
        out = _out()
        for line in outcome_lines(job, adapter):
            out.print(line)
    return code


def _follow(client: Client, job_id: int, json_out: bool, poll: float) -> None:
    # With --json the bar and the event lines go to stderr: stdout holds one JSON object.
    console = _err() if json_out else _out()
    try:
        job = follow_job(client, job_id, console, poll)
    except KeyboardInterrupt:
        _err().print(f"stopped following job {job_id}; it goes on (seal follow {job_id})")
        raise typer.Exit(Exit.INTERRUPTED) from None
    raise typer.Exit(_report(client, job, json_out))


PollOpt = Annotated[
    float, typer.Option("--poll", min=0.01, help="Seconds between polls while following.")
]


@app.command()
@handles_errors
def teach(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            exists=True,
            dir_okay=False,
            readable=True,
            help='.txt/.md: one document each (title: the file name); .json: {"documents": '
            "[...]}, a list of documents or one {title?, text, questions?}.",
        ),
    ],
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Follow the job until it ends.")
    ] = False,
    idempotency_key: Annotated[
        str | None,
        typer.Option(help="Send it again with the same key and the first job is returned."),
    ] = None,
    poll: PollOpt = 1.0,
    json_out: JsonOpt = False,
) -> None:
    """Teach documents to your adapter; with --follow, show the job's progress and outcome."""
    documents = load_documents(files)
    client = _client()
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
    accepted = client.post("/v1/knowledge", {"documents": documents}, headers=headers)
    if not follow:
        _show(
            accepted,
            json_out,
            lambda out: out.print(
                f"job {accepted['job_id']} is {accepted['status']} "
                f"({len(documents)} document(s)); follow it: seal follow {accepted['job_id']}"
            ),
        )
        return
    if not json_out:
        _out().print(f"job {accepted['job_id']}: {len(documents)} document(s)")
    _follow(client, accepted["job_id"], json_out, poll)


@app.command("follow")
@handles_errors
def follow_cmd(
    job_id: Annotated[int, typer.Argument(min=1, help="The job's id.")],
    poll: PollOpt = 1.0,
    json_out: JsonOpt = False,
) -> None:
    """Follow a job until it ends or waits for an admin (exit codes as for teach --follow)."""
    _follow(_client(), job_id, json_out, poll)


@app.command()
@handles_errors
def jobs(
    status: Annotated[str | None, typer.Option(help="Only jobs in this state.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="At most this many.")] = 50,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Refresh until Ctrl-C.")] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between refreshes.")] = 2.0,
    json_out: JsonOpt = False,
) -> None:
    """Your jobs, newest first."""
    if watch and json_out:
        raise UsageProblem("--watch redraws a table for people; use --json without it")
    client = _client()

    def fetch() -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = client.get("/v1/jobs", status=status, limit=limit)
        return rows

    rows = fetch()
    if not watch:
        _show(rows, json_out, lambda out: out.print(render.jobs_table(rows)))
        return
    caption = f"every {interval:g} s; Ctrl-C to stop"
    table = render.jobs_table(rows)
    table.caption = caption
    with Live(table, console=_out(), auto_refresh=False) as live:
        try:
            while True:
                _wait(interval)
                table = render.jobs_table(fetch())
                table.caption = caption
                live.update(table, refresh=True)
        except KeyboardInterrupt:
            pass  # the way a watch ends: success


@app.command()
@handles_errors
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    model: Annotated[
        str, typer.Option(help="Empty: your adapter (or the base model outside its scope); `base`.")
    ] = "",
    max_tokens: Annotated[int | None, typer.Option(min=1, help="Length of the answer.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Ask a question; shows the answer and which adapter gave it."""
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": question}]}
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    # A query on a CPU model server can take minutes.
    client = _client()
    resp = client.request("POST", "/v1/chat/completions", json=body, timeout=300.0)
    completion = client.json(resp)
    choices = completion.get("choices") or [{}]
    answer = (choices[0].get("message") or {}).get("content") or ""
    served = {
        "adapter": resp.headers.get("X-Adapter"),
        "route": resp.headers.get("X-Route"),
        "route_score": resp.headers.get("X-Route-Score"),
    }
    if json_out:
        _print_json({"answer": answer, **served, "completion": completion})
        return
    out = _out()
    out.print(Text(answer.strip()))
    score = f", score {served['route_score']}" if served["route_score"] else ""
    out.print(Text(f"— answered by {served['adapter']} (route: {served['route']}{score})", "dim"))


@app.command()
@handles_errors
def adapters(json_out: JsonOpt = False) -> None:
    """Your adapter versions, which one is active (*), and their gates."""
    rows = _client().get("/v1/adapters")
    _show(rows, json_out, lambda out: out.print(render.adapters_table(rows)))


# ---------------------------------------------------------------- review and rollback (admin)


def _tenant_id(client: Client, tenant: str) -> int:
    """A tenant by id or by name (names are unique)."""
    if tenant.isdigit():
        return int(tenant)
    for row in client.get("/v1/admin/tenants"):
        if row["name"] == tenant:
            return int(row["id"])
    raise ApiError("not_found", f"tenant {tenant!r} not found", 404)


@app.command()
@handles_errors
def rollback(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant id or name.")],
    version: Annotated[
        int | None,
        typer.Argument(min=1, help="Version to serve; default: the previous ready one or base."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Move a tenant's active adapter back (admin)."""
    client = _client(admin=True)
    tid = _tenant_id(client, tenant)
    body = {"version": version} if version is not None else None
    row = client.post(f"/v1/admin/tenants/{tid}/rollback", body)
    serving = f"version {row['active_version']}" if row.get("active_version") else "the base model"
    _show(
        row, json_out, lambda out: out.print(f"{row['name']} (tenant {tid}) now serves {serving}")
    )


@app.command()
@handles_errors
def review(json_out: JsonOpt = False) -> None:
    """What waits for an admin: quarantined documents, adapter and policy versions (admin)."""
    queue = _client(admin=True).get("/v1/admin/review")
    _show(queue, json_out, lambda out: out.print(render.review(queue)))


PolicyOpt = Annotated[
    bool, typer.Option("--policy", help="ID is a self-edit policy version, not an adapter.")
]
VersionId = Annotated[int, typer.Argument(min=1, help="The version's id (from `seal review`).")]


DONE = {"approve": "approved", "reject": "rejected"}


def _decide(version_id: int, decision: str, policy: bool, json_out: bool) -> None:
    path = (
        f"/v1/admin/policy/versions/{version_id}/{decision}"
        if policy
        else f"/v1/admin/adapters/{version_id}/{decision}"
    )
    row = _client(admin=True).post(path)
    what = f"policy {row['name']} ({row['scope']})" if policy else f"adapter {row['name']}"
    state = "now active" if row.get("active") or row.get("status") == "active" else row["status"]

    def human(out: Console) -> None:
        out.print(Text(f"{DONE[decision]} {what}, id {row['id']}: {state}"))

    _show(row, json_out, human)


@app.command()
@handles_errors
def approve(version_id: VersionId, policy: PolicyOpt = False, json_out: JsonOpt = False) -> None:
    """Approve a version awaiting approval: it becomes active (admin)."""
    _decide(version_id, "approve", policy, json_out)


@app.command()
@handles_errors
def reject(version_id: VersionId, policy: PolicyOpt = False, json_out: JsonOpt = False) -> None:
    """Reject a version awaiting approval; the active one keeps serving (admin)."""
    _decide(version_id, "reject", policy, json_out)


DocumentId = Annotated[int, typer.Argument(min=1, help="The document's id (from `seal review`).")]


def _document(document_id: int, decision: str, json_out: bool) -> None:
    row = _client(admin=True).post(f"/v1/admin/documents/{document_id}/{decision}")
    _show(
        row,
        json_out,
        lambda out: out.print(
            f"document {row['id']} {row['status']}; job {row['job_id']} is {row['job_status']}"
        ),
    )


@app.command()
@handles_errors
def release(document_id: DocumentId, json_out: JsonOpt = False) -> None:
    """Release a quarantined document: it will be trained on (admin)."""
    _document(document_id, "release", json_out)


@app.command()
@handles_errors
def discard(document_id: DocumentId, json_out: JsonOpt = False) -> None:
    """Discard a quarantined document: it is never trained on (admin)."""
    _document(document_id, "discard", json_out)


def main() -> None:
    """The console script."""
    app(prog_name="seal")
