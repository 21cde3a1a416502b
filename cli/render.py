"""Rich renderings of the API's replies. Every value from the server is wrapped in ``Text``:
a title such as "[red]" is data, not Rich markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

STATUS_STYLE = {
    "promoted": "green",
    "ready": "green",
    "active": "green",
    "accepted": "green",
    "awaiting_approval": "yellow",
    "quarantined": "yellow",
    "rejected": "red",
    "failed": "red",
    "cancelled": "red",
    "discarded": "red",
}


def text(value: Any, style: str = "") -> Text:
    return Text("" if value is None else str(value), style=style)


def status(value: str | None) -> Text:
    return text(value, STATUS_STYLE.get(value or "", "cyan"))


def when(value: str | None) -> str:
    """A timestamp to the second, as the server stored it (UTC)."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return value


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(*columns, title=title, title_justify="left", header_style="bold")
    return table


def tenants_table(rows: list[dict[str, Any]]) -> Table:
    table = _table("id", "name", "key prefix", "active version", "disabled", "created")
    for t in rows:
        table.add_row(
            text(t["id"]),
            text(t["name"]),
            text(t.get("key_prefix")),
            text(t.get("active_version") or "base"),
            text(when(t.get("disabled_at")) or "no"),
            text(when(t.get("created_at"))),
        )
    return table


def jobs_table(rows: list[dict[str, Any]]) -> Table:
    table = _table("id", "status", "progress", "version", "created", "updated", "error")
    for j in rows:
        error = j.get("error") or {}
        table.add_row(
            text(j["id"]),
            status(j["status"]),
            text(percent(j.get("progress"))),
            text(j.get("adapter_version")),
            text(when(j.get("created_at"))),
            text(when(j.get("updated_at"))),
            text(error.get("code"), "red"),
        )
    return table


def gate_detail(report: dict[str, Any]) -> str:
    """One line per gate: the decision's numbers, what users get ("served") and the adapter alone."""
    if note := report.get("note"):
        return str(note)
    parts = []
    for side in ("served", "adapter"):
        r = report.get(side)
        if not isinstance(r, dict):
            continue
        if "drop" in r:
            parts.append(f"{side} drop {r['drop']:.3f}{_limit(r, 'max_drop')}")
        elif "n_regressions" in r:
            parts.append(f"{side} {r['n_regressions']} regressions{_limit(r, 'max_regressions')}")
    if not parts and "drop" in report:
        parts.append(f"drop {report['drop']:.3f}{_limit(report, 'max_drop')}")
    return ", ".join(parts)


def _limit(report: dict[str, Any], key: str) -> str:
    return f" (max {report[key]})" if report.get(key) is not None else ""


def gates(eval_report: dict[str, Any] | None) -> list[Text]:
    lines = []
    for gate in (eval_report or {}).get("gates") or []:
        ok = bool(gate.get("passed"))
        line = Text.assemble(
            ("  ✓ " if ok else "  ✗ ", "green" if ok else "red"),
            (str(gate.get("name")), "bold"),
        )
        if detail := gate_detail(gate.get("report") or {}):
            line.append(f"  {detail}")
        lines.append(line)
    return lines


def gates_short(eval_report: dict[str, Any] | None) -> Text:
    out = Text()
    for gate in (eval_report or {}).get("gates") or []:
        if out:
            out.append(" ")
        ok = bool(gate.get("passed"))
        out.append(f"{gate.get('name')} {'ok' if ok else 'FAILED'}", "green" if ok else "red")
    return out


def adapters_table(rows: list[dict[str, Any]], with_tenant: bool = False) -> Table:
    columns = ["id", *(["tenant"] if with_tenant else []), "version", "name", "status", "active"]
    table = _table(*columns, "parent", "job", "created", "gates")
    for a in rows:
        cells = [text(a["id"]), *([text(a.get("tenant_id"))] if with_tenant else [])]
        table.add_row(
            *cells,
            text(a["version"]),
            text(a["name"]),
            status(a["status"]),
            text("*" if a.get("active") else "", "green bold"),
            text(a.get("parent_version")),
            text(a.get("job_id")),
            text(when(a.get("created_at"))),
            gates_short(a.get("eval_report")),
        )
    return table


def _excerpt(value: str, limit: int = 80) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def documents_table(rows: list[dict[str, Any]]) -> Table:
    table = _table(
        "id", "tenant", "job", "title", "findings", "text", title="Quarantined documents"
    )
    for d in rows:
        kinds = sorted({f"{f.get('guard')}:{f.get('kind')}" for f in d.get("findings") or []})
        table.add_row(
            text(d["id"]),
            text(d["tenant_id"]),
            text(d["job_id"]),
            text(d.get("title")),
            text(", ".join(kinds), "yellow"),
            text(_excerpt(d.get("text") or "")),
        )
    return table


def policies_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    table = _table("id", "scope", "version", "name", "status", "round", "created", title=title)
    for p in rows:
        table.add_row(
            text(p["id"]),
            text(p["scope"]),
            text(p["version"]),
            text(p["name"]),
            status(p["status"]),
            text(p.get("round_id")),
            text(when(p.get("created_at"))),
        )
    return table


def review(queue: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = []
    if queue.get("documents"):
        parts.append(documents_table(queue["documents"]))
    if queue.get("adapters"):
        table = adapters_table(queue["adapters"], with_tenant=True)
        table.title = "Adapter versions awaiting approval"
        parts.append(table)
    if queue.get("policies"):
        parts.append(policies_table(queue["policies"], "Self-edit policies awaiting approval"))
    if not parts:
        return Text("Nothing waits for review.")
    return Group(*parts)


def event_line(event: dict[str, Any]) -> Text:
    state = str(event.get("status", ""))
    return Text.assemble(
        (when(event.get("created_at"))[11:], "dim"),  # the time of day; the date is the job's
        " ",
        (f"{state:<17}", STATUS_STYLE.get(state, "cyan")),
        (f"{percent(event.get('progress')):>4}  ", "dim"),
        str(event.get("message", "")),
    )
