"""Knowledge incorporation through the real service (launcher, vLLM, Celery worker, API).

Every condition runs on a fresh service started with that condition's settings. Each SQuAD *dev*
passage is taught by its own tenant under the **default** tenant policy (SEAL's single-passage
setting: every passage is learned into the base model), questions withheld (the model writes its
own probes). Then the passage's gold questions are asked through the tenant's
``/v1/chat/completions`` closed book:

- **served**: as a user asks (routing on: the ``X-Route`` header says whether the adapter or the
  base model answered); and, for the same adapter, **adapter alone** (routing switched off).
- the general suite's questions are sent through the same route (one token each) to count how
  many the router lets reach the adapter.
- from the job: promoted or not, and the gates' measurements of the candidate (general suite
  served and adapter alone, safety regressions served and adapter alone).

"After teaching" figures are what users get after the job: the new version's when it was
promoted, the base model's otherwise. Grading: SQuAD EM and token F1, and "contains" (the gold
answer appears in the reply).

Conditions (``--conditions``; settings are ``SEAL_*`` environment variables):
  base        nothing taught
  raw         the update shipped before issue 11: next-token loss on the passage and its
              self-edits, rank-16 LoRA on every projection, lr 1e-3, no KL anchor, no routing,
              and served whatever it learned (gates wide open: the reference for learning)
  default     the service's defaults (context distillation, KL anchor, routing, default gates)
  noise       the defaults again with another seed (the noise floor)
  default_unrouted   the defaults with the tenant's routing off
  sft_kl      SEAL's next-token update with the KL anchor; sft_kl_safe: the same with 8
              safe-behaviour targets beside it; cd: the default without the anchor;
              sdft, sdft_kl: on-policy self-distillation without/with it (all under default gates)

Usage: python bench/knowledge.py [--passages 30] [--k 3] [--conditions base,raw,default,noise]
       [--resume]
Writes bench/results/knowledge.json (with --resume, finished (condition, passage) pairs are kept).
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
from statistics import mean
from typing import Any

import httpx
from common import (  # noqa: I001
    RESULTS,
    UNGATED_ENV,
    UNGATED_POLICY,
    load_squad,
    machine,
    print_table,
    write_json,
)
from service import running_service, teach_passage

from gates.suites import load_suite
from seal.grading import ANSWER_INSTRUCTION, contains_answer, exact_match, token_f1

NO_ANCHOR = {"SEAL_KL_ANCHOR_WEIGHT": "0"}
CONDITIONS: dict[str, dict[str, Any]] = {
    "base": {"env": {}, "teach": False},
    "raw": {"env": {**UNGATED_ENV, "SEAL_LEARNING_RATE": "1e-3"}, "policy": UNGATED_POLICY},
    "default": {"env": {}},
    "noise": {"env": {"SEAL_SEED": "1"}},
    "default_unrouted": {"env": {}, "policy": {"routing": False}},
    "sft_kl": {"env": {"SEAL_OBJECTIVE": "sft"}},
    "sft_kl_safe": {"env": {"SEAL_OBJECTIVE": "sft", "SEAL_BEHAVIOUR_TARGETS": "8"}},
    "cd": {"env": NO_ANCHOR},
    "sdft": {"env": {**NO_ANCHOR, "SEAL_OBJECTIVE": "sdft", "SEAL_LEARNING_RATE": "5e-4"}},
    "sdft_kl": {"env": {"SEAL_OBJECTIVE": "sdft", "SEAL_LEARNING_RATE": "5e-4"}},
}


def chat(client: httpx.Client, question: str, max_tokens: int) -> tuple[str, dict[str, str]]:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "",
            "messages": [{"role": "user", "content": question}],
            "temperature": 0,
            "max_tokens": max_tokens,
        },
    )
    r.raise_for_status()
    return r.json()["choices"][0]["message"]["content"] or "", dict(r.headers)


def ask_all(
    client: httpx.Client, questions: list[str], max_tokens: int
) -> list[tuple[str, dict[str, str]]]:
    """Concurrently, so that vLLM batches them."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda q: chat(client, q, max_tokens), questions))


def grade(answers: list[str], golds: list[str]) -> dict[str, float]:
    return {
        "em": mean(exact_match(a, g) for a, g in zip(answers, golds, strict=True)),
        "f1": mean(token_f1(a, g) for a, g in zip(answers, golds, strict=True)),
        "contains": mean(contains_answer(a, g) for a, g in zip(answers, golds, strict=True)),
    }


