"""What an adapter version was built from: its lineage, the questions it must keep answering, and
the self-edits that trained it (replayed when the next version is trained)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from adapter_store.models import AdapterVersion, Document, SelfEditRecord


@dataclass(frozen=True)
class ReplaySource:
    """A selected self-edit of the lineage with its document: the training data it came from."""

    title: str | None
    text: str
    style: str
    selfedit: str


def lineage(session: Session, version: AdapterVersion | None) -> list[AdapterVersion]:
    """The version and its ancestors, newest first: what the active adapter was trained from."""
    out = []
    while version is not None:
        out.append(version)
        version = session.get(AdapterVersion, version.parent_id) if version.parent_id else None
    return out


def retention_items(session: Session, active: AdapterVersion | None) -> list[dict[str, str]]:
    """Probe questions the adapters of the lineage answered correctly when they were registered,
    as ``{question, answer, source}`` (source: the version that learned it)."""
    items, seen = [], set()
    for version in lineage(session, active):
        for p in version.metrics.get("probes", []):
            key = (p["question"], p["answer"])
            if p.get("correct") and key not in seen:
                seen.add(key)
                items.append(
                    {
                        "question": p["question"],
                        "answer": p["answer"],
                        "source": f"v{version.version}",
                    }
                )
    return items


def replay_sources(session: Session, active: AdapterVersion | None) -> list[ReplaySource]:
    """The selected self-edits (with their documents) of every job along the active lineage:
    rejected versions, other tenants and unselected candidates never contribute."""
    if active is None:
        return []
    job_ids = [v.job_id for v in lineage(session, active) if v.job_id is not None]
    rows = session.exec(
        select(SelfEditRecord, Document)
        .join(Document, col(Document.id) == col(SelfEditRecord.document_id))
        .where(col(SelfEditRecord.job_id).in_(job_ids), SelfEditRecord.selected == True)  # noqa: E712
        .order_by(col(SelfEditRecord.id))
    ).all()
    return [ReplaySource(doc.title, doc.text, rec.style, rec.text) for rec, doc in rows]
