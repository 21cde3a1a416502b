"""Every Prometheus metric the service exports, in one place (``docs/observability.md`` says what
each one means; ``deploy/grafana-dashboard.json`` plots them).

Labels are bounded: status or outcome, stage, guard, gate, verdict, route (adapter|base), error
code, result, and the replica URL (as many as are configured). Never a tenant id, a document id
or free text: a tenant's traffic is in its jobs and events, not in a time series per tenant.

Processes. The API and the Celery worker are separate processes, and most of what is counted
here happens in the worker while /metrics is served by the API. With ``PROMETHEUS_MULTIPROC_DIR``
set before prometheus_client is imported (the launcher sets it for the API and the worker it
starts, in a directory it clears at start), every process writes its values to files there and
the API's /metrics adds them up (``MultiProcessCollector``). Counters and histograms add up;
gauges say how in ``multiprocess_mode``. Without it (the compose deployment: workers run in
other containers) each process keeps its own: the API serves its own, a worker serves its own on
``SEAL_WORKER_METRICS_PORT``, and Prometheus scrapes both (the dashboard sums over instances).
Guards run in both processes (the worker's scan stage, the API's ``/v1/guards/scan``), and
either way their counts add up.

The queue (how many runs wait, and for how long) is read from the database when /metrics is
scraped (``QueueCollector``): the API is the one process that answers for it, whichever worker
is alive, and a count kept in memory would drift whenever a process died mid-update.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

# Stages run from well under a second (scan) to tens of minutes (training on a CPU).
_STAGE_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
_FAST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

# ---------------------------------------------------------------- HTTP (api/main.py)

HTTP_REQUESTS = Counter(
    "seal_http_requests_total",
    "HTTP requests, by method, route template and status code",
    ["method", "route", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "seal_http_request_seconds", "HTTP request latency, by route template", ["route"]
)

# ---------------------------------------------------------------- jobs (workers/, adapter_store/lifecycle.py)

RUNS_FINISHED = Counter(
    "seal_jobs_finished_total",
    "Teach jobs (kind=job) and policy rounds (kind=round) that ended, by outcome (promoted, "
    "rejected, failed, cancelled) and error code (empty when none)",
    ["kind", "outcome", "error_code"],
)
JOB_STAGE_SECONDS = Histogram(
    "seal_job_stage_seconds",
    "Duration of each teach-job stage that completed (scan, sample, train, scope, gate, "
    "register, decide)",
    ["stage"],
    buckets=_STAGE_BUCKETS,
)
CANDIDATES_TRAINED = Counter(
    "seal_candidates_trained_total",
    "Candidate adapters trained and evaluated by teach jobs (SEAL's inner loop, one per self-edit "
    "set)",
)
CANDIDATE_TRAIN_SECONDS = Histogram(
    "seal_candidate_train_seconds",
    "Training time of one candidate adapter (candidates that reused an identical one's model "
    "are not observed)",
    buckets=_STAGE_BUCKETS,
)

# ---------------------------------------------------------------- guards and gates

GUARD_VERDICTS = Counter(
    "seal_guard_verdicts_total",
    "Each guard's verdict on each document it scanned (pass, redact, quarantine, reject)",
    ["guard", "verdict"],
)
GUARD_SECONDS = Histogram(
    "seal_guard_scan_seconds",
    "Time one guard took on one document",
    ["guard"],
    buckets=_FAST_BUCKETS,
)
DOCUMENTS_SCANNED = Counter(
    "seal_documents_scanned_total",
    "Documents scanned by the guards, by the verdict of all guards together",
    ["verdict"],
)
GATE_RESULTS = Counter(
    "seal_gate_results_total",
    "Gate runs on candidate adapters, by gate and result (passed, failed)",
    ["gate", "result"],
)
GATE_SECONDS = Histogram(
    "seal_gate_seconds", "Time one gate took on one candidate", ["gate"], buckets=_STAGE_BUCKETS
)

# ---------------------------------------------------------------- serving (serving/, api/routes/openai_compat.py)

# Set by the API's reconciler. Every API process sees the same replicas: the largest value of
# the processes alive ("livemax"), not their sum.
ADAPTERS_LOADED = Gauge(
    "seal_adapters_loaded",
    "Adapters (tenant versions and self-edit policies) loaded in each vLLM replica, as of the "
    "last reconcile pass (0 while the replica is not ready)",
    ["replica"],
    multiprocess_mode="livemax",
)
REPLICA_READY = Gauge(
    "seal_replica_ready",
    "1 when the vLLM replica takes queries (healthy, every active adapter loaded), else 0",
    ["replica"],
    multiprocess_mode="livemax",
)
ADAPTER_LOAD_SECONDS = Histogram(
    "seal_adapter_load_seconds",
    "Time of vLLM's load-adapter call, by result (loaded, already_loaded, error)",
    ["result"],
    buckets=_FAST_BUCKETS,
)
QUERY_SECONDS = Histogram(
    "seal_query_seconds",
    "OpenAI-compatible queries answered, from the request to the end of the reply (a stream's "
    "last chunk), by route (adapter: the tenant's adapter; base: the base model) and stream",
    ["route", "stream"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300),
)
QUERY_TOKENS = Counter(
    "seal_query_tokens_total",
    "Tokens of answered queries (kind: prompt, completion) from vLLM's usage; a stream counts "
    "only when it carries usage (the client set stream_options.include_usage)",
    ["route", "kind"],
)

# ---------------------------------------------------------------- the queue (read at scrape time)

QUEUE_DEPTH = "seal_queue_depth"
QUEUE_OLDEST_AGE = "seal_queue_oldest_age_seconds"
JOBS_IN_STATUS = "seal_jobs_in_status"
SCRAPE_TIME_GAUGES: dict[str, tuple[str, list[str]]] = {
    QUEUE_DEPTH: ("Runs waiting for a worker (status queued), by kind (job, round)", ["kind"]),
    QUEUE_OLDEST_AGE: (
        "Age in seconds of the oldest run waiting for a worker, by kind (0 when none waits)",
        ["kind"],
    ),
    JOBS_IN_STATUS: ("Teach jobs in each status that has not ended", ["status"]),
}

_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


def record_finished(kind: str, outcome: str, error_code: str | None) -> None:
    """A job or round ended. Error codes are the service's own short codes; anything else is
    ``other`` (a label value must never be free text)."""
    code = error_code or ""
    if code and not _ERROR_CODE.match(code):
        code = "other"
    RUNS_FINISHED.labels(kind=kind, outcome=outcome, error_code=code).inc()


# ---------------------------------------------------------------- exposition


@dataclass
class QueueSnapshot:
    depth: dict[str, int] = field(default_factory=dict)  # kind -> queued runs
    oldest_age_s: dict[str, float] = field(default_factory=dict)  # kind -> seconds
    jobs_in_status: dict[str, int] = field(default_factory=dict)


def _age(then: Any, now: datetime) -> float:
    if then is None:
        return 0.0
    if isinstance(then, str):  # SQLite hands an aggregate's datetime back as text
        then = datetime.fromisoformat(then)
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max(0.0, (now - then).total_seconds())


def read_queue(session: Any) -> QueueSnapshot:
    """Two grouped queries over the runs that have not ended (jobs, rounds)."""
    from sqlmodel import col, func, select

    from adapter_store.models import (
        TERMINAL_JOB_STATUSES,
        Job,
        JobStatus,
        PolicyRound,
        RoundStatus,
    )

    now = datetime.now(UTC)
    snap = QueueSnapshot()
    open_jobs = [s.value for s in JobStatus if s not in TERMINAL_JOB_STATUSES]
    snap.jobs_in_status = dict.fromkeys(open_jobs, 0)
    rows = session.exec(
        select(Job.status, func.count(), func.min(Job.created_at))
        .where(col(Job.status).in_(open_jobs))
        .group_by(col(Job.status))
    )
    for status, count, oldest in rows:
        snap.jobs_in_status[status] = count
        if status == JobStatus.queued:
            snap.depth["job"], snap.oldest_age_s["job"] = count, _age(oldest, now)
    count, oldest = session.exec(
        select(func.count(), func.min(PolicyRound.created_at)).where(
            PolicyRound.status == RoundStatus.queued
        )
    ).one()
    snap.depth["round"], snap.oldest_age_s["round"] = count, _age(oldest, now)
    for kind in ("job", "round"):
        snap.depth.setdefault(kind, 0)
        snap.oldest_age_s.setdefault(kind, 0.0)
    return snap


class QueueCollector:
    """The queue gauges from a snapshot read for this scrape."""

    def __init__(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        values: dict[str, Mapping[str, float]] = {
            QUEUE_DEPTH: self.snapshot.depth,
            QUEUE_OLDEST_AGE: self.snapshot.oldest_age_s,
            JOBS_IN_STATUS: self.snapshot.jobs_in_status,
        }
        for name, (doc, labels) in SCRAPE_TIME_GAUGES.items():
            family = GaugeMetricFamily(name, doc, labels=labels)
            for value, number in sorted(values[name].items()):
                family.add_metric([value], float(number))
            yield family


class _Of:
    """Another registry's metrics, as one collector (a registry cannot be registered itself)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def process_registry() -> CollectorRegistry:
    """This host's metrics: every process's (multiprocess mode) or this process's."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=path)
    return registry


def render(*collectors: Any) -> bytes:
    """The exposition text of this host's metrics and ``collectors`` (the queue)."""
    registry = CollectorRegistry()
    registry.register(_Of(process_registry()))
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry)


def start_metrics_server(port: int, host: str) -> Any:
    """Serve this process's metrics on ``host:port`` (a worker in its own container), from a
    daemon thread; returns prometheus_client's (server, thread)."""
    from prometheus_client import start_http_server

    return start_http_server(port, addr=host, registry=process_registry())


def defined_metrics() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every metric family this module defines: name -> (type, label names)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for value in globals().values():
        if isinstance(value, Counter | Gauge | Histogram):
            out[value._name] = (value._type, tuple(value._labelnames))
    for name, (_, labels) in SCRAPE_TIME_GAUGES.items():
        out[name] = ("gauge", tuple(labels))
    return out


def sample_names(name: str, kind: str) -> set[str]:
    """The series names a family exposes (what PromQL can select)."""
    if kind == "counter":
        return {f"{name}_total", f"{name}_created"}
    if kind == "histogram":
        return {f"{name}_{s}" for s in ("bucket", "sum", "count", "created")}
    return {name}
