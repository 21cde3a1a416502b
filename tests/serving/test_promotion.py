"""Approving and rolling back while the other happens: the alias moves compare-and-set, so a
decision that lands while an adapter loads is never silently undone."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from adapter_store.models import AdapterVersion, VersionStatus
from adapter_store.registry import (
    active_version_id,
    create_tenant,
    register_version,
    set_active,
)
from core.errors import ServiceError
from serving.promotion import activate, approve


class _Store:
    def verified_path(self, uri: str, checksum: str) -> str:
        return f"/artifacts/{uri}"


class _AdminThatLetsOthersIn:
    """A model server whose adapter load takes long enough for another request to land: it runs
    ``meanwhile`` (the other side of the race) during the load."""

    def __init__(self, meanwhile) -> None:  # type: ignore[no-untyped-def]
        self.meanwhile = meanwhile

    def load_adapter(self, name: str, path: str) -> None:
        self.meanwhile()


def _setup(engine, second_status=VersionStatus.awaiting_approval):  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        tenant, _ = create_tenant(s, "t")
        ids = []
        for status in (VersionStatus.ready, second_status):
            v = register_version(
                s,
                tenant_id=tenant.id,
                artifact_uri="a",
                checksum="c",
                parent_id=None,
                job_id=None,
                status=status,
                metrics={},
            )
            ids.append(v.id)
        set_active(s, tenant.id, ids[0])
        return tenant.id, ids[0], ids[1]


def _rollback_to_base(engine, tenant_id):  # type: ignore[no-untyped-def]
    def run() -> None:
        with Session(engine) as other:
            activate(other, tenant_id, None, _Store(), None)  # type: ignore[arg-type]

    return run


def test_approve_loses_to_a_rollback_that_lands_while_it_loads(any_engine):
    tid, _, v2 = _setup(any_engine)
    admin = _AdminThatLetsOthersIn(_rollback_to_base(any_engine, tid))
    with Session(any_engine) as s:
        with pytest.raises(ServiceError, match="changed while this request ran"):
            approve(s, s.get(AdapterVersion, v2), _Store(), admin)  # type: ignore[arg-type]
    with Session(any_engine) as s:
        assert active_version_id(s, tid) is None  # the rollback stands
        # The approval left nothing half-done: the version still awaits a decision.
        assert s.get(AdapterVersion, v2).status == VersionStatus.awaiting_approval


def test_rollback_loses_to_an_approval_that_lands_while_it_loads(any_engine):
    tid, v1, v2 = _setup(any_engine, second_status=VersionStatus.ready)

    def approve_meanwhile() -> None:
        with Session(any_engine) as other:
            set_active(other, tid, v2, expected=v1)

    with Session(any_engine) as s:
        with pytest.raises(ServiceError, match="changed while"):
            activate(
                s,
                tid,
                s.get(AdapterVersion, v1),
                _Store(),  # type: ignore[arg-type]
                _AdminThatLetsOthersIn(approve_meanwhile),  # type: ignore[arg-type]
            )
    with Session(any_engine) as s:
        assert active_version_id(s, tid) == v2


def test_approve_without_a_race_activates(any_engine):
    tid, _, v2 = _setup(any_engine)
    with Session(any_engine) as s:
        approve(s, s.get(AdapterVersion, v2), _Store(), _AdminThatLetsOthersIn(lambda: None))  # type: ignore[arg-type]
    with Session(any_engine) as s:
        assert active_version_id(s, tid) == v2
        assert s.get(AdapterVersion, v2).status == VersionStatus.ready
