"""Which vLLM replicas exist and which one a query goes to (the forwarding itself:
tests/api/test_query_forwarding.py; real replicas killed: bench/reliability.py)."""

from __future__ import annotations

import pytest

from adapter_store.artifacts import LocalArtifactStore
from core.errors import ServiceError
from core.settings import Settings
from serving.replicas import ReplicaSet


def test_replica_urls_come_from_the_list_or_consecutive_ports():
    url = "http://127.0.0.1:8100"
    assert Settings(vllm_url=url).resolved_vllm_urls == [url]
    assert Settings(vllm_url=url, vllm_replicas=3).resolved_vllm_urls == [
        "http://127.0.0.1:8100",
        "http://127.0.0.1:8101",
        "http://127.0.0.1:8102",
    ]
    listed = Settings(vllm_url=url, vllm_urls=["http://vllm-a:8000/", "http://vllm-b:8000"])
    assert listed.resolved_vllm_urls == [
        "http://vllm-a:8000",
        "http://vllm-b:8000",
    ]
    assert Settings(vllm_url="").resolved_vllm_urls == []


def test_a_query_goes_to_the_ready_replica_with_the_fewest_in_flight(tmp_path):
    replicas = ReplicaSet(["http://a", "http://b", "http://c"], LocalArtifactStore(tmp_path))
    a, b, c = replicas.replicas
    with pytest.raises(ServiceError) as none_ready:  # none reconciled yet: none takes queries
        replicas.pick()
    assert none_ready.value.headers["Retry-After"] == "5"
    a.ready = b.ready = True
    with a.adapters.track("base"), a.adapters.track("t1-v1"):
        assert replicas.pick() is b
    assert {replicas.pick().url for _ in range(4)} == {"http://a", "http://b"}  # in turn
    replicas.mark_down(a)
    assert [replicas.pick() for _ in range(3)] == [b, b, b]
    assert replicas.pick(exclude=[]) is b
    with pytest.raises(ServiceError):
        replicas.pick(exclude=[b])
