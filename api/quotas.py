"""Fair use: per-tenant limits on what one tenant can ask of the shared worker, model server and
guards, so that one tenant cannot starve the rest. Each limit is the tenant policy's value or the
service default (``SEAL_TENANT_MAX_*``); over a limit the answer is 429 ``rate_limited`` with a
``Retry-After`` header saying when trying again can succeed.

Job limits are counted in the database (they hold across API processes and restarts). Query and
scan rates are sliding windows in this API process's memory: cheap on the hot path, and exact for
the one-process deployment; with several API processes each enforces its own window."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from adapter_store.models import Job, JobStatus, Tenant
from core.errors import ServiceError
from core.settings import Settings

# Jobs that hold the worker or wait in its queue. A job waiting for an admin (quarantined,
# awaiting approval) costs the worker nothing and does not count.
ACTIVE_JOB_STATUSES = (
    JobStatus.queued,
    JobStatus.scanning,
    JobStatus.generating,
    JobStatus.training,
    JobStatus.evaluating,
)
# A full queue drains at the pace of the jobs ahead: a minute is an honest first retry.
ACTIVE_RETRY_S = 60


def _limit(tenant: Tenant, field: str, settings: Settings) -> int:
    own = getattr(tenant.policy_obj, field)
    return int(own if own is not None else getattr(settings, f"tenant_{field}"))


def _rate_limited(message: str, retry_after_s: float) -> ServiceError:
    return ServiceError(
        "rate_limited", message, headers={"Retry-After": str(max(1, math.ceil(retry_after_s)))}
    )


def check_teach_quota(session: Session, tenant: Tenant, settings: Settings) -> None:
    """Before a new teach job is created: the tenant's active jobs and its jobs of the last hour."""
    max_active = _limit(tenant, "max_active_jobs", settings)
    active = session.exec(
        select(Job.id).where(Job.tenant_id == tenant.id, col(Job.status).in_(ACTIVE_JOB_STATUSES))
    ).all()
    if len(active) >= max_active:
        raise _rate_limited(
            f"{len(active)} of this tenant's jobs are queued or running (at most {max_active}); "
            "try again when one has finished",
            ACTIVE_RETRY_S,
        )
    per_hour = _limit(tenant, "max_jobs_per_hour", settings)
    recent = session.exec(
        select(Job.created_at)
        .where(Job.tenant_id == tenant.id)
        .order_by(col(Job.created_at).desc())
        .limit(per_hour)
    ).all()
    now = datetime.now(UTC)
    window = [_aware(t) for t in recent if _aware(t) > now - timedelta(hours=1)]
    if len(window) >= per_hour:
        retry = (min(window) + timedelta(hours=1) - now).total_seconds()
        raise _rate_limited(f"at most {per_hour} teach jobs per hour for this tenant", retry)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite hands back naive UTC


class RateWindow:
    """Amounts spent per key over the last ``window_s`` seconds (a sliding window)."""

    def __init__(self, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._now = clock
        self._spent: dict[object, deque[tuple[float, int]]] = defaultdict(deque)
        self._lock = threading.Lock()

    def spend(self, key: object, amount: int, limit: int) -> float:
        """Record ``amount`` if it fits under ``limit``, and return 0; else record nothing and
        return the seconds until it would fit."""
        now = self._now()
        with self._lock:
            spent = self._spent[key]
            while spent and spent[0][0] <= now - self.window_s:
                spent.popleft()
            total = sum(a for _, a in spent)
            if total + amount <= limit:
                spent.append((now, amount))
                return 0.0
            if amount > limit:
                return self.window_s  # never fits in one window; say so plainly
            # The oldest entries must age out until the new amount fits.
            freed = total + amount - limit
            for at, a in spent:
                freed -= a
                if freed <= 0:
                    return at + self.window_s - now
            return self.window_s


class TenantRates:
    """The in-process windows: queries per minute and scanned characters per minute."""

    def __init__(self) -> None:
        self.queries = RateWindow()
        self.scan_chars = RateWindow()

    def check_query(self, tenant: Tenant, settings: Settings) -> None:
        limit = _limit(tenant, "max_queries_per_minute", settings)
        wait = self.queries.spend(tenant.id, 1, limit)
        if wait:
            raise _rate_limited(f"at most {limit} queries per minute for this tenant", wait)

    def check_scan(self, tenant: Tenant, chars: int, settings: Settings) -> None:
        limit = _limit(tenant, "max_scan_chars_per_minute", settings)
        wait = self.scan_chars.spend(tenant.id, chars, limit)
        if wait:
            raise _rate_limited(
                f"at most {limit} characters scanned per minute for this tenant "
                f"(this request has {chars})",
                wait,
            )
