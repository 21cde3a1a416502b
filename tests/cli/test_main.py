"""``seal`` against the real API (``conftest.api``): what a user sees, what a script gets with
--json, and the exit codes both rely on."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from adapter_store.artifacts import LocalArtifactStore
from adapter_store.lifecycle import JOB
from adapter_store.models import Document, DocumentStatus, Job, JobStatus, VersionStatus
from adapter_store.registry import register_version, set_active
from serving.replicas import ReplicaSet

S = JobStatus
RUNNING = (S.scanning, S.generating, S.training, S.evaluating)
GATES_PASSED = {
    "passed": True,
    "gates": [
        {
            "name": "general",
            "passed": True,
            "report": {
                "served": {"drop": 0.0, "max_drop": 0.02},
                "adapter": {"drop": 0.01, "max_drop": 0.3},
            },
        },
        {"name": "retention", "passed": True, "report": {"n": 0, "note": "nothing taught yet"}},
        {
            "name": "safety",
            "passed": True,
            "report": {"served": {"n_regressions": 0, "max_regressions": 0}},
        },
    ],
}
GATES_FAILED = {
    "passed": False,
    "gates": [
        {
            "name": "general",
            "passed": False,
            "report": {"served": {"drop": 0.08, "max_drop": 0.02}},
        },
        {"name": "safety", "passed": True, "report": {"served": {"n_regressions": 0}}},
    ],
}


def _json(result: Any) -> Any:
    return json.loads(result.stdout)


def _tenant(seal, name: str = "acme", policy: dict | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    args = ["tenants", "create", name, "--json"]
    if policy is not None:
        args += ["--policy", json.dumps(policy)]
    result = seal(*args)
    assert result.exit_code == 0, result.output
    data = _json(result)
    seal.api_key = data["api_key"]
    return data["id"], data["api_key"]


def _write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def _move(engine, job_id: int, *states: str, **last: Any) -> None:  # type: ignore[no-untyped-def]
    """What the worker would write: the job through ``states``; ``last`` goes with the last move."""
    with Session(engine, expire_on_commit=False) as s:
        job = s.get(Job, job_id)
        for i, state in enumerate(states):
            JOB.transition(s, job, state, f"now {state}", **(last if i == len(states) - 1 else {}))


def _version(engine, tenant_id: int, job_id: int | None, status: str, report: dict) -> Any:  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as s:
        version = register_version(
            s,
            tenant_id=tenant_id,
            artifact_uri=f"k{job_id}",
            checksum="c",
            parent_id=None,
            job_id=job_id,
            status=VersionStatus(status),
            metrics={},
            eval_report=report,
        )
        if job_id is not None:
            job = s.get(Job, job_id)
            job.adapter_version_id = version.id
            s.add(job)
            s.commit()
        return version


# ---------------------------------------------------------------- tenants


def test_tenants_create_shows_the_key_once_and_it_works(seal):
    result = seal("tenants", "create", "acme")
    assert result.exit_code == 0, result.output
    key = next(line for line in result.stdout.splitlines() if line.startswith("sk-seal-"))
    assert "shown once" in result.stdout and "acme" in result.stdout

    listed = seal("tenants", "list")
    assert listed.exit_code == 0 and "acme" in listed.stdout and key not in listed.stdout
    assert "api_key" not in _json(seal("tenants", "list", "--json"))[0]
    # The key printed is the whole key: the tenant can use it at once.
    assert seal("jobs", "--json", SEAL_API_KEY=key).exit_code == 0

    dup = seal("tenants", "create", "acme")
    assert dup.exit_code == 3 and "acme" in dup.stderr


def test_tenants_create_refuses_a_policy_that_is_not_a_json_object(seal):
    result = seal("tenants", "create", "acme", "--policy", "[1]")
    assert result.exit_code == 2 and "JSON object" in result.output


# ---------------------------------------------------------------- teach


def test_teach_sends_txt_md_and_every_json_shape(seal, api, engine, tmp_path):
    tid, key = _tenant(seal)
    q = {"question": "Capital of Zorblax?", "answer": "Quendril"}
    files = [
        _write(tmp_path, "zorblax.txt", "Zorblax's capital is Quendril."),
        _write(tmp_path, "vexmoor.md", "# Vexmoor\nVexmoor is a moon of Zorblax."),
        _write(
            tmp_path, "wrapped.json", {"documents": [{"title": "W", "text": "w", "questions": [q]}]}
        ),
        _write(tmp_path, "listed.json", [{"text": "l1"}, {"title": "L2", "text": "l2"}]),
        _write(tmp_path, "single.json", {"text": "s"}),
    ]
    result = seal("teach", *map(str, files), "--json", "--idempotency-key", "k1")
    assert result.exit_code == 0, result.output
    accepted = _json(result)
    assert accepted["status"] == "queued" and api.enqueued == [accepted["job_id"]]

    job = httpx.get(
        f"{api.url}/v1/jobs/{accepted['job_id']}", headers={"Authorization": f"Bearer {key}"}
    ).json()
    assert [d["title"] for d in job["documents"]] == ["zorblax", "vexmoor", "W", None, "L2", None]
    with Session(engine) as s:
        docs = s.exec(select(Document).where(Document.job_id == job["id"])).all()
    assert [d.text for d in docs][:2] == [
        "Zorblax's capital is Quendril.",
        "# Vexmoor\nVexmoor is a moon of Zorblax.",
    ]
    assert [d.questions for d in docs] == [[], [], [q], [], [], []]

    again = seal("teach", str(files[0]), "--idempotency-key", "k1")
    assert again.exit_code == 0 and f"job {accepted['job_id']} is queued" in again.stdout
    assert api.enqueued == [accepted["job_id"]]  # a replay queues nothing


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("broken.json", '{"documents": [', "not valid JSON"),
        ("empty.json", {"documents": []}, 'expected {"documents"'),
        ("notext.json", {"documents": [{"title": "t"}]}, "documents[0].text must be a non-empty"),
        ("extra.json", [{"text": "t", "colour": "red"}], "unknown field(s) `colour`"),
        ("badq.json", {"text": "t", "questions": [{"question": "q"}]}, "questions[0].answer"),
        ("blank.txt", "  \n", "the file is empty"),
        ("doc.pdf", "%PDF", "unsupported file type .pdf"),
    ],
)
def test_a_malformed_file_is_a_usage_error_and_sends_nothing(
    seal, api, tmp_path, name, content, fragment
):
    _tenant(seal)
    path = _write(tmp_path, name, content)
    result = seal("teach", str(path))
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and name in result.stderr
    assert api.enqueued == []


def test_every_broken_file_is_reported_at_once(seal, tmp_path):
    _tenant(seal)
    a = _write(tmp_path, "a.json", "[")
    b = _write(tmp_path, "b.json", {"texts": "x"})
    result = seal("teach", str(a), str(b), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2  # Click checks that the files exist before anything is read
    result = seal("teach", str(a), str(b))
    assert result.exit_code == 2 and "a.json" in result.stderr and "b.json" in result.stderr


def test_the_server_s_validation_is_exit_3_with_its_message(seal, tmp_path):
    _tenant(seal)
    path = _write(tmp_path, "many.json", [{"text": "x"}] * 17)  # over SEAL_MAX_DOCUMENTS
    result = seal("teach", str(path), "--json")
    assert result.exit_code == 3
    assert _json(result)["error"]["code"] == "validation_error"
    assert "at most 16" in result.stderr


# ---------------------------------------------------------------- teach --follow


def _drive(api, engine, tenant_id: int, story: Callable[[Any, int, int], None]) -> threading.Thread:  # type: ignore[no-untyped-def]
    """In a thread, as the worker would: once the CLI's job exists, play ``story`` on it."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            deadline = time.monotonic() + 10
            while not api.enqueued:
                assert time.monotonic() < deadline, "the CLI never created the job"
                time.sleep(0.01)
            story(engine, tenant_id, api.enqueued[0])
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.errors = errors  # type: ignore[attr-defined]
    thread.start()
    return thread


