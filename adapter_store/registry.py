"""Tenants, keys and the adapter version registry: plain functions over a session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from adapter_store.lifecycle import allocate_version, rollback_target
from adapter_store.models import (
    AdapterAlias,
    AdapterVersion,
    Tenant,
    TenantPolicy,
    VersionStatus,
    utcnow,
)
from core.errors import ServiceError

ACTIVE = "active"
KEY_PREFIX = "sk-seal-"


def hash_key(api_key: str) -> str:
    # Keys are 256-bit random strings, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(api_key.encode()).hexdigest()


def keys_match(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def create_tenant(
    session: Session, name: str, policy: TenantPolicy | None = None
) -> tuple[Tenant, str]:
    """Create a tenant; return it with its API key, which is shown once and stored only hashed."""
    api_key = new_api_key()
    key_hash, key_prefix = _stored_key(api_key)
    tenant = Tenant(
        name=name,
        key_hash=key_hash,
        key_prefix=key_prefix,
        policy=(policy or TenantPolicy()).model_dump(mode="json"),
    )
    session.add(tenant)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ServiceError("conflict", f"a tenant named {name!r} already exists") from exc
    session.refresh(tenant)
    return tenant, api_key


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _stored_key(api_key: str) -> tuple[str, str]:
    """What a tenant row stores of its key: the hash, and a prefix to recognise it by."""
    return hash_key(api_key), api_key[: len(KEY_PREFIX) + 4]


def rotate_key(session: Session, tenant: Tenant) -> str:
    """Give the tenant a new key; the old one stops working with this commit."""
    api_key = new_api_key()
    tenant.key_hash, tenant.key_prefix = _stored_key(api_key)
    session.add(tenant)
    session.commit()
    session.refresh(tenant)
    return api_key


def set_disabled(session: Session, tenant: Tenant, disabled: bool) -> Tenant:
    """Disable (or enable) a tenant: a disabled tenant's key is refused and its active adapter
    leaves the set the model server is told to keep loaded (``active_versions``)."""
    if disabled and tenant.disabled_at is None:
        tenant.disabled_at = utcnow()
    elif not disabled:
        tenant.disabled_at = None
    session.add(tenant)
    session.commit()
    session.refresh(tenant)
    return tenant


def tenant_by_key(session: Session, api_key: str) -> Tenant | None:
    return session.exec(select(Tenant).where(Tenant.key_hash == hash_key(api_key))).first()


def update_policy(session: Session, tenant: Tenant, changes: dict[str, Any]) -> Tenant:
    merged = TenantPolicy.model_validate({**tenant.policy_obj.model_dump(), **changes})
    tenant.policy = merged.model_dump(mode="json")
    session.add(tenant)
    session.commit()
    session.refresh(tenant)
    return tenant


def version_name(tenant_id: int, version: int) -> str:
    return f"t{tenant_id}-v{version}"


def get_active_version(session: Session, tenant_id: int) -> AdapterVersion | None:
    alias = session.get(AdapterAlias, (tenant_id, ACTIVE))
    return session.get(AdapterVersion, alias.version_id) if alias else None


def active_versions(session: Session) -> list[AdapterVersion]:
    stmt = (
        select(AdapterVersion)
        .join(AdapterAlias, col(AdapterAlias.version_id) == col(AdapterVersion.id))
        .join(Tenant, col(Tenant.id) == col(AdapterVersion.tenant_id))
        .where(AdapterAlias.alias == ACTIVE, col(Tenant.disabled_at).is_(None))
    )
    return list(session.exec(stmt))


def register_version(
    session: Session,
    *,
    tenant_id: int,
    artifact_uri: str,
    checksum: str,
    parent_id: int | None,
    job_id: int | None,
    status: VersionStatus,
    metrics: dict[str, Any],
    eval_report: dict[str, Any] | None = None,
) -> AdapterVersion:
    """Insert an immutable version numbered max+1 for the tenant; a job registers one at most."""

    def job_already_registered() -> None:
        if (
            job_id is not None
            and session.exec(select(AdapterVersion).where(AdapterVersion.job_id == job_id)).first()
        ):
            raise ServiceError("conflict", f"job {job_id} already registered a version")

    return allocate_version(
        session,
        AdapterVersion,
        [AdapterVersion.tenant_id == tenant_id],
        lambda n: AdapterVersion(
            tenant_id=tenant_id,
            version=n,
            name=version_name(tenant_id, n),
            parent_id=parent_id,
            job_id=job_id,
            status=status,
            artifact_uri=artifact_uri,
            checksum=checksum,
            metrics=metrics,
            eval_report=eval_report or {},
        ),
        on_conflict=job_already_registered,
    )


class _Any:
    """``expected`` not given: move the alias whatever it points at."""


ANY_VERSION: Any = _Any()


def set_active(
    session: Session,
    tenant_id: int,
    version_id: int | None,
    *,
    expected: int | None = ANY_VERSION,
    commit: bool = True,
) -> None:
    """Point the tenant's ``active`` alias at a version (None: serve the base model), as one
    statement: an upsert, so two first activations of a tenant cannot collide on the key (the
    later one wins, neither fails). With ``expected`` (the version id the caller saw, None for
    none) it is a compare-and-set: if another request moved the alias meanwhile, nothing changes
    and ``conflict`` is raised. ``commit=False`` leaves it in the caller's transaction (a job's
    promotion commits both)."""
    table = AdapterAlias.__table__  # type: ignore[attr-defined]
    compare = expected is not ANY_VERSION
    session.flush()  # the caller's pending changes go in the same transaction (and roll back too)
    conn = session.connection()
    where = [table.c.tenant_id == tenant_id, table.c.alias == ACTIVE]
    if version_id is None:
        if compare and expected is None:
            # Nothing was active and nothing is to be: only check that it is still so.
            moved = conn.execute(select(table.c.version_id).where(*where)).first() is None
        else:
            stmt = table.delete().where(*where)
            if compare:
                stmt = stmt.where(table.c.version_id == expected)
            moved = _changed(conn, stmt) or not compare
    elif compare and expected is not None:
        # Moved only if it still points where the caller saw it.
        stmt = (
            table.update()
            .where(*where, table.c.version_id == expected)
            .values(version_id=version_id, updated_at=utcnow())
        )
        moved = _changed(conn, stmt)
    else:
        stmt = _insert_for(session)(table).values(
            tenant_id=tenant_id, alias=ACTIVE, version_id=version_id, updated_at=utcnow()
        )
        if compare:  # nothing was active: created only if still nothing is
            stmt = stmt.on_conflict_do_nothing(index_elements=[table.c.tenant_id, table.c.alias])
        else:
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.tenant_id, table.c.alias],
                set_={"version_id": version_id, "updated_at": utcnow()},
            )
        moved = _changed(conn, stmt)
    if compare and not moved:
        session.rollback()
        raise ServiceError(
            "conflict",
            f"tenant {tenant_id}'s active version changed while this request ran; reload and retry",
        )
    # The ORM may hold the alias row as it was before the statement.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, AdapterAlias):
            session.expire(obj)
    if commit:
        session.commit()


def active_version_id(session: Session, tenant_id: int) -> int | None:
    # A column query, not session.get: the alias may have moved in another statement since this
    # session last loaded it, and the identity map would answer with the old row.
    return session.exec(
        select(AdapterAlias.version_id).where(
            AdapterAlias.tenant_id == tenant_id, AdapterAlias.alias == ACTIVE
        )
    ).first()


def _changed(conn: Any, stmt: Any) -> bool:
    """Whether the statement touched a row (RETURNING: psycopg reports no row count for an
    INSERT ... ON CONFLICT)."""
    return conn.execute(stmt.returning(AdapterAlias.__table__.c.tenant_id)).first() is not None  # type: ignore[attr-defined]


def _insert_for(session: Session) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_update`` (SQLite and PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def withdraw_version(session: Session, version_id: int) -> None:
    """A version still waiting for approval is rejected (its job was cancelled); any other is
    left as it is. Not committed: the caller's transition commits it."""
    version = session.get(AdapterVersion, version_id)
    if version is not None and version.status == VersionStatus.awaiting_approval:
        version.status, version.decided_at = VersionStatus.rejected, utcnow()
        session.add(version)


def tenant_rollback_target(
    session: Session, tenant_id: int, version: int | None
) -> AdapterVersion | None:
    """The version a rollback moves to: the one asked for (it must be ready), else the newest
    ready one older than the active version (None means the base model)."""
    return rollback_target(
        session,
        AdapterVersion,
        [AdapterVersion.tenant_id == tenant_id],
        version=version,
        active=get_active_version(session, tenant_id),
        servable=(VersionStatus.ready,),
        kind="adapter",
    )
