"""Several vLLM replicas behind one API.

- ``ReplicaSet`` (the API): each replica has its own adapter router (``serving.router``: what is
  loaded there, what is in flight there). A replica takes queries only once it is *ready*:
  healthy, and a reconcile pass has loaded every active adapter since it was last seen down, so a
  replica that restarted never answers a tenant with the base model for want of its adapter.
  Queries go to the ready replica with the fewest in flight; one that cannot be reached is marked
  down at once and the query tries the next. With none ready the answer is 503 with Retry-After.
- ``ReplicaAdmin`` (promotion, policies, workers): loads an adapter on every replica that is up,
  before an alias moves; a replica that is down gets it from the reconciler before it is ready.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from adapter_store.artifacts import ArtifactStore
from core import metrics
from core.errors import ServiceError
from serving.client import ServingError, VLLMAdmin
from serving.router import AdapterRouter

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5  # about one reconcile pass: a restarted replica is ready again by then


def unavailable(message: str) -> ServiceError:
    return ServiceError("unavailable", message, headers={"Retry-After": str(RETRY_AFTER_S)})


class ReplicaAdmin:
    """Adapter management over every replica, with ``VLLMAdmin``'s interface."""

    def __init__(self, admins: list[VLLMAdmin]) -> None:
        if not admins:
            raise ValueError("no vLLM replica configured")
        self.admins = admins

    @classmethod
    def for_urls(cls, urls: list[str], api_key: str | None = None) -> ReplicaAdmin:
        return cls([VLLMAdmin(u, api_key=api_key) for u in urls])

    def healthy(self) -> bool:
        return any(a.healthy() for a in self.admins)

    def load_adapter(self, name: str, path: Path) -> None:
        """Load on every replica that is up; a failure on one that is up is a failure (the
        caller's alias must not move to a version some replicas cannot serve)."""
        loaded = 0
        for admin in self.admins:
            if not admin.healthy():
                log.warning("%s is down: it loads %s when it is back", admin.base_url, name)
                continue
            admin.load_adapter(name, path)
            loaded += 1
        if not loaded:
            raise ServingError(f"no model server is up to load {name}")

    def unload_adapter(self, name: str) -> None:
        for admin in self.admins:
            if admin.healthy():
                admin.unload_adapter(name)

    def served_models(self) -> set[str]:
        """What every replica that is up serves."""
        sets = [a.served_models() for a in self.admins if a.healthy()]
        return set.intersection(*sets) if sets else set()


@dataclass(eq=False)
class Replica:
    url: str
    admin: VLLMAdmin
    adapters: AdapterRouter
    ready: bool = False


class ReplicaSet:
    def __init__(self, urls: list[str], store: ArtifactStore, api_key: str | None = None) -> None:
        if not urls:
            raise ValueError("no vLLM replica configured")
        self.replicas = []
        for url in urls:
            admin = VLLMAdmin(url, api_key=api_key)
            self.replicas.append(Replica(url.rstrip("/"), admin, AdapterRouter(admin, store)))
        self.admin = ReplicaAdmin([r.admin for r in self.replicas])
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def reconcile(self, engine: Engine) -> dict[str, Any]:
        """One pass over every replica: a healthy one gets its adapters in step and is ready
        after; one that does not answer is not ready until a later pass succeeds."""
        out: dict[str, Any] = {}
        for r in self.replicas:
            out[r.url] = self._reconcile_one(r, engine)
            # Labelled by URL: as many series as configured replicas.
            metrics.REPLICA_READY.labels(replica=r.url).set(1 if r.ready else 0)
            metrics.ADAPTERS_LOADED.labels(replica=r.url).set(
                len(r.adapters.loaded) if r.ready else 0
            )
        return out

    def _reconcile_one(self, r: Replica, engine: Engine) -> Any:
        if not r.admin.healthy():
            if r.ready:
                log.warning("replica %s is down; it takes no queries", r.url)
            r.ready = False
            return "down"
        try:
            done = r.adapters.reconcile(engine)
        except Exception:  # noqa: BLE001 - restarting; the next pass retries
            log.warning("could not reconcile %s", r.url, exc_info=True)
            r.ready = False
            return "error"
        if not r.ready:
            log.info("replica %s is ready", r.url)
        r.ready = True
        return done

    def ready(self) -> list[Replica]:
        return [r for r in self.replicas if r.ready]

    def pick(self, exclude: list[Replica] | tuple[Replica, ...] = ()) -> Replica:
        """The ready replica with the fewest requests in flight (in turn among equals)."""
        with self._lock:
            turn = next(self._turn)
        ready = [r for r in self.ready() if r not in exclude]
        if not ready:
            raise unavailable("no model server is ready (restarting); try again shortly")
        rotated = ready[turn % len(ready) :] + ready[: turn % len(ready)]
        return min(rotated, key=lambda r: r.adapters.total_inflight())

    def mark_down(self, replica: Replica) -> None:
        if replica.ready:
            log.warning(
                "replica %s did not answer; it takes no queries until it is back", replica.url
            )
        replica.ready = False