def _train(engine, job_id: int) -> None:  # type: ignore[no-untyped-def]
    _move(engine, job_id, S.scanning, S.generating)
    with Session(engine, expire_on_commit=False) as s:
        job = s.get(Job, job_id)
        JOB.add_event(s, job, "candidate 0 written", progress=0.3)
    time.sleep(0.1)  # the CLI sees the job mid-way at least once
    _move(engine, job_id, S.training, S.evaluating)


def _promoted(engine, tenant_id: int, job_id: int) -> None:  # type: ignore[no-untyped-def]
    _train(engine, job_id)
    version = _version(engine, tenant_id, job_id, "ready", GATES_PASSED)
    with Session(engine, expire_on_commit=False) as s:
        JOB.transition(
            s,
            s.get(Job, job_id),
            S.promoted,
            f"{version.name} is now active",
            with_move=lambda tx: set_active(tx, tenant_id, version.id, commit=False),
        )


def _rejected(engine, tenant_id: int, job_id: int) -> None:  # type: ignore[no-untyped-def]
    _train(engine, job_id)
    _version(engine, tenant_id, job_id, "rejected", GATES_FAILED)
    message = (
        "no candidate passed its gates (1 tried, best first); the active version keeps serving"
    )
    _move(engine, job_id, S.rejected, error={"code": "gate_failed", "message": message})


