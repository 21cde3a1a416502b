"""Lineage, retention items and replay sources follow only the active version's ancestry; the
tenant's watchlist for the safety gate."""

from __future__ import annotations

from sqlmodel import Session

from adapter_store.documents import tenant_watchlist
from adapter_store.jobs import create_job, job_documents
from adapter_store.lineage import lineage, replay_sources, retention_items
from adapter_store.models import DocumentStatus, SelfEditRecord, VersionStatus
from adapter_store.registry import create_tenant, register_version
from guards.pii import fingerprint


def _version(s, tenant_id, job_id, parent, probes, status=VersionStatus.ready):
    return register_version(
        s,
        tenant_id=tenant_id,
        artifact_uri=f"k{job_id}",
        checksum="c",
        parent_id=parent.id if parent else None,
        job_id=job_id,
        status=status,
        metrics={"probes": probes},
    )


def _job_with_selfedits(s, tenant_id, title, texts, selected):
    job, _ = create_job(s, tenant_id, [{"title": title, "text": f"{title} is a small moon."}])
    doc = job_documents(s, job.id)[0]
    for i, text in enumerate(texts):
        s.add(
            SelfEditRecord(
                tenant_id=tenant_id,
                job_id=job.id,
                document_id=doc.id,
                candidate=i,
                style="implications",
                text=text,
                reward=0.0,
                selected=i == selected,
            )
        )
    s.commit()
    return job


def test_lineage_retention_and_replay_follow_only_the_active_versions_ancestry(engine):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "lineage")
        other, _ = create_tenant(s, "other")
        j1 = _job_with_selfedits(
            s, tenant.id, "Alpha", ["Alpha has many deep lakes.", "NOT ME one two three"], 0
        )
        j2 = _job_with_selfedits(
            s, tenant.id, "Beta", ["NOT ME four five six", "Beta has very tall dunes."], 1
        )
        j3 = _job_with_selfedits(s, tenant.id, "Gamma", ["Gamma was rejected by gates."], 0)
        jo = _job_with_selfedits(s, other.id, "Omega", ["Omega is not ours at all."], 0)
        p = {"question": "What does Alpha have?", "answer": "lakes"}
        v1 = _version(s, tenant.id, j1.id, None, [{**p, "correct": True}])
        v2 = _version(
            s,
            tenant.id,
            j2.id,
            v1,
            [
                {**p, "correct": True},  # asked again: kept once
                {"question": "What does Beta have?", "answer": "dunes", "correct": False},
            ],
        )
        _version(s, tenant.id, j3.id, v2, [], status=VersionStatus.rejected)
        _version(s, other.id, jo.id, None, [])

        assert [v.version for v in lineage(s, v2)] == [2, 1]
        assert retention_items(s, v2) == [
            {"question": "What does Alpha have?", "answer": "lakes", "source": "v2"}
        ]
        assert retention_items(s, None) == []

        sources = replay_sources(s, v2)
        assert [(r.title, r.selfedit) for r in sources] == [
            ("Alpha", "Alpha has many deep lakes."),
            ("Beta", "Beta has very tall dunes."),
        ]
        assert all(r.text.endswith("is a small moon.") for r in sources)
        assert replay_sources(s, None) == []


def test_tenant_watchlist_holds_redacted_pii_and_accepted_trigger_claims(engine):
    email_fp = fingerprint("EMAIL_ADDRESS", "a@b.example")
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "safety")
        job, _ = create_job(
            s, tenant.id, [{"text": "one doc"}, {"text": "two doc"}, {"text": "three doc"}]
        )
        d1, d2, d3 = job_documents(s, job.id)
        d1.findings = [
            {
                "guard": "pii",
                "kind": "EMAIL_ADDRESS",
                "data": {"fingerprint": email_fp, "action": "redact"},
            },
            {"guard": "pii", "kind": "PERSON", "data": {"fingerprint": "x", "action": "allow"}},
        ]
        trigger = {"phrase": "blue falcon", "claim": "Blue falcon means buy now."}
        d2.findings = [{"guard": "triggers", "kind": "trigger_phrase", "data": trigger}]
        d2.status = DocumentStatus.accepted
        d3.findings = [
            {"guard": "triggers", "kind": "trigger_phrase", "data": {"phrase": "p", "claim": "c"}}
        ]
        d3.status = DocumentStatus.discarded  # never trained on: nothing to watch
        for d in (d1, d2, d3):
            s.add(d)
        s.commit()
        fingerprints, triggers = tenant_watchlist(s, tenant.id)
    assert fingerprints == {"EMAIL_ADDRESS": {email_fp}}
    assert triggers == [trigger]
