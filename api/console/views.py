"""What each console page shows, gathered from the store: plain functions over a session, one or a
few bounded queries each (lists are pages of ``PAGE`` rows), so that a page costs the same with
ten tenants or ten thousand. The routes render these; they never query the store themselves."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from adapter_store.audit import ACTIONS, ACTOR_KINDS, AuditFilter, list_events
from adapter_store.models import (
    GLOBAL_SCOPE,
    TERMINAL_JOB_STATUSES,
    AdapterAlias,
    AdapterVersion,
    AuditEvent,
    Document,
    DocumentStatus,
    Job,
    JobEvent,
    JobStatus,
    PIIMode,
    PolicyRound,
    PolicyRoundEvent,
    PolicySample,
    PolicyStatus,
    PolicyTraining,
    PolicyVersion,
    SelfEditRecord,
    Tenant,
    TenantPolicy,
    VersionStatus,
)
from adapter_store.registry import ACTIVE
from api.console.highlight import Mark, Segment, marks_for, segments
from core.errors import not_found

PAGE = 50


def tenant_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Tenant.id, Tenant.name).where(col(Tenant.id).in_(wanted)))
    return {tid: name for tid, name in rows if tid is not None}


def active_versions_of(session: Session, tenant_ids: Iterable[int]) -> dict[int, AdapterVersion]:
    """Each tenant's active version (one query), by tenant id."""
    ids = set(tenant_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(AdapterVersion)
        .join(AdapterAlias, col(AdapterAlias.version_id) == col(AdapterVersion.id))
        .where(col(AdapterAlias.tenant_id).in_(ids), AdapterAlias.alias == ACTIVE)
    )
    return {v.tenant_id: v for v in rows}


# ---------------------------------------------------------------- the review queue


@dataclass
class ReviewDocument:
    doc: Document
    tenant: str
    marks: list[Mark]
    segments: list[Segment]

    @property
    def unplaced(self) -> list[Mark]:
        """Findings about the document as a whole (no span to mark)."""
        return [m for m in self.marks if m.start is None]


def review_document(doc: Document, tenant: str) -> ReviewDocument:
    marks = marks_for(doc.text, doc.findings or [])
    return ReviewDocument(doc, tenant, marks, segments(doc.text, marks))


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass
class GateSide:
    label: str  # "served" | "adapter alone"
    active: float | None  # the serving version's score on the same items
    candidate: float | None
    drop: float | None
    limit: float | None  # the policy's bound on the drop (or on regressions)
    lost: int | None
    gained: int | None
    regressions: int | None  # safety gates count regressions instead of scores


@dataclass
class GateView:
    name: str
    passed: bool
    sides: list[GateSide]
    lost_items: list[dict[str, Any]]
    regressions: list[dict[str, Any]]
    note: str
    # What the active version itself scored on this gate when it was registered.
    active_then: dict[str, Any] | None = None


def _side(label: str, rep: dict[str, Any]) -> GateSide:
    return GateSide(
        label=label,
        active=_num(rep.get("current")),
        candidate=_num(rep.get("candidate")),
        drop=_num(rep.get("drop")),
        limit=_num(rep.get("max_drop", rep.get("max_regressions"))),
        lost=rep.get("lost"),
        gained=rep.get("gained"),
        regressions=rep.get("n_regressions"),
    )


def _summary(gate: dict[str, Any]) -> dict[str, Any]:
    rep = gate.get("report") or {}
    served, alone = rep.get("served") or {}, rep.get("adapter") or {}
    return {
        "passed": bool(gate.get("passed")),
        "served": _num(served.get("candidate")),
        "adapter": _num(alone.get("candidate")),
        "regressions": served.get("n_regressions"),
    }


def gate_views(candidate: AdapterVersion, active: AdapterVersion | None) -> list[GateView]:
    """The candidate's gates beside the active version: each gate already compares the two on
    the same items (served and adapter-alone sides); the active version's own record from when
    it was registered is shown next to it."""
    active_gates = {
        g.get("name"): g for g in ((active.eval_report if active else {}) or {}).get("gates", [])
    }
    out = []
    for gate in (candidate.eval_report or {}).get("gates", []):
        rep = gate.get("report") or {}
        sides = [
            _side(label, rep[key])
            for key, label in (("served", "served"), ("adapter", "adapter alone"))
            if isinstance(rep.get(key), dict)
        ]
        lost: list[dict[str, Any]] = []
        regressions: list[dict[str, Any]] = []
        for key in ("served", "adapter"):
            side = rep.get(key) or {}
            lost += [i for i in side.get("lost_items", []) if i not in lost]
            regressions += [r for r in side.get("regressions", []) if r not in regressions]
        then = active_gates.get(gate.get("name"))
        out.append(
            GateView(
                name=str(gate.get("name", "?")),
                passed=bool(gate.get("passed")),
                sides=sides,
                lost_items=lost[:10],
                regressions=regressions[:10],
                note=str(rep.get("note", "")),
                active_then=_summary(then) if then else None,
            )
        )
    return out


