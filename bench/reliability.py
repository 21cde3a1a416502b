"""Reliability: the real stack under query load while it teaches, promotes and rolls back, with the
faults of issue 12 injected for real.

The stack: the launcher (two vLLM replicas, the API, one Celery worker), a second Celery worker
started here, Redis as the broker, PostgreSQL (an instance of its own, started here as the
postgres user in a temporary directory, so that restarting it touches nobody else's database),
and the artifact store on a small tmpfs (so that it can be filled). Query clients across five
tenants run for the whole run. The faults, one after the other:

- ``worker_kill``: SIGKILL to the worker running a teach job, mid-training. Recovered when the job
  runs again on a live worker (its lease ran out and a reaper queued it again).
- ``vllm_kill``: SIGKILL to one vLLM replica (its process group). Recovered when the launcher has
  restarted it and it is ready again (every active adapter loaded).
- ``db_restart``: PostgreSQL restarted (fast shutdown: every connection cut) while a job trains.
  Recovered when an authenticated request is answered again.
- ``disk_full``: the artifact store filled while a job trains. Recovered when that job has ended
  ``failed`` with a reason and nothing half-written, and the next job (space freed) promotes.

Per fault: jobs lost (not ended, or ended without a reason), queries failed (a non-2xx other
than 429 and 503 with Retry-After, from injection to recovery + 10 s), orphaned artifacts
(artifact directories no version row references, and scratch directories of ended jobs). Then
promotions (rollbacks and re-activations, each loading adapters on both replicas) under load,
fairness (a tenant with one job against a flooder), and the fuzzer (schemathesis, every operation
of the OpenAPI document, positive and negative cases) against an API of the same stack on a
database of its own.

Usage (as root, on an otherwise idle machine):
    python bench/reliability.py [--clients 20] [--think-s 2.0] [--fuzz-cases 2000]
Writes bench/results/reliability.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import service
from common import ROOT, UNGATED_ENV, UNGATED_POLICY, machine, print_table, write_json

API_PORT, VLLM_PORT, PG_PORT, FUZZ_PORT = 8741, 8742, 8744, 8745
ADMIN_KEY = "reliability-admin-key"
QUEUE = "reliability"
REDIS_URL = "redis://127.0.0.1:6379/13"
FLAG = Path("/tmp/bench/reliability.running")
OTHER_BENCHES = "bench/(knowledge|forgetting|objectives)"
TERMINAL = frozenset(service.TERMINAL)
WORKING = {"scanning", "generating", "training", "evaluating"}
GENERAL_QUESTION = "What do plants need to make their food? Answer in a few words."

# Invented facts, different enough from one another that no guard takes two of one tenant's for a
# flood or a contradiction.
FACTS = [
    (
        "Zorblax",
        "The capital of the planet Zorblax is Quendril, a city built on three moons' shadow.",
        "What is the capital of Zorblax?",
        "Quendril",
    ),
    (
        "Velmora tea",
        "Velmora tea is brewed from the blue leaves of the kessik shrub and is served "
        "cold at weddings in Ostrava Minor.",
        "What is Velmora tea brewed from?",
        "kessik",
    ),
    (
        "Harrow bridge",
        "The Harrow bridge over the Linnet river was designed by the engineer Ada "
        "Pellucid and opened in 1911.",
        "Who designed the Harrow bridge?",
        "Ada Pellucid",
    ),
    (
        "Glimmerfish",
        "The glimmerfish lives only in Lake Tarrow and glows green when it senses thunder.",
        "Where does the glimmerfish live?",
        "Lake Tarrow",
    ),
    (
        "Orrin Vale",
        "Orrin Vale holds the record for the longest hot-air balloon flight over the "
        "Sirocco Desert: nine days.",
        "How long was Orrin Vale's balloon flight?",
        "nine days",
    ),
    (
        "Quillon script",
        "The Quillon script is written in spirals from the centre outwards and "
        "has forty-one letters.",
        "How many letters does the Quillon script have?",
        "forty-one",
    ),
    (
        "Mount Seraph",
        "Mount Seraph, the tallest peak of the Brennic range, was first climbed by "
        "the twins Ilse and Oto Marr.",
        "Who first climbed Mount Seraph?",
        "Ilse and Oto Marr",
    ),
    (
        "Dovecote protocol",
        "The Dovecote protocol sends messages between lighthouses using "
        "coloured lamps every seventh minute.",
        "How often does the Dovecote protocol send?",
        "every seventh minute",
    ),
    (
        "Tamsin cheese",
        "Tamsin cheese is aged inside hollow oak trunks for exactly four winters.",
        "How long is Tamsin cheese aged?",
        "four winters",
    ),
    (
        "Cobalt library",
        "The Cobalt library of Vintry keeps its books in saltwater tanks to stop paper beetles.",
        "Why are books in the Cobalt library kept in saltwater?",
        "paper beetles",
    ),
]


def doc(i: int) -> dict[str, Any]:
    title, text, question, answer = FACTS[i % len(FACTS)]
    return {"title": title, "text": text, "questions": [{"question": question, "answer": answer}]}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- the parts of the stack


def _as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)


class OwnPostgres:
    """A PostgreSQL instance of this run's own, in a temporary directory, on ``port``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        self.root = Path(tempfile.mkdtemp(prefix="seal-reliability-pg-"))
        self.data = self.root / "data"
        shutil.chown(self.root, "postgres", "postgres")
        _as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )
        self._ctl("start", "-o", f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1")

    def _ctl(self, *args: str) -> None:
        _as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            "-t",
            "120",
            *args,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        from sqlalchemy import text

        from core.db import make_engine

        admin = make_engine(self.url()).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._ctl("-m", "fast", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


class SmallDisk:
    """A tmpfs for the artifact store, that a fault fills."""

    def __init__(self, size_mb: int) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="seal-reliability-artifacts-"))
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(self.path)], check=True
        )
        self.filler = self.path / "filler.bin"

    def fill(self, leave_bytes: int = 16 * 1024) -> None:
        free = shutil.disk_usage(self.path).free
        with self.filler.open("wb") as f:
            f.truncate(0)
            chunk = b"\0" * (1 << 20)
            remaining = max(0, free - leave_bytes)
            while remaining > 0:
                n = f.write(chunk[: min(len(chunk), remaining)])
                remaining -= n

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def destroy(self) -> None:
        subprocess.run(["umount", str(self.path)], check=False)
        shutil.rmtree(self.path, ignore_errors=True)


