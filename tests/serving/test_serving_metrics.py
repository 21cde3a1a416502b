"""Serving metrics: adapters loaded and readiness per replica after a reconcile pass, and the
time of vLLM's load-adapter call by result."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlmodel import Session

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.models import VersionStatus
from adapter_store.registry import create_tenant, register_version, set_active
from serving.client import ServingError, VLLMAdmin
from serving.replicas import ReplicaSet
from serving.router import BASE, AdapterRouter


class FakeAdmin:
    def __init__(self, up: bool = True) -> None:
        self.up, self.served = up, set()

    def healthy(self) -> bool:
        return self.up

    def served_models(self) -> set[str]:
        return {BASE, *self.served}

    def load_adapter(self, name, path) -> None:  # type: ignore[no-untyped-def]
        self.served.add(name)

    def unload_adapter(self, name) -> None:  # type: ignore[no-untyped-def]
        self.served.discard(name)


def _active_version(session, store, tenant_name):  # type: ignore[no-untyped-def]
    tenant, _ = create_tenant(session, tenant_name)
    scratch = store.scratch_dir()
    (scratch / "adapter_config.json").write_text("{}")
    key, checksum = store.commit_dir(scratch, f"tenants/{tenant.id}")
    version = register_version(
        session,
        tenant_id=tenant.id,
        artifact_uri=key,
        checksum=checksum,
        parent_id=None,
        job_id=None,
        status=VersionStatus.ready,
        metrics={},
    )
    set_active(session, tenant.id, version.id)
    return version


def gauge(name: str, replica: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"replica": replica})


def test_a_reconcile_pass_sets_adapters_loaded_and_ready_per_replica(engine, tmp_path):
    store = LocalArtifactStore(tmp_path)
    with Session(engine, expire_on_commit=False) as s:
        for name in ("one", "two"):
            _active_version(s, store, name)
    urls = ["http://metrics-a:8000", "http://metrics-b:8000"]
    replicas = ReplicaSet(urls, store)
    admins = [FakeAdmin(), FakeAdmin(up=False)]
    for replica, admin in zip(replicas.replicas, admins, strict=True):
        replica.admin, replica.adapters = admin, AdapterRouter(admin, store)  # type: ignore[arg-type]
    replicas.reconcile(engine)
    assert gauge("seal_adapters_loaded", urls[0]) == 2
    assert gauge("seal_replica_ready", urls[0]) == 1
    assert gauge("seal_adapters_loaded", urls[1]) == 0
    assert gauge("seal_replica_ready", urls[1]) == 0

    admins[1].up = True  # back: it gets both adapters and becomes ready
    replicas.reconcile(engine)
    assert gauge("seal_adapters_loaded", urls[1]) == 2
    assert gauge("seal_replica_ready", urls[1]) == 1
    admins[0].up = False
    replicas.reconcile(engine)
    assert gauge("seal_adapters_loaded", urls[0]) == 0


@pytest.mark.parametrize(
    ("reply", "result", "raises"),
    [
        (httpx.Response(200), "loaded", False),
        (
            httpx.Response(400, text="The lora adapter 't1-v1' has already been loaded."),
            "already_loaded",
            False,
        ),
        (httpx.Response(500, text="out of memory"), "error", True),
    ],
)
def test_the_load_adapter_call_is_timed_by_result(monkeypatch, tmp_path, reply, result, raises):
    labels = {"result": result}
    before = REGISTRY.get_sample_value("seal_adapter_load_seconds_count", labels) or 0
    admin = VLLMAdmin("http://vllm")
    monkeypatch.setattr(admin, "_post", lambda path, payload: reply)
    if raises:
        with pytest.raises(ServingError):
            admin.load_adapter("t1-v1", tmp_path)
    else:
        admin.load_adapter("t1-v1", tmp_path)
    assert REGISTRY.get_sample_value("seal_adapter_load_seconds_count", labels) == before + 1
