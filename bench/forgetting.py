"""Forgetting: SEAL's sequential-editing experiment, run on this service through its real pipeline.

Eight SQuAD dev passages are taught to one tenant one after another (POST /v1/knowledge, the
tenant's questions withheld: the model writes its own probes). After each step, every one of the
eight passages' questions is asked closed-book through the tenant's /v1/chat/completions (the
adapter that serves after the step), giving the 8x8 matrix ``matrix[step][passage]``. Two methods,
each on a fresh service started by this script:

  naive     SEAL's update (next-token loss), no replay, no rehearsal, no KL anchor, no routing, gates
            wide open: each version is trained from the active one on the new passage only and
            promoted whatever it scores (SEAL's sequential baseline)
  service   the service's defaults: context distillation, replay of the lineage, the KL anchor to the
            serving model on rehearsal prompts, scoped adapters (routing), and the retention,
            general-capability and safety gates on what users get (a rejected step keeps the
            previous adapter)

General ability is the general suite asked through the tenant's route (served) and, with the
tenant's routing switched off, of the adapter alone.

A question counts as answered when the answer contains the gold answer or has token F1 >= 0.5
(``gates.suites.is_correct``, the same rule as the retention suite).

Usage: python bench/forgetting.py [--steps 8] [--offset 0] [--k 1] [--methods naive,service] [--keep]
Writes bench/results/forgetting.json and bench/results/forgetting.png.
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ThreadPoolExecutor
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

from gates.suites import Item, load_suite
from seal.grading import ANSWER_INSTRUCTION, is_correct

METHODS: dict[str, dict[str, str]] = {
    "naive": {**UNGATED_ENV, "SEAL_REPLAY_SIZE": "0"},
    "service": {},
}
POLICIES: dict[str, dict[str, Any]] = {"naive": UNGATED_POLICY, "service": {}}


def ask(client: httpx.Client, model: str, questions: list[str], max_tokens: int) -> list[str]:
    """Greedy answers, sent concurrently: vLLM batches them (one at a time on a CPU with an
    adapter is about 5 tokens/s)."""

    def one(q: str) -> str:
        r = client.post(
            "/v1/chat/completions",
            json={
                "model": model,
                "messages": [{"role": "user", "content": q + ANSWER_INSTRUCTION}],
                "temperature": 0,
                "max_tokens": max_tokens,
            },
        )
        r.raise_for_status()
        return r.json()["choices"][0]["message"]["content"] or ""

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, questions))


def accuracies(
    client: httpx.Client, model: str, sets: list[list[Item]], max_tokens: int
) -> list[float]:
    """Accuracy on each set, all questions sent together."""
    flat = [i for s in sets for i in s]
    answers = ask(client, model, [i.question for i in flat], max_tokens)
    flags = [is_correct(a, i.answer) for a, i in zip(answers, flat, strict=True)]
    out, at = [], 0
    for s in sets:
        out.append(sum(flags[at : at + len(s)]) / len(s))
        at += len(s)
    return out


def teach(client: httpx.Client, passage: dict[str, Any]) -> dict[str, Any]:
    job_id, job, seconds = teach_passage(client, passage, poll_s=2.0)
    gates = next(
        (
            e["data"]["gates"]
            for e in client.get(f"/v1/jobs/{job_id}/events").json()
            if (e.get("data") or {}).get("gates") is not None
        ),
        [],
    )
    return {
        "status": job["status"],
        "seconds": seconds,
        "error": job.get("error"),
        "gates": {g["name"]: {"passed": g["passed"], **_summary(g["report"])} for g in gates},
        "replay_examples": (job.get("metrics") or {}).get("timings", {}).get("replay_examples"),
    }


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """The figures of a gate report, per side (served, adapter) when it has them."""
    keep = ("n", "current", "candidate", "drop", "n_regressions")
    out = {k: v for k, v in report.items() if k in keep}
    for side in ("served", "adapter"):
        if isinstance(report.get(side), dict):
            out[side] = {k: v for k, v in report[side].items() if k in keep}
    return out


def run_method(
    name: str, env: dict[str, str], passages: list[dict[str, Any]], k: int, max_tokens: int
) -> dict[str, Any]:
    general = [Item(**i) for i in load_suite("general")["items"]]
    sets = [[Item(q["question"], q["answer"]) for q in p["questions"]] for p in passages]
    extra = {"SEAL_SELFEDIT_K": str(k), **env}
    with running_service(extra_env=extra) as (url, admin_key, _):
        admin = {"Authorization": f"Bearer {admin_key}"}
        tenant = httpx.post(
            f"{url}/v1/admin/tenants",
            json={"name": f"forgetting-{name}", "policy": POLICIES[name]},
            headers=admin,
        ).json()
        client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {tenant['api_key']}"}, timeout=600
        )
        model = client.get("/v1/models").json()["data"][0]["id"]  # the tenant's own model
        base_row = accuracies(client, "base", sets, max_tokens)
        (base_general,) = accuracies(client, "base", [general], max_tokens)
        matrix, steps = [], []
        for i, p in enumerate(passages):
            step = teach(client, p)
            row = accuracies(client, model, sets, max_tokens)
            matrix.append(row)
            steps.append(step)
            print(
                f"[{name} {i + 1}/{len(passages)}] {p['title'][:28]:28s} {step['status']:9s} "
                f"{step['seconds']:6.0f}s  just taught {row[i]:.2f}  taught so far "
                f"{sum(row[: i + 1]) / (i + 1):.3f}  gates {json.dumps(step['gates'])[:120]}",
                flush=True,
            )
        (final_general,) = accuracies(client, model, [general], max_tokens)
        # The adapter alone, which a misrouted query would reach.
        httpx.patch(
            f"{url}/v1/admin/tenants/{tenant['id']}",
            json={"policy": {"routing": False}},
            headers=admin,
        ).raise_for_status()
        (final_general_adapter,) = accuracies(client, model, [general], max_tokens)
    n = len(passages)
    final = matrix[-1]
    just = [matrix[i][i] for i in range(n)]
    return {
        "matrix": matrix,
        "base_row": base_row,
        "just_taught_mean": sum(just) / n,
        "final_mean": sum(final) / n,
        "min_final_minus_base": min(f - b for f, b in zip(final, base_row, strict=True)),
        "general_base": base_general,
        "general_final": final_general,
        "general_delta": final_general - base_general,
        "general_final_adapter": final_general_adapter,
        "general_delta_adapter": final_general_adapter - base_general,
        "promoted": sum(s["status"] == "promoted" for s in steps),
        # Of what was just taught, how much the final adapter still answers.
        "retention_ratio": (sum(final) / sum(just)) if sum(just) else None,
        "safety_regressions": sum(
            ((s["gates"].get("safety") or {}).get("served") or {}).get("n_regressions") or 0
            for s in steps
            if s["status"] == "promoted"
        ),
        "steps": steps,
        "env": extra,
        "policy": POLICIES[name],
    }


def heatmap(results: dict[str, Any], titles: list[str], path: Any) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = list(results["methods"])
    fig, axes = plt.subplots(1, len(methods), figsize=(6 * len(methods), 5), squeeze=False)
    for ax, name in zip(axes[0], methods, strict=True):
        m = results["methods"][name]["matrix"]
        im = ax.imshow(m, vmin=0, vmax=1, cmap="viridis")
        ax.set_title(
            f"{name}: just taught {results['methods'][name]['just_taught_mean']:.2f}, "
            f"final {results['methods'][name]['final_mean']:.2f}"
        )
        ax.set_xlabel("passage")
        ax.set_ylabel("after teaching step")
        ax.set_xticks(range(len(titles)), [t[:10] for t in titles], rotation=60, fontsize=7)
        ax.set_yticks(range(len(m)), [str(i + 1) for i in range(len(m))])
        for i, row in enumerate(m):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", color="w", fontsize=7)
    fig.colorbar(im, ax=axes[0].tolist(), shrink=0.8, label="closed-book accuracy")
    fig.savefig(path, dpi=110, bbox_inches="tight")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--k", type=int, default=3, help="self-edit candidates per job")
    parser.add_argument("--methods", default="naive,service")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the other methods' results already in forgetting.json (same passages)",
    )
    args = parser.parse_args()

    passages = load_squad("dev")[args.offset : args.offset + args.steps]
    started = time.perf_counter()
    results: dict[str, Any] = {"methods": {}}
    path = RESULTS / "forgetting.json"
    if args.keep and path.exists():
        earlier = json.loads(path.read_text())
        if earlier.get("passages") == [p["title"] for p in passages]:
            results["methods"] = earlier["methods"]
    for name in args.methods.split(","):
        results["methods"][name] = run_method(
            name, METHODS[name], passages, args.k, args.max_tokens
        )
    first = results["methods"][args.methods.split(",")[-1]]
    base_row = first["base_row"]
    results = {
        "base_mean": sum(base_row) / len(base_row),
        "methods": results["methods"],
        "passages": [p["title"] for p in passages],
        "n_questions": [len(p["questions"]) for p in passages],
        "settings": {"k": args.k, "offset": args.offset, "max_tokens": args.max_tokens},
        "targets": {
            "final_over_just_taught": 0.9,
            "min_final_minus_base": 0.0,
            "general_delta_abs": 0.02,
        },
        "wall_s": round(time.perf_counter() - started, 1),
        "machine": machine(),
    }
    path = write_json("forgetting.json", results)
    heatmap(results, results["passages"], RESULTS / "forgetting.png")
    rows = [
        [
            name,
            results["base_mean"],
            m["just_taught_mean"],
            m["final_mean"],
            m["retention_ratio"] if m["retention_ratio"] is not None else "n/a",
            m["min_final_minus_base"],
            m["general_delta"],
            m["general_delta_adapter"],
            m["promoted"],
            m["safety_regressions"],
        ]
        for name, m in results["methods"].items()
    ]
    print_table(
        [
            "method",
            "base",
            "just taught",
            "final",
            "final/just",
            "min final-base",
            "general d",
            "general d alone",
            "promoted",
            "safety",
        ],
        rows,
    )
    print(f"wrote {path} and {RESULTS / 'forgetting.png'}")


if __name__ == "__main__":
    main()
