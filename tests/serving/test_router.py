"""The adapter reconciler's decisions: what it loads and unloads, policies included. vLLM's admin
endpoints are stood in for by a recorder (the real server is exercised by the end-to-end tests)."""

from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.models import PolicyStatus, VersionStatus
from adapter_store.policies import register_policy
from adapter_store.registry import create_tenant, register_version, set_active
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


def _policy(session, name, status):
    return register_policy(
        session,
        scope="global",
        tenant_id=None,
        name=name,
        parent_id=None,
        round_id=None,
        status=status,
        artifact_uri=f"policies/{name}",
        checksum="0" * 64,
        metrics={},
    )


def test_reconcile_keeps_active_policies_and_evaluated_ones_and_unloads_ended_ones(
    engine, tmp_path
):
    with Session(engine, expire_on_commit=False) as s:
        tenant, _ = create_tenant(s, "acme")
        old, new = (
            register_version(
                s,
                tenant_id=tenant.id,
                artifact_uri=f"tenants/{n}",
                checksum="0" * 64,
                parent_id=None,
                job_id=None,
                status=VersionStatus.ready,
                metrics={},
            )
            for n in (1, 2)
        )
        set_active(s, tenant.id, new.id)
        _policy(s, "policy-global-r1", PolicyStatus.retired)
        _policy(s, "policy-global-r2", PolicyStatus.active)
    admin = RecordingAdmin({old.name, "policy-global-r1", "policy-global-r3"})
    router = AdapterRouter(admin, LocalArtifactStore(tmp_path))  # type: ignore[arg-type]
    first = router.reconcile(engine)
    assert (
        sorted(first["loaded"]) == sorted([new.name, "policy-global-r2"])
        and first["unloaded"] == []
    )
    second = router.reconcile(engine)  # two passes apart: only now are idle leftovers unloaded
    assert sorted(second["unloaded"]) == sorted([old.name, "policy-global-r1"])
    # r3 is a round's new policy under evaluation, not registered yet: never unloaded.
    assert "policy-global-r3" in admin.served