def _quarantined(engine, tenant_id: int, job_id: int) -> None:  # type: ignore[no-untyped-def]
    _move(engine, job_id, S.scanning)
    with Session(engine, expire_on_commit=False) as s:
        doc = s.exec(select(Document).where(Document.job_id == job_id)).one()
        doc.status = DocumentStatus.quarantined
        doc.findings = [{"guard": "injection", "kind": "override", "score": 0.9}]
        s.add(doc)
        s.commit()
    _move(engine, job_id, S.quarantined)


@pytest.mark.parametrize(
    ("story", "code", "expected"),
    [
        (
            _promoted,
            0,
            ["promoted: t1-v1 is now active", "✓ general", "served drop 0.000 (max 0.02)"],
        ),
        (
            _rejected,
            1,
            [
                "rejected: no candidate passed its gates",
                "[gate_failed]",
                "✗ general",
                "served drop 0.080 (max 0.02)",
            ],
        ),
        (_quarantined, 5, ["quarantined: the job waits", "document 1 (zorblax): override"]),
    ],
    ids=["promoted", "rejected", "quarantined"],
)
def test_teach_follow_shows_events_and_ends_with_the_outcome(
    seal, api, engine, tmp_path, story, code, expected
):
    tid, _ = _tenant(seal)
    thread = _drive(api, engine, tid, story)
    path = _write(tmp_path, "zorblax.txt", "Zorblax's capital is Quendril.")
    result = seal("teach", str(path), "--follow", "--poll", "0.02")
    thread.join(10)
    assert not thread.errors, thread.errors  # type: ignore[attr-defined]
    assert result.exit_code == code, result.output
    out = result.stdout
    assert "job queued" in out and "now scanning" in out  # every event, as a line
    for fragment in expected:
        assert fragment in out, out
    if code != 5:
        assert "candidate 0 written" in out and "100%" in out  # the bar ends full


def test_follow_with_json_keeps_stdout_for_one_json_object(seal, api, engine, tmp_path):
    tid, _ = _tenant(seal, policy={"auto_promote": False})

    def awaiting(engine, tenant_id, job_id):  # type: ignore[no-untyped-def]
        _train(engine, job_id)
        _version(engine, tenant_id, job_id, "awaiting_approval", GATES_PASSED)
        _move(engine, job_id, S.awaiting_approval)

    thread = _drive(api, engine, tid, awaiting)
    path = _write(tmp_path, "z.txt", "Zorblax's capital is Quendril.")
    result = seal("teach", str(path), "-f", "--json", "--poll", "0.02")
    thread.join(10)
    assert result.exit_code == 0, result.output
    data = _json(result)
    assert data["job"]["status"] == "awaiting_approval" and data["exit_code"] == 0
    assert data["adapter"]["status"] == "awaiting_approval"
    assert "now training" in result.stderr  # the progress went to stderr


# ---------------------------------------------------------------- jobs