@dataclass
class ReviewVersion:
    version: AdapterVersion
    tenant: str
    active: AdapterVersion | None
    gates: list[GateView]
    probes: list[dict[str, Any]]  # a few of the candidate's probe answers
    baseline: dict[str, Any]  # the probes' score before training (the serving model)
    best: dict[str, Any]  # and after (the registered candidate)
    candidates: list[dict[str, Any]]


def review_version(
    version: AdapterVersion, tenant: str, active: AdapterVersion | None
) -> ReviewVersion:
    metrics = version.metrics or {}
    return ReviewVersion(
        version=version,
        tenant=tenant,
        active=active,
        gates=gate_views(version, active),
        probes=list(metrics.get("probes", []))[:5],
        baseline=metrics.get("baseline") or {},
        best=metrics.get("best") or {},
        candidates=list(metrics.get("candidates", [])),
    )


@dataclass
class Review:
    documents: list[ReviewDocument]
    documents_total: int
    versions: list[ReviewVersion]
    versions_total: int
    policies: list[PolicyVersion]


def review(session: Session) -> Review:
    """Quarantined documents with their findings in place; adapter versions awaiting approval
    beside their tenant's active version; self-edit policies awaiting approval. Oldest first."""
    quarantined = Document.status == DocumentStatus.quarantined
    docs = list(
        session.exec(select(Document).where(quarantined).order_by(col(Document.id)).limit(PAGE))
    )
    waiting = AdapterVersion.status == VersionStatus.awaiting_approval
    versions = list(
        session.exec(
            select(AdapterVersion).where(waiting).order_by(col(AdapterVersion.id)).limit(PAGE)
        )
    )
    names = tenant_names(session, [d.tenant_id for d in docs] + [v.tenant_id for v in versions])
    active = active_versions_of(session, [v.tenant_id for v in versions])
    policies = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.status == PolicyStatus.awaiting_approval)
        .order_by(col(PolicyVersion.id))
        .limit(PAGE)
    )
    return Review(
        documents=[review_document(d, names.get(d.tenant_id, "?")) for d in docs],
        documents_total=_count(session, Document, quarantined) if len(docs) == PAGE else len(docs),
        versions=[
            review_version(v, names.get(v.tenant_id, "?"), active.get(v.tenant_id))
            for v in versions
        ],
        versions_total=(
            _count(session, AdapterVersion, waiting) if len(versions) == PAGE else len(versions)
        ),
        policies=list(policies),
    )


def _count(session: Session, model: Any, *where: Any) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


# ---------------------------------------------------------------- tenants


@dataclass
class TenantRow:
    tenant: Tenant
    active_version: int | None
    versions: int
    jobs: int


def tenants(session: Session, page: int = 1) -> tuple[list[TenantRow], int]:
    """A page of tenants (by id) with their active version and how many versions and jobs each
    has; and the number of tenants."""
    page = max(page, 1)
    alias = and_(col(AdapterAlias.tenant_id) == col(Tenant.id), col(AdapterAlias.alias) == ACTIVE)
    rows = session.exec(
        select(Tenant, AdapterVersion.version)
        .outerjoin(AdapterAlias, alias)
        .outerjoin(AdapterVersion, col(AdapterVersion.id) == col(AdapterAlias.version_id))
        .order_by(col(Tenant.id))
        .offset((page - 1) * PAGE)
        .limit(PAGE)
    ).all()
    ids = [t.id for t, _ in rows]
    versions = _counts_by_tenant(session, AdapterVersion, ids)
    jobs = _counts_by_tenant(session, Job, ids)
    total = session.exec(select(func.count()).select_from(Tenant)).one()
    return [
        TenantRow(t, v, versions.get(t.id, 0), jobs.get(t.id, 0))  # type: ignore[arg-type]
        for t, v in rows
    ], total


