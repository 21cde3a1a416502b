"""Console page speed: each admin page's server time with 100 tenants, 1,000 jobs and 10,000 job
events (plus their documents, versions, rounds and 10,000 audit rows) in PostgreSQL.

A fresh database (``seal_console_bench`` on the test server, dropped and created; the tests'
tables are untouched) is filled with ``api.console.demo.seed_scale``; the app runs in-process with
its session bound to it, and a thin ASGI wrapper times each request from its first byte in to its
last byte out (the handler, the middleware and the template: the server's time, no network).

Usage: python bench/console.py [--pg postgresql://postgres@127.0.0.1:5432/test] [-n 30]
Writes bench/results/console.json: {"pages": {name: {"p50_ms", "p95_ms", "n"}}, "data", ...}.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from typing import Any

from common import machine, print_table, write_json

TARGET_MS = 300
BENCH_DB = "seal_console_bench"
ADMIN_KEY = "bench-admin-key"


class Timed:
    """ASGI wrapper: the server-side time of each HTTP request, in seconds."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last: float | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last = time.perf_counter() - started

        await self.app(scope, receive, timed_send)


def fresh_database(server_url: str) -> str:
    """Drop and create the benchmark's own database; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return server_url.rsplit("/", 1)[0] + f"/{BENCH_DB}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("-n", type=int, default=30, help="timed requests per page")
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.update(
        SEAL_DATA_DIR=tempfile.mkdtemp(prefix="seal-console-bench-"),
        SEAL_ADMIN_KEY=ADMIN_KEY,
        SEAL_VLLM_URL="",
    )
    from fastapi.testclient import TestClient
    from sqlmodel import Session, SQLModel, func, select

    import adapter_store.models as m
    from api.console.demo import seed_scale
    from api.deps import get_session
    from api.main import create_app
    from core.db import make_engine

    url = fresh_database(args.pg)
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    t0 = time.perf_counter()
    with Session(engine, expire_on_commit=False) as s:
        seed_scale(s, tenants=args.tenants, jobs=args.jobs, events=args.events)
    seed_s = time.perf_counter() - t0
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    with Session(engine) as s:
        counts = {
            table: s.exec(select(func.count()).select_from(model)).one()
            for table, model in (
                ("tenants", m.Tenant),
                ("jobs", m.Job),
                ("job_events", m.JobEvent),
                ("documents", m.Document),
                ("adapter_versions", m.AdapterVersion),
                ("self_edits", m.SelfEditRecord),
                ("policy_rounds", m.PolicyRound),
                ("policy_samples", m.PolicySample),
                ("audit_events", m.AuditEvent),
            )
        }
        busiest = s.exec(
            select(m.AdapterVersion.tenant_id, func.count())
            .group_by(m.AdapterVersion.tenant_id)
            .order_by(func.count().desc())
        ).first()
        tenant_id = busiest[0] if busiest else 1
        job_id = s.exec(select(func.max(m.Job.id))).one()
        round_id = s.exec(select(func.max(m.PolicyRound.id))).one()
        mid_audit = s.exec(select(func.max(m.AuditEvent.id))).one() // 2

    app = create_app()

    def session():  # type: ignore[no-untyped-def]
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = session
    timed = Timed(app)
    pages = {
        "login": "/console/login",
        "review": "/console/review",
        "tenants": "/console/tenants",
        "tenants (page 2)": "/console/tenants?page=2",
        "tenant": f"/console/tenants/{tenant_id}",
        "adapters": "/console/adapters",
        "lineage": f"/console/adapters/{tenant_id}",
        "jobs": "/console/jobs",
        "jobs (promoted)": "/console/jobs?status=promoted",
        "jobs (tenant)": f"/console/jobs?tenant_id={tenant_id}",
        "job": f"/console/jobs/{job_id}",
        "rounds": "/console/rounds",
        "round": f"/console/rounds/{round_id}",
        "audit": "/console/audit",
        "audit (filtered)": f"/console/audit?action=tenant.&tenant_id={tenant_id}",
        "audit (older)": f"/console/audit?before_id={mid_audit}",
    }
    results: dict[str, dict[str, Any]] = {}
    with TestClient(timed) as client:
        login = client.post("/console/login", data={"key": ADMIN_KEY}, follow_redirects=False)
        assert login.status_code == 303, login.text
        for name, path in pages.items():
            if name == "login":
                client.cookies.clear()
            times = []
            for i in range(args.n + 3):
                resp = client.get(path)
                assert resp.status_code == 200, (path, resp.status_code, resp.text[:500])
                if i >= 3:  # warm-up: template compilation, the first connections
                    times.append(timed.last * 1000)  # type: ignore[operator]
            results[name] = {
                "path": path,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "max_ms": round(max(times), 1),
                "n": len(times),
                "bytes": len(resp.content),
            }
            if name == "login":
                client.post("/console/login", data={"key": ADMIN_KEY})
    engine.dispose()

    print_table(
        ["page", "p50 ms", "p95 ms", "max ms", "n", "KB"],
        [
            [k, v["p50_ms"], v["p95_ms"], v["max_ms"], v["n"], round(v["bytes"] / 1024, 1)]
            for k, v in results.items()
        ],
    )
    worst = max(v["p95_ms"] for v in results.values())
    print(f"\nslowest p95 {worst} ms (target {TARGET_MS} ms); data: {counts}")
    path = write_json(
        "console.json",
        {
            "pages": results,
            "data": {**counts, "seed_s": round(seed_s, 1)},
            "target_ms": TARGET_MS,
            "meets_target": worst < TARGET_MS,
            "database": f"PostgreSQL ({BENCH_DB})",
            "method": "in-process; an ASGI wrapper times each request from its first byte in to "
            "its last byte out; 3 warm-up requests per page, then n timed",
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "machine": machine(),
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