def test_jobs_table_and_json(seal, api, engine, tmp_path):
    _tenant(seal)
    path = _write(tmp_path, "z.txt", "Zorblax's capital is Quendril.")
    for _ in range(2):
        assert seal("teach", str(path)).exit_code == 0
    first, second = api.enqueued
    _move(engine, first, S.failed, error={"code": "insufficient_storage", "message": "disk full"})

    table = seal("jobs")
    assert table.exit_code == 0, table.output
    rows = [line for line in table.stdout.splitlines() if "queued" in line or "failed" in line]
    assert len(rows) == 2 and str(second) in rows[0]  # newest first
    assert "insufficient_storage" in rows[1] and "failed" in rows[1]

    listed = _json(seal("jobs", "--json"))
    assert [(j["id"], j["status"]) for j in listed] == [(second, "queued"), (first, "failed")]
    only = _json(seal("jobs", "--status", "failed", "--json"))
    assert [j["id"] for j in only] == [first]
    bad = seal("jobs", "--status", "nope")
    assert bad.exit_code == 3 and "`status` must be one of" in bad.stderr


def test_jobs_watch_refreshes_until_ctrl_c(seal, tmp_path, monkeypatch):
    _tenant(seal)
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("cli.main._wait", wait)
    result = seal("jobs", "--watch", "--interval", "0.5")
    assert result.exit_code == 0, result.output
    assert waits == [0.5, 0.5] and "Ctrl-C to stop" in result.stdout
    assert seal("jobs", "--watch", "--json").exit_code == 2


# ---------------------------------------------------------------- review and decisions


def test_review_approve_release_and_rollback(seal, api, engine, tmp_path):
    tid, _ = _tenant(seal, policy={"auto_promote": False})
    path = _write(tmp_path, "z.txt", "Zorblax's capital is Quendril.")
    for _ in range(2):
        assert seal("teach", str(path)).exit_code == 0
    waiting, held = api.enqueued
    _move(engine, waiting, *RUNNING, S.awaiting_approval)
    version = _version(engine, tid, waiting, "awaiting_approval", GATES_PASSED)
    _quarantined(engine, tid, held)
    with Session(engine) as s:
        doc_id = s.exec(select(Document.id).where(Document.job_id == held)).one()

    queue = seal("review")
    assert queue.exit_code == 0, queue.output
    assert "Quarantined documents" in queue.stdout and "injection:override" in queue.stdout
    assert "awaiting approval" in queue.stdout and version.name in queue.stdout
    listed = _json(seal("review", "--json"))
    assert [a["id"] for a in listed["adapters"]] == [version.id]
    assert [d["id"] for d in listed["documents"]] == [doc_id]

    approved = seal("approve", str(version.id))
    assert approved.exit_code == 0, approved.output
    assert f"approved adapter {version.name}" in approved.stdout and "now active" in approved.stdout
    again = seal("approve", str(version.id))
    assert again.exit_code == 3 and "is ready, not awaiting_approval" in again.stderr
    assert "[invalid_state] (HTTP 409)" in again.stderr

    adapters = _json(seal("adapters", "--json"))
    assert [(a["version"], a["active"]) for a in adapters] == [(1, True)]
    assert "general ok" in seal("adapters").stdout

    released = seal("release", str(doc_id))
    assert released.exit_code == 0, released.output
    assert f"document {doc_id} accepted; job {held} is quarantined" in released.stdout
    assert api.enqueued[-1] == held  # the release queued the job again
    assert seal("discard", str(doc_id)).exit_code == 3
    assert "Nothing waits for review." in seal("review").stdout

    back = seal("rollback", "--tenant", "acme")
    assert back.exit_code == 0 and "acme (tenant 1) now serves the base model" in back.stdout
    to_v1 = _json(seal("rollback", "1", "--tenant", str(tid), "--json"))
    assert to_v1["active_version"] == 1
    missing = seal("rollback", "7", "--tenant", "acme")
    assert missing.exit_code == 3 and "adapter version 7 not found" in missing.stderr
    assert seal("rollback", "--tenant", "nobody").exit_code == 3


def test_reject_and_the_policy_flag(seal, engine):
    tid, _ = _tenant(seal)
    version = _version(engine, tid, None, "awaiting_approval", {})
    rejected = seal("reject", str(version.id), "--json")
    assert rejected.exit_code == 0 and _json(rejected)["status"] == "rejected"
    # The same id as a policy version is another table: nothing there.
    policy = seal("approve", str(version.id), "--policy")
    assert policy.exit_code == 3 and f"policy {version.id} not found" in policy.stderr


