"""The SEAL spine and the outer loop, in process: knowledge incorporation on SQuAD dev passages
(closed book, questions withheld from training) with self-edits from the base policy and from
ReST-EM rounds. (The service's knowledge benchmark, through its API, is ``bench/knowledge.py``.)

Conditions, same seeds and grading for all:
  base      the untouched base model
  passage   a LoRA trained on the passage alone
  pipeline  the service's inner loop: K self-edits sampled from the served model, a LoRA per
            candidate (passage + self-edit), reward on probe questions the model wrote itself from
            the passage (the gold questions are never seen), best candidate kept

and, with ``--rounds N`` (the outer loop, ReST-EM; ``seal.outer_loop``), on the first
``--outer-passages`` of those passages:
  pipeline         (from above) self-edits from the base policy, what round 1 starts from
                   (``--remeasure-base`` samples it again as ``policy_base``)
  policy_round_n   the pipeline with self-edits from the policy after round n; each round samples
                   ``--outer-k`` self-edits on ``--contexts`` SQuAD *train* passages, keeps the best
                   per passage that beats no adapter, fine-tunes the policy on them, and compares it
                   with the previous policy on ``--heldout`` other train passages

Usage: python bench/outer_loop.py --passages 30 [--k 3] [--vllm-url http://127.0.0.1:8100]
       [--rounds 2 --outer-passages 10 --contexts 10 --outer-k 2 --heldout 3]
Writes bench/results/outer_loop.json (the rounds under "outer_loop"; with --resume, finished
rounds and passages are kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

import torch
from common import RESULTS, load_squad, machine, print_table, write_json  # noqa: I001

from core.settings import get_settings
from seal.generation import LocalGenerator, VLLMGenerator
from seal.inner_loop import (
    DocInput,
    InnerLoopConfig,
    evaluate,
    generate_selfedits,
    run_inner_loop,
    write_probes,
)
from seal.modeling import TrainConfig, load_base, train_lora
from seal.outer_loop import (
    load_squad_contexts,
    round_config,
    round_contexts,
    run_round,
    split_pool,
)
from seal.selfedit import QA, Example, chunk_document, cloze_probes

POLICY_DIR = Path(__file__).resolve().parent.parent / "var" / "bench-policies"


def _write(args, totals, n_q, passages, per_passage, k, cfg, started, complete):  # type: ignore[no-untyped-def]
    conditions = {c: {m: v / max(n_q, 1) for m, v in vals.items()} for c, vals in totals.items()}
    return write_json(
        args.out,
        {
            "n_passages": len(per_passage),
            "n_questions": n_q,
            "conditions": conditions,
            "complete": complete,
            "planned_passages": len(passages),
            "settings": {
                "k": k,
                "epochs": cfg.epochs,
                "learning_rate": cfg.learning_rate,
                "rank": cfg.lora.rank,
                "generator": "vllm" if args.vllm_url else "local",
                "offset": args.offset,
            },
            "wall_s": time.perf_counter() - started,
            "machine": machine(),
            "passages": per_passage,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=30)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--k", type=int, default=None)
    parser.add_argument(
        "--vllm-url", default=None, help="sample self-edits from this server (else in-process)"
    )
    parser.add_argument("--out", default="outer_loop.json")
    parser.add_argument("--rounds", type=int, default=0, help="outer-loop rounds (0: spine only)")
    parser.add_argument("--outer-passages", type=int, default=10)
    parser.add_argument(
        "--disjoint-titles",
        action="store_true",
        help="train rounds only on train passages of articles the dev subset does not cover",
    )
    parser.add_argument(
        "--remeasure-base", action="store_true", help="sample the base policy's condition again"
    )
    parser.add_argument(
        "--contexts", type=int, default=None, help="C per round (SEAL_OUTER_CONTEXTS)"
    )
    parser.add_argument("--outer-k", type=int, default=None, help="K per context (SEAL_OUTER_K)")
    parser.add_argument("--heldout", type=int, default=None, help="held-out train passages")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the passages an interrupted run already wrote to --out and do the rest",
    )
    args = parser.parse_args()

    s = get_settings()
    torch.set_num_threads(s.torch_threads or torch.get_num_threads())
    k = args.k or s.selfedit_k
    base, tok = load_base(str(s.base_model_path))
    generator = (
        VLLMGenerator(args.vllm_url) if args.vllm_url else LocalGenerator(str(s.base_model_path))
    )
    cfg = TrainConfig.from_settings(s)  # the worker's own training settings
    # The spine's pipeline condition: the teach job's inner loop without self-chosen headers.
    inner = dataclasses.replace(InnerLoopConfig.from_settings(s), k=k, bounds=None)
    passages = load_squad("dev")[args.offset : args.offset + args.passages]
    totals: dict[str, dict[str, float]] = {
        c: {"em": 0.0, "f1": 0.0, "contains": 0.0} for c in ("base", "passage", "pipeline")
    }
    n_q, per_passage, started = 0, [], time.perf_counter()
    if args.resume and (RESULTS / args.out).exists():
        per_passage = json.loads((RESULTS / args.out).read_text())["passages"]
        for done in per_passage:
            n_q += done["n_questions"]
            for cond in totals:
                for m in totals[cond]:
                    totals[cond][m] += done[cond][m] * done[cond]["n"]
        print(f"resuming after {len(per_passage)} passages", flush=True)
    resumed = len(per_passage)
    for i, p in enumerate(passages):
        if i < len(per_passage):
            continue
        gold = [QA(q["question"], q["answer"]) for q in p["questions"]]
        t0 = time.perf_counter()
        scores = {"base": evaluate(base, tok, gold, s.answer_max_tokens)}
        only = train_lora(
            base, tok, [Example(None, c) for c in chunk_document(p["title"], p["context"])], cfg
        )
        scores["passage"] = evaluate(only.model, tok, gold, s.answer_max_tokens)
        del only
        doc = DocInput(p["title"], p["context"])
        doc.probes = write_probes(generator, [doc], s.probe_count, s.probe_max_tokens, s.seed)[0]
        if not doc.probes:
            doc.probes = cloze_probes(p["title"], p["context"], s.probe_count)
        result = run_inner_loop(
            [doc],
            base=base,
            tokenizer=tok,
            generator=generator,
            config=inner,
        )
        scores["pipeline"] = evaluate(result.best.model, tok, gold, s.answer_max_tokens)
        for cond, sc in scores.items():
            for m in ("em", "f1", "contains"):
                totals[cond][m] += getattr(sc, m) * sc.n
        n_q += len(gold)
        per_passage.append(
            {
                "title": p["title"],
                "n_questions": len(gold),
                "own_probes": len(doc.probes),
                "best_style": result.best.style,
                "rewards": [c.reward for c in result.candidates],
                **{cond: sc.as_dict() for cond, sc in scores.items()},
                "seconds": time.perf_counter() - t0,
            }
        )
        print(
            f"[{i + 1}/{len(passages)}] {p['title'][:30]:30s} "
            + " ".join(f"{c}={sc.f1:.3f}/{sc.contains:.2f}" for c, sc in scores.items())
            + f" ({time.perf_counter() - t0:.0f}s)",
            flush=True,
        )
        # Checkpoint after every passage so that a long run interrupted still leaves its figures.
        _write(args, totals, n_q, passages, per_passage, k, cfg, started, complete=False)

    if len(passages) > resumed:  # a finished run is not rewritten by a resume that adds rounds
        _write(args, totals, n_q, passages, per_passage, k, cfg, started, complete=True)
    path = RESULTS / args.out
    conditions = {c: {m: v / n_q for m, v in vals.items()} for c, vals in totals.items()}
    rows = [[c, vals["em"], vals["f1"], vals["contains"], n_q] for c, vals in conditions.items()]
    print_table(["condition", "EM", "F1", "contains", "questions"], rows)
    print(f"wrote {path}")
    if args.rounds:
        outer(args, base, tok, generator, k, passages, per_passage)


def _cpu_s(vllm_pid: int | None) -> float:
    """CPU seconds used so far by this process and by the vLLM server (with its engine process)."""
    import psutil

    total = sum(os.times()[:4])
    if vllm_pid:
        try:
            procs = [psutil.Process(vllm_pid)]
            procs += procs[0].children(recursive=True)
            total += sum(p.cpu_times().user + p.cpu_times().system for p in procs)
        except psutil.NoSuchProcess:
            pass
    return total


def _vllm_pid() -> int | None:
    import psutil

    for p in psutil.process_iter(["pid", "cmdline"]):
        if "vllm.entrypoints.openai.api_server" in " ".join(p.info["cmdline"] or []):
            return p.info["pid"]
    return None


def _scores(totals: dict[str, dict[str, float]], n: int) -> dict[str, dict[str, float]]:
    return {c: {m: v / max(n, 1) for m, v in vals.items()} for c, vals in totals.items()}


def outer(args, base, tok, generator, k, passages, spine_passages) -> None:  # type: ignore[no-untyped-def]
    """Run ``--rounds`` ReST-EM rounds on SQuAD train, then the pipeline on the first
    ``--outer-passages`` dev passages with self-edits from the base policy and from each round's
    policy (same seeds, same probes, same grading); checkpointed after every step."""
    s = get_settings()
    cfg = round_config(s, k=args.outer_k)
    contexts_per_round = args.contexts or s.outer_contexts
    train_contexts = load_squad_contexts(s.squad_train_path)
    # train.json and dev.json hold different paragraphs of the same 48 Wikipedia articles; with
    # --disjoint-titles the rounds never see a paragraph of an article the evaluation asks about.
    dev_titles = {p["title"] for p in passages[: args.outer_passages]}
    if args.disjoint_titles:
        train_contexts = [c for c in train_contexts if c.title not in dev_titles]
    pool, heldout = split_pool(train_contexts, args.heldout or s.outer_heldout, s.seed)
    path = RESULTS / args.out
    state = json.loads(path.read_text()).get("outer_loop") if args.resume else None
    state = state or {"rounds": [], "passages": []}
    state["settings"] = {
        "rounds": args.rounds,
        "contexts": contexts_per_round,
        "k": cfg.k,
        "heldout": len(heldout),
        "eval_k": cfg.eval_k,
        "dev_passages": args.outer_passages,
        "dev_k": k,
        "policy_training": dataclasses.asdict(cfg.policy),
        "inner_training": dataclasses.asdict(cfg.inner.train),
        "min_reward": cfg.min_reward,
        "header_bounds": dataclasses.asdict(cfg.inner.bounds) if cfg.inner.bounds else None,
        "disjoint_titles": args.disjoint_titles,
    }
    vllm_pid = _vllm_pid() if args.vllm_url else None

    def save() -> None:
        doc = json.loads(path.read_text())
        doc["outer_loop"] = state
        doc["round_wall_s"] = [r["wall_s"] for r in state["rounds"]]
        doc["round_cpu_hours"] = [r["cpu_hours"] for r in state["rounds"]]
        if state.get("conditions"):
            for name in [f"policy_round_{r + 1}" for r in range(len(state["rounds"]))]:
                if name in state["conditions"]:
                    doc["conditions"][name] = {
                        **state["conditions"][name],
                        "n_passages": state["n_passages"],
                        "n_questions": state["n_questions"],
                    }
        write_json(args.out, doc)

    policies: list[tuple[str, Path] | None] = [None]
    for r in range(1, args.rounds + 1):
        name, directory = f"bench-policy-r{r}", POLICY_DIR / f"round{r}"
        if r <= len(state["rounds"]) and (directory / "adapter_config.json").exists():
            generator.add_adapter(name, directory)
            policies.append((name, directory))
            print(f"round {r}: kept from an earlier run", flush=True)
            continue
        state["rounds"] = state["rounds"][: r - 1]
        directory.mkdir(parents=True, exist_ok=True)
        t0, cpu0 = time.perf_counter(), _cpu_s(vllm_pid)
        result = run_round(
            round_contexts(pool, contexts_per_round, r),
            heldout,
            base=base,
            tokenizer=tok,
            generator=generator,
            cfg=cfg,
            current_policy=policies[-1],
            new_policy_name=name,
            save_dir=directory,
            on_progress=lambda stage, frac, data, r=r: print(  # type: ignore[misc]
                f"  round {r} {stage} {frac:.2f} {json.dumps(data)[:160]}", flush=True
            ),
        )
        if result.policy_model is None:
            raise SystemExit(f"round {r} kept no self-edit: no policy to continue with")
        state["rounds"].append(
            {
                "round": r,
                "wall_s": round(time.perf_counter() - t0, 1),
                "cpu_hours": round((_cpu_s(vllm_pid) - cpu0) / 3600, 3),
                "report": result.report(),
                "records": [rec.as_dict() for rec in result.records],
            }
        )
        policies.append((name, directory))
        state["passages"] = []  # the evaluation below depends on the policies
        save()
        rep = result.report()
        print(
            f"round {r}: kept {rep['kept']}/{rep['train_contexts']}, held-out mean reward "
            f"current {rep['current']['mean_reward']:.4f} -> new {rep['new']['mean_reward']:.4f} "
            f"({state['rounds'][-1]['wall_s']:.0f}s)",
            flush=True,
        )

    # The base policy's condition is the spine's `pipeline` (same prompts, seeds and probes; a
    # self-edit without a header trains with the defaults); --remeasure-base samples it again.
    # Which evaluated articles the rounds trained on other paragraphs of (empty with
    # --disjoint-titles): reported so that a reader can weigh the overlap.
    seen = {k for r in state["rounds"] for k in {x["context_key"] for x in r["records"]}}
    state["dev_titles_seen_in_rounds"] = sorted(
        {c.title for c in train_contexts if c.key in seen} & dev_titles  # type: ignore[misc]
    )
    names = [f"policy_round_{r}" for r in range(1, args.rounds + 1)]
    if args.remeasure_base:
        names.insert(0, "policy_base")
    else:
        policies = policies[1:]
    subset = passages[: args.outer_passages]
    for i, p in enumerate(subset):
        if i < len(state["passages"]):
            continue
        gold = [QA(q["question"], q["answer"]) for q in p["questions"]]
        t0 = time.perf_counter()
        doc = DocInput(p["title"], p["context"])
        doc.probes = write_probes(generator, [doc], s.probe_count, s.probe_max_tokens, s.seed)[0]
        if not doc.probes:
            doc.probes = cloze_probes(p["title"], p["context"], s.probe_count)
        row = {
            "title": p["title"],
            "n_questions": len(gold),
            **{c: spine_passages[i][c] for c in ("base", "passage", "pipeline")},
        }
        for label, policy in zip(names, policies, strict=True):
            result = run_inner_loop(
                [doc],
                base=base,
                tokenizer=tok,
                generator=generator,
                config=dataclasses.replace(cfg.inner, k=k),
                selfedits=generate_selfedits(
                    generator,
                    [doc],
                    k,
                    s.selfedit_styles,
                    max_tokens=s.selfedit_max_tokens,
                    temperature=s.selfedit_temperature,
                    seed=s.seed,
                    model=policy[0] if policy else None,
                ),
            )
            row[label] = {
                **evaluate(result.best.model, tok, gold, s.answer_max_tokens).as_dict(),
                "rewards": [c.reward for c in result.candidates],
                "headers": [c.header for c in result.candidates],
            }
        row["seconds"] = round(time.perf_counter() - t0, 1)
        state["passages"].append(row)
        totals = {
            c: {"em": 0.0, "f1": 0.0, "contains": 0.0}
            for c in ["base", "passage", "pipeline", *names]
        }
        n_q = 0
        for done in state["passages"]:
            n_q += done["n_questions"]
            for c in totals:
                for m in totals[c]:
                    totals[c][m] += done[c][m] * done["n_questions"]
        state["conditions"], state["n_passages"], state["n_questions"] = (
            _scores(totals, n_q),
            len(state["passages"]),
            n_q,
        )
        save()
        print(
            f"[{i + 1}/{len(subset)}] {p['title'][:30]:30s} "
            + " ".join(f"{c}={row[c]['f1']:.3f}" for c in names)
            + f" ({row['seconds']:.0f}s)",
            flush=True,
        )
    conds = state["conditions"]
    gain = {c: conds[c]["f1"] - conds["base"]["f1"] for c in conds}
    chain = ["pipeline", *names]
    state["target"] = {
        "metric": "F1 gain over the base model, on the subset",
        "gains": {c: gain[c] for c in chain},
        "each_round_improves": all(
            gain[chain[j + 1]] > gain[chain[j]] for j in range(len(chain) - 1)
        ),
        "final_gain_over_base_policy_gain": gain[chain[-1]] / gain["pipeline"]
        if gain["pipeline"] > 0
        else None,
    }
    save()
    rows = [[c, v["em"], v["f1"], v["contains"], state["n_questions"]] for c, v in conds.items()]
    print_table(["condition (subset)", "EM", "F1", "contains", "questions"], rows)
    print(json.dumps(state["target"]))


if __name__ == "__main__":
    main()
