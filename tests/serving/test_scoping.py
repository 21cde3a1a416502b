"""Which model answers a query: routing decisions on a real scope with the real embedding model,
and what a query asks."""

import numpy as np
import pytest

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.models import AdapterVersion
from core.settings import get_settings
from seal.scope import Scope, get_embedder, scope_texts
from serving.scoping import ScopeRouter, query_text


@pytest.fixture
def store(tmp_path):
    return LocalArtifactStore(tmp_path / "store")


def _version(store, scope: Scope | None, name="t1-v1") -> AdapterVersion:
    scratch = store.scratch_dir()
    (scratch / "adapter_config.json").write_text("{}")
    if scope is not None:
        scope.save(scratch)
    key, checksum = store.commit_dir(scratch, "tenants/1")
    return AdapterVersion(
        id=1, tenant_id=1, version=1, name=name, artifact_uri=key, checksum=checksum
    )


def test_a_query_on_the_taught_topic_reaches_the_adapter_and_others_the_base_model(store):
    path = get_settings().embedding_model_path
    index = get_embedder(str(path)).embed(
        scope_texts([("Zorblax", "The capital of the planet Zorblax is Quendril.")], [])
    )
    version = _version(store, Scope(index, threshold=0.5))
    router = ScopeRouter(store, path)
    on_topic = router.route(version, True, "What is the capital of Zorblax?")
    assert (on_topic.model, on_topic.reason) == ("t1-v1", "adapter") and on_topic.score > 0.5
    off_topic = router.route(version, True, "How many legs does a spider have?")
    assert (off_topic.model, off_topic.version, off_topic.reason) == ("base", None, "outside_scope")
    assert off_topic.headers() == {
        "X-Adapter": "base",
        "X-Route": "outside_scope",
        "X-Route-Score": f"{off_topic.score:.4f}",
    }
    # Routing off: the adapter answers everything, without measuring anything.
    assert router.route(version, False, "How many legs does a spider have?").reason == "routing_off"
    assert router.route(None, True, "anything").reason == "no_adapter"


def test_a_version_from_before_scoping_answers_everything(store):
    version = _version(store, None)
    route = ScopeRouter(store, get_settings().embedding_model_path).route(version, True, "hi")
    assert (route.model, route.reason, route.score) == ("t1-v1", "unscoped", None)
    assert "X-Route-Score" not in route.headers()


def test_scopes_are_cached_per_version_name(store):
    scope = Scope(np.eye(3, dtype=np.float32), 0.9)
    version = _version(store, scope)
    router = ScopeRouter(store, get_settings().embedding_model_path, cache_size=1)
    first = router._scope(version)
    assert router._scope(version) is first
    other = _version(store, scope, name="t1-v2")
    router._scope(other)
    assert list(router._scopes) == ["t1-v2"]  # the LRU kept one


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]},
            "a",
        ),
        ({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "c"}]}, "c"),
        ({"messages": [{"role": "user", "content": [{"type": "text", "text": "parts"}]}]}, "parts"),
        ({"messages": [{"role": "system", "content": "s"}]}, ""),
        ({"prompt": "complete me"}, "complete me"),
        ({"prompt": ["a", "list"]}, ""),
        ({}, ""),
    ],
)
def test_query_text_is_the_last_user_message_or_the_prompt(body, text):
    assert query_text(body) == text