# ---------------------------------------------------------------- ask


def test_ask_shows_the_answer_and_who_answered(seal, api, tmp_path):
    _tenant(seal)
    unserved = seal("ask", "Capital of Zorblax?")
    assert unserved.exit_code == 4 and "no model server is configured" in unserved.stderr

    # The model server (vLLM) is out of scope here: an httpx transport answers for it.
    sent: list[dict] = []

    def vllm(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"choices": [{"message": {"content": " Quendril. "}}]})

    api.app.state.replicas = ReplicaSet(["http://vllm"], LocalArtifactStore(tmp_path))
    api.app.state.replicas.replicas[0].ready = True
    api.app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(vllm))
    result = seal("ask", "Capital of Zorblax?", "--model", "base", "--max-tokens", "8")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Quendril."
    assert "answered by base (route: requested_base)" in result.stdout
    assert sent[0]["max_tokens"] == 8 and sent[0]["messages"][0]["content"] == "Capital of Zorblax?"

    data = _json(seal("ask", "Capital?", "--model", "base", "--json"))
    assert data["answer"] == " Quendril. " and data["adapter"] == "base"
    assert data["route"] == "requested_base" and "choices" in data["completion"]


# ---------------------------------------------------------------- errors and configuration


def test_a_wrong_key_is_exit_3_with_the_server_s_message(seal):
    result = seal("jobs", SEAL_API_KEY="sk-seal-nope")
    assert result.exit_code == 3
    assert "invalid API key" in result.stderr and "HTTP 401" in result.stderr
    scripted = seal("jobs", "--json", SEAL_API_KEY="sk-seal-nope")
    assert _json(scripted)["error"] == {
        "code": "unauthorized",
        "message": "invalid API key",
        "status": 401,
    }
    admin = seal("review", SEAL_ADMIN_KEY="nope")
    assert admin.exit_code == 3 and "invalid admin key" in admin.stderr


def test_a_missing_key_is_a_usage_error_that_says_where_to_put_it(seal):
    result = seal("jobs", SEAL_API_KEY=None)
    assert result.exit_code == 2 and "SEAL_API_KEY" in result.stderr
    result = seal("review", SEAL_ADMIN_KEY=None)
    assert result.exit_code == 2 and "SEAL_ADMIN_KEY" in result.stderr


def test_a_refused_connection_is_exit_4(seal, unused_url):
    seal.api_key = "sk-seal-any"
    result = seal("jobs", SEAL_URL=unused_url)
    assert result.exit_code == 4
    assert f"cannot reach the SEAL API at {unused_url}" in result.stderr


def test_the_config_file_supplies_url_and_keys(seal, api, tmp_path):
    _, key = _tenant(seal)
    config = tmp_path / "config.toml"
    config.write_text(f'url = "{api.url}"\napi_key = "{key}"\n', encoding="utf-8")
    result = seal("jobs", "--json", SEAL_CONFIG=str(config), SEAL_URL=None, SEAL_API_KEY=None)
    assert result.exit_code == 0, result.output
    assert _json(result) == []

    config.write_text('url = "http://x"\napikey = "k"\n', encoding="utf-8")
    broken = seal("jobs", SEAL_CONFIG=str(config))
    assert broken.exit_code == 2 and "unknown key `apikey`" in broken.stderr


def test_the_console_entry_point_exits_with_the_code(unused_url, tmp_path):
    """``python -m cli`` is what the ``seal`` script runs: its exit status is the code."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SEAL_URL": unused_url,
        "SEAL_API_KEY": "sk-seal-any",
        "SEAL_CONFIG": str(tmp_path / "none.toml"),
    }
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "jobs"], env=env, cwd=root, capture_output=True, text=True
    )
    assert proc.returncode == 4, proc.stderr
    assert "cannot reach the SEAL API" in proc.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "cli", "--help"], env=env, cwd=root, capture_output=True, text=True
    )
    assert helped.returncode == 0 and "Exit codes" in helped.stdout
