import pytest
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore, directory_checksum
from adapter_store.jobs import create_job
from adapter_store.models import AdapterVersion, TenantPolicy, VersionStatus
from adapter_store.registry import (
    active_version_id,
    create_tenant,
    get_active_version,
    hash_key,
    register_version,
    set_active,
    tenant_by_key,
    tenant_rollback_target,
)
from core.errors import ServiceError


def _version(session, tenant_id, job_id=None, status=VersionStatus.ready):
    return register_version(
        session,
        tenant_id=tenant_id,
        artifact_uri="k",
        checksum="c",
        parent_id=None,
        job_id=job_id,
        status=status,
        metrics={},
    )


def test_tenant_keys_are_stored_hashed(any_engine):
    with Session(any_engine) as s:
        tenant, key = create_tenant(s, "acme", TenantPolicy(auto_promote=False))
        assert key not in (tenant.key_hash, tenant.key_prefix) and tenant.key_hash == hash_key(key)
        assert tenant_by_key(s, key).id == tenant.id
        assert tenant_by_key(s, key + "x") is None
        with pytest.raises(ServiceError, match="already exists"):
            create_tenant(s, "acme")


def test_versions_number_per_tenant_and_alias_moves(any_engine):
    with Session(any_engine) as s:
        a, _ = create_tenant(s, "a")
        b, _ = create_tenant(s, "b")
        v1, v2, w1 = _version(s, a.id), _version(s, a.id), _version(s, b.id)
        assert (v1.version, v2.version, w1.version) == (1, 2, 1)
        assert v2.name == f"t{a.id}-v2"
        assert get_active_version(s, a.id) is None
        set_active(s, a.id, v2.id)
        assert get_active_version(s, a.id).id == v2.id
        assert tenant_rollback_target(s, a.id, None).id == v1.id
        set_active(s, a.id, v1.id)
        assert tenant_rollback_target(s, a.id, None) is None  # before v1 is the base model


def test_rollback_refuses_unknown_or_unservable_versions(any_engine):
    with Session(any_engine) as s:
        a, _ = create_tenant(s, "a")
        _version(s, a.id, status=VersionStatus.rejected)
        with pytest.raises(
            ServiceError, match="is rejected; only a version that is ready can serve"
        ):
            tenant_rollback_target(s, a.id, 1)
        with pytest.raises(ServiceError, match="not found"):
            tenant_rollback_target(s, a.id, 9)
        with pytest.raises(ServiceError, match="no active adapter to roll back from"):
            tenant_rollback_target(s, a.id, None)


def test_one_version_per_job(any_engine):
    with Session(any_engine) as s:
        a, _ = create_tenant(s, "a")
        job, _ = create_job(s, a.id, [{"text": "x"}])
        _version(s, a.id, job_id=job.id)
        with pytest.raises(ServiceError, match="already registered"):
            _version(s, a.id, job_id=job.id)
        assert len(s.exec(select(AdapterVersion)).all()) == 1


def test_idempotency_key_returns_the_first_job(any_engine):
    with Session(any_engine) as s:
        a, _ = create_tenant(s, "a")
        j1, created1 = create_job(s, a.id, [{"text": "x"}], "key-1")
        j2, created2 = create_job(s, a.id, [{"text": "y"}], "key-1")
        assert (created1, created2, j1.id) == (True, False, j2.id)


def test_artifacts_commit_atomically_with_checksum(tmp_path):
    store = LocalArtifactStore(tmp_path / "store")
    scratch = store.scratch_dir()
    (scratch / "adapter_config.json").write_text("{}")
    (scratch / "adapter_model.safetensors").write_bytes(b"weights")
    expected = directory_checksum(scratch)
    key, checksum = store.commit_dir(scratch, "tenants/1")
    assert checksum == expected and not scratch.exists()
    assert store.verify(key, checksum) and store.keys() == {key}
    (store.local_path(key) / "adapter_model.safetensors").write_bytes(b"tampered")
    assert not store.verify(key, checksum)
    with pytest.raises(ValueError, match="escapes"):
        store.local_path("../../etc")
    bad = store.scratch_dir()
    with pytest.raises(ValueError, match="not a saved adapter"):
        store.commit_dir(bad, "tenants/1")


def test_sweep_removes_only_old_orphans(tmp_path):
    store = LocalArtifactStore(tmp_path / "store")
    keys = []
    for _ in range(2):
        d = store.scratch_dir()
        (d / "adapter_config.json").write_text("{}")
        keys.append(store.commit_dir(d, "tenants/1")[0])
    assert store.sweep(referenced={keys[0]}, min_age_s=3600) == []
    assert store.sweep(referenced={keys[0]}, min_age_s=0) == [keys[1]]
    assert store.keys() == {keys[0]}


def _two_versions(engine, active_first=False):  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        a, _ = create_tenant(s, "a")
        v1, v2 = _version(s, a.id), _version(s, a.id)
        if active_first:
            set_active(s, a.id, v1.id)
        return a.id, v1.id, v2.id


def test_two_first_activations_of_one_tenant_both_land(any_engine):
    """Two promotions that each saw no active adapter: the second used to hit the alias's primary
    key (IntegrityError, and the job then deleted its trained version). Now the later one wins
    and both versions stay."""
    tid, id1, id2 = _two_versions(any_engine)
    with Session(any_engine) as first, Session(any_engine) as second:
        assert active_version_id(first, tid) is None
        assert active_version_id(second, tid) is None
        first.commit()
        second.commit()
        set_active(first, tid, id1)
        set_active(second, tid, id2)
    with Session(any_engine) as s:
        assert get_active_version(s, tid).id == id2
        assert {v.id for v in s.exec(select(AdapterVersion))} == {id1, id2}


def test_an_alias_moved_meanwhile_is_a_conflict_and_nothing_changes(any_engine):
    """Approve vs rollback: the approval saw v1 active; a rollback to the base model lands while
    the approved adapter loads; the approval's move is refused and the rollback stands."""
    tid, id1, id2 = _two_versions(any_engine, active_first=True)
    with Session(any_engine) as approver, Session(any_engine) as roller:
        seen = active_version_id(approver, tid)
        approver.commit()
        set_active(roller, tid, None, expected=active_version_id(roller, tid))
        with pytest.raises(ServiceError, match="changed while this request ran") as err:
            set_active(approver, tid, id2, expected=seen)
        assert err.value.code == "conflict"
        # And the other way round: a move from "nothing active" finds v2 activated meanwhile.
        set_active(roller, tid, id2, expected=None)
        with pytest.raises(ServiceError, match="changed while"):
            set_active(approver, tid, id1, expected=None)
        with pytest.raises(ServiceError, match="changed while"):
            set_active(approver, tid, None, expected=id1)
    with Session(any_engine) as s:
        assert get_active_version(s, tid).id == id2


def test_compare_and_set_moves_when_nothing_changed(any_engine):
    tid, id1, id2 = _two_versions(any_engine, active_first=True)
    with Session(any_engine) as s:
        set_active(s, tid, id2, expected=id1)
        assert active_version_id(s, tid) == id2
        set_active(s, tid, None, expected=id2)
        assert active_version_id(s, tid) is None
        set_active(s, tid, None, expected=None)
        set_active(s, tid, id1, expected=None)
        assert active_version_id(s, tid) == id1
