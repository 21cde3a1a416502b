"""Which model answers a tenant's query: its active adapter, or the base model.

A version's scope (``seal.scope``) travels with its adapter files, so promotion and rollback move
the routing with the weights. A query reaches the adapter when it is close enough to what the
tenant taught; anything else goes to the base model, which knows the rest of the world better than
an adapter that learned one document. The decision is shown to the caller in response headers
(``X-Adapter``, ``X-Route``, ``X-Route-Score``). Tenants may switch routing off (policy
``routing``): the adapter then answers everything, as versions from before scoping always do.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapter_store.artifacts import ArtifactStore
from adapter_store.models import AdapterVersion

BASE = "base"


@dataclass(frozen=True)
class Route:
    model: str  # the name vLLM serves the answering model under
    version: AdapterVersion | None  # the adapter version behind it (None: the base model)
    reason: str  # adapter | outside_scope | requested_base | no_adapter | routing_off | unscoped
    score: float | None = None  # the query's best similarity to the scope, when it was measured

    def headers(self) -> dict[str, str]:
        out = {"X-Adapter": self.model, "X-Route": self.reason}
        if self.score is not None:
            out["X-Route-Score"] = f"{self.score:.4f}"
        return out


def query_text(body: dict[str, Any]) -> str:
    """What a query asks: the last user message of a chat, or a completion's prompt."""
    messages = body.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content")
                if isinstance(content, str):
                    return content
                if isinstance(content, list):  # OpenAI content parts
                    return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        return ""
    prompt = body.get("prompt")
    return prompt if isinstance(prompt, str) else ""


class ScopeRouter:
    """Decides routes; scopes are read from the artifact store once per version and kept in a
    small LRU cache (versions are immutable, so a cached scope never goes stale)."""

    def __init__(self, store: ArtifactStore, embedding_model_path: Path, cache_size: int = 256):
        self.store = store
        self.embedding_model_path = embedding_model_path
        self._scopes: OrderedDict[str, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the embedding model now rather than on the first query."""
        from seal.scope import get_embedder

        get_embedder(str(self.embedding_model_path))

    def _scope(self, version: AdapterVersion) -> Any:
        from seal.scope import Scope

        with self._lock:
            if version.name in self._scopes:
                self._scopes.move_to_end(version.name)
                return self._scopes[version.name]
        scope = Scope.load(self.store.local_path(version.artifact_uri))
        with self._lock:
            self._scopes[version.name] = scope
            while len(self._scopes) > self._cache_size:
                self._scopes.popitem(last=False)
        return scope

    def route(self, version: AdapterVersion | None, routing: bool, text: str) -> Route:
        """The route of a query to a tenant's own model (not an explicit ``base``)."""
        if version is None:
            return Route(BASE, None, "no_adapter")
        if not routing:
            return Route(version.name, version, "routing_off")
        scope = self._scope(version)
        if scope is None:
            return Route(version.name, version, "unscoped")
        from seal.scope import get_embedder

        score = float(scope.scores(get_embedder(str(self.embedding_model_path)).embed([text]))[0])
        if score >= scope.threshold:
            return Route(version.name, version, "adapter", score)
        return Route(BASE, None, "outside_scope", score)
