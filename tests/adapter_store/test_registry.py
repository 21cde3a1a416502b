import pytest
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore, directory_checksum
from adapter_store.jobs import create_job
from adapter_store.models import AdapterVersion, TenantPolicy, VersionStatus
from adapter_store.registry import (
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