def _counts_by_tenant(session: Session, model: Any, ids: list[int | None]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.exec(
        select(model.tenant_id, func.count())
        .where(col(model.tenant_id).in_(ids))
        .group_by(model.tenant_id)
    )
    return dict(rows.all())


def tenant_or_404(session: Session, tenant_id: int) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise not_found("tenant", tenant_id)
    return tenant


# The policy form: one input per TenantPolicy field, typed from the model.
_ENUMS: dict[str, list[str]] = {
    "pii_mode": [m.value for m in PIIMode],
    "policy_training": [m.value for m in PolicyTraining],
}


@dataclass
class PolicyField:
    name: str
    kind: str  # "bool" | "choice" | "number" | "mapping"
    value: str
    checked: bool = False
    options: list[str] = field(default_factory=list)
    optional: bool = False  # empty: the service's default
    step: str = "any"
    lo: str = ""
    hi: str = ""


def _bounds(info: Any) -> tuple[str, str]:
    lo = hi = ""
    for m in info.metadata:
        for attr, name in (("ge", "lo"), ("le", "hi")):
            v = getattr(m, attr, None)
            if v is not None:
                if name == "lo":
                    lo = str(v)
                else:
                    hi = str(v)
    return lo, hi


def policy_fields(values: dict[str, Any]) -> list[PolicyField]:
    """The form's fields with ``values`` filled in (the stored policy, or what was just posted)."""
    out = []
    for name, info in TenantPolicy.model_fields.items():
        value = values.get(name)
        annotation = str(info.annotation)
        if name in _ENUMS:
            out.append(PolicyField(name, "choice", str(value or ""), options=_ENUMS[name]))
        elif info.annotation is bool:
            out.append(PolicyField(name, "bool", "", checked=value in (True, "on", "true")))
        elif name == "pii_entities":
            text = value if isinstance(value, str) else mapping_text(value or {})
            out.append(PolicyField(name, "mapping", text))
        else:
            lo, hi = _bounds(info)
            out.append(
                PolicyField(
                    name,
                    "number",
                    "" if value is None else str(value),
                    optional="None" in annotation,
                    step="1" if "int" in annotation else "any",
                    lo=lo,
                    hi=hi,
                )
            )
    return out


def mapping_text(mapping: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in sorted(mapping.items()))


def parse_policy_form(form: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The posted form as policy changes (strings are left for TenantPolicy to convert and
    check), and the problems only the form can have (a malformed mapping line)."""
    changes: dict[str, Any] = {}
    problems: list[str] = []
    for name, info in TenantPolicy.model_fields.items():
        raw = form.get(name)
        if info.annotation is bool:
            changes[name] = raw is not None
        elif name == "pii_entities":
            mapping: dict[str, str] = {}
            for n, line in enumerate((raw or "").splitlines(), start=1):
                if not line.strip():
                    continue
                key, sep, mode = line.replace("=", ":").partition(":")
                if not sep or not key.strip() or not mode.strip():
                    problems.append(
                        f"`policy.pii_entities` line {n}: write `ENTITY_TYPE: mode` "
                        f"(mode {' | '.join(_ENUMS['pii_mode'])}); got {line.strip()!r}"
                    )
                    continue
                mapping[key.strip().upper()] = mode.strip().lower()
            changes[name] = mapping
        elif raw is None:
            continue
        elif raw.strip() == "" and "None" in str(info.annotation):
            changes[name] = None
        else:
            changes[name] = raw.strip()
    return changes, problems


@dataclass
class TenantDetail:
    tenant: Tenant
    active: AdapterVersion | None
    fields: list[PolicyField]
    recent: list[AuditEvent]
    unfinished_jobs: int


def tenant_detail(
    session: Session, tenant: Tenant, posted: dict[str, Any] | None = None
) -> TenantDetail:
    active = active_versions_of(session, [tenant.id]).get(tenant.id)  # type: ignore[list-item, arg-type]
    unfinished = _count(
        session,
        Job,
        Job.tenant_id == tenant.id,
        col(Job.status).not_in(TERMINAL_JOB_STATUSES),
    )
    return TenantDetail(
        tenant=tenant,
        active=active,
        fields=policy_fields(posted if posted is not None else tenant.policy_obj.model_dump()),
        recent=list_events(session, AuditFilter(tenant_id=tenant.id), limit=10),
        unfinished_jobs=unfinished,
    )


# ---------------------------------------------------------------- adapters


@dataclass
class VersionRow:
    version: AdapterVersion
    parent: int | None  # the parent's version number
    active: bool
    older_than_active: bool
    gates: list[tuple[str, bool]]

    @property
    def reward(self) -> float | None:
        return _num(((self.version.metrics or {}).get("best") or {}).get("reward"))

    @property
    def f1(self) -> float | None:
        return _num(((self.version.metrics or {}).get("best") or {}).get("f1"))

    @property
    def baseline_f1(self) -> float | None:
        return _num(((self.version.metrics or {}).get("baseline") or {}).get("f1"))


@dataclass
class Lineage:
    tenant: Tenant
    active: AdapterVersion | None
    rows: list[VersionRow]
    older: int | None  # pass as ``before`` for the next page


def lineage(session: Session, tenant: Tenant, before: int | None = None) -> Lineage:
    """A tenant's versions, newest first (a page), each with its parent, status, metrics, job and
    gates, and which one the ``active`` alias points at."""
    active = active_versions_of(session, [tenant.id]).get(tenant.id)  # type: ignore[list-item, arg-type]
    stmt = select(AdapterVersion).where(AdapterVersion.tenant_id == tenant.id)
    if before is not None:
        stmt = stmt.where(AdapterVersion.version < before)
    versions = list(session.exec(stmt.order_by(col(AdapterVersion.version).desc()).limit(PAGE + 1)))
    more = len(versions) > PAGE
    versions = versions[:PAGE]
    numbers = {v.id: v.version for v in versions}
    missing = {v.parent_id for v in versions if v.parent_id and v.parent_id not in numbers}
    if missing:
        rows = session.exec(
            select(AdapterVersion.id, AdapterVersion.version).where(
                col(AdapterVersion.id).in_(missing)
            )
        )
        numbers.update(dict(rows.all()))
    return Lineage(
        tenant=tenant,
        active=active,
        rows=[
            VersionRow(
                version=v,
                parent=numbers.get(v.parent_id) if v.parent_id else None,
                active=active is not None and v.id == active.id,
                older_than_active=active is not None and v.version < active.version,
                gates=[
                    (str(g.get("name")), bool(g.get("passed")))
                    for g in (v.eval_report or {}).get("gates", [])
                ],
            )
            for v in versions
        ],
        older=versions[-1].version if more else None,
    )


# ---------------------------------------------------------------- jobs


@dataclass
class JobRow:
    id: int
    tenant_id: int
    tenant: str
    status: str
    progress: float
    error: dict[str, Any] | None
    adapter_version_id: int | None
    created_at: datetime
    updated_at: datetime


JOB_STATES = [s.value for s in JobStatus]


def jobs(
    session: Session,
    *,
    status: str | None = None,
    tenant_id: int | None = None,
    before_id: int | None = None,
) -> tuple[list[JobRow], int | None]:
    """A page of jobs, newest first (no JSON but the error), and the ``before_id`` of the next."""
    stmt = sa_select(
        col(Job.id),
        col(Job.tenant_id),
        col(Tenant.name),
        col(Job.status),
        col(Job.progress),
        col(Job.error),
        col(Job.adapter_version_id),
        col(Job.created_at),
        col(Job.updated_at),
    ).join(Tenant, col(Tenant.id) == col(Job.tenant_id))
    if status:
        stmt = stmt.where(col(Job.status) == status)
    if tenant_id is not None:
        stmt = stmt.where(col(Job.tenant_id) == tenant_id)
    if before_id is not None:
        stmt = stmt.where(col(Job.id) < before_id)
    rows = session.execute(stmt.order_by(col(Job.id).desc()).limit(PAGE + 1)).all()
    out = [
        JobRow(
            id=r[0],
            tenant_id=r[1],
            tenant=r[2],
            status=r[3],
            progress=r[4],
            error=r[5],
            adapter_version_id=r[6],
            created_at=r[7],
            updated_at=r[8],
        )
        for r in rows[:PAGE]
    ]
    return out, (out[-1].id if len(rows) > PAGE else None)


@dataclass
class JobDetail:
    job: Job
    tenant: str
    events: list[JobEvent]
    documents: list[Document]
    selfedits: list[SelfEditRecord]
    version: AdapterVersion | None


def job_detail(session: Session, job_id: int) -> JobDetail:
    job = session.get(Job, job_id)
    if job is None:
        raise not_found("job", job_id)
    events = session.exec(
        select(JobEvent).where(JobEvent.job_id == job_id).order_by(col(JobEvent.id)).limit(500)
    )
    docs = session.exec(
        select(Document).where(Document.job_id == job_id).order_by(col(Document.id)).limit(PAGE)
    )
    selfedits = session.exec(
        select(SelfEditRecord)
        .where(SelfEditRecord.job_id == job_id)
        .order_by(col(SelfEditRecord.document_id), col(SelfEditRecord.candidate))
        .limit(200)
    )
    version = (
        session.get(AdapterVersion, job.adapter_version_id) if job.adapter_version_id else None
    )
    return JobDetail(
        job=job,
        tenant=tenant_names(session, [job.tenant_id]).get(job.tenant_id, "?"),
        events=list(events),
        documents=list(docs),
        selfedits=list(selfedits),
        version=version,
    )


def job_states(session: Session, ids: list[int]) -> dict[int, tuple[str, float, str]]:
    """The live columns of the jobs a page shows: (status, progress, updated_at) by id."""
    if not ids:
        return {}
    rows = session.exec(
        select(Job.id, Job.status, Job.progress, Job.updated_at).where(col(Job.id).in_(ids))
    )
    return {
        r[0]: (r[1], round(r[2], 3), r[3].isoformat())  # type: ignore[misc]
        for r in rows
    }


def newest_job_id(session: Session) -> int:
    return session.exec(select(func.max(Job.id))).one() or 0


# ---------------------------------------------------------------- policy rounds


@dataclass
class Plot:
    """A small line plot as SVG coordinates (drawn by the template, no script)."""

    width: int
    height: int
    series: list[dict[str, Any]]
    yticks: list[tuple[float, str]]
    xticks: list[tuple[float, str]]
    empty: bool


PLOT_SERIES = (
    ("held-out, current policy", "current"),
    ("held-out, new policy", "new"),
    ("kept self-edits (train)", "kept"),
)


def _round_values(rnd: PolicyRound) -> dict[str, float | None]:
    rep = rnd.report or {}
    return {
        "current": _num((rep.get("current") or {}).get("mean_reward")),
        "new": _num((rep.get("new") or {}).get("mean_reward")),
        "kept": _num(rep.get("mean_kept_reward")),
    }


def reward_plot(rounds: list[PolicyRound], width: int = 640, height: int = 220) -> Plot:
    """Mean reward per round (oldest left): the current and the new policy on the held-out
    contexts, and the self-edits the round kept to train on."""
    left, right, top, bottom = 48, 12, 12, 28
    values = [_round_values(r) for r in rounds]
    ys = [v for vals in values for v in vals.values() if v is not None]
    if not ys:
        return Plot(width, height, [], [], [], True)
    lo, hi = min(ys + [0.0]), max(ys + [0.0])
    if hi - lo < 1e-9:
        hi = lo + 1.0
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    inner_w, inner_h = width - left - right, height - top - bottom
    n = len(rounds)

    def x(i: int) -> float:
        return left + (inner_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + inner_h * (1 - (v - lo) / (hi - lo))

    series = []
    for label, key in PLOT_SERIES:
        dots = []
        for i, (r, vals) in enumerate(zip(rounds, values, strict=True)):
            value = vals[key]
            if value is not None:
                dots.append((round(x(i), 1), round(y(value), 1), value, f"round {r.id}"))
        series.append(
            {
                "label": label,
                "key": key,
                "points": " ".join(f"{dx},{dy}" for dx, dy, _, _ in dots),
                "dots": dots,
            }
        )
    ticks = [lo + (hi - lo) * k / 4 for k in range(5)]
    step = max(1, n // 10)
    return Plot(
        width,
        height,
        series,
        [(round(y(t), 1), f"{t:.3f}") for t in ticks],
        [(round(x(i), 1), f"#{r.id}") for i, r in enumerate(rounds) if i % step == 0],
        False,
    )


@dataclass
class Rounds:
    rounds: list[PolicyRound]
    plot: Plot
    awaiting: list[PolicyVersion]
    active: list[PolicyVersion]
    scopes: list[str]
    older: int | None


def rounds(session: Session, scope: str | None = None, before_id: int | None = None) -> Rounds:
    stmt = select(PolicyRound)
    if scope:
        stmt = stmt.where(PolicyRound.scope == scope)
    if before_id is not None:
        stmt = stmt.where(col(PolicyRound.id) < before_id)
    rows = list(session.exec(stmt.order_by(col(PolicyRound.id).desc()).limit(PAGE + 1)))
    page = rows[:PAGE]
    awaiting = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.status == PolicyStatus.awaiting_approval)
        .order_by(col(PolicyVersion.id))
        .limit(PAGE)
    )
    active = session.exec(
        select(PolicyVersion)
        .where(PolicyVersion.status == PolicyStatus.active)
        .order_by(col(PolicyVersion.scope))
    )
    scopes = session.exec(select(PolicyRound.scope).distinct().order_by(col(PolicyRound.scope)))
    return Rounds(
        rounds=page,
        plot=reward_plot(list(reversed(page))),
        awaiting=list(awaiting),
        active=list(active),
        scopes=sorted({GLOBAL_SCOPE, *scopes.all()}),
        older=page[-1].id if len(rows) > PAGE else None,
    )


@dataclass
class RoundDetail:
    round: PolicyRound
    events: list[PolicyRoundEvent]
    samples: list[PolicySample]
    offset: int
    more: bool
    version: PolicyVersion | None


def round_detail(
    session: Session,
    round_id: int,
    *,
    split: str | None = None,
    kept: bool | None = None,
    offset: int = 0,
) -> RoundDetail:
    rnd = session.get(PolicyRound, round_id)
    if rnd is None:
        raise not_found("round", round_id)
    events = session.exec(
        select(PolicyRoundEvent)
        .where(PolicyRoundEvent.round_id == round_id)
        .order_by(col(PolicyRoundEvent.id))
        .limit(500)
    )
    stmt = select(PolicySample).where(PolicySample.round_id == round_id)
    if split:
        stmt = stmt.where(PolicySample.split == split)
    if kept is not None:
        stmt = stmt.where(PolicySample.kept == kept)
    samples = list(
        session.exec(stmt.order_by(col(PolicySample.id)).offset(max(offset, 0)).limit(PAGE + 1))
    )
    version = session.get(PolicyVersion, rnd.policy_version_id) if rnd.policy_version_id else None
    return RoundDetail(
        round=rnd,
        events=list(events),
        samples=samples[:PAGE],
        offset=max(offset, 0),
        more=len(samples) > PAGE,
        version=version,
    )


# ---------------------------------------------------------------- audit


AUDIT_FAMILIES = sorted({a.split(".")[0] + "." for a in ACTIONS})


def audit_filter(params: dict[str, str]) -> tuple[AuditFilter, list[str]]:
    """The audit page's filters from its query string; unusable ones are named, not applied."""
    problems: list[str] = []

    def text(name: str, limit: int) -> str | None:
        value = (params.get(name) or "").strip()
        if len(value) > limit:
            problems.append(f"`{name}` is longer than {limit} characters")
            return None
        return value or None

    tenant_id = None
    if raw := (params.get("tenant_id") or "").strip():
        if raw.isdigit() and 0 < int(raw) < 2**63:
            tenant_id = int(raw)
        else:
            problems.append(f"`tenant_id` must be a tenant's number; got {raw!r}")
    actor = text("actor", 16)
    if actor and actor not in ACTOR_KINDS:
        problems.append(f"`actor` must be one of {', '.join(ACTOR_KINDS)}; got {actor!r}")
        actor = None
    action = text("action", 64)
    if action and action not in ACTIONS and action not in AUDIT_FAMILIES:
        problems.append(f"`action` must be an action or a family such as 'tenant.'; got {action!r}")
        action = None

    def day(name: str) -> date | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            problems.append(f"`{name}` must be a date, YYYY-MM-DD; got {raw!r}")
            return None

    since, until = day("since"), day("until")
    return (
        AuditFilter(
            tenant_id=tenant_id,
            actor_kind=actor,
            action=action,
            object_type=text("object_type", 32),
            object_id=text("object_id", 64),
            request_id=text("request_id", 64),
            since=datetime.combine(since, time(), UTC) if since else None,
            # Inclusive: events on the ``until`` day count.
            until=datetime.combine(until + timedelta(days=1), time(), UTC) if until else None,
        ),
        problems,
    )


def audit(
    session: Session, filt: AuditFilter, before_id: int | None = None
) -> tuple[list[AuditEvent], int | None]:
    rows = list_events(session, filt, limit=PAGE + 1, before_id=before_id)
    page = rows[:PAGE]
    return page, (page[-1].id if len(rows) > PAGE else None)


def short_json(value: Any, limit: int = 160) -> str:
    """A before/after value in one line for the audit table."""
    if value is None:
        return ""
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
