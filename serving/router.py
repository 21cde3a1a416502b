"""Routes tenant queries to vLLM and keeps vLLM's loaded adapters in step with the database.

Tenants never name vLLM adapters themselves: ``resolve_model`` maps what they ask for (nothing,
their own model id, or ``base``) to the name of their active version. The reconciler loads every
active version at start-up and after a vLLM restart, and unloads versions that stopped being active
once no request of this process is still using them (two passes apart, so that a version a worker
just preloaded is not unloaded in the instant before its alias moves). Self-edit policies
(``policy-*``) are loaded while active; the reconciler unloads one only once the registry says it is
retired or rejected, never a round's new policy that is being evaluated and not yet registered.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapter_store.artifacts import ArtifactStore
from adapter_store.models import AdapterVersion, PolicyStatus, PolicyVersion, Tenant
from adapter_store.policies import active_policies
from adapter_store.registry import active_versions, get_active_version
from core.errors import ServiceError
from serving.client import ServingError, VLLMAdmin

log = logging.getLogger(__name__)
BASE = "base"


def tenant_model_id(tenant: Tenant) -> str:
    return f"t{tenant.id}"


def resolve_model(
    session: Session, tenant: Tenant, requested: str | None
) -> tuple[bool, AdapterVersion | None]:
    """What a tenant's query names: ``base`` (True), or its own model, i.e. its active version
    (None: it has none yet). Whether that version answers this particular query is
    ``serving.scoping``'s decision."""
    if requested == BASE:
        return True, None
    if requested not in (None, "", tenant_model_id(tenant)):
        # Same answer whether the name is another tenant's or made up: nothing leaks.
        raise ServiceError("not_found", f"model {requested!r} not found; see GET /v1/models")
    return False, get_active_version(session, tenant.id)  # type: ignore[arg-type]


class AdapterRouter:
    def __init__(self, admin: VLLMAdmin, store: ArtifactStore) -> None:
        self.admin = admin
        self.store = store
        self._inflight: Counter[str] = Counter()
        self._stale: set[str] = set()
        self._lock = threading.Lock()
        self.loaded: set[str] = set()  # what the last reconcile pass left loaded (the metric)

    @contextmanager
    def track(self, name: str) -> Iterator[None]:
        with self._lock:
            self._inflight[name] += 1
        try:
            yield
        finally:
            with self._lock:
                self._inflight[name] -= 1

    def inflight(self, name: str) -> int:
        with self._lock:
            return self._inflight[name]

    def total_inflight(self) -> int:
        with self._lock:
            return sum(self._inflight.values())

    def ensure_loaded(self, version: AdapterVersion | PolicyVersion) -> None:
        try:
            path = self.store.verified_path(version.artifact_uri, version.checksum)
            self.admin.load_adapter(version.name, path)
        except (ServingError, OSError) as exc:  # CorruptArtifact is an OSError: logged, not served
            raise ServiceError(
                "unavailable",
                "the model server could not load the adapter; try again shortly",
                headers={"Retry-After": "5"},
            ) from exc

    def reconcile(self, engine: Engine) -> dict[str, list[str]]:
        """One pass: load active versions that are missing, unload idle inactive ones."""
        with Session(engine) as session:
            servable: list[AdapterVersion | PolicyVersion] = [
                *active_versions(session),
                *active_policies(session),
            ]
            desired = {v.name: v for v in servable}
            ended_policies = set(
                session.exec(
                    select(PolicyVersion.name).where(
                        col(PolicyVersion.status).in_([PolicyStatus.retired, PolicyStatus.rejected])
                    )
                )
            )
        loaded = self.admin.served_models() - {BASE}
        done: dict[str, list[str]] = {"loaded": [], "unloaded": []}
        for name in sorted(set(desired) - loaded):
            try:
                self.ensure_loaded(desired[name])
                done["loaded"].append(name)
            except ServiceError:
                log.exception("could not load %s", name)
        inactive = {
            n for n in loaded - set(desired) if not n.startswith("policy-") or n in ended_policies
        }
        for name in sorted(inactive):
            if name in self._stale and self.inflight(name) == 0:
                self.admin.unload_adapter(name)
                done["unloaded"].append(name)
        self._stale = {n for n in inactive if n not in done["unloaded"]}
        self.loaded = (loaded | set(done["loaded"])) - set(done["unloaded"])
        return done
