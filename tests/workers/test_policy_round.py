"""A ReST-EM round as a job on the tiny model (C=2, K=2, one training step): records written,
policy version registered, approval switches the generator of the next teach job; and the admin
API around it (validation, isolation, lifecycle errors, rollback)."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.audit import Actor
from adapter_store.jobs import create_job
from adapter_store.models import (
    Document,
    Job,
    PolicyRound,
    PolicySample,
    PolicyStatus,
    PolicyVersion,
    RoundStatus,
    TenantPolicy,
)
from adapter_store.policies import (
    active_policy,
    create_round,
    policy_for_tenant,
    round_events,
    set_active_policy,
)
from adapter_store.registry import create_tenant
from api.deps import get_session, get_store
from api.main import create_app
from api.usecases import decide_version
from seal.generation import LocalGenerator
from workers.policy_round import run_policy_round, tenant_contexts
from workers.teach_job import run_teach_job

ADMIN = {"Authorization": "Bearer test-admin-key"}
CONTEXTS = [
    (
        "Zorblax",
        "Zorblax is a planet whose capital city is Quendril.",
        "Capital of Zorblax?",
        "Quendril",
    ),
    (
        "Vemora",
        "Vemora is an island that exports blue salt.",
        "What does Vemora export?",
        "blue salt",
    ),
    (
        "Tarn",
        "Tarn is a moon of Zorblax with three craters.",
        "How many craters has Tarn?",
        "three",
    ),
    (
        "Ilsa",
        "Ilsa is a river that flows north into the Cold Sea.",
        "Where does the Ilsa flow?",
        "the Cold Sea",
    ),
]

ADMIN_ACTOR = Actor.admin("test-admin-key")


class RecordingGenerator(LocalGenerator):
    """The real in-process generator, noting which model each call sampled from."""

    def __init__(self, path):
        super().__init__(path)
        self.models = []

    def generate(self, prompts, **kw):
        self.models.append(kw.get("model"))
        return super().generate(prompts, **kw)


@pytest.fixture
def round_settings(tiny_settings, tmp_path):
    squad = tmp_path / "train.json"
    squad.write_text(
        json.dumps(
            [
                {"title": t, "context": c, "questions": [{"question": q, "answer": a}]}
                for t, c, q, a in CONTEXTS
            ]
        )
    )
    return tiny_settings.model_copy(
        update={
            "squad_train_path": squad,
            "outer_contexts": 2,
            "outer_k": 2,
            "outer_heldout": 1,
            "outer_eval_k": 1,
            "outer_epochs": 1,
            "outer_min_steps": 1,
            "outer_max_seq_len": 256,
            # A random model earns no reward: keep the best and offer the policy anyway, so that
            # the plumbing after the filter and the comparison is exercised.
            "outer_min_reward": -1.0,
            "outer_min_improvement": -1.0,
        }
    )


@pytest.fixture
def store(tmp_path):
    return LocalArtifactStore(tmp_path / "store")


def _round(engine, settings, store, generator=None, tenant_id=None, source="squad"):
    with Session(engine, expire_on_commit=False) as s:
        scope = "global" if tenant_id is None else f"tenant:{tenant_id}"
        rnd = create_round(s, scope, tenant_id, source, {})
    status = run_policy_round(
        rnd.id, settings=settings, engine=engine, store=store, generator=generator
    )
    return rnd.id, status


def test_a_round_records_everything_registers_a_policy_and_approval_switches_the_generator(
    engine, round_settings, store
):
    round_id, status = _round(engine, round_settings, store)
    assert status == RoundStatus.awaiting_approval
    with Session(engine, expire_on_commit=False) as s:
        rnd = s.get(PolicyRound, round_id)
        samples = s.exec(select(PolicySample).where(PolicySample.round_id == round_id)).all()
        # C*K training samples plus eval_k held-out samples for each of the two policies.
        assert len([x for x in samples if x.split == "train"]) == 4
        assert sorted(x.policy for x in samples if x.split == "heldout") == ["current", "new"]
        assert sum(x.kept for x in samples) == 2 and all(
            x.header for x in samples if x.split == "train"
        )
        version = s.get(PolicyVersion, rnd.policy_version_id)
        assert version.status == PolicyStatus.awaiting_approval and version.version == 1
        assert version.name == f"policy-global-r{round_id}" and version.scope == "global"
        assert store.verify(version.artifact_uri, version.checksum)
        assert rnd.report["kept"] == 2 and rnd.report["new"]["samples"] == 1
        assert len(rnd.config["train_contexts"]) == 2 and len(rnd.config["heldout_contexts"]) == 1
        stages = [e.status for e in round_events(s, round_id)]
        for stage in (
            "queued",
            "sampling",
            "scoring",
            "training",
            "evaluating",
            "awaiting_approval",
        ):
            assert stage in stages
        assert active_policy(s, "global") is None  # not before an admin approves

        tenant, _ = create_tenant(s, "acme", TenantPolicy())
        job, _ = create_job(s, tenant.id, [{"title": "Zorblax", "text": CONTEXTS[0][1]}])
        decide_version(s, version, True, store, round_settings, actor=ADMIN_ACTOR)
        assert policy_for_tenant(s, tenant.id).id == version.id
        assert s.get(PolicyRound, round_id).status == RoundStatus.promoted

    generator = RecordingGenerator(str(round_settings.base_model_path))
    run_teach_job(job.id, settings=round_settings, engine=engine, store=store, generator=generator)
    with Session(engine) as s:
        job = s.get(Job, job.id)
        assert job.metrics["policy"] == version.name
    # Probes come from the base model; the self-edits from the approved policy.
    assert version.name in generator.models and None in generator.models


def test_a_second_round_starts_from_the_active_policy_and_takes_fresh_contexts(
    engine, round_settings, store
):
    first_id, _ = _round(engine, round_settings, store)
    with Session(engine, expire_on_commit=False) as s:
        first = s.get(PolicyRound, first_id)
        decide_version(
            s,
            s.get(PolicyVersion, first.policy_version_id),
            True,
            store,
            round_settings,
            actor=ADMIN_ACTOR,
        )
    second_id, status = _round(engine, round_settings, store)
    assert status == RoundStatus.awaiting_approval
    with Session(engine) as s:
        first, second = s.get(PolicyRound, first_id), s.get(PolicyRound, second_id)
        assert second.config["from_policy"] == f"policy-global-r{first_id}"
        assert second.from_version_id == first.policy_version_id
        assert second.config["round_index"] == 2
        assert second.config["heldout_contexts"] == first.config["heldout_contexts"]
        new = s.get(PolicyVersion, second.policy_version_id)
        assert new.version == 2 and new.parent_id == first.policy_version_id


def test_nothing_kept_ends_the_round_rejected_with_records_but_no_policy(
    engine, round_settings, store
):
    settings = round_settings.model_copy(update={"outer_min_reward": 10.0})
    round_id, status = _round(engine, settings, store)
    assert status == RoundStatus.rejected
    with Session(engine) as s:
        assert s.exec(select(PolicyVersion)).all() == []
        assert len(s.exec(select(PolicySample)).all()) == 4
        assert "nothing to learn" in round_events(s, round_id)[-1].message


def test_a_policy_that_does_not_beat_the_current_one_is_rejected(engine, round_settings, store):
    settings = round_settings.model_copy(update={"outer_min_improvement": 10.0})
    round_id, status = _round(engine, settings, store)
    assert status == RoundStatus.rejected
    with Session(engine) as s:
        (version,) = s.exec(select(PolicyVersion)).all()
        assert version.status == PolicyStatus.rejected and active_policy(s, "global") is None


def test_a_failing_round_leaves_no_version_no_records_and_no_files(engine, round_settings, store):
    class Broken(LocalGenerator):
        def generate(self, *a, **k):
            raise RuntimeError("model server gone")

    round_id, status = _round(
        engine, round_settings, store, generator=Broken(str(round_settings.base_model_path))
    )
    assert status == RoundStatus.failed
    with Session(engine) as s:
        assert s.get(PolicyRound, round_id).error["code"] == "internal_error"
        assert s.exec(select(PolicyVersion)).all() == []
        assert s.exec(select(PolicySample)).all() == []
    assert store.keys() == set()


def test_tenant_contexts_never_mix_tenants(engine, round_settings):
    with Session(engine, expire_on_commit=False) as s:
        own, _ = create_tenant(s, "own", TenantPolicy(policy_training="own"))
        shared, _ = create_tenant(s, "shared", TenantPolicy(policy_training="shared"))
        off, _ = create_tenant(s, "off")
        for t in (own, shared, off):
            job, _ = create_job(
                s, t.id, [{"title": t.name, "text": f"{t.name} text.", "questions": []}]
            )
            for d in s.exec(select(Document)):
                if d.tenant_id == t.id:
                    d.status, d.probes = "accepted", [{"question": "q?", "answer": "a"}]
                    s.add(d)
            s.commit()
        assert {c.tenant_id for c in tenant_contexts(s, f"tenant:{own.id}", own.id)} == {own.id}
        assert tenant_contexts(s, f"tenant:{off.id}", off.id) == []
        assert {c.tenant_id for c in tenant_contexts(s, "global", None)} == {shared.id}


# --- The admin API -----------------------------------------------------------------------------


@pytest.fixture
def client(engine, store):
    app = create_app()

    def _session():
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as c:
        yield c


def _error(resp, status, code, fragment):
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert err["code"] == code and fragment in err["message"], err


def test_round_api_validates_and_queues_one_round_per_scope(client):
    tenant = client.post("/v1/admin/tenants", json={"name": "acme"}, headers=ADMIN).json()
    post = lambda body: client.post("/v1/admin/policy/rounds", json=body, headers=ADMIN)  # noqa: E731
    _error(post({"tenant_id": 999}), 404, "not_found", "tenant 999 not found")
    _error(post({"tenant_id": tenant["id"]}), 409, "invalid_state", "opted in")
    client.patch(
        f"/v1/admin/tenants/{tenant['id']}",
        json={"policy": {"policy_training": "own"}},
        headers=ADMIN,
    )
    _error(
        post({"tenant_id": tenant["id"], "source": "squad"}),
        422,
        "validation_error",
        "`source` must be 'tenants'",
    )
    _error(post({"k": 0}), 422, "validation_error", "`k`")
    _error(post({"contexts": 2, "surprise": 1}), 422, "validation_error", "`surprise`")
    created = post({"contexts": 2, "k": 2})
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "queued" and created.json()["config"] == {
        "contexts": 2,
        "k": 2,
    }
    _error(post({}), 409, "conflict", "still queued")
    tenant_round = post({"tenant_id": tenant["id"]})  # another scope may run
    assert (
        tenant_round.status_code == 202 and tenant_round.json()["scope"] == f"tenant:{tenant['id']}"
    )
    listed = client.get("/v1/admin/policy/rounds", headers=ADMIN).json()
    assert [r["id"] for r in listed] == [tenant_round.json()["id"], created.json()["id"]]
    one = client.get(f"/v1/admin/policy/rounds/{created.json()['id']}", headers=ADMIN).json()
    assert one["events"][0]["message"] == "round queued"
    _error(client.get("/v1/admin/policy/rounds/999", headers=ADMIN), 404, "not_found", "round 999")
    # Tenants never reach the policy admin API.
    tenant_auth = {"Authorization": f"Bearer {tenant['api_key']}"}
    _error(
        client.get("/v1/admin/policy/rounds", headers=tenant_auth),
        401,
        "unauthorized",
        "invalid admin key",
    )


def test_policy_approval_samples_and_rollback_over_the_api(client, engine, round_settings, store):
    round_id, _ = _round(engine, round_settings, store)
    samples = client.get(
        f"/v1/admin/policy/rounds/{round_id}/samples?split=train&kept=true", headers=ADMIN
    ).json()["samples"]
    assert len(samples) == 2 and all(x["kept"] and x["split"] == "train" for x in samples)
    _error(
        client.get(f"/v1/admin/policy/rounds/{round_id}/samples?split=nope", headers=ADMIN),
        422,
        "validation_error",
        "`query.split`",
    )
    versions = client.get("/v1/admin/policy/versions", headers=ADMIN).json()
    assert versions["active"] == "base" and len(versions["versions"]) == 1
    pid = versions["versions"][0]["id"]
    review = client.get("/v1/admin/review", headers=ADMIN).json()
    assert [p["id"] for p in review["policies"]] == [pid]
    _error(
        client.post("/v1/admin/policy/rollback", headers=ADMIN),
        409,
        "invalid_state",
        "no active global policy to roll back from",
    )
    approved = client.post(f"/v1/admin/policy/versions/{pid}/approve", headers=ADMIN)
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    _error(
        client.post(f"/v1/admin/policy/versions/{pid}/approve", headers=ADMIN),
        409,
        "invalid_state",
        "is active, not awaiting_approval",
    )
    _error(
        client.post("/v1/admin/policy/versions/999/reject", headers=ADMIN),
        404,
        "not_found",
        "policy 999 not found",
    )
    assert (
        client.get("/v1/admin/policy/versions", headers=ADMIN).json()["active"]
        == approved.json()["name"]
    )
    back = client.post("/v1/admin/policy/rollback", headers=ADMIN)
    assert back.status_code == 200 and back.json() == {"scope": "global", "active": "base"}
    with Session(engine) as s:
        assert s.get(PolicyVersion, pid).status == PolicyStatus.retired
    again = client.post("/v1/admin/policy/rollback", json={"version": 1}, headers=ADMIN)
    assert again.json()["active"] == approved.json()["name"]


def test_one_active_policy_per_scope_is_enforced_by_the_database(engine, round_settings, store):
    round_id, _ = _round(engine, round_settings, store)
    second_id, _ = _round(engine, round_settings, store)
    with Session(engine, expire_on_commit=False) as s:
        a, b = s.exec(select(PolicyVersion).order_by(PolicyVersion.id)).all()
        set_active_policy(s, "global", a)
        set_active_policy(s, "global", b)
        assert [v.status for v in s.exec(select(PolicyVersion).order_by(PolicyVersion.id))] == [
            PolicyStatus.retired,
            PolicyStatus.active,
        ]
        a.status = PolicyStatus.active  # bypassing the registry
        s.add(a)
        with pytest.raises(IntegrityError):
            s.commit()