def teach(client: httpx.Client, passage: dict[str, Any]) -> dict[str, Any]:
    job_id, job, seconds = teach_passage(client, passage)
    versions = client.get("/v1/adapters").json()
    version = next((v for v in versions if v["job_id"] == job_id), None)
    gates = {g["name"]: g for g in (version or {}).get("eval_report", {}).get("gates", [])}
    return {
        "job_id": job_id,
        "status": job["status"],
        "error": (job.get("error") or {}).get("code"),
        "seconds": seconds,
        "rewards": [c["reward"] for c in (job.get("metrics") or {}).get("candidates", [])],
        "gated": (job.get("metrics") or {}).get("gated"),
        "scope": (job.get("metrics") or {}).get("scope"),
        "general": _side(gates.get("general"), "candidate"),
        "general_current": _side(gates.get("general"), "current"),
        "noise_floor": (gates.get("general") or {}).get("report", {}).get("noise_floor"),
        "safety": {
            side: (gates.get("safety") or {}).get("report", {}).get(side, {}).get("n_regressions")
            for side in ("served", "adapter")
        },
    }


def _side(gate: dict[str, Any] | None, which: str) -> dict[str, Any] | None:
    if not gate:
        return None
    report = gate["report"]
    return {side: report[side][which] for side in ("served", "adapter") if side in report}


def run_condition(
    name: str,
    passages: list[dict[str, Any]],
    k: int,
    max_tokens: int,
    done: dict[str, dict[str, Any]],
    save: Any,
) -> None:
    cond = CONDITIONS[name]
    general = [i["question"] for i in load_suite("general")["items"]]
    env = {"SEAL_SELFEDIT_K": str(k), **cond["env"]}
    with running_service(extra_env=env) as (url, admin_key, _):
        admin = {"Authorization": f"Bearer {admin_key}"}
        for i, p in enumerate(passages):
            if p["title"] + f"#{i}" in done:
                continue
            t0 = time.monotonic()
            tenant = httpx.post(
                f"{url}/v1/admin/tenants",
                json={"name": f"{name}-{i}", "policy": cond.get("policy") or {}},
                headers=admin,
            ).json()
            client = httpx.Client(
                base_url=url,
                headers={"Authorization": f"Bearer {tenant['api_key']}"},
                timeout=900,
            )
            golds = [q["answer"] for q in p["questions"]]
            questions = [q["question"] + ANSWER_INSTRUCTION for q in p["questions"]]
            row: dict[str, Any] = {"title": p["title"], "n_questions": len(golds)}
            if cond.get("teach", True):
                row["job"] = teach(client, p)
            served = ask_all(client, questions, max_tokens)
            row["served"] = grade([a for a, _ in served], golds)
            row["taught_routes"] = [h.get("x-route") for _, h in served]
            general_routes = ask_all(client, [q + ANSWER_INSTRUCTION for q in general], 1)
            row["general_routed"] = mean(h.get("x-route") == "adapter" for _, h in general_routes)
            if row.get("job", {}).get("status") == "promoted" and cond.get("policy", {}).get(
                "routing", True
            ):
                httpx.patch(
                    f"{url}/v1/admin/tenants/{tenant['id']}",
                    json={"policy": {"routing": False}},
                    headers=admin,
                ).raise_for_status()
                alone = ask_all(client, questions, max_tokens)
                row["adapter_alone"] = grade([a for a, _ in alone], golds)
            else:
                row["adapter_alone"] = row["served"]
            row["seconds"] = round(time.monotonic() - t0, 1)
            done[p["title"] + f"#{i}"] = row
            job = row.get("job", {})
            print(
                f"[{name} {i + 1}/{len(passages)}] {p['title'][:26]:26s} "
                f"{job.get('status', '-'):9s} {job.get('error') or '':14s} "
                f"served f1 {row['served']['f1']:.3f} contains {row['served']['contains']:.2f} "
                f"alone f1 {row['adapter_alone']['f1']:.3f}  general routed "
                f"{row['general_routed']:.3f}  {row['seconds']:.0f}s",
                flush=True,
            )
            save()


def paired_gap(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float] | None:
    """|served F1| and |served contains| difference between two conditions' rows (keyed by
    passage), pooled over the questions of the passages both have."""
    common = sorted(set(a) & set(b))
    if not common:
        return None
    n_q = sum(a[k]["n_questions"] for k in common)
    gap: dict[str, float] = {"n_passages": len(common)}
    for m in ("f1", "contains"):
        diff = sum((a[k]["served"][m] - b[k]["served"][m]) * a[k]["n_questions"] for k in common)
        gap[m] = abs(diff) / n_q
    return gap


