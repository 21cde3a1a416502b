"""Teach latency: POST /v1/knowledge to `promoted` for one SQuAD dev passage, through the real
service (launcher, vLLM, Celery worker, API), broken down by job stage from the job's events.

Usage: python bench/teach_latency.py [--passage 0] [--with-questions] [--url URL --admin-key KEY]
Writes bench/results/teach_latency.json: {"total_s", "stages": {name: s}, ...}.
"""

from __future__ import annotations

import argparse
import time
from contextlib import nullcontext
from datetime import datetime

import httpx
from common import load_squad, machine, print_table, write_json
from service import running_service


def stage_durations(events: list[dict], end: float) -> dict[str, float]:
    """Seconds spent in each status, from the first event of a status to the first of the next."""
    firsts: list[tuple[str, float]] = []
    for e in events:
        ts = datetime.fromisoformat(e["created_at"]).timestamp()
        if not firsts or firsts[-1][0] != e["status"]:
            firsts.append((e["status"], ts))
    out: dict[str, float] = {}
    for (status, ts), nxt in zip(firsts, firsts[1:] + [("end", end)], strict=True):
        out[status] = out.get(status, 0.0) + max(0.0, nxt[1] - ts)
    return out


def run(url: str, admin_key: str, passage: dict, with_questions: bool) -> dict:
    admin = {"Authorization": f"Bearer {admin_key}"}
    tenant = httpx.post(
        f"{url}/v1/admin/tenants", json={"name": f"latency-{int(time.time())}"}, headers=admin
    ).json()
    auth = {"Authorization": f"Bearer {tenant['api_key']}"}
    doc = {"title": passage["title"], "text": passage["context"]}
    if with_questions:
        doc["questions"] = passage["questions"]
    started = time.time()
    job_id = httpx.post(
        f"{url}/v1/knowledge", json={"documents": [doc]}, headers=auth, timeout=30
    ).json()["job_id"]
    while True:
        job = httpx.get(f"{url}/v1/jobs/{job_id}", headers=auth).json()
        if job["status"] in ("promoted", "rejected", "failed", "cancelled", "awaiting_approval"):
            break
        time.sleep(0.5)
    total = time.time() - started
    events = httpx.get(f"{url}/v1/jobs/{job_id}/events", headers=auth).json()
    stages = stage_durations(events, started + total)
    stages.pop(job["status"], None)  # the terminal status has no duration
    return {
        "total_s": round(total, 2),
        "final_status": job["status"],
        "stages": {k: round(v, 2) for k, v in stages.items()},
        "inner_loop_timings": job["metrics"].get("timings", {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passage", type=int, default=0)
    parser.add_argument(
        "--with-questions",
        action="store_true",
        help="send the passage's questions as probes (else the model writes its own)",
    )
    parser.add_argument("--url")
    parser.add_argument("--admin-key")
    args = parser.parse_args()
    passage = load_squad("dev")[args.passage]
    ctx = nullcontext((args.url, args.admin_key, None)) if args.url else running_service()
    with ctx as (url, key, _):
        result = run(url, key, passage, args.with_questions)
    from core.settings import get_settings

    result.update(
        {
            "k": get_settings().selfedit_k,
            "passage": passage["title"],
            "with_questions": args.with_questions,
            "target_s": 180,
            "goal_s": 60,
            "machine": machine(),
        }
    )
    print_table(
        ["stage", "seconds"],
        [[k, v] for k, v in result["stages"].items()] + [["TOTAL", result["total_s"]]],
    )
    print(f"final status: {result['final_status']}; inner loop: {result['inner_loop_timings']}")
    print(f"wrote {write_json('teach_latency.json', result)}")


if __name__ == "__main__":
    main()