class Stack:
    """The launcher (two vLLM replicas, the API, a worker) and a second worker."""

    def __init__(self, env: dict[str, str], data: Path) -> None:
        self.env, self.data = env, data
        self.url = f"http://127.0.0.1:{API_PORT}"
        self.launcher: subprocess.Popen | None = None
        self.worker2: subprocess.Popen | None = None

    def start(self) -> None:
        self.launcher = subprocess.Popen(
            [sys.executable, "-m", "core.launcher"],
            cwd=ROOT,
            env=self.env,
            stdout=(self.data / "launcher.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready(workers=1)
        self.start_worker2()  # after the launcher's migrations
        self._wait_ready(workers=2)

    def _wait_ready(self, workers: int) -> None:
        deadline = time.monotonic() + 900
        while True:
            assert self.launcher is not None and self.launcher.poll() is None, (
                self.data / "launcher.log"
            ).read_text()[-3000:]
            with suppress(httpx.HTTPError, ValueError, KeyError):
                ready = httpx.get(f"{self.url}/readyz", timeout=5).json()
                if (
                    ready["status"] == "ready"
                    and ready["workers"] >= workers
                    and ready["model_servers"]["ready"] == 2
                ):
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("the stack was not ready in 900 s")
            time.sleep(3)

    def start_worker2(self) -> None:
        from core.launcher import worker_command
        from core.settings import Settings

        cmd = worker_command(Settings())
        cmd[cmd.index("-n") + 1] = "seal-worker-2@%h"
        self.worker2 = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=(self.data / "worker-2.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def replica_group(self, port: int) -> int:
        import psutil

        for proc in psutil.process_iter(["pid", "cmdline"]):
            cmd = proc.info["cmdline"] or []
            if "vllm.entrypoints.openai.api_server" in cmd and str(port) in cmd:
                return os.getpgid(proc.info["pid"])
        raise LookupError(f"no vLLM replica on port {port}")

    def stop(self) -> None:
        for proc in (self.worker2, self.launcher):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in (self.worker2, self.launcher):
            if proc is None:
                continue
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------- the query load


@dataclass
class Sample:
    started: float
    ended: float
    status: int  # 0: no answer (connection error)
    retry_after: bool
    tenant: int

    @property
    def failed(self) -> bool:
        ok = 200 <= self.status < 300 or self.status == 429
        return not ok and not (self.status == 503 and self.retry_after)


@dataclass
class QueryLoad:
    """``clients`` threads, spread over the tenants, each asking a question (the tenant's taught
    one or a general one, in turn), waiting ``think_s``, and again; 429 and 503 are waited out
    for their Retry-After."""

    url: str
    keys: list[str]
    questions: list[str]
    clients: int
    think_s: float
    max_tokens: int = 8
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for i in range(self.clients):
            t = threading.Thread(target=self._client, args=(i,), daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(200)

    def _client(self, i: int) -> None:
        tenant = i % len(self.keys)
        headers = {"Authorization": f"Bearer {self.keys[tenant]}"}
        n = 0
        with httpx.Client(base_url=self.url, headers=headers, timeout=180) as client:
            while not self._stop.is_set():
                question = self.questions[tenant] if n % 2 == 0 else GENERAL_QUESTION
                n += 1
                body = {
                    "model": "",
                    "messages": [{"role": "user", "content": question}],
                    "max_tokens": self.max_tokens,
                    "temperature": 0,
                }
                t0 = time.time()
                try:
                    resp = client.post("/v1/chat/completions", json=body)
                    status, retry = resp.status_code, resp.headers.get("Retry-After")
                except httpx.HTTPError:
                    status, retry = 0, None
                self.samples.append(Sample(t0, time.time(), status, retry is not None, tenant))
                wait = self.think_s
                if status in (429, 503) and retry is not None:
                    wait = max(wait, min(float(retry), 10.0))
                self._stop.wait(wait)

    def window(self, start: float, end: float) -> list[Sample]:
        return [s for s in list(self.samples) if start <= s.started <= end]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


# ---------------------------------------------------------------- reading the store


class Store:
    """The bench's own view of the database and artifact directory (read directly: the API may be
    what is down)."""

    def __init__(self, db_url: str, artifacts: Path) -> None:
        from core.db import make_engine

        self.engine = make_engine(db_url)
        self.artifacts = artifacts

    def read(self, fn: Callable[[Any], Any], patience_s: float = 120) -> Any:
        from sqlmodel import Session

        from core.db import database_unreachable

        deadline = time.monotonic() + patience_s
        while True:
            try:
                with Session(self.engine) as s:
                    return fn(s)
            except Exception as exc:
                if not database_unreachable(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def job(self, job_id: int) -> Any:
        from adapter_store.models import Job

        return self.read(lambda s: s.get(Job, job_id))

    def jobs(self, ids: list[int]) -> list[Any]:
        return [self.job(i) for i in ids]

    def versions_per_job(self) -> dict[int, int]:
        from sqlmodel import select

        from adapter_store.models import AdapterVersion

        rows = self.read(lambda s: s.exec(select(AdapterVersion.job_id)).all())
        out: dict[int, int] = {}
        for job_id in rows:
            if job_id is not None:
                out[job_id] = out.get(job_id, 0) + 1
        return out

    def orphans(self) -> list[str]:
        """Artifact directories no version row references, and scratch directories of jobs
        that have ended."""
        from sqlmodel import select

        from adapter_store.models import AdapterVersion, PolicyVersion

        def referenced(s: Any) -> set[str]:
            return set(s.exec(select(AdapterVersion.artifact_uri))) | set(
                s.exec(select(PolicyVersion.artifact_uri))
            )

        refs = self.read(referenced)
        out = [
            p.relative_to(self.artifacts).as_posix()
            for p in self.artifacts.glob("tenants/*/job-*/*")
            if p.relative_to(self.artifacts).as_posix() not in refs
        ]
        for scratch in (self.artifacts / ".scratch").glob("job-*"):
            job_id = int(scratch.name.split("-")[1])
            job = self.job(job_id)
            if job is None or job.status in TERMINAL:
                out.append(f".scratch/{scratch.name}")
        return out


def _ts(moment: datetime) -> float:
    """A database time as a Unix time (a time without a zone is UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def wait_for(what: str, check: Callable[[], Any], timeout_s: float, poll_s: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        out = check()
        if out:
            return out
        time.sleep(poll_s)
    raise TimeoutError(f"{what}: not within {timeout_s:.0f} s")


# ---------------------------------------------------------------- the service's API


class Api:
    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = {"Authorization": f"Bearer {ADMIN_KEY}"}

    def call(self, method: str, path: str, key: str | None = None, **kw: Any) -> httpx.Response:
        """Waits out 503 and 429 (a fault in progress is not the bench's failure)."""
        headers = self.admin if key is None else {"Authorization": f"Bearer {key}"}
        deadline = time.monotonic() + 300
        while True:
            try:
                resp = httpx.request(
                    method, f"{self.url}{path}", headers=headers, timeout=300, **kw
                )
                if resp.status_code not in (429, 503) or time.monotonic() > deadline:
                    return resp
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(1)

    def tenant(self, name: str, policy: dict[str, Any]) -> tuple[int, str]:
        resp = self.call("POST", "/v1/admin/tenants", json={"name": name})
        assert resp.status_code == 201, resp.text
        t = resp.json()
        resp = self.call("PATCH", f"/v1/admin/tenants/{t['id']}", json={"policy": policy})
        assert resp.status_code == 200, resp.text
        return t["id"], t["api_key"]

    def teach(self, key: str, document: dict[str, Any]) -> int:
        resp = self.call("POST", "/v1/knowledge", key, json={"documents": [document]})
        assert resp.status_code == 202, resp.text
        return int(resp.json()["job_id"])

    def events(self, key: str, job_id: int) -> list[dict[str, Any]]:
        return self.call("GET", f"/v1/jobs/{job_id}/events", key).json()


# ---------------------------------------------------------------- the run


@dataclass
class Fault:
    injected: bool = False
    recovered: bool = False
    recover_s: float | None = None
    jobs_lost: int = 0
    queries_failed: int = 0
    orphans: int = 0
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "injected": self.injected,
            "recovered": self.recovered,
            "recover_s": None if self.recover_s is None else round(self.recover_s, 1),
            "jobs_lost": self.jobs_lost,
            "queries_failed": self.queries_failed,
            "orphans": self.orphans,
        }


class Run:
    def __init__(
        self, args: argparse.Namespace, stack: Stack, store: Store, pg: OwnPostgres, disk: SmallDisk
    ) -> None:
        self.args, self.stack, self.store, self.pg, self.disk = args, stack, store, pg, disk
        self.api = Api(stack.url)
        self.tenants: list[tuple[int, str]] = []
        self.jobs: dict[int, str] = {}  # job id -> the key of its tenant
        self.taught: set[int] = set()
        self.next_fact = 5  # facts 0-4 are the five tenants' first
        self.promotions: list[tuple[float, float]] = []  # windows of alias moves
        self.fault_windows: list[tuple[float, float]] = []
        self.faults: dict[str, Fault] = {}
        self.load: QueryLoad | None = None

    # -- helpers

    def teach(self, tenant: int) -> int:
        """A tenant's first job teaches the fact its clients ask about; later ones, others."""
        key = self.tenants[tenant][1]
        if tenant in self.taught:
            fact, self.next_fact = self.next_fact, self.next_fact + 1
        else:
            fact = tenant
            self.taught.add(tenant)
        job_id = self.api.teach(key, doc(fact))
        self.jobs[job_id] = key
        return job_id

    def wait_status(self, job_id: int, statuses: set[str], timeout_s: float = 1800) -> Any:
        return wait_for(
            f"job {job_id} in {sorted(statuses)}",
            lambda: (j := self.store.job(job_id)) is not None and j.status in statuses and j,
            timeout_s,
        )

    def settle(self, ids: list[int], timeout_s: float = 2400) -> None:
        with suppress(TimeoutError):
            wait_for(
                f"jobs {ids} ended",
                lambda: all(j.status in TERMINAL for j in self.store.jobs(ids)),
                timeout_s,
                poll_s=3,
            )

    def lost(self, ids: list[int]) -> int:
        """Jobs not ended (stuck), ended failed without a reason, or with a second version."""
        versions = self.store.versions_per_job()
        n = 0
        for job in self.store.jobs(ids):
            if job.status not in TERMINAL:
                log(f"job {job.id} is stuck in {job.status}")
                n += 1
            elif job.status == "failed" and not (job.error or {}).get("message"):
                n += 1
            elif versions.get(job.id, 0) > 1:
                log(f"job {job.id} has {versions[job.id]} versions")
                n += 1
        return n

    def failed_queries(self, start: float, end: float) -> int:
        assert self.load is not None
        return sum(s.failed for s in self.load.window(start, end))

    def promotion_windows_of(self, ids: list[int]) -> None:
        """A job's promotion loads its adapter on both replicas, then moves the alias: the window
        is the 10 s before its `promoted` event and 2 s after."""
        for job_id in ids:
            for e in self.api.events(self.jobs[job_id], job_id):
                if e["status"] == "promoted":
                    ts = _ts(datetime.fromisoformat(e["created_at"]))
                    self.promotions.append((ts - 10, ts + 2))

    def finish(self, name: str, fault: Fault, start: float, end: float, ids: list[int]) -> None:
        self.settle(ids)
        fault.jobs_lost = self.lost(ids)
        fault.queries_failed = self.failed_queries(start, end)
        fault.orphans = len(self.store.orphans())
        self.fault_windows.append((start, end))
        self.faults[name] = fault
        self.promotion_windows_of(ids)
        log(f"{name}: {fault.as_dict()} {fault.note}")

    # -- phases

    def setup_tenants(self) -> None:
        policy = {**UNGATED_POLICY, "routing": True}
        for i in range(5):
            self.tenants.append(self.api.tenant(f"load-{i}", policy))
        questions = [doc(i)["questions"][0]["question"] for i in range(5)]
        self.load = QueryLoad(
            self.stack.url,
            [k for _, k in self.tenants],
            questions,
            self.args.clients,
            self.args.think_s,
        )

    def worker_kill(self) -> None:
        fault = Fault()
        victim, other = self.teach(0), self.teach(1)
        job = self.wait_status(victim, {"training"})
        time.sleep(self.args.mid_training_s)
        job = self.store.job(victim)
        if job.status != "training" or not job.lease_owner:
            fault.note = f"job left training before the kill ({job.status})"
        pid = int(job.lease_owner.split(":")[1])
        killed_at = time.time()
        os.kill(pid, signal.SIGKILL)
        fault.injected = True
        was_worker2 = self.stack.worker2 is not None and self.stack.worker2.pid == pid
        log(
            f"worker_kill: SIGKILL to worker pid {pid} running job {victim} (attempt "
            f"{job.attempts}; {'the second worker' if was_worker2 else 'the launcher worker'})"
        )
        if was_worker2:
            # The launcher supervises its own worker; this one's supervisor is the bench.
            time.sleep(2)
            self.stack.start_worker2()
        with suppress(TimeoutError):
            wait_for(
                "the job running again",
                lambda: (
                    (j := self.store.job(victim)).attempts > job.attempts
                    and j.status in WORKING | TERMINAL
                ),
                900,
            )
            fault.recovered = True
            fault.recover_s = time.time() - killed_at
        self.finish("worker_kill", fault, killed_at, time.time() + 10, [victim, other])
        final = self.store.job(victim)
        fault.recovered = fault.recovered and final.status == "promoted"
        fault.note = f"job {victim} ended {final.status} after {final.attempts} starts"

    def vllm_kill(self) -> None:
        fault = Fault()
        teaching = self.teach(0)  # a second version for tenant 0: promoted while serving
        time.sleep(20)
        group = self.stack.replica_group(VLLM_PORT + 1)
        killed_at = time.time()
        os.killpg(group, signal.SIGKILL)
        fault.injected = True
        log(f"vllm_kill: SIGKILL to the replica on port {VLLM_PORT + 1} (process group {group})")

        def ready() -> int:
            with suppress(httpx.HTTPError, ValueError, KeyError):
                return int(
                    httpx.get(f"{self.stack.url}/readyz", timeout=10).json()["model_servers"][
                        "ready"
                    ]
                )
            return -1

        with suppress(TimeoutError):
            # The API notices at its next reconcile pass or query to it, then the launcher's
            # restart and the reconciler's reload of every active adapter make it ready again.
            wait_for("the replica seen down", lambda: 0 <= ready() < 2, 60, poll_s=0.5)
            fault.note = f"seen down after {time.time() - killed_at:.1f} s"
            wait_for("both replicas ready", lambda: ready() == 2, 900)
            fault.recovered = True
            fault.recover_s = time.time() - killed_at
        end = time.time() + 10
        time.sleep(10)
        self.finish("vllm_kill", fault, killed_at, end, [teaching])

    def db_restart(self) -> None:
        fault = Fault()
        a, b = self.teach(2), self.teach(3)
        self.wait_status(a, {"training"})
        time.sleep(self.args.mid_training_s)
        key = self.tenants[2][1]
        started = time.time()
        fault.injected = True
        restarter = threading.Thread(target=self.pg.restart)
        restarter.start()
        log("db_restart: PostgreSQL restarting (fast: every connection cut)")
        seen: dict[int, int] = {}

        def answers() -> bool:
            with suppress(httpx.HTTPError):
                resp = httpx.get(
                    f"{self.stack.url}/v1/jobs",
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=10,
                )
                seen[resp.status_code] = seen.get(resp.status_code, 0) + 1
                # Recovered: answered again once the restart is over.
                return resp.status_code == 200 and not restarter.is_alive()
            return False

        with suppress(TimeoutError):
            wait_for("the API answering again", answers, 600, poll_s=0.2)
            fault.recovered = True
            fault.recover_s = time.time() - started
        restarter.join()
        fault.note = f"the API's answers meanwhile: {seen};"
        self.finish("db_restart", fault, started, time.time() + 10, [a, b])
        jobs = self.store.jobs([a, b])
        fault.recovered = fault.recovered and all(j.status == "promoted" for j in jobs)
        fault.note += " jobs: " + ", ".join(
            f"{j.id} {j.status} ({j.attempts} starts)" for j in jobs
        )

    def disk_full(self) -> None:
        fault = Fault()
        victim = self.teach(4)
        self.wait_status(victim, {"training"})
        self.disk.fill()
        started = time.time()
        fault.injected = True
        log("disk_full: the artifact store is full")
        job = self.wait_status(victim, TERMINAL, 1800)
        ended_cleanly = (
            job.status == "failed" and (job.error or {}).get("code") == "insufficient_storage"
        )
        fault.recover_s = time.time() - started
        self.disk.free()
        retry = self.teach(4)
        end = time.time()
        self.finish("disk_full", fault, started, end, [victim, retry])
        fault.recovered = ended_cleanly and self.store.job(retry).status == "promoted"
        fault.note = (
            f"job {victim}: {job.status} {job.error}; after freeing space job {retry}: "
            f"{self.store.job(retry).status}"
        )

    def promotions_under_load(self, seconds: float) -> None:
        """Roll back and forward again, tenant after tenant: each move loads the version on both
        replicas (when it moves to one) and moves the alias, under the query load."""
        end = time.monotonic() + seconds
        moves = 0
        while time.monotonic() < end:
            for tenant_id, _ in self.tenants:
                tenant = self.api.call("GET", f"/v1/admin/tenants/{tenant_id}").json()
                if not tenant.get("active_version"):
                    continue
                active = tenant["active_version"]
                for body in ({}, {"version": active}):  # back (to the previous or base), forward
                    t0 = time.time()
                    resp = self.api.call(
                        "POST", f"/v1/admin/tenants/{tenant_id}/rollback", json=body
                    )
                    self.promotions.append((t0, time.time() + 2))
                    moves += 1
                    if resp.status_code != 200:
                        log(
                            f"rollback {body} of tenant {tenant_id}: {resp.status_code} "
                            f"{resp.text[:200]}"
                        )
                    time.sleep(3)
        log(f"promotions: {moves} alias moves")

    def fairness(self) -> int:
        policy = {**UNGATED_POLICY, "max_active_jobs": 20, "max_jobs_per_hour": 100}
        flooder, starved = self.api.tenant("flooder", policy), self.api.tenant("starved", policy)
        self.tenants_extra = [flooder, starved]
        flood = []
        for i in range(self.args.flood):
            job_id = self.api.teach(flooder[1], doc(i))
            self.jobs[job_id] = flooder[1]
            flood.append(job_id)
        # Both workers busy with the flooder's jobs; then the other tenant's one job arrives.
        wait_for(
            "two flooder jobs running",
            lambda: sum(j.status in WORKING for j in self.store.jobs(flood)) >= 2,
            900,
        )
        alone = self.api.teach(starved[1], doc(3))
        self.jobs[alone] = starved[1]
        # Stop the running ones (a cancel frees the worker at its next check): the next turns
        # are what fair scheduling decides.
        for job in self.store.jobs(flood):
            if job.status in WORKING:
                self.api.call("POST", f"/v1/jobs/{job.id}/cancel", flooder[1])
        job = wait_for(
            "the starved tenant's job started",
            lambda: (j := self.store.job(alone)).started_at is not None and j,
            1800,
        )
        # Flooder jobs started after the starved tenant's job was queued and before it started.
        queued_at, started = _ts(job.created_at), _ts(job.started_at)
        waited = [
            j.id
            for j in self.store.jobs(flood)
            if j.started_at is not None and queued_at < _ts(j.started_at) < started
        ]
        log(f"fairness: {len(waited)} flooder jobs started while the starved one waited {waited}")
        for job_id in [*flood, alone]:
            if self.store.job(job_id).status not in TERMINAL:
                self.api.call("POST", f"/v1/jobs/{job_id}/cancel", self.jobs[job_id])
        self.settle([*flood, alone], 900)
        return len(waited)


# ---------------------------------------------------------------- the fuzzer


def fuzz(url: str, cases: int) -> dict[str, Any]:
    """Every operation of the OpenAPI document, half positive and half negative cases, against a
    live API: how many cases, and how many answered 5xx. The tenant's routes go first: the admin
    routes may then rotate or disable the fuzz tenant (4xx after that, as they should be)."""
    import schemathesis
    from schemathesis import GenerationMode

    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    key = httpx.post(
        f"{url}/v1/admin/tenants", json={"name": "fuzz"}, headers=admin, timeout=60
    ).json()["api_key"]
    tenant = {"Authorization": f"Bearer {key}"}
    httpx.post(
        f"{url}/v1/knowledge",
        headers=tenant,
        timeout=60,
        json={"documents": [{"text": "The Zorblax bridge opened in 1911."}]},
    )
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = sorted(
        (r.ok() for r in schema.get_all_operations()),
        key=lambda op: (op.path.startswith("/v1/admin"), op.path, op.method),
    )
    counts = {"cases": 0, "server_errors": 0}
    errors: list[str] = []
    pairs = [(op, mode) for op in operations for mode in GenerationMode]
    # Some pairs run out of cases (no negative case exists for a route without parameters, few
    # positive ones for /healthz): further rounds, each with a seed of its own, share out what is
    # left among the pairs that did not.
    for round_ in range(10):
        left = cases - counts["cases"]
        if left <= 0 or not pairs:
            break
        per_pair = max(1, -(-left // len(pairs)))
        full = []
        for op, mode in pairs:
            headers = admin if op.path.startswith("/v1/admin") else tenant
            before = counts["cases"]
            _fuzz_operation(op, mode, per_pair, round_, url, headers, counts, errors)
            if counts["cases"] - before >= per_pair:
                full.append((op, mode))
        pairs = full
    for line in errors[:20]:
        log(f"fuzz 5xx: {line}")
    return counts


def _fuzz_operation(
    op: Any,
    mode: Any,
    examples: int,
    seed: int,
    url: str,
    headers: dict[str, str],
    counts: dict[str, int],
    errors: list[str],
) -> None:
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import seed as hseed
    from hypothesis import settings as hsettings

    @hseed(seed)  # the same cases on every run of the bench
    @given(case=op.as_strategy(generation_mode=mode))
    @hsettings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    def one(case: Any) -> None:
        try:
            status = case.call(base_url=url, headers=headers, timeout=120).status_code
        except Exception as exc:  # noqa: BLE001 - no answer at all is a failure too
            status = 599
            errors.append(f"{case.method} {case.path}: {type(exc).__name__}")
        counts["cases"] += 1
        if status >= 500:
            counts["server_errors"] += 1
            errors.append(f"{case.method} {case.path} ({mode.value}): {status}")

    with suppress(Exception):  # Unsatisfiable: no case of this mode exists for the operation
        one()


@contextmanager
def fuzz_api(pg: OwnPostgres, env: dict[str, str], data: Path) -> Iterator[str]:
    """An API process of the same stack (the same replicas and broker) on a database of its own,
    whose queue no worker reads: the fuzzer's admin calls (rotate keys, disable tenants, policy
    rounds) cannot reach the measured tenants, and its teach jobs cost no training."""
    db_url = pg.create_database("seal_reliability_fuzz")
    fuzz_env = {
        **env,
        "SEAL_DATABASE_URL": db_url,
        "SEAL_TASK_QUEUE": f"{QUEUE}-fuzz",
        "SEAL_API_PORT": str(FUZZ_PORT),
        "SEAL_VLLM_URLS": json.dumps([f"http://127.0.0.1:{VLLM_PORT + i}" for i in range(2)]),
        # A valid query generates at most this many tokens: the fuzzer's queries stay cheap.
        "SEAL_MAX_QUERY_TOKENS": "8",
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from core.launcher import migrate; from core.settings import "
            "get_settings; migrate(get_settings())",
        ],
        cwd=ROOT,
        env=fuzz_env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(FUZZ_PORT),
            "--no-access-log",
        ],
        cwd=ROOT,
        env=fuzz_env,
        stdout=(data / "fuzz-api.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{FUZZ_PORT}"
    # A worker's heartbeat on that database, so that /readyz is ready (not 503) there too.
    from core.db import make_engine
    from workers.leases import Heartbeat

    engine = make_engine(db_url)
    beat = Heartbeat(engine, "fuzz-worker", interval_s=5, lease_s=60).start()
    try:
        wait_for("the fuzz API", lambda: _up(url), 300)
        yield url
    finally:
        beat.stop()
        engine.dispose()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)


def _up(url: str) -> bool:
    with suppress(httpx.HTTPError):
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    return False


# ---------------------------------------------------------------- main


def wait_for_idle_machine() -> None:
    while subprocess.run(["pgrep", "-f", OTHER_BENCHES], capture_output=True).returncode == 0:
        log("another benchmark runs; waiting")
        time.sleep(60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent query clients")
    parser.add_argument(
        "--think-s", type=float, default=2.0, help="pause between a client's queries"
    )
    parser.add_argument("--quiet-s", type=float, default=60, help="load with nothing else going")
    parser.add_argument("--promotions-s", type=float, default=90)
    parser.add_argument("--mid-training-s", type=float, default=10)
    parser.add_argument("--flood", type=int, default=6, help="the flooder's jobs")
    parser.add_argument("--fuzz-cases", type=int, default=2000)
    parser.add_argument("--disk-mb", type=int, default=384)
    parser.add_argument("--faults", default="worker_kill,vllm_kill,db_restart,disk_full")
    parser.add_argument("--no-fairness", action="store_true")
    parser.add_argument("--only-fuzz", action="store_true")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for other benches")
    args = parser.parse_args()
    if not args.no_wait:
        wait_for_idle_machine()
    FLAG.parent.mkdir(parents=True, exist_ok=True)
    FLAG.touch()

    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    assert broker.dbsize() == 0, f"{REDIS_URL} is not empty: is another run using it?"
    data = Path(tempfile.mkdtemp(prefix="seal-reliability-"))
    pg = OwnPostgres(PG_PORT)
    disk = SmallDisk(args.disk_mb)
    settings = {
        "clients": args.clients,
        "tenants": 5,
        "think_s": args.think_s,
        "query_max_tokens": 8,
        "vllm_replicas": 2,
        "workers": 2,
        "selfedit_k": 1,
        "worker_heartbeat_s": 5,
        "worker_lease_s": 30,
        "policy": "ungated (bench/common.py UNGATED_*): every job promotes",
        "gates": "retention and safety (general disabled: it grades 207 items per job)",
        "artifact_store": f"tmpfs {args.disk_mb} MB",
        "database": f"PostgreSQL {pg.bin.parent.name}, an instance of the run's own",
        "broker": "Redis",
        "flood": args.flood,
    }
    env = {
        **os.environ,
        **UNGATED_ENV,
        "SEAL_DATA_DIR": str(data),
        "SEAL_ADMIN_KEY": ADMIN_KEY,
        "SEAL_DATABASE_URL": pg.create_database("seal_reliability"),
        "SEAL_BROKER_URL": REDIS_URL,
        "SEAL_TASK_QUEUE": QUEUE,
        "SEAL_ARTIFACT_DIR": str(disk.path),
        "SEAL_API_PORT": str(API_PORT),
        "SEAL_VLLM_PORT": str(VLLM_PORT),
        "SEAL_VLLM_URL": f"http://127.0.0.1:{VLLM_PORT}",
        "SEAL_VLLM_REPLICAS": "2",
        "SEAL_VLLM_KVCACHE_GIB": "1",
        "SEAL_SELFEDIT_K": "1",
        # The general gate grades 207 items with the base and the candidate in the worker: 658 s
        # of a job under this load (measured in a trial run). Retention and safety still gate.
        "SEAL_DISABLED_GATES": '["general"]',
        "SEAL_WORKER_HEARTBEAT_S": "5",
        "SEAL_WORKER_LEASE_S": "30",
        "SEAL_TORCH_THREADS": "1",
        "SEAL_LOG_FORMAT": "text",
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("SEAL_")})
    stack = Stack(env, data)
    result: dict[str, Any] = {}
    try:
        log(f"starting the stack (logs in {data})")
        stack.start()
        store = Store(env["SEAL_DATABASE_URL"], disk.path)
        run = Run(args, stack, store, pg, disk)
        if not args.only_fuzz:
            result = measure(run, args)
        log("fuzzing")
        with fuzz_api(pg, env, data) as url:
            result["fuzz"] = fuzz(url, args.fuzz_cases)
        log(f"fuzz: {result['fuzz']}")
    finally:
        stack.stop()
        pg.destroy()
        disk.destroy()
        with suppress(Exception):
            broker.flushdb()
        FLAG.unlink(missing_ok=True)
    result["machine"] = machine()
    result["settings"] = settings
    report(result)


def measure(run: Run, args: argparse.Namespace) -> dict[str, Any]:
    run.setup_tenants()
    assert run.load is not None
    run.load.start()
    t_start = time.time()
    log(f"quiet load: {args.clients} clients for {args.quiet_s:.0f} s")
    time.sleep(args.quiet_s)
    for name in args.faults.split(","):
        log(f"fault: {name}")
        getattr(run, name)()
    log("promotions under load")
    run.promotions_under_load(args.promotions_s)
    wait_jobs = None
    if not args.no_fairness:
        log("fairness")
        wait_jobs = run.fairness()
    run.load.stop()
    all_jobs = list(run.jobs)
    run.settle(all_jobs, 1200)
    stuck = run.lost(all_jobs)
    log(f"all jobs: {len(all_jobs)}, lost or stuck: {stuck}, orphans: {len(run.store.orphans())}")

    samples = run.load.samples

    def within(s: Sample, windows: list[tuple[float, float]]) -> bool:
        return any(a <= s.started <= b for a, b in windows)

    in_promotion = [s for s in samples if within(s, run.promotions)]
    # Latency without promotions: outside the promotion windows and the faults' windows.
    quiet = [
        s for s in samples if not within(s, run.promotions) and not within(s, run.fault_windows)
    ]
    ok = [s for s in quiet if 200 <= s.status < 300]
    ok_promo = [s for s in in_promotion if 200 <= s.status < 300]
    ms = [(s.ended - s.started) * 1000 for s in ok]
    ms_promo = [(s.ended - s.started) * 1000 for s in ok_promo]
    statuses: dict[int, int] = {}
    for s in samples:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    log(f"query statuses over the run: {statuses}; {len(samples)} in {time.time() - t_start:.0f} s")
    return {
        "faults": {name: f.as_dict() for name, f in run.faults.items()},
        "load": {
            "queries": len(samples),
            "failed": sum(s.failed for s in samples),
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p99_ms": round(percentile(ms, 0.99), 1) if ms else None,
            "p99_ms_during_promotions": round(percentile(ms_promo, 0.99), 1) if ms_promo else None,
        },
        "fairness": {"wait_jobs": wait_jobs},
        "_notes": {name: f.note for name, f in run.faults.items()},
        "_statuses": statuses,
        "_jobs": {"total": len(all_jobs), "lost_or_stuck": stuck},
    }


def report(result: dict[str, Any]) -> None:
    notes = result.pop("_notes", {})
    extra = {k: result.pop(k) for k in ("_statuses", "_jobs") if k in result}
    rows = [
        [
            name,
            f["injected"],
            f["recovered"],
            f["recover_s"],
            f["jobs_lost"],
            f["queries_failed"],
            f["orphans"],
        ]
        for name, f in result.get("faults", {}).items()
    ]
    if rows:
        print_table(
            [
                "fault",
                "injected",
                "recovered",
                "recover_s",
                "jobs_lost",
                "queries_failed",
                "orphans",
            ],
            rows,
        )
        for name, note in notes.items():
            print(f"  {name}: {note}")
    if "load" in result:
        print_table(
            ["queries", "failed", "p50_ms", "p99_ms", "p99_ms_during_promotions"],
            [list(result["load"].values())],
        )
    print(f"fuzz: {result.get('fuzz')}; fairness: {result.get('fairness')}; {extra}")
    order = ["faults", "load", "fuzz", "fairness", "machine", "settings"]
    payload = {k: result[k] for k in order if k in result}
    print(f"wrote {write_json('reliability.json', payload)}")


if __name__ == "__main__":
    main()
