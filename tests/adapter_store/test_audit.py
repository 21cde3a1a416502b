"""The audit trail's store: rows are appended, filtered and paged newest first, and the database
itself refuses to change or delete one (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from adapter_store.audit import Actor, AuditFilter, list_events, record
from core import context

ADMIN = Actor.admin("test-admin-key")


def _fill(session: Session) -> None:
    with context.bound(context.request_id, "req-0000000001"):
        record(session, ADMIN, "tenant.created", "tenant", 1, tenant_id=1, after={"name": "a"})
    record(session, ADMIN, "tenant.created", "tenant", 2, tenant_id=2, after={"name": "b"})
    record(session, Actor.tenant(1, "sk-seal-abcd"), "knowledge.taught", "job", 7, tenant_id=1)
    record(session, ADMIN, "adapter.approved", "adapter", 3, tenant_id=1)


def test_filters_and_paging(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        _fill(s)
        everything = list_events(s, AuditFilter())
        assert [e.action for e in everything] == [
            "adapter.approved",
            "knowledge.taught",
            "tenant.created",
            "tenant.created",
        ]
        assert [e.object_id for e in list_events(s, AuditFilter(tenant_id=1))] == ["3", "7", "1"]
        assert [e.actor_id for e in list_events(s, AuditFilter(actor_kind="tenant"))] == [1]
        assert len(list_events(s, AuditFilter(action="tenant."))) == 2
        assert len(list_events(s, AuditFilter(action="tenant"))) == 0  # exact, not a prefix
        first = list_events(s, AuditFilter(request_id="req-0000000001"))
        assert [(e.object_id, e.key_prefix) for e in first] == [("1", "test…")]
        page = list_events(s, AuditFilter(), limit=2)
        older = list_events(s, AuditFilter(), limit=2, before_id=page[-1].id)
        assert [e.id for e in page + older] == [e.id for e in everything]


def test_unknown_actions_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as s, pytest.raises(ValueError, match="unknown audit action"):
        record(s, ADMIN, "tenant.renamed", "tenant", 1)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"]
)
@pytest.mark.parametrize("db", ["engine", "pg_engine"])
def test_the_database_refuses_to_edit_the_trail(request, db, statement) -> None:  # type: ignore[no-untyped-def]
    eng = request.getfixturevalue(db)
    with Session(eng) as s:
        _fill(s)
    with eng.connect() as conn, pytest.raises(DatabaseError, match="append-only"):
        conn.execute(text(statement))
    with Session(eng) as s:
        assert [e.action for e in list_events(s, AuditFilter())][-1] == "tenant.created"
        assert len(list_events(s, AuditFilter())) == 4
