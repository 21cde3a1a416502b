"""Knowledge incorporation on SQuAD dev passages (closed book, questions withheld from training).

Conditions, same seeds and grading for all:
  base      the untouched base model
  passage   a LoRA trained on the passage alone
  pipeline  the service's inner loop: K self-edits sampled from the served model, a LoRA per
            candidate (passage + self-edit), reward on probe questions the model wrote itself from
            the passage (the gold questions are never seen), best candidate kept

Usage: python bench/knowledge.py --passages 30 [--k 3] [--vllm-url http://127.0.0.1:8100]
Writes bench/results/knowledge.json.
"""

from __future__ import annotations

import argparse
import json
import time

import torch
from common import RESULTS, load_squad, machine, print_table, write_json  # noqa: I001

from core.settings import get_settings
from workers.generation import LocalGenerator, VLLMGenerator
from workers.inner_loop import DocInput, evaluate, run_inner_loop, write_probes
from workers.modeling import load_base, train_lora
from workers.pipeline import train_config
from workers.selfedit import QA, Example, chunk_document, cloze_probes


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
    parser.add_argument("--out", default="knowledge.json")
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
    cfg = train_config(s)  # the worker's own training settings
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
            train_config=cfg,
            k=k,
            styles=s.selfedit_styles,
            selfedit_max_tokens=s.selfedit_max_tokens,
            temperature=s.selfedit_temperature,
            answer_max_tokens=s.answer_max_tokens,
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

    path = _write(args, totals, n_q, passages, per_passage, k, cfg, started, complete=True)
    conditions = {c: {m: v / n_q for m, v in vals.items()} for c, vals in totals.items()}
    rows = [[c, vals["em"], vals["f1"], vals["contains"], n_q] for c, vals in conditions.items()]
    print_table(["condition", "EM", "F1", "contains", "questions"], rows)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
