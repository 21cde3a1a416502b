"""The adapter reconciler's decisions: what it loads and unloads, policies included. vLLM's admin
endpoints are stood in for by a recorder (the real server is exercised by the end-to-end tests)."""

import pytest
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.models import PolicyStatus, VersionStatus
from adapter_store.policies import register_policy
from adapter_store.registry import create_tenant, register_version, set_active
from core.errors import ServiceError
from serving.promotion import preload
from serving.router import BASE, AdapterRouter


class RecordingAdmin:
    def __init__(self, served):
        self.served = set(served)
        self.loaded, self.unloaded = [], []

    def served_models(self):
        return {BASE, *self.served}

    def load_adapter(self, name, path):
        self.served.add(name)
        self.loaded.append(name)

    def unload_adapter(self, name):
        self.served.discard(name)
        self.unloaded.append(name)


def _artifact(store, prefix):
    """A committed (tiny) adapter directory: its key and the checksum the store recorded."""
    scratch = store.scratch_dir()
    (scratch / "adapter_config.json").write_text("{}")
    return store.commit_dir(scratch, prefix)


def _policy(session, store, name, status):
    key, checksum = _artifact(store, "policies")
    return register_policy(
        session,
        scope="global",
        tenant_id=None,
        name=name,
        parent_id=None,
        round_id=None,
        status=status,
        artifact_uri=key,
        checksum=checksum,
        metrics={},
    )


def test_reconcile_keeps_active_policies_and_evaluated_ones_and_unloads_ended_ones(
    engine, tmp_path
):
    store = LocalArtifactStore(tmp_path)
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "acme")
        old, new = (_version(s, store, tenant.id) for _ in range(2))
        set_active(s, tenant.id, new.id)
        _policy(s, store, "policy-global-r1", PolicyStatus.retired)
        _policy(s, store, "policy-global-r2", PolicyStatus.active)
    admin = RecordingAdmin({old.name, "policy-global-r1", "policy-global-r3"})
    router = AdapterRouter(admin, store)  # type: ignore[arg-type]
    first = router.reconcile(engine)
    assert (
        sorted(first["loaded"]) == sorted([new.name, "policy-global-r2"])
        and first["unloaded"] == []
    )
    second = router.reconcile(engine)  # two passes apart: only now are idle leftovers unloaded
    assert sorted(second["unloaded"]) == sorted([old.name, "policy-global-r1"])
    # r3 is a round's new policy under evaluation, not registered yet: never unloaded.
    assert "policy-global-r3" in admin.served


def _version(session, store, tenant_id, checksum=None):
    key, stored = _artifact(store, f"tenants/{tenant_id}")
    return register_version(
        session,
        tenant_id=tenant_id,
        artifact_uri=key,
        checksum=checksum or stored,
        parent_id=None,
        job_id=None,
        status=VersionStatus.ready,
        metrics={},
    )


def test_an_artifact_that_no_longer_matches_its_checksum_is_never_loaded(engine, tmp_path):
    store = LocalArtifactStore(tmp_path)
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "acme")
        version = _version(s, store, tenant.id)
        set_active(s, tenant.id, version.id)
    # The bytes change after the commit (a truncated copy, a tampered file).
    (store.local_path(version.artifact_uri) / "adapter_config.json").write_text('{"r": 1}')
    admin = RecordingAdmin(set())
    router = AdapterRouter(admin, store)  # type: ignore[arg-type]
    assert router.reconcile(engine)["loaded"] == [] and admin.loaded == []
    with pytest.raises(ServiceError, match="does not match its checksum|could not load"):
        router.ensure_loaded(version)
    with pytest.raises(ServiceError, match="do not match their checksum"):
        preload(version, store, admin)  # type: ignore[arg-type]
    assert admin.loaded == []
