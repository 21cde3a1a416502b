"""Following a teach job: its events as lines, its state and progress as a bar, until it ends or
waits for a person (an admin's approval, or the review of a quarantined document)."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from cli import render
from cli.client import Client
from cli.exits import OUTCOME, Exit


def follow_job(client: Client, job_id: int, console: Console, poll_s: float) -> dict[str, Any]:
    """Poll until the job reaches a state in ``OUTCOME``; returns the job as last read."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn(f"job {job_id}"),
        TextColumn("[bold]{task.description:<17}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    after = 0
    with progress:
        task = progress.add_task("queued", total=1.0)
        while True:
            # The job first, then its events: the event of the state just read was committed
            # with it, so the last state's event is always printed before the loop ends.
            job = client.get(f"/v1/jobs/{job_id}")
            for event in client.get(f"/v1/jobs/{job_id}/events", after=after):
                progress.console.print(render.event_line(event))
                after = event["id"]
            progress.update(task, description=job["status"], completed=job["progress"])
            if job["status"] in OUTCOME:
                return job
            time.sleep(poll_s)


def adapter_of(client: Client, job: dict[str, Any]) -> dict[str, Any] | None:
    """The version the job registered (a rejected one too: its gate report says why)."""
    if job["status"] in ("quarantined", "cancelled"):
        return None
    return next((a for a in client.get("/v1/adapters") if a.get("job_id") == job["id"]), None)


def outcome_lines(job: dict[str, Any], adapter: dict[str, Any] | None) -> list[Text]:
    """The headline of how the job ended, what to do next, and the gate summary."""
    state, error = job["status"], job.get("error") or {}
    name = adapter["name"] if adapter else "the new version"
    lines: list[Text]
    if state == "promoted":
        lines = [Text.assemble(("promoted: ", "bold green"), f"{name} is now active")]
    elif state == "awaiting_approval":
        hint = f"seal approve {adapter['id']}" if adapter else "seal review"
        lines = [
            Text.assemble(
                ("awaiting approval: ", "bold yellow"), f"{name} waits for an admin ({hint})"
            )
        ]
    elif state == "quarantined":
        lines = [
            Text.assemble(
                ("quarantined: ", "bold yellow"),
                "the job waits for an admin to release or discard these documents "
                f"(seal review; then `seal follow {job['id']}`):",
            )
        ]
        for doc in job.get("documents") or []:
            if doc.get("status") == "quarantined":
                kinds = sorted({str(f.get("kind")) for f in doc.get("findings") or []})
                lines.append(
                    Text(f"  document {doc['id']} ({doc.get('title') or 'untitled'}): ")
                    + Text(", ".join(kinds), "yellow")
                )
    else:
        lines = [
            Text.assemble(
                (f"{state}: ", "bold red"),
                str(error.get("message") or "no reason given"),
                (f" [{error['code']}]" if error.get("code") else "", "dim"),
            )
        ]
    gate_lines = render.gates(adapter.get("eval_report") if adapter else None)
    if gate_lines:
        lines.append(Text(f"gates of {name}:", "bold"))
        lines += gate_lines
    return lines


def exit_code(job: dict[str, Any]) -> Exit:
    return OUTCOME.get(job["status"], Exit.OK)