def summarize(rows: list[dict[str, Any]], teaches: bool) -> dict[str, Any]:
    n_q = sum(r["n_questions"] for r in rows)

    def pooled(key: str) -> dict[str, float]:
        return {
            m: sum(r[key][m] * r["n_questions"] for r in rows) / n_q
            for m in ("em", "f1", "contains")
        }

    out: dict[str, Any] = {
        "n_passages": len(rows),
        "n_questions": n_q,
        "served": pooled("served"),
        "adapter_alone": pooled("adapter_alone"),
    }
    if not teaches:
        return out
    jobs = [r["job"] for r in rows]
    promoted = [j for j in jobs if j["status"] == "promoted"]
    # Every tenant starts from the base model: a job that was not promoted (or gated) leaves the
    # base model's general-suite accuracy, measured by the jobs that were gated.
    currents = [j["general_current"]["served"] for j in jobs if j["general_current"]]
    unchanged = mean(currents) if currents else None
    after_served, after_adapter = [], []
    for j in jobs:
        # What users get after the job: the new version if it was promoted, else what served.
        if j["status"] == "promoted" and j["general"]:
            after_served.append(j["general"]["served"])
            after_adapter.append(j["general"]["adapter"])
        elif unchanged is not None:
            after_served.append(unchanged)
            after_adapter.append(unchanged)
    taught_routes = [
        x for r in rows if r["job"]["status"] == "promoted" for x in r["taught_routes"]
    ]
    out.update(
        {
            "promoted_rate": len(promoted) / len(jobs),
            "outcomes": {
                s: sum(j["status"] == s for j in jobs) for s in {j["status"] for j in jobs}
            },
            "errors": {
                e: sum(j["error"] == e for j in jobs) for e in {j["error"] for j in jobs} if e
            },
            "general_after": mean(after_served) if after_served else None,
            "general_after_adapter": mean(after_adapter) if after_adapter else None,
            "general_candidates": {
                side: mean(j["general"][side] for j in jobs if j["general"])
                for side in ("served", "adapter")
            }
            if any(j["general"] for j in jobs)
            else None,
            "safety_regressions": sum(j["safety"]["served"] or 0 for j in promoted),
            "safety_regressions_adapter": sum(j["safety"]["adapter"] or 0 for j in promoted),
            "router": {
                "taught_routed": mean(x == "adapter" for x in taught_routes)
                if taught_routes
                else None,
                "general_routed": mean(
                    r["general_routed"] for r in rows if r["job"]["status"] == "promoted"
                )
                if promoted
                else None,
            },
            "noise_floor": mean(j["noise_floor"] for j in jobs if j["noise_floor"] is not None)
            if any(j["noise_floor"] is not None for j in jobs)
            else None,
            "job_seconds": mean(j["seconds"] for j in jobs),
        }
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=30)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--k", type=int, default=3, help="self-edit candidates per job")
    parser.add_argument("--conditions", default="base,raw,default,noise")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    passages = load_squad("dev")[args.offset : args.offset + args.passages]
    path = RESULTS / "knowledge.json"
    state: dict[str, Any] = {"conditions": {}}
    if args.resume and path.exists():
        state = json.loads(path.read_text())
    started = time.perf_counter()

    def save() -> None:
        conditions = {}
        for name, cond in state["rows"].items():
            rows = list(cond.values())
            if rows:
                conditions[name] = {
                    "env": CONDITIONS[name]["env"],
                    "policy": CONDITIONS[name].get("policy") or {},
                    **summarize(rows, CONDITIONS[name].get("teach", True)),
                }
        state.update(
            {
                "benchmark": "knowledge",
                "machine": machine(),
                "settings": {"k": args.k, "max_tokens": args.max_tokens, "offset": args.offset},
                "conditions": conditions,
                # The same condition with another seed: how far two runs of one setting differ,
                # on the passages both ran.
                "noise_floor": paired_gap(
                    state["rows"].get("default", {}), state["rows"].get("noise", {})
                ),
                "wall_s": round(state.get("wall_s", 0) + time.perf_counter() - started, 1),
            }
        )
        write_json("knowledge.json", state)

    state.setdefault("rows", {})
    for name in args.conditions.split(","):
        done = state["rows"].setdefault(name, {})
        run_condition(name, passages, args.k, args.max_tokens, done, save)
    save()
    rows = []
    for name, c in state["conditions"].items():
        rows.append(
            [
                name,
                c["n_questions"],
                c["served"]["f1"],
                c["served"]["contains"],
                c["adapter_alone"]["f1"],
                c.get("promoted_rate", "-"),
                c.get("general_after", "-"),
                c.get("general_after_adapter", "-"),
                c.get("safety_regressions", "-"),
                (c.get("router") or {}).get("taught_routed", "-"),
                (c.get("router") or {}).get("general_routed", "-"),
            ]
        )
    print_table(
        [
            "condition",
            "questions",
            "F1 served",
            "contains served",
            "F1 alone",
            "promoted",
            "general after",
            "general alone",
            "safety",
            "taught routed",
            "general routed",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
